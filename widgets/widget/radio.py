"""Radio: one choice of several; clicking publishes ``on_select(value)``.

    column([radio(name, size, state.size).on_select(Message.size_chosen) for name, size in SIZES])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext
from ..core.geometry import Rect
from ..style import Style
from .labelled import Labelled

M = TypeVar("M")
V = TypeVar("V", bound=Hashable)


class Radio(Labelled[M], Generic[M, V]):
    widget_class = "radio"

    def __init__(self, label: str, value: V, selected: V | None) -> None:
        super().__init__(label)
        self.value, self.selected = value, selected
        self._on_select: Callable[[V], M] | None = None

    def on_select(self, fn: Callable[[V], M]) -> Radio[M, V]:
        self._on_select = fn
        return self

    def message(self) -> M | None:
        return None if self._on_select is None else self._on_select(self.value)

    def checked(self) -> bool:
        return self.value == self.selected

    def draw_mark(self, ctx: DrawContext, rect: Rect, style: Style) -> None:
        ctx.fill(rect, style.background, rect.width / 2)
        ctx.stroke(rect, style.accent if self.checked() else style.border, style.border_width, rect.width / 2)
        if self.checked():
            dot = rect.width * 0.5
            ctx.fill(Rect(rect.x + (rect.width - dot) / 2, rect.y + (rect.height - dot) / 2, dot, dot), style.accent,
                     dot / 2)


def radio(label: str, value: V, selected: V | None) -> Radio[Any, V]:
    return Radio(label, value, selected)
