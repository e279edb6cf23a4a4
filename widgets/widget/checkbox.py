"""Checkbox: a box with a check mark and a label; clicking publishes ``on_toggle(not checked)``.

    checkbox("Wi-Fi", state.wifi).on_toggle(Message.wifi_toggled)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext
from ..core.geometry import Rect
from ..style import Style
from .labelled import Labelled

M = TypeVar("M")


class Checkbox(Labelled[M], Generic[M]):
    widget_class = "checkbox"

    def __init__(self, label: str, is_checked: bool) -> None:
        super().__init__(label)
        self.is_checked = is_checked
        self._on_toggle: Callable[[bool], M] | None = None

    def on_toggle(self, fn: Callable[[bool], M]) -> Checkbox[M]:
        self._on_toggle = fn
        return self

    def message(self) -> M | None:
        return None if self._on_toggle is None else self._on_toggle(not self.is_checked)

    def checked(self) -> bool:
        return self.is_checked

    def draw_mark(self, ctx: DrawContext, rect: Rect, style: Style) -> None:
        if self.is_checked:
            ctx.fill(rect, style.accent, style.radius)
            cr = ctx.cr
            cr.new_path()
            cr.move_to(rect.x + rect.width * 0.25, rect.y + rect.height * 0.52)
            cr.line_to(rect.x + rect.width * 0.43, rect.y + rect.height * 0.70)
            cr.line_to(rect.x + rect.width * 0.76, rect.y + rect.height * 0.32)
            assert style.foreground is not None
            cr.set_source_rgba(*style.foreground.rgba)
            cr.set_line_width(2.0)
            cr.stroke()
        else:
            ctx.fill(rect, style.background, style.radius)
            ctx.stroke(rect, style.border, style.border_width, style.radius)


def checkbox(label: str, is_checked: bool) -> Checkbox[Any]:
    return Checkbox(label, is_checked)
