"""Client-side helpers for the benchmark clients: connect, bind, a toplevel window with shm buffers.

Everything binds the lowest protocol version it needs (xdg_wm_base 1: no configure_bounds), so the same
client runs unchanged on Orrery and on weston. pywayland drops the events of proxies that were garbage
collected, so every proxy that still expects an event is kept in a list until it got it.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pywayland.client import Display
from pywayland.protocol.presentation_time import WpPresentation
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlSeat, WlShm
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1, ZxdgToplevelDecorationV1
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.shm import XRGB8888, ShmPool
from protocols.wlr_virtual_pointer_unstable_v1 import ZwlrVirtualPointerManagerV1


@dataclass
class Globals:
    compositor: Any = None
    shm: Any = None
    wm_base: Any = None
    presentation: Any = None
    seat: Any = None
    vpointer_manager: Any = None
    decoration_manager: Any = None
    output: Any = None
    output_size: tuple[int, int] = (0, 0)
    clock_id: int = time.CLOCK_MONOTONIC


class Connection:
    """One connection to the compositor at ``name`` (or $WAYLAND_DISPLAY) with the globals we use."""

    def __init__(self, name: str | None = None) -> None:
        self.display = Display(name)
        self.display.connect()
        self.globals = Globals()
        self.keep: list[Any] = []  # proxies whose events we still want
        registry = self.display.get_registry()
        registry.dispatcher["global"] = self._global
        self.keep.append(registry)
        self.display.roundtrip()
        self.display.roundtrip()  # clock_id, output mode
        if self.globals.compositor is None or self.globals.shm is None or self.globals.wm_base is None:
            raise RuntimeError("compositor lacks wl_compositor, wl_shm or xdg_wm_base")

    def _global(self, registry: Any, name: int, interface: str, version: int) -> None:
        found = self.globals
        if interface == "wl_compositor":
            found.compositor = registry.bind(name, WlCompositor, min(version, 4))
        elif interface == "wl_shm":
            found.shm = registry.bind(name, WlShm, 1)
        elif interface == "xdg_wm_base":
            found.wm_base = registry.bind(name, XdgWmBase, 1)
            found.wm_base.dispatcher["ping"] = lambda wm_base, serial: wm_base.pong(serial)
        elif interface == "wp_presentation":
            found.presentation = registry.bind(name, WpPresentation, 1)
            found.presentation.dispatcher["clock_id"] = lambda _p, clock: setattr(found, "clock_id", clock)
        elif interface == "wl_seat" and found.seat is None:
            found.seat = registry.bind(name, WlSeat, min(version, 5))
        elif interface == "zxdg_decoration_manager_v1":
            found.decoration_manager = registry.bind(name, ZxdgDecorationManagerV1, 1)
        elif interface == "zwlr_virtual_pointer_manager_v1":
            found.vpointer_manager = registry.bind(name, ZwlrVirtualPointerManagerV1, 1)
        elif interface == "wl_output" and found.output is None:
            found.output = registry.bind(name, WlOutput, 1)

            def mode(_o: Any, flags: int, width: int, height: int, _refresh: int) -> None:
                if flags & WlOutput.mode.current:
                    found.output_size = (width, height)

            found.output.dispatcher["mode"] = mode

    def now_ns(self) -> int:
        """Now on the compositor's presentation clock (weston uses CLOCK_MONOTONIC_RAW)."""
        return time.clock_gettime_ns(self.globals.clock_id)

    def pump(self, timeout: float) -> None:
        """Dispatch what has arrived, waiting at most ``timeout`` seconds for something to arrive."""
        display = self.display
        display.dispatch(block=False)
        display.flush()
        ready, _, _ = select.select([display.get_fd()], [], [], max(0.0, timeout))
        if ready:
            display.read()
        display.dispatch(block=False)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out waiting for the compositor")
            self.pump(left)

    def disconnect(self) -> None:
        self.display.disconnect()


@dataclass
class CommitFeedback:
    """One commit: when it was made and what the compositor said about it."""

    commit_ns: int
    presented_ns: int | None = None
    discarded: bool = False
    refresh_ns: int = 0
    seq: int = 0  # the output's vblank counter at presentation (0 where the output keeps none)
    flags: int = 0  # wp_presentation_feedback.kind


class ShmWindow:
    """An xdg_toplevel of ``width``×``height`` with ``count`` shm buffers (XRGB8888), configured but
    not yet mapped: the first :meth:`commit` maps it. ``decorations``: ask for server-side decorations
    (xdg-decoration), where the compositor offers them."""

    def __init__(self, conn: Connection, width: int, height: int, app_id: str, count: int = 3,
                 fullscreen: bool = False, decorations: bool = False) -> None:
        self.conn = conn
        self.width, self.height = width, height
        found = conn.globals
        self.surface = found.compositor.create_surface()
        self.xdg_surface = found.wm_base.get_xdg_surface(self.surface)
        self.toplevel = self.xdg_surface.get_toplevel()
        self.toplevel.set_app_id(app_id)
        self.toplevel.set_title(app_id)
        if fullscreen:
            self.toplevel.set_fullscreen(None)
        if decorations and found.decoration_manager is not None:
            self.decoration = found.decoration_manager.get_toplevel_decoration(self.toplevel)
            self.decoration.set_mode(ZxdgToplevelDecorationV1.mode.server_side)
        configured: list[int] = []
        self.xdg_surface.dispatcher["configure"] = lambda _s, serial: configured.append(serial)
        self.surface.commit()
        conn.wait_for(lambda: bool(configured))
        self.xdg_surface.ack_configure(configured[-1])

        self.size = width * height * 4
        self.pool = ShmPool(found.shm, self.size * count, f"bench-{app_id}")
        self.buffers: list[Any] = []
        self.busy: list[bool] = []
        for index in range(count):
            buffer = self.pool.buffer(index * self.size, width, height, XRGB8888)
            buffer.dispatcher["release"] = lambda _b, index=index: self._released(index)
            self.buffers.append(buffer)
            self.busy.append(False)
        self.pool.proxy.destroy()  # the buffers keep the memory
        self.frame_done = True
        self.frames: list[CommitFeedback] = []
        self._callbacks: list[Any] = []

    def _released(self, index: int) -> None:
        self.busy[index] = False

    def free_buffer(self) -> int | None:
        for index, busy in enumerate(self.busy):
            if not busy:
                return index
        return None

    def fill(self, index: int, pattern: bytes) -> None:
        """Write the whole buffer (``pattern`` is exactly one buffer's worth of bytes)."""
        self.pool.write(index * self.size, pattern)

    def commit(self, index: int, feedback: bool = True) -> CommitFeedback:
        """Attach buffer ``index`` with full damage, ask for a frame callback and presentation feedback."""
        conn = self.conn
        surface = self.surface
        surface.attach(self.buffers[index], 0, 0)
        surface.damage(0, 0, self.width, self.height)
        self.busy[index] = True
        callback = surface.frame()
        self.frame_done = False
        callback.dispatcher["done"] = self._done
        self._callbacks.append(callback)
        frame = CommitFeedback(commit_ns=0)
        if feedback and conn.globals.presentation is not None:
            proxy = conn.globals.presentation.feedback(surface)
            proxy.dispatcher["presented"] = (
                lambda p, sec_hi, sec_lo, nsec, refresh, seq_hi, seq_lo, flags, frame=frame:
                self._presented(p, frame, ((sec_hi << 32) | sec_lo) * 1_000_000_000 + nsec, refresh,
                                (seq_hi << 32) | seq_lo, flags))
            proxy.dispatcher["discarded"] = lambda p, frame=frame: self._discarded(p, frame)
            conn.keep.append(proxy)
        frame.commit_ns = conn.now_ns()
        surface.commit()
        conn.display.flush()
        self.frames.append(frame)
        return frame

    def wait_for_frame(self, timeout: float = 10.0) -> None:
        """Until the frame callback of the last commit is answered."""
        self.conn.wait_for(lambda: self.frame_done, timeout)

    def _done(self, callback: Any, _time: int) -> None:
        self.frame_done = True
        self._callbacks.remove(callback)

    def _presented(self, proxy: Any, frame: CommitFeedback, when_ns: int, refresh_ns: int, seq: int,
                   flags: int) -> None:
        frame.presented_ns, frame.refresh_ns, frame.seq, frame.flags = when_ns, refresh_ns, seq, flags
        self.conn.keep.remove(proxy)

    def _discarded(self, proxy: Any, frame: CommitFeedback) -> None:
        frame.discarded = True
        self.conn.keep.remove(proxy)

    def close(self) -> None:
        self.pool.close()
