"""Slider: pick a number in a range by dragging, clicking the rail, or arrow keys when focused.

    slider(0, 100, state.volume).on_change(Message.volume_changed).step(5)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Tree, Widget
from ..core.event import LEFT, Event, KeyPressed, PointerMoved, PointerPressed, PointerReleased
from ..core.geometry import Point, Rect, Size
from ..core.layout import Fill, Limits, Node
from ..style import Status

M = TypeVar("M")
HANDLE = 18.0


@dataclass
class SliderState:
    dragging: bool = False
    focused: bool = False


class Slider(Widget[M], Generic[M]):
    def __init__(self, low: float, high: float, value: float) -> None:
        self.low, self.high, self.value = low, high, value
        self._step = 0.0
        self._on_change: Callable[[float], M] | None = None
        self._width = Fill

    def on_change(self, fn: Callable[[float], M]) -> Slider[M]:
        self._on_change = fn
        return self

    def step(self, step: float) -> Slider[M]:
        self._step = step
        return self

    def new_state(self) -> SliderState:
        return SliderState()

    def focusable(self) -> bool:
        return self._on_change is not None

    def interactive(self) -> bool:
        return True

    def signature(self) -> Hashable:
        return (self._width, self._height, self.low, self.high, self.value, self._step, self._on_change is None)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(limits.resolve(self._width, self._height, Size(120, HANDLE + 4)))

    def fraction(self) -> float:
        span = self.high - self.low
        return 0.0 if span == 0 else min(1.0, max(0.0, (self.value - self.low) / span))

    def _value_at(self, bounds: Rect, x: float) -> float:
        fraction = min(1.0, max(0.0, (x - bounds.x - HANDLE / 2) / max(1.0, bounds.width - HANDLE)))
        return self._snap(self.low + fraction * (self.high - self.low))

    def _snap(self, value: float) -> float:
        if self._step:
            value = self.low + round((value - self.low) / self._step) * self._step
        return min(self.high, max(self.low, value))

    def _change(self, ctx: EventContext[M], value: float) -> None:
        if self._on_change is not None and value != self.value:
            ctx.publish(self._on_change(value))

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: SliderState = tree.state
        if self._on_change is None:
            return False
        if isinstance(event, PointerPressed) and event.button == LEFT and node.bounds.contains(event.position):
            state.dragging = True
            ctx.request_focus(tree)
            self._change(ctx, self._value_at(node.bounds, event.position.x))
            return True
        if isinstance(event, PointerMoved) and state.dragging:
            self._change(ctx, self._value_at(node.bounds, event.position.x))
            return True
        if isinstance(event, PointerReleased) and state.dragging:
            state.dragging = False
            return True
        if isinstance(event, KeyPressed) and state.focused and event.key in ("Left", "Right", "Home", "End"):
            step = self._step or (self.high - self.low) / 20
            target = {"Left": self.value - step, "Right": self.value + step, "Home": self.low, "End": self.high}
            self._change(ctx, self._snap(target[event.key]))
            return True
        return False

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        return "pointer" if self._on_change is not None and node.bounds.contains(cursor) else None

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: SliderState = tree.state
        b = node.bounds
        status = self.status(self._on_change is None, state.dragging, ctx.hovered(b), state.focused)
        style = ctx.theme.style("slider", status)
        rail_y = b.y + b.height / 2 - 2
        handle_x = b.x + self.fraction() * (b.width - HANDLE)
        ctx.fill(Rect(b.x, rail_y, b.width, 4), style.background, 2)
        ctx.fill(Rect(b.x, rail_y, handle_x + HANDLE / 2 - b.x, 4), style.accent, 2)
        handle = Rect(handle_x, b.y + (b.height - HANDLE) / 2, HANDLE, HANDLE)
        ctx.fill(handle, style.foreground, HANDLE / 2)
        ctx.stroke(handle, style.border, style.border_width, HANDLE / 2)
        if state.focused and status is not Status.DISABLED:
            ctx.stroke(handle.expand(3), style.focus_ring, 2.0, HANDLE)


def slider(low: float, high: float, value: float) -> Slider[Any]:
    return Slider(low, high, value)
