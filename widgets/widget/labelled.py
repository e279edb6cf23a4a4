"""The shared behaviour of checkbox, toggler and radio: a mark plus a label, clicked or Space to activate."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Tree, Widget
from ..core.event import LEFT, Event, KeyPressed, PointerPressed, PointerReleased
from ..core.geometry import Point, Rect, Size
from ..core.layout import Limits, Node
from ..core.text_engine import TextSpec, Wrap
from ..style import Style

M = TypeVar("M")


@dataclass
class ToggleState:
    pressed: bool = False
    focused: bool = False


class Labelled(Widget[M], Generic[M]):
    widget_class = "checkbox"
    mark = Size(18, 18)
    gap = 8.0

    def __init__(self, label: str) -> None:
        self.label = label

    def message(self) -> M | None:
        """The message activating this control publishes; None when disabled."""
        raise NotImplementedError

    def checked(self) -> bool:
        raise NotImplementedError

    def draw_mark(self, ctx: DrawContext, rect: Rect, style: Style) -> None:
        raise NotImplementedError

    def new_state(self) -> ToggleState:
        return ToggleState()

    def focusable(self) -> bool:
        return self.message() is not None

    def interactive(self) -> bool:
        return True

    def signature(self) -> Hashable:
        return (self._width, self._height, self.label, self.checked(), self.message() is None)

    def _spec(self, theme_size: float, family: str) -> TextSpec:
        return TextSpec(self.label, theme_size, family, wrap=Wrap.NONE)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        label = ctx.text.measure(self._spec(ctx.theme.font_size, ctx.theme.font_family)) if self.label else Size(0, 0)
        width = self.mark.width + (self.gap + label.width if self.label else 0)
        return Node(limits.resolve(self._width, self._height, Size(width, max(self.mark.height, label.height))))

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: ToggleState = tree.state
        message = self.message()
        if message is None:
            return False
        if isinstance(event, PointerPressed) and event.button == LEFT and node.bounds.contains(event.position):
            state.pressed = True
            return True
        if isinstance(event, PointerReleased) and state.pressed:
            state.pressed = False
            if node.bounds.contains(event.position):
                ctx.publish(message)
            return True
        if isinstance(event, KeyPressed) and state.focused and event.key in ("space", "Return"):
            ctx.publish(message)
            return True
        return False

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        return "pointer" if self.message() is not None and node.bounds.contains(cursor) else None

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: ToggleState = tree.state
        status = self.status(self.message() is None, state.pressed, ctx.hovered(node.bounds), state.focused)
        style = ctx.theme.style(self.widget_class, status)
        b = node.bounds
        mark = Rect(b.x, b.y + (b.height - self.mark.height) / 2, self.mark.width, self.mark.height)
        self.draw_mark(ctx, mark, style)
        if state.focused and style.focus_ring is not None:
            ctx.stroke(mark.expand(3), style.focus_ring, 2.0, style.radius + 3)
        if self.label:
            spec = self._spec(ctx.theme.font_size, ctx.theme.font_family)
            height = ctx.text.measure(spec).height
            ctx.text_at(spec, mark.right + self.gap, b.y + (b.height - height) / 2, style.text)

    def text_content(self) -> str | None:
        return self.label
