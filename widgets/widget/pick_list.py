"""Pick list: a field showing the chosen option; clicking opens a menu of options over everything.

    pick_list(["Small", "Medium", "Large"], state.size, Message.size_picked).placeholder("Size…")

Headless and in tests the menu is an overlay inside the window; the Wayland platform shows it as an
xdg_popup (with a grab: a click outside dismisses it).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Overlay, Tree, Widget
from ..core.event import LEFT, Event, KeyPressed, PointerMoved, PointerPressed, PointerReleased, Scrolled
from ..core.geometry import Padding, Point, Rect, Size
from ..core.layout import Limits, Node
from ..core.text_engine import Ellipsis, TextSpec, Wrap
from ..style import Status

M = TypeVar("M")
T = TypeVar("T")
ROW_PAD = Padding(5, 10, 5, 10)


@dataclass
class PickState:
    open: bool = False
    focused: bool = False
    highlighted: int = -1


class PickList(Widget[M], Generic[M, T]):
    def __init__(self, options: Sequence[T], selected: T | None, on_select: Callable[[T], M]) -> None:
        self.options, self.selected, self._on_select = list(options), selected, on_select
        self._placeholder = ""
        self._label: Callable[[T], str] = str

    def placeholder(self, text: str) -> PickList[M, T]:
        self._placeholder = text
        return self

    def label(self, fn: Callable[[T], str]) -> PickList[M, T]:
        self._label = fn
        return self

    def new_state(self) -> PickState:
        return PickState()

    def focusable(self) -> bool:
        return True

    def interactive(self) -> bool:
        return True

    def labels(self) -> list[str]:
        return [self._label(o) for o in self.options]

    def signature(self) -> Hashable:
        return (self._width, self._height, tuple(self.labels()), self._placeholder,
                None if self.selected is None else self._label(self.selected))

    def _spec(self, ctx: Any, text: str, width: float | None = None) -> TextSpec:
        return TextSpec(text, ctx.theme.font_size, ctx.theme.font_family, wrap=Wrap.NONE,
                        ellipsis=Ellipsis.END if width else Ellipsis.NONE, width=width)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        widest = max([ctx.text.measure(self._spec(ctx, t)).width for t in [*self.labels(), self._placeholder]] or [0])
        line = ctx.text.line_height(ctx.theme.font_size, ctx.theme.font_family)
        content = Size(widest + ROW_PAD.horizontal + 20, line + ROW_PAD.vertical + 2)
        return Node(limits.resolve(self._width, self._height, content))

    def select(self, ctx: EventContext[M], index: int, state: PickState) -> None:
        state.open = False
        if 0 <= index < len(self.options):
            ctx.publish(self._on_select(self.options[index]))

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: PickState = tree.state
        if isinstance(event, PointerPressed) and event.button == LEFT and node.bounds.contains(event.position):
            state.open = not state.open
            state.highlighted = self._index_of_selected()
            ctx.request_focus(tree)
            return True
        if isinstance(event, KeyPressed) and state.focused and not state.open and event.key in ("space", "Return",
                                                                                                 "Down"):
            state.open, state.highlighted = True, self._index_of_selected()
            return True
        return False

    def _index_of_selected(self) -> int:
        return self.options.index(self.selected) if self.selected in self.options else 0

    def overlay(self, tree: Tree, node: Node) -> Overlay[M] | None:
        state: PickState = tree.state
        return Menu(self, state, node.bounds) if state.open else None

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        return "pointer" if node.bounds.contains(cursor) else None

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: PickState = tree.state
        status = Status.FOCUSED if state.focused or state.open else (
            Status.HOVERED if ctx.hovered(node.bounds) else Status.ACTIVE)
        style = ctx.theme.style("pick_list", status)
        ctx.box(node.bounds, style)
        inner = node.bounds.shrink(ROW_PAD)
        chosen = None if self.selected is None else self._label(self.selected)
        spec = self._spec(ctx, chosen or self._placeholder, max(1.0, inner.width - 16))
        height = ctx.text.measure(spec).height
        ctx.text_at(spec, inner.x, inner.y + (inner.height - height) / 2,
                    style.text if chosen else (style.placeholder or style.text))
        cr = ctx.cr  # the drop-down arrow
        cx, cy = inner.right - 6, node.bounds.center.y
        cr.new_path()
        cr.move_to(cx - 4, cy - 2)
        cr.line_to(cx, cy + 2)
        cr.line_to(cx + 4, cy - 2)
        cr.set_source_rgba(*(style.foreground or style.text).rgba)
        cr.set_line_width(1.5)
        cr.stroke()

    def text_content(self) -> str | None:
        return self._placeholder if self.selected is None else self._label(self.selected)


class Menu(Overlay[M], Generic[M, T]):
    """The open list of options, below the field (above it when there is no room below)."""

    grab = True

    def __init__(self, owner: PickList[M, T], state: PickState, anchor: Rect) -> None:
        self.owner, self.state, self.anchor = owner, state, anchor

    def anchor_rect(self, node: Node) -> Rect:
        return self.anchor

    def dismiss(self) -> None:
        self.state.open = False

    def layout(self, window: Size, ctx: LayoutContext) -> Node:
        line = ctx.text.line_height(ctx.theme.font_size, ctx.theme.font_family) + ROW_PAD.vertical
        self.row_height = line
        height = line * len(self.owner.options) + 2
        y = self.anchor.bottom + 2
        if y + height > window.height and self.anchor.y - height - 2 >= 0:
            y = self.anchor.y - height - 2
        return Node(Size(self.anchor.width, height)).moved(self.anchor.x, y)

    def row_at(self, node: Node, position: Point) -> int:
        if not node.bounds.contains(position):
            return -1
        return int((position.y - node.bounds.y - 1) // self.row_height)

    def row_rect(self, node: Node, index: int) -> Rect:
        return Rect(node.bounds.x + 1, node.bounds.y + 1 + index * self.row_height, node.bounds.width - 2,
                    self.row_height)

    def on_event(self, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state = self.state
        if isinstance(event, PointerMoved):
            state.highlighted = self.row_at(node, event.position)
            return node.bounds.contains(event.position)
        if isinstance(event, PointerPressed):
            index = self.row_at(node, event.position)
            if index >= 0:
                self.owner.select(ctx, index, state)
                return True
            if not self.anchor.contains(event.position):
                state.open = False  # a click outside closes the menu and is not passed on
                return True
            return False
        if isinstance(event, PointerReleased | Scrolled):
            return node.bounds.contains(event.position)
        if isinstance(event, KeyPressed):
            count = len(self.owner.options)
            if event.key == "Escape":
                state.open = False
            elif event.key in ("Down", "Up") and count:
                state.highlighted = (state.highlighted + (1 if event.key == "Down" else -1)) % count
            elif event.key in ("Return", "space"):
                self.owner.select(ctx, state.highlighted, state)
            else:
                return False
            return True
        return False

    def draw(self, node: Node, ctx: DrawContext) -> None:
        style = ctx.theme.style("menu", Status.ACTIVE)
        shadow = ctx.theme.palette.shadow
        ctx.fill(node.bounds.translate(0, 2).expand(1), shadow.with_alpha(shadow.a * 0.4), style.radius + 1)
        ctx.box(node.bounds, style)
        selected = self.owner._index_of_selected() if self.owner.selected in self.owner.options else -1
        for index, label in enumerate(self.owner.labels()):
            rect = self.row_rect(node, index)
            if index == self.state.highlighted:
                ctx.fill(rect, style.selection, 4)
            spec = self.owner._spec(ctx, label, max(1.0, rect.width - ROW_PAD.horizontal))
            height = ctx.text.measure(spec).height
            color = style.accent if index == selected and style.accent else style.text
            ctx.text_at(spec, rect.x + ROW_PAD.left, rect.y + (rect.height - height) / 2, color)

    def texts(self, node: Node) -> list[tuple[str, Rect]]:
        return [(label, self.row_rect(node, i)) for i, label in enumerate(self.owner.labels())]

    def paint_key(self, node: Node, cursor: Point) -> Hashable:
        return ("menu", node.bounds, self.state.highlighted, tuple(self.owner.labels()))


def pick_list(options: Sequence[T], selected: T | None, on_select: Callable[[T], M]) -> PickList[M, T]:
    return PickList(options, selected, on_select)
