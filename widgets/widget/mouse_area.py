"""Mouse area: messages for pointer activity over any content.

    mouse_area(image("map.png")).on_press(Message.clicked).on_move(Message.hovered_at).on_exit(Message.left)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.element import EventContext, LayoutContext, Tree, Widget
from ..core.event import LEFT, RIGHT, Event, PointerLeft, PointerMoved, PointerPressed, PointerReleased, Scrolled
from ..core.geometry import Point
from ..core.layout import Limits, Node

M = TypeVar("M")


@dataclass
class AreaState:
    inside: bool = False
    pressed: bool = False


class MouseArea(Widget[M], Generic[M]):
    def __init__(self, content: Widget[M]) -> None:
        self.content = content
        self._on_press: M | None = None
        self._on_release: M | None = None
        self._on_right_press: M | None = None
        self._on_enter: M | None = None
        self._on_exit: M | None = None
        self._on_move: Callable[[Point], M] | None = None
        self._on_scroll: Callable[[float], M] | None = None
        self._cursor: str | None = None

    def on_press(self, message: M) -> MouseArea[M]:
        self._on_press = message
        return self

    def on_release(self, message: M) -> MouseArea[M]:
        self._on_release = message
        return self

    def on_right_press(self, message: M) -> MouseArea[M]:
        self._on_right_press = message
        return self

    def on_enter(self, message: M) -> MouseArea[M]:
        self._on_enter = message
        return self

    def on_exit(self, message: M) -> MouseArea[M]:
        self._on_exit = message
        return self

    def on_move(self, fn: Callable[[Point], M]) -> MouseArea[M]:
        """``fn(position)`` relative to the area's top-left corner."""
        self._on_move = fn
        return self

    def on_scroll(self, fn: Callable[[float], M]) -> MouseArea[M]:
        self._on_scroll = fn
        return self

    def cursor(self, shape: str) -> MouseArea[M]:
        self._cursor = shape
        return self

    def new_state(self) -> AreaState:
        return AreaState()

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return None

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        return None

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        child = self.content.layout(tree.children[0], limits, ctx)
        return Node(child.size, [child])

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        if self.content.on_event(tree.children[0], node.children[0], event, ctx):
            return True
        state: AreaState = tree.state
        b = node.bounds
        if isinstance(event, PointerMoved | PointerLeft):
            inside = isinstance(event, PointerMoved) and b.contains(event.position)
            if inside != state.inside:
                state.inside = inside
                message = self._on_enter if inside else self._on_exit
                if message is not None:
                    ctx.publish(message)
            if inside and self._on_move is not None and isinstance(event, PointerMoved):
                ctx.publish(self._on_move(Point(event.position.x - b.x, event.position.y - b.y)))
            return False
        if isinstance(event, PointerPressed) and b.contains(event.position):
            message = self._on_press if event.button == LEFT else self._on_right_press if event.button == RIGHT \
                else None
            state.pressed = event.button == LEFT
            if message is not None:
                ctx.publish(message)
                return True
        if isinstance(event, PointerReleased) and state.pressed:
            state.pressed = False
            if self._on_release is not None:
                ctx.publish(self._on_release)
                return True
        if isinstance(event, Scrolled) and b.contains(event.position) and self._on_scroll is not None:
            ctx.publish(self._on_scroll(event.dy))
            return True
        return False

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        inner = self.content.mouse_cursor(tree.children[0], node.children[0], cursor)
        return inner or (self._cursor if node.bounds.contains(cursor) else None)


def mouse_area(content: Widget[M]) -> MouseArea[M]:
    return MouseArea(content)
