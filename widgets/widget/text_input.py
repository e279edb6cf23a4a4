"""Text input: one line of editable text with a cursor, selection, clipboard and a password mode.

    text_input("Search…", state.query).on_input(Message.query_changed).on_submit(Message.search)
    text_input("Password", state.password).password().on_input(Message.password_changed)

The value belongs to the application (``on_input`` hands it the new text); the cursor and selection live in
the widget's retained state, so they survive re-renders.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..core.element import DrawContext, EventContext, LayoutContext, Tree, Widget
from ..core.event import LEFT, Event, KeyPressed, PointerMoved, PointerPressed, PointerReleased
from ..core.geometry import Padding, Point, Rect, Size
from ..core.layout import Fill, Limits, Node
from ..core.text_engine import TextSpec, Wrap

M = TypeVar("M")
BULLET = "•"


@dataclass
class InputState:
    focused: bool = False
    cursor: int = 0
    anchor: int | None = None
    """The other end of the selection, if any."""
    dragging: bool = False
    scroll: float = 0.0

    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)


class TextInput(Widget[M], Generic[M]):
    def __init__(self, placeholder: str, value: str) -> None:
        self.placeholder, self.value = placeholder, value
        self._on_input: Callable[[str], M] | None = None
        self._on_submit: M | None = None
        self._secure = False
        self._size: float | None = None
        self._padding = Padding(6, 8, 6, 8)
        self._width = Fill

    def on_input(self, fn: Callable[[str], M]) -> TextInput[M]:
        self._on_input = fn
        return self

    def on_submit(self, message: M) -> TextInput[M]:
        self._on_submit = message
        return self

    def password(self) -> TextInput[M]:
        """Show bullets instead of the text; copying is refused."""
        self._secure = True
        return self

    def size(self, pixels: float) -> TextInput[M]:
        self._size = pixels
        return self

    def padding(self, value: float | tuple[float, float] | tuple[float, float, float, float]) -> TextInput[M]:
        self._padding = Padding.of(value)
        return self

    def new_state(self) -> InputState:
        return InputState()

    def focusable(self) -> bool:
        return self._on_input is not None

    def interactive(self) -> bool:
        return True

    def signature(self) -> Hashable:
        return (self._width, self._height, self._size, self._padding, self._secure, self.placeholder, self.value,
                self._on_input is None)

    def shown(self) -> str:
        return BULLET * len(self.value) if self._secure else self.value

    def _spec(self, ctx: Any, text: str) -> TextSpec:
        theme = ctx.theme
        return TextSpec(text, self._size or theme.font_size, theme.font_family, wrap=Wrap.NONE)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        line = ctx.text.line_height(self._size or ctx.theme.font_size, ctx.theme.font_family)
        content = Size(160 + self._padding.horizontal, line + self._padding.vertical)
        return Node(limits.resolve(self._width, self._height, content))

    # -- editing -----------------------------------------------------------------------------------------
    def _edit(self, state: InputState, ctx: EventContext[M], new: str, cursor: int) -> None:
        state.cursor, state.anchor = cursor, None
        if self._on_input is not None and new != self.value:
            ctx.publish(self._on_input(new))

    def _replace_selection(self, state: InputState, ctx: EventContext[M], insert: str) -> None:
        start, end = state.selection() or (state.cursor, state.cursor)
        self._edit(state, ctx, self.value[:start] + insert + self.value[end:], start + len(insert))

    def _hit(self, ctx: EventContext[M], node: Node, state: InputState, position: Point) -> int:
        x = position.x - node.bounds.x - self._padding.left + state.scroll
        return ctx.text.x_to_index(self._spec(ctx, self.shown()), x)

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        state: InputState = tree.state
        state.cursor = min(state.cursor, len(self.value))
        if state.anchor is not None:
            state.anchor = min(state.anchor, len(self.value))
        if self._on_input is None:
            state.focused = False
            return False
        if isinstance(event, PointerPressed) and event.button == LEFT:
            if not node.bounds.contains(event.position):
                state.focused, state.anchor = False, None
                return False
            ctx.request_focus(tree)
            state.cursor = self._hit(ctx, node, state, event.position)
            state.anchor, state.dragging = state.cursor, True
            return True
        if isinstance(event, PointerMoved) and state.dragging:
            state.cursor = self._hit(ctx, node, state, event.position)
            return True
        if isinstance(event, PointerReleased) and state.dragging:
            state.dragging = False
            return True
        if isinstance(event, KeyPressed) and state.focused:
            return self._key(state, ctx, event)
        return False

    def _key(self, state: InputState, ctx: EventContext[M], event: KeyPressed) -> bool:
        key, mods, value = event.key, event.modifiers, self.value
        selection = state.selection()
        if mods.ctrl and key.lower() == "a":
            state.anchor, state.cursor = 0, len(value)
        elif mods.ctrl and key.lower() in ("c", "x"):
            if selection and not self._secure:
                ctx.clipboard.write(value[selection[0]:selection[1]])
                if key.lower() == "x":
                    self._replace_selection(state, ctx, "")
        elif mods.ctrl and key.lower() == "v":
            self._replace_selection(state, ctx, ctx.clipboard.read().replace("\n", " "))
        elif key == "BackSpace":
            if selection:
                self._replace_selection(state, ctx, "")
            elif state.cursor > 0:
                self._edit(state, ctx, value[:state.cursor - 1] + value[state.cursor:], state.cursor - 1)
        elif key == "Delete":
            if selection:
                self._replace_selection(state, ctx, "")
            elif state.cursor < len(value):
                self._edit(state, ctx, value[:state.cursor] + value[state.cursor + 1:], state.cursor)
        elif key in ("Left", "Right", "Home", "End"):
            if mods.shift and state.anchor is None:
                state.anchor = state.cursor
            elif not mods.shift:
                state.anchor = None
            moves = {"Left": state.cursor - 1, "Right": state.cursor + 1, "Home": 0, "End": len(value)}
            if not mods.shift and selection and key in ("Left", "Right"):
                state.cursor = selection[0] if key == "Left" else selection[1]
            else:
                state.cursor = max(0, min(len(value), moves[key]))
        elif key in ("Return", "KP_Enter"):
            if self._on_submit is not None:
                ctx.publish(self._on_submit)
        elif key in ("Escape", "Tab", "ISO_Left_Tab") or event.text in ("", "\t") or mods.ctrl or mods.alt:
            return False
        else:
            self._replace_selection(state, ctx, event.text)
        return True

    # -- drawing -----------------------------------------------------------------------------------------
    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: InputState = tree.state
        status = self.status(self._on_input is None, False, ctx.hovered(node.bounds), state.focused)
        style = ctx.theme.style("text_input", status)
        ctx.box(node.bounds, style)
        inner = node.bounds.shrink(self._padding)
        shown = self.shown()
        spec = self._spec(ctx, shown or self.placeholder)
        cursor = min(state.cursor, len(shown))
        caret_x = ctx.text.index_to_x(spec, cursor) if shown else 0.0
        # Keep the caret visible: scroll the text horizontally inside the field.
        if caret_x - state.scroll > inner.width - 2:
            state.scroll = caret_x - inner.width + 2
        elif caret_x - state.scroll < 0:
            state.scroll = caret_x
        height = ctx.text.measure(spec).height
        y = inner.y + (inner.height - height) / 2
        with ctx.viewport(Rect(inner.x - 1, node.bounds.y, inner.width + 2, node.bounds.height)):
            x = inner.x - state.scroll
            selection = state.selection() if state.focused else None
            if selection and shown:
                x0, x1 = (ctx.text.index_to_x(spec, i) for i in selection)
                ctx.fill(Rect(x + min(x0, x1), y, abs(x1 - x0), height), style.selection)
            color = style.text if shown else (style.placeholder or style.text)
            ctx.text_at(spec, x, y, color)
            if state.focused:
                ctx.fill(Rect(round(x + caret_x), y, 1.5, height), style.accent or style.text)

    def text_content(self) -> str | None:
        return self.shown() or self.placeholder

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        return "text" if node.bounds.contains(cursor) else None


def text_input(placeholder: str, value: str) -> TextInput[Any]:
    return TextInput(placeholder, value)
