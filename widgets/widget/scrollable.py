"""Scrollable: a vertical viewport over taller content; mouse wheel, scrollbar drag, offset kept across views.

    scrollable(column([text(f"line {i}") for i in range(100)])).height(Fill).on_scroll(Message.scrolled)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.damage import ScrollView
from ..core.element import FAR, DrawContext, EventContext, LayoutContext, Tree, Visitor, Widget
from ..core.event import LEFT, Event, PointerMoved, PointerPressed, PointerReleased, Scrolled
from ..core.geometry import Point, Rect
from ..core.layout import Fill, Limits, Node
from ..style import Status

M = TypeVar("M")
BAR = 10.0
MIN_THUMB = 24.0


@dataclass
class ScrollState:
    offset: float = 0.0
    grab: float | None = None
    """Where on the thumb the pointer grabbed it, while dragging."""


def thumb_rect(bounds: Rect, content_height: float, offset: float) -> Rect | None:
    """The scrollbar thumb for a viewport over content of ``content_height``; None when all of it fits."""
    if content_height <= bounds.height:
        return None
    track = bounds.height
    height = max(MIN_THUMB, track * bounds.height / content_height)
    max_offset = content_height - bounds.height
    y = bounds.y + (track - height) * (offset / max_offset if max_offset else 0)
    return Rect(bounds.right - BAR, y, BAR, height)


def scrollbar_event(state: ScrollState, bounds: Rect, content_height: float, event: Event) -> bool | None:
    """Wheel and thumb handling shared by scrollable and virtual_list: True captured, None not handled."""
    max_offset = max(0.0, content_height - bounds.height)
    if isinstance(event, Scrolled) and bounds.contains(event.position):
        new = min(max_offset, max(0.0, state.offset + event.dy))
        changed = new != state.offset
        state.offset = new
        return changed or max_offset > 0
    thumb = thumb_rect(bounds, content_height, state.offset)
    if thumb is None:
        state.offset = 0.0
        return None
    if isinstance(event, PointerPressed) and event.button == LEFT:
        track = Rect(thumb.x, bounds.y, thumb.width, bounds.height)
        if thumb.contains(event.position):
            state.grab = event.position.y - thumb.y
            return True
        if track.contains(event.position):  # a click on the track jumps there and keeps dragging
            state.grab = thumb.height / 2
            _drag_to(state, bounds, thumb.height, max_offset, event.position.y)
            return True
    if isinstance(event, PointerMoved) and state.grab is not None:
        _drag_to(state, bounds, thumb.height, max_offset, event.position.y)
        return True
    if isinstance(event, PointerReleased) and state.grab is not None:
        state.grab = None
        return True
    return None


def _drag_to(state: ScrollState, bounds: Rect, thumb_height: float, max_offset: float, y: float) -> None:
    assert state.grab is not None
    room = bounds.height - thumb_height
    fraction = (y - state.grab - bounds.y) / room if room > 0 else 0.0
    state.offset = min(max_offset, max(0.0, fraction * max_offset))


def draw_thumb(ctx: DrawContext, bounds: Rect, content_height: float, state: ScrollState) -> None:
    thumb = thumb_rect(bounds, content_height, state.offset)
    if thumb is None:
        return
    hovered = ctx.hovered(Rect(thumb.x, bounds.y, thumb.width, bounds.height))
    style = ctx.theme.style("scrollable", Status.PRESSED if state.grab is not None else
                            Status.HOVERED if hovered else Status.ACTIVE)
    ctx.fill(Rect(thumb.x + 2, thumb.y + 2, thumb.width - 4, thumb.height - 4), style.accent, style.radius)


class Scrollable(Widget[M], Generic[M]):
    def __init__(self, content: Widget[M]) -> None:
        self.content = content
        self._on_scroll: Callable[[float], M] | None = None
        self._width, self._height = Fill, Fill

    def on_scroll(self, fn: Callable[[float], M]) -> Scrollable[M]:
        """``fn(offset)`` whenever the offset changes."""
        self._on_scroll = fn
        return self

    def new_state(self) -> ScrollState:
        return ScrollState()

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return (self._width, self._height)

    def interactive(self) -> bool:
        return True

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        state: ScrollState = tree.state
        return (self.signature(), state.grab, self._bar(node).contains(cursor))

    @staticmethod
    def _bar(node: Node) -> Rect:
        b = node.bounds
        return Rect(b.right - BAR, b.y, BAR, b.height)

    def scroll_view(self, tree: Tree, node: Node) -> ScrollView:
        state = self._clamped(tree, node)
        b = node.bounds
        return ScrollView(Rect(b.x, b.y, b.width - BAR, b.height), state.offset, self._bar(node))

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        own = limits.constrain(self._width, self._height)
        child = self.content.layout(tree.children[0], Limits(0, 0, max(0.0, own.max_width - BAR), math.inf), ctx)
        size = limits.resolve(self._width, self._height, child.size)
        return Node(size, [child])

    def _clamped(self, tree: Tree, node: Node) -> ScrollState:
        state: ScrollState = tree.state
        state.offset = min(max(0.0, node.children[0].size.height - node.size.height), max(0.0, state.offset))
        return state

    def walk(self, tree: Tree, node: Node, offset: Point, clip: Rect, path: tuple[int, ...], fn: Visitor) -> None:
        fn(self, tree, node, offset, clip, path)
        state = self._clamped(tree, node)
        viewport = node.bounds.translate(-offset.x, -offset.y).intersection(clip) or Rect(0, 0, 0, 0)
        self.content.walk(tree.children[0], node.children[0], Point(offset.x, offset.y + state.offset), viewport,
                          (*path, 0), fn)

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state = self._clamped(tree, node)
        with ctx.viewport(node.bounds, 0, state.offset):
            self.content.draw(tree.children[0], node.children[0], ctx)
        draw_thumb(ctx, node.bounds, node.children[0].size.height, state)

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state = self._clamped(tree, node)
        before = state.offset
        inner = event
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased | Scrolled):
            inside = node.bounds.contains(event.position) and state.grab is None
            position = Point(event.position.x, event.position.y + state.offset) if inside else FAR
            inner = type(event)(**{**event.__dict__, "position": position})
        if self.content.on_event(tree.children[0], node.children[0], inner, ctx):
            return True
        handled = scrollbar_event(state, node.bounds, node.children[0].size.height, event)
        if state.offset != before and self._on_scroll is not None:
            ctx.publish(self._on_scroll(state.offset))
        return bool(handled)

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        if not node.bounds.contains(cursor):
            return None
        state: ScrollState = tree.state
        return self.content.mouse_cursor(tree.children[0], node.children[0], Point(cursor.x, cursor.y + state.offset))


def scrollable(content: Widget[M]) -> Scrollable[M]:
    return Scrollable(content)
