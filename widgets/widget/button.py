"""Button: content that publishes a message when clicked, or activated with Space/Return when focused.

    button("Save").on_press(Message.SAVE)                 # a text label
    button(row([icon("document-save"), text("Save")])).style("button.secondary")
    button("Disabled")                                     # no on_press: drawn disabled
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Tree, Widget
from ..core.event import LEFT, Event, KeyPressed, PointerPressed, PointerReleased
from ..core.geometry import Padding, Point, Size
from ..core.layout import Limits, Node
from .text import Text

M = TypeVar("M")


@dataclass
class ButtonState:
    pressed: bool = False
    focused: bool = False


class Button(Widget[M], Generic[M]):
    def __init__(self, content: Widget[M] | str) -> None:
        self.content: Widget[Any] = Text(content) if isinstance(content, str) else content
        self._on_press: M | None = None
        self._padding = Padding(6, 14, 6, 14)
        self._class = "button"

    def on_press(self, message: M | None) -> Button[M]:
        self._on_press = message
        return self

    def padding(self, value: float | tuple[float, float] | tuple[float, float, float, float]) -> Button[M]:
        self._padding = Padding.of(value)
        return self

    def style(self, widget_class: str) -> Button[M]:
        """``"button"`` (primary), ``"button.secondary"``, ``"button.danger"``, ``"button.text"``."""
        self._class = widget_class
        return self

    @property
    def enabled(self) -> bool:
        return self._on_press is not None

    def new_state(self) -> ButtonState:
        return ButtonState()

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return (self._width, self._height, self._padding, self._class, self.enabled)

    def focusable(self) -> bool:
        return self.enabled

    def interactive(self) -> bool:
        return True

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        own = limits.constrain(self._width, self._height)
        child = self.content.layout(tree.children[0], own.shrink(self._padding).loose(), ctx)
        content = Size(child.size.width + self._padding.horizontal, child.size.height + self._padding.vertical)
        size = own.resolve(self._width, self._height, content)
        child.moved((size.width - child.size.width) / 2, (size.height - child.size.height) / 2)
        return Node(size, [child])

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: ButtonState = tree.state
        if not self.enabled:
            state.pressed = False
            return False
        if isinstance(event, PointerPressed) and event.button == LEFT and node.bounds.contains(event.position):
            state.pressed = True
            return True
        if isinstance(event, PointerReleased) and state.pressed:
            state.pressed = False
            if node.bounds.contains(event.position) and self._on_press is not None:
                ctx.publish(self._on_press)
            return True
        if isinstance(event, KeyPressed) and state.focused and event.key in ("space", "Return", "KP_Enter"):
            assert self._on_press is not None
            ctx.publish(self._on_press)
            return True
        return False

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        return "pointer" if self.enabled and node.bounds.contains(cursor) else None

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: ButtonState = tree.state
        status = self.status(not self.enabled, state.pressed, ctx.hovered(node.bounds), state.focused)
        style = ctx.theme.style(self._class, status)
        ctx.box(node.bounds, style)
        label = self.content
        if isinstance(label, Text) and label._color is None:
            label = _recoloured(label, style.text)
        label.draw(tree.children[0], node.children[0], ctx)


def _recoloured(label: Text, color: Any) -> Text:
    copy = Text(label.content)
    copy.__dict__.update(label.__dict__)
    copy._color = color
    return copy


def button(content: Widget[Any] | str) -> Button[Any]:
    return Button(content)
