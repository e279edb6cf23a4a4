"""Progress bar: how far along something is.

    progress_bar(0, 100, state.downloaded).height(10)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..core.element import DrawContext, LayoutContext, Tree, Widget
from ..core.geometry import Rect, Size
from ..core.layout import Fill, Limits, Node
from ..style import Status


class ProgressBar(Widget[Any]):
    def __init__(self, low: float, high: float, value: float) -> None:
        self.low, self.high, self.value = low, high, value
        self._class = "progress_bar"
        self._width = Fill

    def style(self, widget_class: str) -> ProgressBar:
        """``"progress_bar"`` or ``"progress_bar.success"``."""
        self._class = widget_class
        return self

    def signature(self) -> Hashable:
        return (self._width, self._height, self.low, self.high, self.value, self._class)

    def fraction(self) -> float:
        span = self.high - self.low
        return 0.0 if span == 0 else min(1.0, max(0.0, (self.value - self.low) / span))

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(limits.resolve(self._width, self._height, Size(120, 8)))

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        style = ctx.theme.style(self._class, Status.ACTIVE)
        b = node.bounds
        ctx.fill(b, style.background, style.radius)
        if self.fraction() > 0:
            ctx.fill(Rect(b.x, b.y, b.width * self.fraction(), b.height), style.accent, style.radius)


def progress_bar(low: float, high: float, value: float) -> ProgressBar:
    return ProgressBar(low, high, value)
