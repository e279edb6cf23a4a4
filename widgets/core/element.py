"""The widget base class, the retained state tree and the contexts widgets lay out, draw and react in.

An *element* is a widget value made by ``view``; it is cheap and rebuilt on every view. What must outlive a
view (focus, scroll offset, the text cursor, a pressed button) lives in a :class:`Tree` node, matched to the
new elements by position, or by ``key`` when one is given.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import cairo

from themes.icon_theme import IconLookup

from ..style import Color, Status, Style, Theme
from .damage import ScrollView
from .event import Event
from .geometry import Point, Rect, Size
from .layout import Length, LengthLike, Limits, Node, Shrink, length
from .text_engine import TextEngine, TextSpec

M = TypeVar("M")
N = TypeVar("N")
W = TypeVar("W", bound="Widget[Any]")
FAR = Point(-math.inf, -math.inf)


class Clipboard(Protocol):
    def read(self) -> str: ...

    def write(self, text: str) -> None: ...


@dataclass
class MemoryClipboard:
    text: str = ""

    def read(self) -> str:
        return self.text

    def write(self, text: str) -> None:
        self.text = text


class Tree:
    """Retained state of one widget and its children."""

    __slots__ = ("tag", "key", "state", "children")

    def __init__(self, tag: Hashable, key: Hashable | None, state: Any) -> None:
        self.tag, self.key, self.state = tag, key, state
        self.children: list[Tree] = []

    def __repr__(self) -> str:
        return f"Tree({getattr(self.tag, '__name__', self.tag)}, key={self.key!r}, state={self.state!r})"


def reconcile(tree: Tree | None, widget: Widget[Any]) -> Tree:
    """``tree`` updated to match ``widget``, or a fresh tree if it was made by another kind of widget."""
    if tree is None or tree.tag != widget.tag() or tree.key != widget.key_value:
        tree = Tree(widget.tag(), widget.key_value, widget.new_state())
    widget.diff(tree)
    return tree


def reconcile_list(trees: list[Tree], widgets: Sequence[Widget[Any]]) -> list[Tree]:
    """Match children by key where given, else by position; unmatched old state is dropped."""
    by_key = {t.key: t for t in trees if t.key is not None}
    result: list[Tree] = []
    for index, widget in enumerate(widgets):
        key = widget.key_value
        if key is not None:
            old = by_key.get(key)
        else:
            old = trees[index] if index < len(trees) and trees[index].key is None else None
        result.append(reconcile(old, widget))
    return result


@dataclass
class EventRequests:
    """What the handlers of one event asked the runtime for (through their :class:`EventContext`)."""

    layout_invalid: bool = False
    redraw: bool = False
    focus_request: Tree | None = None
    cursor_shape: str = "default"


class EventContext(Generic[M]):
    """What an event handler may do: publish messages, ask for layout or focus, use the clipboard."""

    def __init__(self, requests: EventRequests, publish: Callable[[M], None], clipboard: Clipboard,
                 text: TextEngine, theme: Theme, window: Size) -> None:
        self._requests, self._publish = requests, publish
        self.clipboard, self.text, self.theme, self.window = clipboard, text, theme, window

    def publish(self, message: M) -> None:
        self._publish(message)

    def mapped(self, fn: Callable[[Any], M]) -> EventContext[Any]:
        return EventContext(self._requests, lambda m: self._publish(fn(m)), self.clipboard, self.text, self.theme,
                            self.window)

    def invalidate_layout(self) -> None:
        self._requests.layout_invalid = True

    def request_redraw(self) -> None:
        self._requests.redraw = True

    def request_focus(self, tree: Tree) -> None:
        self._requests.focus_request = tree


class DrawContext:
    """A cairo context in logical pixels plus what drawing needs: theme, text engine, pointer position."""

    def __init__(self, cr: cairo.Context, theme: Theme, text: TextEngine, cursor: Point | None,
                 clip: Rect, scale: float = 1.0) -> None:
        self.cr, self.theme, self.text, self.scale = cr, theme, text, scale
        self.cursor = cursor or FAR
        self.clip = clip

    def visible(self, rect: Rect) -> bool:
        return rect.intersects(self.clip)

    def hovered(self, rect: Rect) -> bool:
        return rect.contains(self.cursor)

    @contextlib.contextmanager
    def viewport(self, rect: Rect, dx: float = 0.0, dy: float = 0.0) -> Iterator[None]:
        """Clip to ``rect`` and shift what is drawn inside by (-dx, -dy), as a scrolled viewport does."""
        saved = self.cursor, self.clip
        self.cr.save()
        self.cr.rectangle(rect.x, rect.y, rect.width, rect.height)
        self.cr.clip()
        self.cr.translate(-dx, -dy)
        inside = rect.contains(self.cursor)
        self.cursor = Point(self.cursor.x + dx, self.cursor.y + dy) if inside else FAR
        clip = self.clip.intersection(rect)
        self.clip = clip.translate(dx, dy) if clip else Rect(0, 0, 0, 0)
        try:
            yield
        finally:
            self.cr.restore()
            self.cursor, self.clip = saved

    def rounded(self, rect: Rect, radius: float) -> None:
        cr = self.cr
        r = max(0.0, min(radius, rect.width / 2, rect.height / 2))
        if r <= 0:
            cr.rectangle(rect.x, rect.y, rect.width, rect.height)
            return
        cr.new_sub_path()
        cr.arc(rect.right - r, rect.y + r, r, -math.pi / 2, 0)
        cr.arc(rect.right - r, rect.bottom - r, r, 0, math.pi / 2)
        cr.arc(rect.x + r, rect.bottom - r, r, math.pi / 2, math.pi)
        cr.arc(rect.x + r, rect.y + r, r, math.pi, 3 * math.pi / 2)
        cr.close_path()

    def fill(self, rect: Rect, color: Color | None, radius: float = 0.0) -> None:
        if color is None or color.a <= 0:
            return
        self.cr.new_path()
        self.rounded(rect, radius)
        self.cr.set_source_rgba(*color.rgba)
        self.cr.fill()

    def stroke(self, rect: Rect, color: Color | None, width: float, radius: float = 0.0) -> None:
        if color is None or width <= 0 or color.a <= 0:
            return
        half = width / 2
        self.cr.new_path()
        self.rounded(Rect(rect.x + half, rect.y + half, rect.width - width, rect.height - width), radius - half)
        self.cr.set_source_rgba(*color.rgba)
        self.cr.set_line_width(width)
        self.cr.stroke()

    def box(self, rect: Rect, style: Style) -> None:
        """Background and border of a style."""
        self.fill(rect, style.background, style.radius)
        self.stroke(rect, style.border, style.border_width, style.radius)

    def text_at(self, spec: TextSpec, x: float, y: float, color: Color) -> None:
        self.text.draw(self.cr, spec, x, y, color.rgba)


@dataclass
class LayoutContext:
    text: TextEngine
    theme: Theme
    icons: IconLookup  # one per runtime: the icon theme's index is read once


Visitor = Callable[["Widget[Any]", Tree, Node, Point, Rect, tuple[int, ...]], None]
"""``fn(widget, tree, node, offset, clip, path)``: ``node.bounds`` minus ``offset`` is on screen, within ``clip``."""


class Widget(Generic[M]):
    """Base of all widgets. Subclasses set their own fields and override what they need."""

    _width: Length = Shrink
    _height: Length = Shrink
    key_value: Hashable | None = None

    # -- builders ----------------------------------------------------------------------------------------
    def width(self: W, value: LengthLike) -> W:
        self._width = length(value)
        return self

    def height(self: W, value: LengthLike) -> W:
        self._height = length(value)
        return self

    def key(self: W, value: Hashable) -> W:
        """Match this element's state by ``value`` rather than by position (lists that reorder)."""
        self.key_value = value
        return self

    def map(self, fn: Callable[[M], N]) -> Widget[N]:
        """This element producing ``fn(message)`` instead of its own messages (child components)."""
        from .map import Map
        return Map(self, fn)

    # -- state tree --------------------------------------------------------------------------------------
    def tag(self) -> Hashable:
        tag: Hashable = self.__class__.__qualname__, self.__class__.__module__
        return tag

    def new_state(self) -> Any:
        return None

    def children(self) -> Sequence[Widget[Any]]:
        return ()

    def diff(self, tree: Tree) -> None:
        tree.children = reconcile_list(tree.children, self.children())

    # -- layout ------------------------------------------------------------------------------------------
    def size_hint(self) -> tuple[Length, Length]:
        return self._width, self._height

    def signature(self) -> Hashable:
        """What of this widget (not its children) decides its layout and look, callbacks excluded."""
        return (self._width, self._height)

    def layout_state(self, tree: Tree) -> Hashable:
        """State that changes the layout (a virtual list's visible range); None for most widgets."""
        return None

    def layout_key(self, tree: Tree) -> Hashable:
        kids = tuple(c.layout_key(t) for c, t in zip(self.children(), tree.children, strict=False))
        return (self.tag(), self.signature(), self.layout_state(tree), kids)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(limits.resolve(self._width, self._height, Size(0, 0)))

    # -- drawing and events ------------------------------------------------------------------------------
    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        for child, subtree, subnode in zip(self.children(), tree.children, node.children, strict=False):
            if ctx.visible(subnode.bounds):
                child.draw(subtree, subnode, ctx)

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        """React to an event; True when it was captured (consumed)."""
        captured = False
        for child, subtree, subnode in zip(self.children(), tree.children, node.children, strict=False):
            captured = child.on_event(subtree, subnode, event, ctx) or captured
        return captured

    def focusable(self) -> bool:
        return False

    def interactive(self) -> bool:
        """Whether hovering changes the look (hover is then part of the paint key)."""
        return False

    def paint_key(self, tree: Tree, node: Node, cursor: Point) -> Hashable:
        hovered = node.bounds.contains(cursor) if self.interactive() else None
        return (self.signature(), _state_key(tree.state), hovered)

    def scroll_view(self, tree: Tree, node: Node) -> ScrollView | None:
        """For a widget that scrolls its content: its viewport and offset, so that when only the offset
        changed the runtime copies the viewport's pixels and redraws just what scrolled into view. Then
        ``paint_key`` must not include the offset."""
        return None

    def mouse_cursor(self, tree: Tree, node: Node, cursor: Point) -> str | None:
        for child, subtree, subnode in zip(self.children(), tree.children, node.children, strict=False):
            shape = child.mouse_cursor(subtree, subnode, cursor)
            if shape:
                return shape
        return None

    def overlay(self, tree: Tree, node: Node) -> Overlay[M] | None:
        for child, subtree, subnode in zip(self.children(), tree.children, node.children, strict=False):
            found = child.overlay(subtree, subnode)
            if found is not None:
                return found
        return None

    def walk(self, tree: Tree, node: Node, offset: Point, clip: Rect, path: tuple[int, ...], fn: Visitor) -> None:
        """Call ``fn`` (a :data:`Visitor`) for this widget and its descendants, in drawing order."""
        fn(self, tree, node, offset, clip, path)
        for index, (child, subtree, subnode) in enumerate(
                zip(self.children(), tree.children, node.children, strict=False)):
            child.walk(subtree, subnode, offset, clip, (*path, index), fn)

    def text_content(self) -> str | None:
        """The text this widget shows, for finding it in tests and for accessibility."""
        return None

    def status(self, disabled: bool, pressed: bool, hovered: bool, focused: bool) -> Status:
        if disabled:
            return Status.DISABLED
        if pressed:
            return Status.PRESSED
        if hovered:
            return Status.HOVERED
        return Status.FOCUSED if focused else Status.ACTIVE


def _state_key(state: Any) -> Hashable:
    if state is None:
        return None
    key = getattr(state, "paint_key", None)
    return key() if callable(key) else repr(state)


class Overlay(Generic[M]):
    """Something drawn above the whole window (a pick list's menu, a tooltip)."""

    grab = False
    """Whether it takes the pointer while open (a menu): as a popup, a click elsewhere dismisses it."""

    def anchor_rect(self, node: Node) -> Rect:
        """What it is placed against (its popup's xdg_positioner anchor); by default its own top-left."""
        return Rect(node.bounds.x, node.bounds.y, 1, 1)

    def dismiss(self) -> None:
        """Closed from outside: its popup was dismissed by the compositor."""

    def layout(self, window: Size, ctx: LayoutContext) -> Node:
        raise NotImplementedError

    def draw(self, node: Node, ctx: DrawContext) -> None:
        raise NotImplementedError

    def on_event(self, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        return False

    def paint_key(self, node: Node, cursor: Point) -> Hashable:
        return (type(self), node.bounds, node.bounds.contains(cursor))

    def texts(self, node: Node) -> list[tuple[str, Rect]]:
        """The texts shown and where, for finding them in tests."""
        return []


Element = Widget
