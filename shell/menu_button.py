"""A button that opens a menu of entries (the panel's session menu); choosing one publishes its message.

    menu_button(icon("system-shutdown-symbolic"), [("Log out", Chose(LOG_OUT)), ...]).key("session")

The menu is an overlay, which the layer host shows as an xdg_popup of the panel (widgets/wayland/popup.py): it
may extend below (or, ``.above()``, above) the panel, and a click outside it or Escape closes it. It lines up
with the button's right edge, as menus at the end of a bar do. An entry is chosen when the button is released
on it (so press on the button, drag and release works too), or with the keyboard.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from widgets.core.element import DrawContext, EventContext, LayoutContext, Overlay, Tree, Widget
from widgets.core.event import LEFT, Event, KeyPressed, PointerMoved, PointerPressed, PointerReleased, Scrolled
from widgets.core.geometry import Padding, Point, Rect, Size
from widgets.core.layout import Node
from widgets.core.text_engine import TextSpec, Wrap
from widgets.style import Status
from widgets.widget.button import Button, ButtonState

M = TypeVar("M")
ROW_PAD = Padding(6, 16, 6, 16)
GAP = 2  # between the button and the menu


@dataclass
class MenuState(ButtonState):
    open: bool = False
    highlighted: int = -1

    def show(self, value: bool, highlighted: int = -1) -> None:
        self.open, self.highlighted = value, highlighted
        self.pressed = value  # the button is drawn pressed while its menu is open


class MenuButton(Button[M], Generic[M]):
    def __init__(self, content: Widget[M] | str, entries: Sequence[tuple[str, M]]) -> None:
        super().__init__(content)
        self.entries = list(entries)
        self._above = False

    def above(self, value: bool = True) -> MenuButton[M]:
        """Open the menu above the button (a panel along the bottom edge)."""
        self._above = value
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.entries)

    def new_state(self) -> MenuState:
        return MenuState()

    def signature(self) -> Hashable:
        return (super().signature(), tuple(label for label, _ in self.entries), self._above)

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: MenuState = tree.state
        if not self.enabled:
            state.show(False)
            return False
        # Opens on the press, as menus do (and the popup's grab needs the serial of a press).
        if isinstance(event, PointerPressed) and event.button == LEFT and node.bounds.contains(event.position):
            state.show(not state.open)
            return True
        if isinstance(event, KeyPressed) and state.focused and not state.open and event.key in (
                "space", "Return", "KP_Enter", "Down"):
            state.show(True, 0)
            return True
        return False

    def overlay(self, tree: Tree, node: Node) -> Overlay[M] | None:
        state: MenuState = tree.state
        return EntryMenu(self, state, node.bounds) if state.open and self.entries else None

    def choose(self, ctx: EventContext[M], index: int, state: MenuState) -> None:
        state.show(False)
        if 0 <= index < len(self.entries):
            ctx.publish(self.entries[index][1])


class EntryMenu(Overlay[M], Generic[M]):
    grab = True

    def __init__(self, owner: MenuButton[M], state: MenuState, anchor: Rect) -> None:
        self.owner, self.state, self.anchor = owner, state, anchor
        self.row_height = 0.0

    def anchor_rect(self, node: Node) -> Rect:
        return self.anchor

    def dismiss(self) -> None:
        self.state.show(False)

    def _spec(self, theme: Any, label: str) -> TextSpec:
        return TextSpec(label, theme.font_size, theme.font_family, wrap=Wrap.NONE)

    def layout(self, window: Size, ctx: LayoutContext) -> Node:
        self.row_height = ctx.text.line_height(ctx.theme.font_size, ctx.theme.font_family) + ROW_PAD.vertical
        widest = max(ctx.text.measure(self._spec(ctx.theme, label)).width for label, _ in self.owner.entries)
        width = max(self.anchor.width, widest + ROW_PAD.horizontal + 2)
        height = self.row_height * len(self.owner.entries) + 2
        x = max(0.0, self.anchor.right - width)
        y = self.anchor.y - height - GAP if self.owner._above else self.anchor.bottom + GAP
        return Node(Size(width, height)).moved(x, y)

    def row_at(self, node: Node, position: Point) -> int:
        if not node.bounds.contains(position):
            return -1
        return min(len(self.owner.entries) - 1, int((position.y - node.bounds.y - 1) // self.row_height))

    def row_rect(self, node: Node, index: int) -> Rect:
        return Rect(node.bounds.x + 1, node.bounds.y + 1 + index * self.row_height, node.bounds.width - 2,
                    self.row_height)

    def on_event(self, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state = self.state
        if isinstance(event, PointerMoved):
            state.highlighted = self.row_at(node, event.position)
            return node.bounds.contains(event.position)
        if isinstance(event, PointerPressed):
            if node.bounds.contains(event.position):
                return True
            # On the button: not taken, so the button closes the menu; anywhere else closes it here.
            if not self.anchor.contains(event.position):
                state.show(False)
                return True
            return False
        if isinstance(event, PointerReleased):  # an entry is chosen on release, as menus do
            index = self.row_at(node, event.position)
            if index >= 0:
                self.owner.choose(ctx, index, state)
            return index >= 0
        if isinstance(event, Scrolled):
            return node.bounds.contains(event.position)
        if isinstance(event, KeyPressed):
            count = len(self.owner.entries)
            if event.key == "Escape":
                state.show(False)
            elif event.key in ("Down", "Up"):
                state.highlighted = (state.highlighted + (1 if event.key == "Down" else -1)) % count
            elif event.key in ("Return", "KP_Enter", "space"):
                self.owner.choose(ctx, state.highlighted, state)
            else:
                return False
            return True
        return False

    def draw(self, node: Node, ctx: DrawContext) -> None:
        style = ctx.theme.style("menu", Status.ACTIVE)
        shadow = ctx.theme.palette.shadow
        ctx.fill(node.bounds.translate(0, 2).expand(1), shadow.with_alpha(shadow.a * 0.4), style.radius + 1)
        ctx.box(node.bounds, style)
        for index, (label, _message) in enumerate(self.owner.entries):
            rect = self.row_rect(node, index)
            if index == self.state.highlighted:
                ctx.fill(rect, style.selection, 4)
            spec = self._spec(ctx.theme, label)
            height = ctx.text.measure(spec).height
            ctx.text_at(spec, rect.x + ROW_PAD.left, rect.y + (rect.height - height) / 2, style.text)

    def texts(self, node: Node) -> list[tuple[str, Rect]]:
        return [(label, self.row_rect(node, i)) for i, (label, _) in enumerate(self.owner.entries)]

    def paint_key(self, node: Node, cursor: Point) -> Hashable:
        return ("entries", node.bounds, self.state.highlighted, tuple(label for label, _ in self.owner.entries))


def menu_button(content: Widget[Any] | str, entries: Sequence[tuple[str, Any]]) -> MenuButton[Any]:
    return MenuButton(content, entries)
