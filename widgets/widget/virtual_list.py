"""Virtual list: ``count`` rows of a fixed height; only the rows in view are built, laid out and drawn.

    virtual_list(10_000, 28, lambda i: text(f"Row {i}")).on_select(Message.picked)

Rows are made by ``view_row(index)`` as they scroll into view and keyed by index, so their state (a
focused input in a row, say) follows the row, not its position on screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from ..core.element import FAR, DrawContext, LayoutContext, Shell, Tree, Widget, reconcile_list
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

    def __repr__(self) -> str:
        return f"ListState({self.offset}, {self.grab}, {self.viewport}, {self.pressed})"


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
        visible = self.visible_range(tree.state)
        self._first = visible.start
        self._rows = [self.view_row(i).key(("row", i)) for i in visible]
        tree.children = reconcile_list(tree.children, self._rows)

    def children(self) -> Sequence[Widget[Any]]:
        return self._rows

    def signature(self) -> Hashable:
        return (self._width, self._height, self.count, self.row_height, self._selected)

    def layout_state(self, tree: Tree) -> Hashable:
        state: ListState = tree.state
        return (state.offset, state.viewport)

    def interactive(self) -> bool:
        return True

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        state: ListState = tree.state
        hovered = self.row_at(tree, node, cursor) if self._on_select else None
        return (self.signature(), state.offset, state.grab, state.pressed, node.bounds.contains(cursor), hovered)

    def content_height(self) -> float:
        return self.count * self.row_height

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        state: ListState = tree.state
        size = limits.resolve(self._width, self._height, Size(200, min(self.content_height(), 400)))
        state.offset = min(max(0.0, self.content_height() - size.height), max(0.0, state.offset))
        if size.height != state.viewport:
            state.viewport = size.height
            self.diff(tree)
        row_limits = Limits(size.width - BAR, self.row_height, size.width - BAR, self.row_height)
        nodes = []
        for i, (row, subtree) in enumerate(zip(self._rows, tree.children, strict=True)):
            child = row.layout(subtree, row_limits, ctx)
            nodes.append(child.moved(0, (self._first + i) * self.row_height - state.offset))
        return Node(size, nodes)

    def row_at(self, tree: Tree, node: Node, position: Point) -> int | None:
        state: ListState = tree.state
        if not node.bounds.contains(position) or position.x >= node.bounds.right - BAR:
            return None
        index = int((position.y - node.bounds.y + state.offset) // self.row_height)
        return index if 0 <= index < self.count else None

    def on_event(self, tree: Tree, node: Node, event: Event, shell: Shell[M]) -> bool:
        state: ListState = tree.state
        before = state.offset
        inner = event
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased | Scrolled) and (
                not node.bounds.contains(event.position) or state.grab is not None):
            inner = type(event)(**{**event.__dict__, "position": FAR})
        captured = False
        for row, subtree, subnode in zip(self._rows, tree.children, node.children, strict=False):
            captured = row.on_event(subtree, subnode, inner, shell) or captured
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
                        shell.publish(self._on_select(index))
                    state.pressed = None
                    captured = True
        if state.offset != before:
            shell.invalidate_layout()
        return captured

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: ListState = tree.state
        with ctx.viewport(node.bounds):
            for i, (row, subtree, subnode) in enumerate(zip(self._rows, tree.children, node.children,
                                                            strict=False)):
                if not ctx.visible(subnode.bounds):
                    continue
                index = self._first + i
                status = Status.PRESSED if index in (self._selected, state.pressed) else (
                    Status.HOVERED if ctx.hovered(subnode.bounds) and self._on_select else Status.ACTIVE)
                style = ctx.theme.style("list_row", status)
                ctx.fill(Rect(subnode.bounds.x, subnode.bounds.y, node.bounds.width - BAR, self.row_height),
                         style.background)
                row.draw(subtree, subnode, ctx)
        draw_thumb(ctx, node.bounds, self.content_height(), state)


def virtual_list(count: int, row_height: float, view_row: Callable[[int], Widget[M]]) -> VirtualList[M]:
    return VirtualList(count, row_height, view_row)
