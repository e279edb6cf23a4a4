"""Container: one child with padding, alignment, a maximum size and a styled box behind it.

    container(text("centred")).width(Fill).height(Fill).center().style("container.box")
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, LayoutContext, Tree, Widget
from ..core.geometry import Padding, Size
from ..core.layout import Align, Limits, Node
from ..style import Status

M = TypeVar("M")


class Container(Widget[M], Generic[M]):
    def __init__(self, content: Widget[M]) -> None:
        self.content = content
        self._padding = Padding()
        self._align_x = Align.START
        self._align_y = Align.START
        self._class = "container"
        self._max_width = float("inf")
        self._max_height = float("inf")

    def padding(self, value: float | tuple[float, float] | tuple[float, float, float, float]) -> Container[M]:
        self._padding = Padding.of(value)
        return self

    def align_x(self, align: Align) -> Container[M]:
        self._align_x = align
        return self

    def align_y(self, align: Align) -> Container[M]:
        self._align_y = align
        return self

    def center(self) -> Container[M]:
        self._align_x = self._align_y = Align.CENTER
        return self

    def max_width(self, pixels: float) -> Container[M]:
        self._max_width = pixels
        return self

    def max_height(self, pixels: float) -> Container[M]:
        self._max_height = pixels
        return self

    def style(self, widget_class: str) -> Container[M]:
        """``"container.box"`` (a bordered surface), ``"container.window"`` or a theme's own class."""
        self._class = widget_class
        return self

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return (self._width, self._height, self._padding, self._align_x, self._align_y, self._class,
                self._max_width, self._max_height)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        own = limits.constrain(self._width, self._height)
        own = Limits(own.min_width, own.min_height, min(own.max_width, self._max_width),
                     min(own.max_height, self._max_height))
        inner = own.shrink(self._padding).loose()
        child = self.content.layout(tree.children[0], inner, ctx)
        content = Size(child.size.width + self._padding.horizontal, child.size.height + self._padding.vertical)
        size = own.resolve(self._width, self._height, content)
        free_x = size.width - self._padding.horizontal - child.size.width
        free_y = size.height - self._padding.vertical - child.size.height
        child.moved(self._padding.left + self._align_x.offset(max(0.0, free_x)),
                    self._padding.top + self._align_y.offset(max(0.0, free_y)))
        return Node(size, [child])

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        ctx.box(node.bounds, ctx.theme.style(self._class, Status.ACTIVE))
        super().draw(tree, node, ctx)


def container(content: Widget[M]) -> Container[M]:
    return Container(content)
