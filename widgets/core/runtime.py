"""The platform-independent engine: state, view, retained tree, layout, events, focus, damage and drawing.

Platforms (headless, Wayland, the test simulator) feed it events and a target image; it tells them which
device-pixel rectangles changed.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import cairo

from themes.icon_theme import IconLookup

from ..style import Theme
from ..style_adapter import default_theme
from .application import Application, optional
from .damage import Collector, Frame, Record, Records, diff, merge
from .element import (
    Clipboard,
    DrawContext,
    EventContext,
    EventRequests,
    LayoutContext,
    MemoryClipboard,
    Overlay,
    Tree,
    Widget,
)
from .event import (
    CloseRequested,
    Event,
    FocusChanged,
    KeyPressed,
    PointerLeft,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Resized,
    Scrolled,
    WindowEvent,
)
from .executor import Executor
from .geometry import Point, Rect, Size
from .layout import Limits, Node
from .subscription import Subscription
from .text_engine import TextEngine

S = TypeVar("S")
M = TypeVar("M")


class Runtime(Generic[S, M]):
    def __init__(self, app: Application[S, M], size: Size, scale: float = 1.0, *,
                 loop: asyncio.AbstractEventLoop | None = None, clipboard: Clipboard | None = None,
                 text: TextEngine | None = None) -> None:
        self.app = app
        self.loop = loop or asyncio.new_event_loop()
        self.text = text or TextEngine()
        self.icons = IconLookup()
        self.clipboard: Clipboard = clipboard or MemoryClipboard()
        self.window_size, self.output_scale = size, scale
        self.cursor: Point | None = None
        self.cursor_shape = "default"
        self.queue: list[M] = []
        self.executor = Executor(self.loop, self._emit)
        self.layout_count = 0
        self.view_count = 0
        self.tree: Tree | None = None
        self.root: Node | None = None
        self.overlay: Overlay[M] | None = None
        self.overlay_node: Node | None = None
        self.separate_overlays = False
        """Set by a platform that shows overlays in surfaces of their own (xdg_popup): then they are not
        drawn into the window; the platform draws them with :meth:`render_overlay`."""
        self._layout_key: Hashable = None
        self._paint: Records = {}
        self._pending_records: Records = {}
        self.last_frame = Frame()
        """What the last :meth:`render` copied and redrew (tests read it)."""
        self._full_damage = True
        self._on_change: list[Any] = []
        self._on_handled: list[Callable[[M], None]] = []
        self.state: S = app.init()
        self._default_theme: Theme | None = None
        self.theme: Theme = self._app_theme()
        self.title = ""
        startup = getattr(app, "startup", None)
        self.element: Widget[M] = app.view(self.state)
        self.rebuild()
        if callable(startup):
            self.executor.spawn(startup(self.state))

    # -- sizes -------------------------------------------------------------------------------------------
    @property
    def app_scale(self) -> float:
        return float(optional(self.app, "scale", self.state, 1.0))

    @property
    def scale(self) -> float:
        """Device pixels per logical pixel."""
        return self.output_scale * self.app_scale

    @property
    def size(self) -> Size:
        """The window in logical pixels of the app (the app's own scale factor makes them larger)."""
        factor = self.app_scale
        return Size(self.window_size.width / factor, self.window_size.height / factor)

    @property
    def device_size(self) -> tuple[int, int]:
        return (math.ceil(self.window_size.width * self.output_scale),
                math.ceil(self.window_size.height * self.output_scale))

    def resize(self, size: Size, scale: float | None = None) -> None:
        self.window_size = size
        if scale is not None:
            self.output_scale = scale
        self._full_damage = True
        self._relayout()

    # -- messages ----------------------------------------------------------------------------------------
    def _emit(self, message: M) -> None:
        self.queue.append(message)
        for callback in self._on_change:
            callback()

    def on_message(self, callback: Any) -> None:
        """``callback()`` whenever a task or subscription queues a message (platforms wake their loop)."""
        self._on_change.append(callback)

    def on_handled(self, callback: Callable[[M], None]) -> None:
        """``callback(message)`` for each message, just before ``update`` handles it. Nothing is kept here: an
        app runs for days, so recording them is for whoever installs this (the test Simulator)."""
        self._on_handled.append(callback)

    def flush(self) -> bool:
        """Run ``update`` for every queued message, then view once; True if anything was handled."""
        if not self.queue:
            return False
        while self.queue:
            message = self.queue.pop(0)
            for callback in self._on_handled:
                callback(message)
            self.executor.spawn(self.app.update(self.state, message))
        self.rebuild()
        return True

    def rebuild(self) -> None:
        theme = self._app_theme()
        if theme != self.theme:
            self.theme, self._full_damage = theme, True
        self.title = str(optional(self.app, "title", self.state, ""))
        self.element = self.app.view(self.state)
        self.view_count += 1
        self._relayout()
        self.executor.subscribe(optional(self.app, "subscriptions", self.state, Subscription.none()))

    def _app_theme(self) -> Theme:
        """The app's theme, or the built-in orrery-light (loaded once per runtime) when it has none."""
        theme: Theme | None = optional(self.app, "theme", self.state, None)
        if theme is None:
            if self._default_theme is None:
                self._default_theme = default_theme()
            theme = self._default_theme
        return theme

    def _relayout(self) -> None:
        self.tree = tree = reconcile_root(self.tree, self.element)
        ctx = LayoutContext(self.text, self.theme, self.icons)
        size = self.size
        key = (self.element.layout_key(tree), size, self.theme.font_family, self.theme.font_size)
        if self.root is None or key != self._layout_key:
            self.root = self.element.layout(tree, Limits(0, 0, size.width, size.height), ctx)
            self.root.place()
            self.layout_count += 1
            # Layout may settle layout state (a virtual list learns its height): key what was laid out.
            self._layout_key = (self.element.layout_key(tree), *key[1:])
        self.overlay = self.element.overlay(tree, self.root)
        self.overlay_node = None
        if self.overlay is not None:
            self.overlay_node = self.overlay.layout(size, ctx)
            self.overlay_node.place()

    # -- events ------------------------------------------------------------------------------------------
    def dispatch(self, event: Event) -> bool:
        """Deliver one event; returns whether a widget captured it. Messages it produced are handled."""
        if isinstance(event, Resized):
            self.resize(event.size)
        if isinstance(event, Resized | FocusChanged | CloseRequested):
            self.executor.window_event(event)
            self.flush()
            return False
        factor = self.app_scale
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased | Scrolled) and factor != 1.0:
            event = _scale_event(event, factor)
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased | Scrolled):
            self.cursor = event.position
        elif isinstance(event, PointerLeft):
            self.cursor = None
        assert self.tree is not None and self.root is not None
        requests = EventRequests()
        ctx: EventContext[M] = EventContext(requests, self.queue.append, self.clipboard, self.text, self.theme,
                                            self.size)
        captured = False
        if self.overlay is not None and self.overlay_node is not None:
            captured = self.overlay.on_event(self.overlay_node, event, ctx)
        if not captured:
            captured = self.element.on_event(self.tree, self.root, event, ctx)
        if not captured and isinstance(event, KeyPressed) and event.key in ("Tab", "ISO_Left_Tab"):
            self.focus_next(backwards=event.modifiers.shift or event.key == "ISO_Left_Tab")
            captured = True
        if requests.focus_request is not None:
            self._focus(requests.focus_request)
        if self.cursor is not None:
            self.cursor_shape = self.element.mouse_cursor(self.tree, self.root, self.cursor) or "default"
        if not self.flush():
            if requests.layout_invalid:
                self.root = None
            self._relayout()
        return captured

    def window_event(self, event: WindowEvent) -> None:
        self.dispatch(event)

    # -- focus -------------------------------------------------------------------------------------------
    def focusables(self) -> list[Tree]:
        found: list[Tree] = []
        if self.tree is not None and self.root is not None:
            def visit(widget: Widget[Any], tree: Tree, node: Node, offset: Point, clip: Rect, path: Any) -> None:
                if widget.focusable() and hasattr(tree.state, "focused"):
                    found.append(tree)
            self.element.walk(self.tree, self.root, Point(0, 0), Rect(0, 0, *self._size_tuple()), (), visit)
        return found

    def _size_tuple(self) -> tuple[float, float]:
        return self.size.width, self.size.height

    def focused(self) -> Tree | None:
        return next((t for t in self.focusables() if t.state.focused), None)

    def focus_next(self, backwards: bool = False) -> None:
        trees = self.focusables()
        if not trees:
            return
        current = next((i for i, t in enumerate(trees) if t.state.focused), None)
        if current is None:
            target = trees[-1] if backwards else trees[0]
        else:
            target = trees[(current + (-1 if backwards else 1)) % len(trees)]
        self._focus(target)

    def _focus(self, target: Tree) -> None:
        for tree in self.focusables():
            tree.state.focused = tree is target
        if not hasattr(target.state, "focused"):
            return
        target.state.focused = True

    # -- drawing -----------------------------------------------------------------------------------------
    def paint_records(self) -> Records:
        if self.tree is None or self.root is None:
            return {}
        collector = Collector(self.cursor or Point(-math.inf, -math.inf))
        self.element.walk(self.tree, self.root, Point(0, 0), Rect(0, 0, *self._size_tuple()), (), collector)
        records = collector.records
        if self.overlay is not None and self.overlay_node is not None and not self.separate_overlays:
            key = self.overlay.paint_key(self.overlay_node, self.cursor or collector.cursor)
            records[("overlay",)] = Record(self.overlay_node.bounds, key)
        return records

    def damage(self) -> list[Rect]:
        """Logical rectangles whose pixels differ from the last render (the whole window after a reset)."""
        frame = self._diff()
        return frame.changed

    def _diff(self) -> Frame:
        records = self.paint_records()
        self._pending_records = records
        if self._full_damage:
            return Frame([Rect(0, 0, *self._size_tuple())])
        rects, blits = diff(self._paint, records, self.scale)
        return Frame(rects, blits)

    def render(self, surface: cairo.ImageSurface, full: bool = False) -> list[Rect]:
        """Redraw what changed into ``surface`` (device pixels; it holds the previous frame): scrolled
        viewports are copied, then the damaged parts redrawn. Returns the changed logical rectangles;
        :attr:`last_frame` tells what was copied and what redrawn."""
        if full:
            self._full_damage = True
        frame = self._diff()
        self._paint = self._pending_records
        self._full_damage = False
        if self.tree is None or self.root is None:
            frame = Frame()
        scale = self.scale
        frame.drawn = merge([r.snap_out(scale) for r in frame.drawn])
        self.last_frame = frame
        if not frame.drawn and not frame.copied:
            return []
        for blit in frame.copied:
            blit.apply(surface, scale)
        cr = cairo.Context(surface)
        cr.scale(scale, scale)
        # A few separate rectangles (a scrolled-in strip and a scrollbar) are drawn one by one, so that
        # widgets outside each are skipped; many are drawn at once, clipped to all of them.
        groups = [[r] for r in frame.drawn] if len(frame.drawn) <= 8 else [frame.drawn]
        for group in groups:
            cr.save()
            for r in group:
                cr.rectangle(r.x, r.y, r.width, r.height)
            cr.clip()
            self._draw(cr, group)
            cr.restore()
        surface.flush()
        return frame.changed

    def _draw(self, cr: cairo.Context, rects: list[Rect]) -> None:
        assert self.tree is not None and self.root is not None
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.set_source_rgba(*self.theme.palette.background.rgba)
        cr.paint()
        cr.set_operator(cairo.OPERATOR_OVER)
        bounds = rects[0]
        for r in rects[1:]:
            bounds = bounds.union(r)
        ctx = DrawContext(cr, self.theme, self.text, self.cursor, bounds, self.scale)
        self.element.draw(self.tree, self.root, ctx)
        if self.overlay is not None and self.overlay_node is not None and not self.separate_overlays:
            self.overlay.draw(self.overlay_node, ctx)

    def render_overlay(self, surface: cairo.ImageSurface) -> None:
        """Draw the open overlay alone into ``surface`` (device pixels), its top-left corner at the origin."""
        if self.overlay is None or self.overlay_node is None:
            return
        bounds = self.overlay_node.bounds
        cr = cairo.Context(surface)
        cr.set_operator(cairo.OPERATOR_CLEAR)
        cr.paint()
        cr.set_operator(cairo.OPERATOR_OVER)
        cr.scale(self.scale, self.scale)
        cr.translate(-bounds.x, -bounds.y)
        self.overlay.draw(self.overlay_node, DrawContext(cr, self.theme, self.text, self.cursor, bounds, self.scale))
        surface.flush()

    def dismiss_overlay(self) -> None:
        """Close the open overlay from outside (its popup was dismissed by a click elsewhere)."""
        if self.overlay is not None:
            self.overlay.dismiss()
            self._relayout()

    def close(self) -> None:
        self.executor.close()


def reconcile_root(tree: Tree | None, element: Widget[Any]) -> Tree:
    from .element import reconcile
    return reconcile(tree, element)


def _scale_event(event: Any, factor: float) -> Any:
    from dataclasses import replace
    position = Point(event.position.x / factor, event.position.y / factor)
    return replace(event, position=position)
