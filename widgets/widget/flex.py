"""Row and column: children side by side or stacked, with spacing, padding and cross-axis alignment.

    column([text("Title").size(20), row([button("OK"), button("Cancel")]).spacing(8)]).padding(16)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from ..core.element import LayoutContext, Tree, Widget
from ..core.geometry import Padding
from ..core.layout import Align, Limits, Node, flex

M = TypeVar("M")
F = TypeVar("F", bound="Flex[Any]")


class Flex(Widget[M], Generic[M]):
    horizontal = False

    def __init__(self, children: Iterable[Widget[M] | None] = ()) -> None:
        self._children: list[Widget[M]] = [c for c in children if c is not None]
        self._spacing = 0.0
        self._padding = Padding()
        self._align = Align.START

    def push(self: F, child: Widget[M]) -> F:
        self._children.append(child)
        return self

    def spacing(self: F, pixels: float) -> F:
        self._spacing = pixels
        return self

    def padding(self: F, value: float | tuple[float, float] | tuple[float, float, float, float]) -> F:
        self._padding = Padding.of(value)
        return self

    def align_items(self: F, align: Align) -> F:
        """Alignment across the main axis (vertical for a row, horizontal for a column)."""
        self._align = align
        return self

    def children(self) -> Sequence[Widget[Any]]:
        return self._children

    def signature(self) -> Hashable:
        return (self._width, self._height, self._spacing, self._padding, self._align, len(self._children))

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        inner = limits.constrain(self._width, self._height)
        hints = [c.size_hint() for c in self._children]

        def child(index: int, child_limits: Limits) -> Node:
            return self._children[index].layout(tree.children[index], child_limits, ctx)
        content, nodes = flex(self.horizontal, inner, self._padding, self._spacing, self._align, hints, child)
        size = limits.resolve(self._width, self._height, content)
        # Centre/end alignment needs the final cross size when this widget is larger than its content.
        cross_free = (size.height - content.height) if self.horizontal else (size.width - content.width)
        if cross_free > 0 and self._align is not Align.START:
            for n in nodes:
                if self.horizontal:
                    n.y += self._align.offset(cross_free)
                else:
                    n.x += self._align.offset(cross_free)
        return Node(size, nodes)


class Row(Flex[M]):
    horizontal = True


class Column(Flex[M]):
    horizontal = False


def row(children: Iterable[Widget[M] | None] = ()) -> Row[M]:
    return Row(children)


def column(children: Iterable[Widget[M] | None] = ()) -> Column[M]:
    return Column(children)
