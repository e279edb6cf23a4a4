"""Toggler: an on/off switch with a label; clicking publishes ``on_toggle(not on)``.

    toggler("Dark mode", state.dark).on_toggle(Message.dark_toggled)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext
from ..core.geometry import Rect, Size
from ..style import Style
from .labelled import Labelled

M = TypeVar("M")


class Toggler(Labelled[M], Generic[M]):
    widget_class = "toggler"
    mark = Size(38, 22)

    def __init__(self, label: str, is_on: bool) -> None:
        super().__init__(label)
        self.is_on = is_on
        self._on_toggle: Callable[[bool], M] | None = None

    def on_toggle(self, fn: Callable[[bool], M]) -> Toggler[M]:
        self._on_toggle = fn
        return self

    def message(self) -> M | None:
        return None if self._on_toggle is None else self._on_toggle(not self.is_on)

    def checked(self) -> bool:
        return self.is_on

    def draw_mark(self, ctx: DrawContext, rect: Rect, style: Style) -> None:
        ctx.fill(rect, style.accent if self.is_on else style.background, rect.height / 2)
        knob = rect.height - 6
        x = rect.right - knob - 3 if self.is_on else rect.x + 3
        ctx.fill(Rect(x, rect.y + 3, knob, knob), style.foreground, knob / 2)


def toggler(label: str, is_on: bool) -> Toggler[Any]:
    return Toggler(label, is_on)
