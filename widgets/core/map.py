"""``element.map(fn)``: a child component's element producing its parent's messages."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from .element import DrawContext, EventContext, LayoutContext, Overlay, Tree, Visitor, Widget
from .event import Event
from .geometry import Point, Rect, Size
from .layout import Length, Limits, Node

A = TypeVar("A")
B = TypeVar("B")


class Map(Widget[B], Generic[A, B]):
    def __init__(self, content: Widget[A], fn: Callable[[A], B]) -> None:
        self.content, self.fn = content, fn
        self.key_value = content.key_value

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def size_hint(self) -> tuple[Length, Length]:
        return self.content.size_hint()

    def signature(self) -> Hashable:
        return None

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        child = self.content.layout(tree.children[0], limits, ctx)
        return Node(child.size, [child])

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[B]) -> bool:
        return self.content.on_event(tree.children[0], node.children[0], event, ctx.mapped(self.fn))

    def overlay(self, tree: Tree, node: Node) -> Overlay[B] | None:
        inner = self.content.overlay(tree.children[0], node.children[0])
        return None if inner is None else MappedOverlay(inner, self.fn)

    def walk(self, tree: Tree, node: Node, offset: Point, clip: Rect, path: tuple[int, ...], fn: Visitor) -> None:
        self.content.walk(tree.children[0], node.children[0], offset, clip, (*path, 0), fn)


class MappedOverlay(Overlay[B], Generic[A, B]):
    def __init__(self, inner: Overlay[A], fn: Callable[[A], B]) -> None:
        self.inner, self.fn = inner, fn

    def layout(self, window: Size, ctx: LayoutContext) -> Node:
        return self.inner.layout(window, ctx)

    def draw(self, node: Node, ctx: DrawContext) -> None:
        self.inner.draw(node, ctx)

    def on_event(self, node: Node, event: Event, ctx: EventContext[B]) -> bool:
        return self.inner.on_event(node, event, ctx.mapped(self.fn))

    def paint_key(self, node: Node, cursor: Point) -> Hashable:
        return self.inner.paint_key(node, cursor)

    def texts(self, node: Node) -> list[tuple[str, Rect]]:
        return self.inner.texts(node)
