"""A taskbar entry: a button that also answers the middle button (close), as taskbars do."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from widgets.core.element import EventContext, Tree, Widget
from widgets.core.event import MIDDLE, Event, PointerPressed
from widgets.core.layout import Node
from widgets.widget.button import Button

M = TypeVar("M")


class TaskButton(Button[M], Generic[M]):
    def __init__(self, content: Widget[M] | str) -> None:
        super().__init__(content)
        self._on_middle: M | None = None

    def on_middle_press(self, message: M) -> TaskButton[M]:
        self._on_middle = message
        return self

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        if (isinstance(event, PointerPressed) and event.button == MIDDLE and self._on_middle is not None
                and node.bounds.contains(event.position)):
            ctx.publish(self._on_middle)
            return True
        return super().on_event(tree, node, event, ctx)


def task_button(content: Widget[Any] | str) -> TaskButton[Any]:
    return TaskButton(content)
