"""Drive an application like a user would, without a display (in the spirit of iced_test).

    sim = Simulator(Counter(), size=(320, 200))
    assert sim.click("Increment") == [Message.INCREMENT]
    assert sim.state.count == 1
    sim.find("Count: 1")                       # raises LookupError when nothing shows that text
    sim.assert_snapshot("counter")             # tests/snapshots/counter.png, within a tolerance

Every action returns the messages it produced (after update ran for them); :attr:`Simulator.messages` holds all
of them. A missing snapshot fails; ``make snapshots`` (``WIDGETS_UPDATE_SNAPSHOTS=1``) writes them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import cairo

from .core.application import Application
from .core.element import MemoryClipboard, Tree, Widget
from .core.event import (
    LEFT,
    Event,
    KeyPressed,
    KeyReleased,
    Modifiers,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Scrolled,
)
from .core.geometry import Point, Rect, Size
from .core.layout import Node
from .core.runtime import Runtime

S = TypeVar("S")
M = TypeVar("M")
SNAPSHOTS = Path(__file__).resolve().parent.parent / "tests" / "snapshots"
NAMED_KEYS = {"\n": "Return", "\t": "Tab", "\b": "BackSpace", " ": "space"}


@dataclass
class Found:
    """A widget (or overlay item) on screen: what it is and where."""

    text: str | None
    bounds: Rect
    widget: Widget[Any] | None = None
    tree: Tree | None = None

    @property
    def center(self) -> Point:
        return self.bounds.center


class Simulator(Generic[S, M]):
    def __init__(self, app: Application[S, M], size: tuple[float, float] = (800, 600), scale: float = 1.0) -> None:
        self.clipboard = MemoryClipboard()
        self.loop = asyncio.new_event_loop()
        self.runtime: Runtime[S, M] = Runtime(app, Size(*size), scale, loop=self.loop, clipboard=self.clipboard)
        self.messages: list[M] = []
        """Every message handled, oldest first."""
        self.runtime.on_handled(self.messages.append)
        self.surface: cairo.ImageSurface | None = None

    @property
    def state(self) -> S:
        return self.runtime.state

    def close(self) -> None:
        self.runtime.close()
        self.loop.run_until_complete(asyncio.sleep(0))
        self.loop.close()

    def __enter__(self) -> Simulator[S, M]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- finding -----------------------------------------------------------------------------------------
    def all(self) -> list[Found]:
        runtime = self.runtime
        found: list[Found] = []
        if runtime.overlay is not None and runtime.overlay_node is not None:
            found += [Found(t, r) for t, r in runtime.overlay.texts(runtime.overlay_node)]
        assert runtime.tree is not None and runtime.root is not None

        def visit(widget: Widget[Any], tree: Tree, node: Node, offset: Point, clip: Rect, path: Any) -> None:
            screen = node.bounds.translate(-offset.x, -offset.y).intersection(clip)
            if screen is not None:
                found.append(Found(widget.text_content(), screen, widget, tree))
        runtime.element.walk(runtime.tree, runtime.root, Point(0, 0), Rect(0, 0, *runtime._size_tuple()), (), visit)
        return found

    def find(self, text: str) -> Found:
        """The widget showing exactly ``text`` (else the first containing it); overlays first."""
        everything = self.all()
        for match in (lambda t: t == text, lambda t: text in t):
            for item in everything:
                if item.text is not None and match(item.text):
                    return item
        shown = sorted({i.text for i in everything if i.text})
        raise LookupError(f"nothing shows {text!r}; shown: {shown}")

    def find_all(self, kind: type) -> list[Found]:
        return [f for f in self.all() if isinstance(f.widget, kind)]

    def _point(self, target: str | Found | Point | tuple[float, float]) -> Point:
        if isinstance(target, str):
            return self.find(target).center
        if isinstance(target, Found):
            return target.center
        if isinstance(target, Point):
            return target
        return Point(*target)

    # -- acting ------------------------------------------------------------------------------------------
    def _run(self, *events: Event) -> list[M]:
        start = len(self.messages)
        for event in events:
            self.runtime.dispatch(event)
        self.settle()
        return self.messages[start:]

    def move(self, target: str | Found | Point | tuple[float, float]) -> list[M]:
        return self._run(PointerMoved(self._point(target)))

    def click(self, target: str | Found | Point | tuple[float, float], button: int = LEFT) -> list[M]:
        p = self._point(target)
        return self._run(PointerMoved(p), PointerPressed(p, button), PointerReleased(p, button))

    def drag(self, start: str | Found | Point | tuple[float, float], end: Point | tuple[float, float]) -> list[M]:
        a, b = self._point(start), self._point(end)
        middle = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
        return self._run(PointerMoved(a), PointerPressed(a), PointerMoved(middle), PointerMoved(b),
                         PointerReleased(b))

    def scroll(self, target: str | Found | Point | tuple[float, float], dy: float) -> list[M]:
        p = self._point(target)
        return self._run(PointerMoved(p), Scrolled(p, 0.0, dy))

    def key(self, key: str, text: str = "", ctrl: bool = False, shift: bool = False, alt: bool = False) -> list[M]:
        mods = Modifiers(shift=shift, ctrl=ctrl, alt=alt)
        return self._run(KeyPressed(key, text, mods), KeyReleased(key, mods))

    def type(self, text: str) -> list[M]:
        """Type characters into whatever has keyboard focus."""
        start = len(self.messages)
        for char in text:
            self.key(NAMED_KEYS.get(char, char), char if char not in "\b\t" else "")
        return self.messages[start:]

    def tab(self, backwards: bool = False) -> list[M]:
        return self.key("Tab", shift=backwards)

    def event(self, event: Event) -> list[M]:
        return self._run(event)

    def settle(self, timeout: float = 2.0) -> None:
        """Let started tasks finish (up to ``timeout`` seconds) and handle their messages."""
        runtime = self.runtime

        async def pump() -> None:
            deadline = self.loop.time() + timeout
            await asyncio.sleep(0)
            while not runtime.executor.idle() and self.loop.time() < deadline:
                await asyncio.sleep(0.001)
                runtime.flush()
            runtime.flush()
        self.loop.run_until_complete(pump())

    def wait(self, seconds: float) -> list[M]:
        """Let subscriptions run for ``seconds`` of real time."""
        start = len(self.messages)

        async def pump() -> None:
            deadline = self.loop.time() + seconds
            while self.loop.time() < deadline:
                await asyncio.sleep(0.005)
                self.runtime.flush()
        self.loop.run_until_complete(pump())
        return self.messages[start:]

    def wait_until(self, condition: Callable[[], object], timeout: float = 5.0, what: str = "the condition") -> list[M]:
        """Let tasks and subscriptions run until ``condition()`` is true; TimeoutError after ``timeout`` seconds.
        Returns the messages handled meanwhile."""
        start = len(self.messages)

        async def pump() -> None:
            deadline = self.loop.time() + timeout
            self.runtime.flush()
            while not condition():
                if self.loop.time() > deadline:
                    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
                await asyncio.sleep(0.005)
                self.runtime.flush()
        self.loop.run_until_complete(pump())
        return self.messages[start:]

    # -- pixels ------------------------------------------------------------------------------------------
    def render(self) -> cairo.ImageSurface:
        """The current frame; only what changed since the last render is redrawn."""
        width, height = self.runtime.device_size
        if self.surface is None or (self.surface.get_width(), self.surface.get_height()) != (width, height):
            self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
            self.runtime.render(self.surface, full=True)
        else:
            self.runtime.render(self.surface)
        return self.surface

    def pixel(self, x: float, y: float) -> tuple[int, int, int]:
        """The colour at logical position (x, y) of the current frame."""
        surface = self.render()
        scale = self.runtime.scale
        px, py = int(x * scale), int(y * scale)
        data = surface.get_data()
        offset = py * surface.get_stride() + px * 4
        b, g, r = data[offset], data[offset + 1], data[offset + 2]
        return r, g, b

    def colours(self, rect: Rect, step: int = 2) -> set[tuple[int, int, int]]:
        return {self.pixel(x, y) for x in range(int(rect.x), int(rect.right), step)
                for y in range(int(rect.y), int(rect.bottom), step)}

    def assert_snapshot(self, name: str, tolerance: float = 0.005, threshold: int = 48,
                        directory: Path = SNAPSHOTS) -> None:
        """Compare the frame with ``directory/name.png``: at most ``tolerance`` of the pixels may differ by
        more than ``threshold`` in a channel. A missing snapshot fails (the frame is left as ``name.actual.png``);
        ``WIDGETS_UPDATE_SNAPSHOTS=1`` (``make snapshots``) writes the snapshot instead of comparing.
        """
        surface = self.render()
        path = directory / f"{name}.png"
        if os.environ.get("WIDGETS_UPDATE_SNAPSHOTS") == "1":
            directory.mkdir(parents=True, exist_ok=True)
            surface.write_to_png(str(path))
            return
        if not path.exists():
            actual = path.with_name(f"{name}.actual.png")
            directory.mkdir(parents=True, exist_ok=True)
            surface.write_to_png(str(actual))
            raise AssertionError(f"{name}: no snapshot {path} (this frame is in {actual}); `make snapshots` "
                                 "writes the missing ones")
        expected = cairo.ImageSurface.create_from_png(str(path))
        diff = compare(surface, expected, threshold)
        if diff > tolerance:
            actual = path.with_name(f"{name}.actual.png")
            surface.write_to_png(str(actual))
            raise AssertionError(f"{name}: {diff:.2%} of pixels differ (tolerance {tolerance:.2%}); see {actual}")


def compare(a: cairo.ImageSurface, b: cairo.ImageSurface, threshold: int = 48) -> float:
    """The fraction of pixels whose channels differ by more than ``threshold`` (1.0 if sizes differ)."""
    if (a.get_width(), a.get_height()) != (b.get_width(), b.get_height()):
        return 1.0
    a.flush()
    b.flush()
    da, db = bytes(a.get_data()), bytes(b.get_data())
    sa, sb = a.get_stride(), b.get_stride()
    width, height = a.get_width(), a.get_height()
    differing = 0
    for y in range(height):
        ra, rb = da[y * sa:y * sa + width * 4], db[y * sb:y * sb + width * 4]
        if ra == rb:
            continue
        for x in range(0, width * 4, 4):
            if any(abs(ra[x + i] - rb[x + i]) > threshold for i in range(4)):
                differing += 1
    return differing / max(1, width * height)
