"""Rectangles and regions in integer logical coordinates."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import NamedTuple


class Box(NamedTuple):
    """A rectangle of the compositor, in whole logical pixels: ``x, y`` its top-left corner, ``width`` and
    ``height`` its size (as wlroots' ``wlr_box``; the toolkit's float rectangle is ``widgets.Rect``).

    Empty when its width or height is 0 or less. :meth:`intersect` never returns None: boxes that do not
    overlap (or only touch) give an empty box, its width and/or height clamped to 0, so callers test
    ``.empty``; :meth:`union` ignores empty boxes. Points and boxes are half-open: the right and bottom
    edges are outside.

    Immutable; a tuple because building one is on every commit's path (5× cheaper than a frozen
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

    def intersect(self, other: Box) -> Box:
        x, y = max(self.x, other.x), max(self.y, other.y)
        return Box(x, y, max(0, min(self.right, other.right) - x), max(0, min(self.bottom, other.bottom) - y))

    def intersects(self, other: Box) -> bool:
        # intersect(other) is not empty, without building it (this runs for every surface on every frame)
        return (max(self.x, other.x) < min(self.x + self.width, other.x + other.width)
                and max(self.y, other.y) < min(self.y + self.height, other.y + other.height))

    def contains_rect(self, other: Box) -> bool:
        """``other`` lies inside this rectangle (an empty ``other`` too, if its corner does)."""
        return (self.x <= other.x and self.y <= other.y and other.x + other.width <= self.x + self.width
                and other.y + other.height <= self.y + self.height)

    def union(self, other: Box) -> Box:
        if self.empty:
            return other
        if other.empty:
            return self
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def translate(self, dx: int, dy: int) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)


class Region:
    """What wl_region describes: rectangles added and subtracted, in order; tested point by point.

    Immutable: :meth:`add` and :meth:`subtract` return a new region that shares the list of operations with
    this one (appending when nothing was added after this one), so a wl_region's requests cost O(1) each and a
    surface's copy of it (set_opaque_region) costs nothing."""

    __slots__ = ("_operations", "_count", "__weakref__")

    def __init__(self, operations: tuple[tuple[bool, Box], ...] = ()) -> None:
        self._operations = list(operations)
        self._count = len(self._operations)

    def __len__(self) -> int:
        return self._count

    @property
    def operations(self) -> Iterator[tuple[bool, Box]]:
        return itertools.islice(self._operations, self._count)

    def _then(self, operation: tuple[bool, Box]) -> Region:
        shared = self._operations
        operations = shared if len(shared) == self._count else shared[:self._count]
        operations.append(operation)
        region = Region.__new__(Region)
        region._operations, region._count = operations, len(operations)
        return region

    def add(self, rect: Box) -> Region:
        return self._then((True, rect))

    def subtract(self, rect: Box) -> Region:
        return self._then((False, rect))

    def contains(self, px: float, py: float) -> bool:
        for added, rect in reversed(self._operations[:self._count]):  # the last operation on the point decides
            if rect.contains(px, py):
                return added
        return False

    def bounds(self) -> Box:
        box = Box(0, 0, 0, 0)
        for added, rect in self.operations:
            if added:
                box = box.union(rect)
        return box
