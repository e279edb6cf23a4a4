"""Lengths, limits, layout nodes and the flex algorithm rows and columns share (iced's model).

A widget's width and height are each a :class:`Length`: ``Fill`` takes the space left over,
``FillPortion(n)`` takes n shares of it, ``Shrink`` fits the content and ``Fixed(px)`` is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .geometry import Padding, Rect, Size


@dataclass(frozen=True)
class Length:
    kind: str  # "fill", "shrink" or "fixed"
    value: float = 1.0

    @property
    def fill_factor(self) -> float:
        return self.value if self.kind == "fill" else 0.0

    def __repr__(self) -> str:
        return {"fill": f"FillPortion({self.value:g})", "shrink": "Shrink"}.get(self.kind, f"Fixed({self.value:g})")


Fill = Length("fill", 1)
Shrink = Length("shrink", 0)


def FillPortion(portion: int) -> Length:  # noqa: N802 - reads like iced's Length::FillPortion
    return Length("fill", float(portion))


def Fixed(pixels: float) -> Length:  # noqa: N802
    return Length("fixed", float(pixels))


LengthLike = Length | int | float


def length(value: LengthLike) -> Length:
    """A number means ``Fixed(value)``."""
    return value if isinstance(value, Length) else Fixed(value)


class Align(Enum):
    START = "start"
    CENTER = "center"
    END = "end"

    def offset(self, free: float) -> float:
        return {Align.START: 0.0, Align.CENTER: free / 2, Align.END: free}[self]


@dataclass(frozen=True)
class Limits:
    min_width: float = 0.0
    min_height: float = 0.0
    max_width: float = float("inf")
    max_height: float = float("inf")

    def resolve(self, width: Length, height: Length, content: Size) -> Size:
        """The size a widget with these lengths and this content size takes within the limits."""
        return Size(self._axis(width, content.width, self.min_width, self.max_width),
                    self._axis(height, content.height, self.min_height, self.max_height))

    @staticmethod
    def _axis(value: Length, content: float, low: float, high: float) -> float:
        if value.kind == "fixed":
            wanted = value.value
        elif value.kind == "fill" and high != float("inf"):
            wanted = high
        else:
            wanted = content
        return max(low, min(high, wanted))

    def constrain(self, width: Length, height: Length) -> Limits:
        """Limits for a widget's content given its own lengths (Fixed narrows, Shrink drops the minimum)."""
        def axis(value: Length, low: float, high: float) -> tuple[float, float]:
            if value.kind == "fixed":
                v = max(low, min(high, value.value))
                return v, v
            if value.kind == "shrink":
                return 0.0, high
            return low, high
        min_w, max_w = axis(width, self.min_width, self.max_width)
        min_h, max_h = axis(height, self.min_height, self.max_height)
        return Limits(min_w, min_h, max_w, max_h)

    def shrink(self, padding: Padding) -> Limits:
        return Limits(max(0.0, self.min_width - padding.horizontal), max(0.0, self.min_height - padding.vertical),
                      max(0.0, self.max_width - padding.horizontal), max(0.0, self.max_height - padding.vertical))

    def loose(self) -> Limits:
        return Limits(0.0, 0.0, self.max_width, self.max_height)


@dataclass
class Node:
    """A laid-out widget: its size, its position relative to its parent, and its children.

    ``bounds`` is filled in absolute (window) coordinates by :meth:`place` once the whole tree is laid out.
    """

    size: Size
    children: list[Node] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    bounds: Rect = Rect(0, 0, 0, 0)
    data: Any = None
    """What a widget keeps from layout for drawing (a text spec, a visible range)."""

    def moved(self, x: float, y: float) -> Node:
        self.x, self.y = x, y
        return self

    def place(self, origin_x: float = 0.0, origin_y: float = 0.0) -> None:
        self.bounds = Rect(origin_x + self.x, origin_y + self.y, self.size.width, self.size.height)
        for child in self.children:
            child.place(self.bounds.x, self.bounds.y)


def flex(horizontal: bool, limits: Limits, padding: Padding, spacing: float, align: Align,
         items: Sequence[tuple[Length, Length]],
         layout_child: Callable[[int, Limits], Node]) -> tuple[Size, list[Node]]:
    """Lay out children along one axis. ``items`` are the children's (width, height) lengths.

    Non-fill children are laid out first with the space they want; the space left is shared among fill
    children in proportion to their portion. Returns the content size (with padding) and the nodes.
    """
    inner = limits.shrink(padding)
    main_max = inner.max_width if horizontal else inner.max_height
    cross_max = inner.max_height if horizontal else inner.max_width
    count = len(items)
    total_spacing = spacing * max(0, count - 1)
    nodes: list[Node | None] = [None] * count
    used = total_spacing
    cross = 0.0
    portions = [(w if horizontal else h).fill_factor for w, h in items]
    # First pass: non-fill children along the main axis.
    for index, portion in enumerate(portions):
        if portion:
            continue
        remaining = max(0.0, main_max - used)
        child_limits = (Limits(0, 0, remaining, cross_max) if horizontal else Limits(0, 0, cross_max, remaining))
        node = layout_child(index, child_limits)
        nodes[index] = node
        used += node.size.width if horizontal else node.size.height
        cross = max(cross, node.size.height if horizontal else node.size.width)
    total_portion = sum(portions)
    if total_portion:
        free = max(0.0, main_max - used) if main_max != float("inf") else 0.0
        for index, portion in enumerate(portions):
            if not portion:
                continue
            share = free * portion / total_portion
            child_limits = (Limits(share, 0, share, cross_max) if horizontal else Limits(0, share, cross_max, share))
            node = layout_child(index, child_limits)
            nodes[index] = node
            used += node.size.width if horizontal else node.size.height
            cross = max(cross, node.size.height if horizontal else node.size.width)
    # A child filling the cross axis stretches to the widest sibling when the cross axis is unbounded.
    placed: list[Node] = [n for n in nodes if n is not None]
    cross_size = cross if cross_max == float("inf") else max(cross, inner.min_height if horizontal else inner.min_width)
    pos = padding.left if horizontal else padding.top
    for node in placed:
        free_cross = cross_size - (node.size.height if horizontal else node.size.width)
        offset = align.offset(max(0.0, free_cross))
        if horizontal:
            node.moved(pos, padding.top + offset)
            pos += node.size.width + spacing
        else:
            node.moved(padding.left + offset, pos)
            pos += node.size.height + spacing
    main = used
    content = (Size(main + padding.horizontal, cross_size + padding.vertical) if horizontal
               else Size(cross_size + padding.horizontal, main + padding.vertical))
    return content, placed
