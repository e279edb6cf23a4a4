"""Virtual list: ``count`` rows of a fixed height; only the rows in view are built, laid out and drawn.

    virtual_list(10_000, 28, lambda i: text(f"Row {i}")).on_select(Message.picked)

Rows are made by ``view_row(index)`` as they scroll into view and keyed by index, so their state (a
focused input in a row, say) follows the row, not its position on screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.damage import ScrollView
from ..core.element import FAR, DrawContext, EventContext, LayoutContext, Tree, Visitor, Widget, reconcile_list
from ..core.event import LEFT, Event, PointerMoved, PointerPressed, PointerReleased, Scrolled
from ..core.geometry import Point, Rect, Size
from ..core.layout import Fill, Limits, Node
from ..style import Status
from .scrollable import BAR, ScrollState, draw_thumb, scrollbar_event

M = TypeVar("M")


class ListState(ScrollState):
    def __init__(self) -> None:
        super().__init__()
        self.viewport = 0.0
        """The list's height at the last layout, to know which rows to build."""
        self.pressed: int | None = None
        self.layouts: dict[int, tuple[Hashable, Node]] = {}
        """The laid-out visible rows by index, with the layout key they were laid out for."""

    def __repr__(self) -> str:
        return f"ListState({self.offset}, {self.grab}, {self.viewport}, {self.pressed})"


@dataclass
class _Rows:
    """Kept in the list's layout node: what its rows are laid out with, and for which rows and offset."""

    ctx: LayoutContext
    rows: list[Any] | None = None
    offset: float = -1.0


class RowFrame(Widget[M], Generic[M]):
    """One row: its background (hovered, pressed or selected) under the row's content."""

    def __init__(self, content: Widget[M], highlighted: bool, selectable: bool) -> None:
        self.content, self.highlighted, self.selectable = content, highlighted, selectable

    def children(self) -> Sequence[Widget[Any]]:
        return (self.content,)

    def signature(self) -> Hashable:
        return ()

    def interactive(self) -> bool:
        return self.selectable

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        return (self.highlighted, self.selectable and node.bounds.contains(cursor))

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        child = self.content.layout(tree.children[0], limits, ctx)
        return Node(Size(limits.max_width, limits.max_height), [child])

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        status = Status.PRESSED if self.highlighted else (
            Status.HOVERED if self.selectable and ctx.hovered(node.bounds) else Status.ACTIVE)
        ctx.fill(node.bounds, ctx.theme.style("list_row", status).background)
        super().draw(tree, node, ctx)


class VirtualList(Widget[M], Generic[M]):
    def __init__(self, count: int, row_height: float, view_row: Callable[[int], Widget[M]]) -> None:
        self.count, self.row_height, self.view_row = count, row_height, view_row
        self._on_select: Callable[[int], M] | None = None
        self._selected: int | None = None
        self._width, self._height = Fill, Fill
        self._rows: list[Widget[M]] = []
        self._first = 0

    def on_select(self, fn: Callable[[int], M]) -> VirtualList[M]:
        """``fn(index)`` when a row is clicked."""
        self._on_select = fn
        return self

    def selected(self, index: int | None) -> VirtualList[M]:
        self._selected = index
        return self

    def new_state(self) -> ListState:
        return ListState()

    def visible_range(self, state: ListState) -> range:
        viewport = state.viewport or 600.0
        first = max(0, int(state.offset // self.row_height))
        last = min(self.count, int(math.ceil((state.offset + viewport) / self.row_height)))
        return range(first, max(first, last))

    def diff(self, tree: Tree) -> None:
        state: ListState = tree.state
        visible = self.visible_range(state)
        self._first = visible.start
        selectable = self._on_select is not None
        self._rows = [RowFrame(self.view_row(i), i in (self._selected, state.pressed), selectable).key(("row", i))
                      for i in visible]
        tree.children = reconcile_list(tree.children, self._rows)

    def children(self) -> Sequence[Widget[Any]]:
        return self._rows

    def signature(self) -> Hashable:
        return (self._width, self._height, self.count, self.row_height)

    def layout_key(self, tree: Tree) -> Hashable:
        # Rows are laid out by the list itself as they scroll into view (see _sync); the window's layout
        # does not depend on them or on the offset.
        state: ListState = tree.state
        return (self.tag(), self.signature(), state.viewport)

    def interactive(self) -> bool:
        return True

    def scroll_view(self, tree: Tree, node: Node) -> ScrollView:
        state: ListState = tree.state
        b = node.bounds
        return ScrollView(Rect(b.x, b.y, b.width - BAR, b.height), state.offset,
                          Rect(b.right - BAR, b.y, BAR, b.height))

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        state: ListState = tree.state
        b = node.bounds
        return (self.signature(), state.grab, Rect(b.right - BAR, b.y, BAR, b.height).contains(cursor))

    def content_height(self) -> float:
        return self.count * self.row_height

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        state: ListState = tree.state
        size = limits.resolve(self._width, self._height, Size(200, min(self.content_height(), 400)))
        state.offset = min(max(0.0, self.content_height() - size.height), max(0.0, state.offset))
        if size.height != state.viewport:
            state.viewport = size.height
            self.diff(tree)
        node = Node(size, data=_Rows(ctx))
        self._sync(tree, node)
        return node

    def _sync(self, tree: Tree, node: Node) -> None:
        """Lay out the rows now built (after a scroll) where they are; a row whose layout key did not
        change since it was last laid out keeps its node."""
        state: ListState = tree.state
        lazy: _Rows = node.data
        if lazy.rows is self._rows and lazy.offset == state.offset:
            return
        width = node.size.width - BAR
        limits = Limits(width, self.row_height, width, self.row_height)
        theme = lazy.ctx.theme
        laid_out: dict[int, tuple[Hashable, Node]] = {}
        children = []
        for i, (row, subtree) in enumerate(zip(self._rows, tree.children, strict=True)):
            index = self._first + i
            key = (row.layout_key(subtree), width, theme.font_family, theme.font_size)
            cached = state.layouts.get(index)
            child = cached[1] if cached is not None and cached[0] == key else row.layout(subtree, limits, lazy.ctx)
            laid_out[index] = (key, child)
            child.moved(0, index * self.row_height - state.offset)
            child.place(node.bounds.x, node.bounds.y)
            children.append(child)
        state.layouts = laid_out
        node.children = children
        lazy.rows, lazy.offset = self._rows, state.offset

    def walk(self, tree: Tree, node: Node, offset: Point, clip: Rect, path: tuple[int, ...], fn: Visitor) -> None:
        self._sync(tree, node)
        fn(self, tree, node, offset, clip, path)
        inner = node.bounds.translate(-offset.x, -offset.y).intersection(clip) or Rect(0, 0, 0, 0)
        for index, (row, subtree, subnode) in enumerate(zip(self._rows, tree.children, node.children, strict=False)):
            row.walk(subtree, subnode, offset, inner, (*path, index), fn)

    def row_at(self, tree: Tree, node: Node, position: Point) -> int | None:
        state: ListState = tree.state
        if not node.bounds.contains(position) or position.x >= node.bounds.right - BAR:
            return None
        index = int((position.y - node.bounds.y + state.offset) // self.row_height)
        return index if 0 <= index < self.count else None

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        self._sync(tree, node)
        state: ListState = tree.state
        inner = event
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased | Scrolled) and (
                not node.bounds.contains(event.position) or state.grab is not None):
            inner = type(event)(**{**event.__dict__, "position": FAR})
        captured = False
        for row, subtree, subnode in zip(self._rows, tree.children, node.children, strict=False):
            captured = row.on_event(subtree, subnode, inner, ctx) or captured
        if not captured:
            handled = scrollbar_event(state, node.bounds, self.content_height(), event)
            captured = bool(handled)
            if handled is None and self._on_select is not None:
                if isinstance(event, PointerPressed) and event.button == LEFT:
                    state.pressed = self.row_at(tree, node, event.position)
                    captured = state.pressed is not None
                elif isinstance(event, PointerReleased) and state.pressed is not None:
                    index = self.row_at(tree, node, event.position)
                    if index == state.pressed:
                        ctx.publish(self._on_select(index))
                    state.pressed = None
                    captured = True
        return captured

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        self._sync(tree, node)
        state: ListState = tree.state
        with ctx.viewport(node.bounds):
            for row, subtree, subnode in zip(self._rows, tree.children, node.children, strict=False):
                if ctx.visible(subnode.bounds):
                    row.draw(subtree, subnode, ctx)
        draw_thumb(ctx, node.bounds, self.content_height(), state)


def virtual_list(count: int, row_height: float, view_row: Callable[[int], Widget[M]]) -> VirtualList[M]:
    return VirtualList(count, row_height, view_row)
