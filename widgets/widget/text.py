"""Text: shaped by Pango, with font fallback, RTL, wrapping, ellipsis and markup.

    text("Hello, عالم").size(18).bold()
    text("A very long label").ellipsize().width(Fill)
    text("<b>bold</b> and <i>italic</i>").markup()
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..core.element import DrawContext, LayoutContext, Tree, Widget
from ..core.layout import Limits, Node
from ..core.text_engine import Ellipsis, TextAlign, TextSpec, Wrap
from ..style import Color, Status


class Text(Widget[Any]):
    def __init__(self, content: str) -> None:
        self.content = content
        self._size: float | None = None
        self._family: str | None = None
        self._weight = 400
        self._markup = False
        self._wrap = Wrap.WORD
        self._ellipsis = Ellipsis.NONE
        self._align = TextAlign.START
        self._class = "text"
        self._color: Color | None = None
        self._max_lines = 0

    # -- builders ----------------------------------------------------------------------------------------
    def size(self, pixels: float) -> Text:
        self._size = pixels
        return self

    def font(self, family: str) -> Text:
        self._family = family
        return self

    def bold(self) -> Text:
        self._weight = 700
        return self

    def markup(self) -> Text:
        """Interpret the content as Pango markup (``<b>``, ``<i>``, ``<span foreground=...>``)."""
        self._markup = True
        return self

    def wrap(self, mode: Wrap) -> Text:
        self._wrap = mode
        return self

    def ellipsize(self, mode: Ellipsis = Ellipsis.END, max_lines: int = 1) -> Text:
        """Cut with "…" when wider than the space given (one line unless ``max_lines``)."""
        self._ellipsis, self._max_lines = mode, max_lines
        if max_lines <= 1:
            self._wrap = Wrap.NONE
        return self

    def align(self, align: TextAlign) -> Text:
        self._align = align
        return self

    def style(self, widget_class: str) -> Text:
        """``"text.muted"``, ``"text.accent"``, ``"text.danger"`` or any class the theme knows."""
        self._class = widget_class
        return self

    def color(self, color: Color) -> Text:
        self._color = color
        return self

    # -- layout, drawing ---------------------------------------------------------------------------------
    def spec(self, ctx_size: float, family: str, width: float | None) -> TextSpec:
        return TextSpec(self.content, self._size or ctx_size, self._family or family, self._weight, self._markup,
                        self._wrap, self._ellipsis, self._align, width, self._max_lines)

    def signature(self) -> Hashable:
        return (self._width, self._height, self.content, self._size, self._family, self._weight, self._markup,
                self._wrap, self._ellipsis, self._align, self._class, self._color, self._max_lines)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        inner = limits.constrain(self._width, self._height)
        width = inner.max_width if inner.max_width != float("inf") else None
        spec = self.spec(ctx.theme.font_size, ctx.theme.font_family, width)
        measured = ctx.text.measure(spec)
        node = Node(limits.resolve(self._width, self._height, measured))
        node.data = spec
        return node

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        spec: TextSpec = node.data
        color = self._color or ctx.theme.style(self._class, Status.ACTIVE).text
        height = ctx.text.measure(spec).height
        y = node.bounds.y + max(0.0, (node.bounds.height - height) / 2)
        ctx.text_at(spec, node.bounds.x, y, color)

    def text_content(self) -> str | None:
        return self.content


def text(content: str | int | float) -> Text:
    return Text(str(content))
