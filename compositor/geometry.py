"""Rectangles and regions in integer logical coordinates."""

from __future__ import annotations

from typing import NamedTuple


class Rect(NamedTuple):
    """Immutable; a tuple because building one is on every commit's path (5× cheaper than a frozen
    dataclass)."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def empty(self) -> bool:
        return self.width <= 0 or self.height <= 0

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px < self.right and self.y <= py < self.bottom

    def intersect(self, other: Rect) -> Rect:
        x, y = max(self.x, other.x), max(self.y, other.y)
        return Rect(x, y, max(0, min(self.right, other.right) - x), max(0, min(self.bottom, other.bottom) - y))

    def intersects(self, other: Rect) -> bool:
        # intersect(other) is not empty, without building it (this runs for every surface on every frame)
        return (max(self.x, other.x) < min(self.x + self.width, other.x + other.width)
                and max(self.y, other.y) < min(self.y + self.height, other.y + other.height))

    def contains_rect(self, other: Rect) -> bool:
        """``other`` lies inside this rectangle (an empty ``other`` too, if its corner does)."""
        return (self.x <= other.x and self.y <= other.y and other.x + other.width <= self.x + self.width
                and other.y + other.height <= self.y + self.height)

    def union(self, other: Rect) -> Rect:
        if self.empty:
            return other
        if other.empty:
            return self
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def translate(self, dx: int, dy: int) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)


class Region:
    """What wl_region describes: rectangles added and subtracted, in order; tested point by point."""

    def __init__(self, operations: tuple[tuple[bool, Rect], ...] = ()) -> None:
        self.operations = operations

    def add(self, rect: Rect) -> Region:
        return Region((*self.operations, (True, rect)))

    def subtract(self, rect: Rect) -> Region:
        return Region((*self.operations, (False, rect)))

    def contains(self, px: float, py: float) -> bool:
        inside = False
        for added, rect in self.operations:
            if rect.contains(px, py):
                inside = added
        return inside

    def bounds(self) -> Rect:
        box = Rect(0, 0, 0, 0)
        for added, rect in self.operations:
            if added:
                box = box.union(rect)
        return box
