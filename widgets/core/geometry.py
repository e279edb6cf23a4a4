"""Points, sizes, rectangles and padding in logical pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Size:
    width: float
    height: float


@dataclass(frozen=True)
class Rect:
    """A rectangle in logical pixels, ``x, y`` its top-left corner (the compositor's integer one is
    ``compositor.geometry.Box``).

    :meth:`intersection` is None when the rectangles do not overlap, touching edges included: a Rect is
    never built empty by it, so callers test for None. :meth:`union` takes both rectangles as they are,
    empty or not. Points are half-open: the right and bottom edges are outside.
    """

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return Point(self.x + self.width / 2, self.y + self.height / 2)

    def contains(self, point: Point | None) -> bool:
        return point is not None and self.x <= point.x < self.right and self.y <= point.y < self.bottom

    def intersects(self, other: Rect) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def intersection(self, other: Rect) -> Rect | None:
        x, y = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= x or bottom <= y:
            return None
        return Rect(x, y, right - x, bottom - y)

    def union(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def translate(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)

    def shrink(self, padding: Padding) -> Rect:
        return Rect(self.x + padding.left, self.y + padding.top,
                    max(0.0, self.width - padding.horizontal), max(0.0, self.height - padding.vertical))

    def expand(self, amount: float) -> Rect:
        return Rect(self.x - amount, self.y - amount, self.width + 2 * amount, self.height + 2 * amount)

    def snap_out(self, scale: float = 1.0) -> Rect:
        """The smallest rectangle on whole device pixels covering this one (in logical units)."""
        x, y = math.floor(self.x * scale) / scale, math.floor(self.y * scale) / scale
        right, bottom = math.ceil(self.right * scale) / scale, math.ceil(self.bottom * scale) / scale
        return Rect(x, y, right - x, bottom - y)


@dataclass(frozen=True)
class Padding:
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    left: float = 0.0

    @classmethod
    def of(cls, value: float | tuple[float, float] | tuple[float, float, float, float] | Padding) -> Padding:
        """``8`` (all sides), ``(8, 16)`` (vertical, horizontal) or ``(top, right, bottom, left)``."""
        if isinstance(value, Padding):
            return value
        if isinstance(value, tuple):
            if len(value) == 2:
                return cls(value[0], value[1], value[0], value[1])
            return cls(*value)
        return cls(value, value, value, value)

    @property
    def horizontal(self) -> float:
        return self.left + self.right

    @property
    def vertical(self) -> float:
        return self.top + self.bottom
