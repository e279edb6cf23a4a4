"""Tooltip: a hint drawn over everything next to its content while the pointer is over the content.

    tooltip(button("Save").on_press(Message.SAVE), "Save the document (Ctrl+S)", Position.BOTTOM)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Overlay, Tree, Widget
from ..core.event import Event, PointerLeft, PointerMoved
from ..core.geometry import Point, Rect, Size
from ..core.layout import Limits, Node
from ..core.text_engine import TextSpec, Wrap
from ..style import Status

M = TypeVar("M")
GAP, PAD = 6.0, 6.0


class Position(Enum):
    TOP = "top"
    BOTTOM = "bottom"
    LEFT = "left"
    RIGHT = "right"
    FOLLOW = "follow"


@dataclass
class TooltipState:
    hovered: bool = False
    cursor: Point = Point(0, 0)


class Tooltip(Widget[M], Generic[M]):
    def __init__(self, content: Widget[M], tip: str, position: Position = Position.BOTTOM) -> None:
        self.content, self.tip, self.position = content, tip, position

    def new_state(self) -> TooltipState:
        return TooltipState()

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return (self.tip, self.position)

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        return self.signature()

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        child = self.content.layout(tree.children[0], limits, ctx)
        return Node(child.size, [child])

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: TooltipState = tree.state
        if isinstance(event, PointerMoved):
            state.hovered = node.bounds.contains(event.position)
            state.cursor = event.position
        elif isinstance(event, PointerLeft):
            state.hovered = False
        return self.content.on_event(tree.children[0], node.children[0], event, ctx)

    def overlay(self, tree: Tree, node: Node) -> Overlay[M] | None:
        inner = super().overlay(tree, node)
        state: TooltipState = tree.state
        if inner is not None or not state.hovered:
            return inner
        return TipOverlay(self.tip, self.position, node.bounds, state.cursor)

    def text_content(self) -> str | None:
        return None


class TipOverlay(Overlay[Any]):
    def __init__(self, tip: str, position: Position, anchor: Rect, cursor: Point) -> None:
        self.tip, self.position, self.anchor, self.cursor = tip, position, anchor, cursor

    def anchor_rect(self, node: Node) -> Rect:
        return self.anchor

    def _spec(self, ctx: Any) -> TextSpec:
        return TextSpec(self.tip, ctx.theme.font_size * 0.9, ctx.theme.font_family, wrap=Wrap.WORD, width=320)

    def layout(self, window: Size, ctx: LayoutContext) -> Node:
        text = ctx.text.measure(self._spec(ctx))
        w, h = text.width + 2 * PAD, text.height + 2 * PAD
        a = self.anchor
        x, y = {
            Position.TOP: (a.center.x - w / 2, a.y - h - GAP),
            Position.BOTTOM: (a.center.x - w / 2, a.bottom + GAP),
            Position.LEFT: (a.x - w - GAP, a.center.y - h / 2),
            Position.RIGHT: (a.right + GAP, a.center.y - h / 2),
            Position.FOLLOW: (self.cursor.x + 12, self.cursor.y + 16),
        }[self.position]
        x = min(max(0.0, x), max(0.0, window.width - w))
        y = min(max(0.0, y), max(0.0, window.height - h))
        return Node(Size(w, h)).moved(x, y)

    def draw(self, node: Node, ctx: DrawContext) -> None:
        style = ctx.theme.style("tooltip", Status.ACTIVE)
        ctx.box(node.bounds, style)
        ctx.text_at(self._spec(ctx), node.bounds.x + PAD, node.bounds.y + PAD, style.text)

    def paint_key(self, node: Node, cursor: Point) -> Hashable:
        return ("tooltip", self.tip, node.bounds)


def tooltip(content: Widget[M], tip: str, position: Position = Position.BOTTOM) -> Tooltip[M]:
    return Tooltip(content, tip, position)
