"""Scenario 9 of bench/run.py, ``wm``: how soon a workspace switch and a tiling re-layout are on screen.

Orrery only (weston has neither workspaces nor tiling to ask for over IPC). One client process
(``python -m bench.client wm``, :func:`wm_client`) keeps 20 windows that, like real clients, draw a buffer of the
size each configure asks for. The harness (:func:`scenario_wm`) asks for the change over Orrery's IPC socket and
the client reports when the compositor presented the first frame that shows the new layout:

- *workspace switch*: 10 windows on workspace 1, 10 on workspace 2, switched alternately. Before each switch
  every window of the workspace that is about to show commits once more with a frame callback and
  presentation feedback; a hidden window's commit is held until it shows. The switch is on screen when the first
  of those commits is presented.
- *tiling re-layout*: 20 windows on one workspace, tiling toggled on and off alternately. Every window answers
  the configure the re-layout sends with a buffer of the new size (committed with presentation feedback), and
  the new layout is on screen when the last of those 20 commits is presented.

Times run from just before the IPC request is sent to the presentation timestamp (CLOCK_MONOTONIC on Orrery), in
milliseconds and in refreshes of the output.
"""

from __future__ import annotations

import json
import math
import random
import select
import statistics
import sys
import time
from typing import Any

from bench.wayland import Connection
from orrery_testing.process import wait_until
from orrery_testing.shm import XRGB8888, ShmPool

WINDOWS_PER_WORKSPACE = 10
FLOATING_SIZE = (400, 300)  # what a window draws when a configure leaves its size to it
COLOURS = ((0x30, 0x60, 0x90), (0x90, 0x60, 0x30), (0x40, 0x90, 0x50), (0x80, 0x40, 0x80))


# -- the client ----------------------------------------------------------------------------------------
class ConfiguredWindow:
    """An xdg_toplevel that draws a buffer of the size of each configure (its own size when that is 0×0), and
    commits it with presentation feedback, as soon as the configure arrives."""

    def __init__(self, conn: Connection, index: int) -> None:
        self.conn, self.index = conn, index
        found = conn.globals
        self.surface = found.compositor.create_surface()
        self.xdg_surface = found.wm_base.get_xdg_surface(self.surface)
        self.toplevel = self.xdg_surface.get_toplevel()
        self.toplevel.set_app_id("bench-wm")
        self.toplevel.set_title(f"bench-wm-{index}")
        self.pending = FLOATING_SIZE
        self.size = (0, 0)
        self.configures = 0
        self.mapped = False
        self.frame_done = True
        self.presented_ns: int | None = None  # of the last commit made with feedback
        self.done_ns: int | None = None  # when the last frame callback arrived (our clock)
        self.refresh_ns = 0
        self.discarded = False
        self.configured_ns = self.committed_ns = 0  # when the last configure arrived, the last commit was made
        self.buffer: Any = None
        self.keep: list[Any] = []  # buffers still in use, callbacks and feedback still expected
        self.toplevel.dispatcher["configure"] = self._toplevel_configure
        self.xdg_surface.dispatcher["configure"] = self._configure
        self.surface.commit()
        conn.wait_for(lambda: self.configures > 0)

    def wait_until_drawn(self) -> None:
        self.conn.wait_for(lambda: self.frame_done)

    def _toplevel_configure(self, _toplevel: Any, width: int, height: int, _states: Any) -> None:
        self.pending = (width or FLOATING_SIZE[0], height or FLOATING_SIZE[1])

    def _configure(self, _surface: Any, serial: int) -> None:
        self.configured_ns = time.monotonic_ns()
        self.xdg_surface.ack_configure(serial)
        self.configures += 1
        if self.mapped or self.configures == 1:
            self.draw(self.pending)

    def draw(self, size: tuple[int, int]) -> None:
        """A new buffer of ``size`` (the old one is destroyed once released), committed with feedback."""
        if size != self.size or self.buffer is None:
            width, height = size
            pool = ShmPool(self.conn.globals.shm, width * height * 4, "bench-wm")
            pool.write(0, bytes((*COLOURS[self.index % len(COLOURS)], 0xFF)) * width)  # a coloured first row
            buffer = pool.buffer(0, width, height, XRGB8888)
            pool.proxy.destroy()
            pool.close()
            old = self.buffer
            if old is not None:
                old.dispatcher["release"] = self._release
            self.buffer, self.size = buffer, size
            self.keep.append(buffer)
        self.commit(attach=True)

    def _release(self, buffer: Any) -> None:
        buffer.destroy()
        self.keep.remove(buffer)

    def commit(self, attach: bool) -> None:
        """Commit (with the current buffer again when ``attach``) asking for a frame callback and feedback."""
        surface = self.surface
        if attach:
            surface.attach(self.buffer, 0, 0)
            surface.damage(0, 0, *self.size)
        callback = surface.frame()
        self.frame_done = False
        callback.dispatcher["done"] = self._done
        self.keep.append(callback)
        self.presented_ns, self.discarded = None, False
        feedback = self.conn.globals.presentation.feedback(surface)
        feedback.dispatcher["presented"] = self._presented
        feedback.dispatcher["discarded"] = self._discarded
        self.keep.append(feedback)
        self.committed_ns = time.monotonic_ns()
        surface.commit()
        self.mapped = True

    def _done(self, callback: Any, _time: int) -> None:
        self.frame_done, self.done_ns = True, time.monotonic_ns()
        self.keep.remove(callback)

    def _presented(self, proxy: Any, sec_hi: int, sec_lo: int, nsec: int, refresh: int, *_rest: int) -> None:
        self.presented_ns = ((sec_hi << 32) | sec_lo) * 1_000_000_000 + nsec
        self.refresh_ns = refresh
        self.keep.remove(proxy)

    def _discarded(self, proxy: Any) -> None:
        self.discarded = True
        self.keep.remove(proxy)

    def destroy(self) -> None:
        self.toplevel.destroy()
        self.xdg_surface.destroy()
        self.surface.destroy()


class WmClient:
    """Windows driven by lines on stdin, each answered with one line on stdout:

    ``open N``: N more windows (a group), each shown once (``ok``); ``close G``: close group G (``ok``);
    ``arm G``: every window of group G commits again with frame callback and feedback (``ok``);
    ``shown G``: wait for the first of those to be presented, answer ``{"presented_ns": ...}``;
    ``expect``: from now on every window answers its next configure (``ok``); ``resized``: wait until every
    window's buffer for that configure is presented, answer ``{"presented_ns": the last one, ...}``.
    """

    def __init__(self) -> None:
        self.conn = Connection()
        if self.conn.globals.presentation is None:
            raise SystemExit("the compositor has no wp_presentation")
        self.groups: list[list[ConfiguredWindow]] = []
        self.counter = 0
        self.configures_before: dict[int, int] = {}

    def run(self) -> dict[str, Any]:
        conn = self.conn
        fd = conn.display.get_fd()
        while True:
            conn.display.flush()
            ready, _, _ = select.select([sys.stdin, fd], [], [], 1.0)
            if fd in ready:
                conn.display.read()
            conn.display.dispatch(block=False)
            if sys.stdin not in ready:
                continue
            line = sys.stdin.readline().split()
            if not line:
                return {"windows": self.counter}
            answer = self.handle(line[0], int(line[1]) if len(line) > 1 else 0)
            sys.stdout.write((answer if isinstance(answer, str) else json.dumps(answer)) + "\n")
            sys.stdout.flush()

    def handle(self, command: str, argument: int) -> str | dict[str, Any]:
        conn, groups = self.conn, self.groups
        if command == "open":
            group = []
            for _ in range(argument):
                window = ConfiguredWindow(conn, self.counter)
                self.counter += 1
                window.wait_until_drawn()
                group.append(window)
            groups.append(group)
        elif command == "close":
            for window in groups[argument]:
                window.destroy()
            groups[argument] = []
            conn.display.roundtrip()
        elif command == "arm":
            for window in groups[argument]:
                window.commit(attach=True)
            conn.display.flush()
        elif command == "shown":
            armed = groups[argument]
            conn.wait_for(lambda: any(w.presented_ns is not None for w in armed), timeout=10)
            first = min((w for w in armed if w.presented_ns is not None), key=lambda w: w.presented_ns or 0)
            conn.wait_for(lambda: all(w.frame_done for w in armed), timeout=10)
            return {"presented_ns": first.presented_ns, "refresh_ns": first.refresh_ns}
        elif command == "expect":
            self.configures_before = {w.index: w.configures for group in groups for w in group}
        elif command == "resized":
            everyone = [w for group in groups for w in group]
            before = self.configures_before
            conn.wait_for(lambda: all(w.configures > before.get(w.index, 0) for w in everyone), timeout=10)
            try:  # a window whose tile shows nothing of it (too small for its frame) is never presented
                conn.wait_for(lambda: all(w.presented_ns is not None or w.discarded for w in everyone), timeout=1)
            except TimeoutError:
                pass
            shown = [w for w in everyone if w.presented_ns is not None]
            if not shown:
                raise SystemExit("wm client: no window of the new layout was presented")
            return {"presented_ns": max(w.presented_ns or 0 for w in shown), "refresh_ns": shown[0].refresh_ns,
                    "windows": len(everyone), "presented": len(shown),
                    "configured_ns": max(w.configured_ns for w in everyone),
                    "committed_ns": max(w.committed_ns for w in everyone),
                    "sizes": sorted({w.size for w in everyone})}
        else:
            raise SystemExit(f"wm client: unknown command {command!r}")
        return "ok"


def wm_client() -> dict[str, Any]:
    """The ``wm`` client of bench/client.py: :class:`WmClient` until stdin closes."""
    return WmClient().run()


# -- the harness -----------------------------------------------------------------------------------------
def p99(values: list[float]) -> float:
    """Nearest-rank 99th percentile (as bench/run.py's ``percentile``)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def scenario_wm(srv: Any, samples: int) -> dict[str, Any]:
    """``samples`` workspace switches and ``samples`` tiling toggles on a running Orrery ``srv`` (a
    ``bench.run.Server``)."""
    import subprocess  # noqa: PLC0415 (only the harness starts processes)

    from orrery_testing.process import read_line  # noqa: PLC0415

    client = srv.client("wm", stdin=subprocess.PIPE)

    def tell(command: str) -> Any:
        client.stdin.write(command.encode() + b"\n")
        client.stdin.flush()
        answer = read_line(client, 60, "wm client")
        return answer if answer == "ok" else json.loads(answer)

    phase = random.Random(9)  # requests at every phase of the frame clock

    least_presented: list[int] = []  # of a re-layout's windows, the fewest that showed (tiles too small do not)
    steps: dict[str, list[float]] = {"configured": [], "committed": []}  # a re-layout's last configure, commit

    def listed(count: int) -> None:
        """Until the compositor lists ``count`` windows (the client's last ones drawn, the closed ones gone)."""
        wait_until(lambda: len(srv.request("windows")) == count, timeout=30, what=f"{count} windows listed")

    def timed(arm: str, request: tuple[str, ...], wait: str) -> tuple[float, float]:
        time.sleep(phase.uniform(0.05, 0.05 + 1 / 60))
        tell(arm)
        sent = time.monotonic_ns()
        srv.request("action", *request)
        answer = tell(wait)
        if "presented" in answer:
            least_presented[:] = [min([answer["presented"], *least_presented])]
            for step, times in steps.items():
                times.append((answer[f"{step}_ns"] - sent) / 1e6)
        ms = (answer["presented_ns"] - sent) / 1e6
        return ms, ms / (answer["refresh_ns"] / 1e6 if answer["refresh_ns"] else 1000 / 60)

    srv.request("action", "workspace", "1")
    tell(f"open {WINDOWS_PER_WORKSPACE}")  # group 0 on workspace 1
    srv.request("action", "workspace", "2")
    tell(f"open {WINDOWS_PER_WORKSPACE}")  # group 1 on workspace 2
    listed(2 * WINDOWS_PER_WORKSPACE)
    switch = [timed(f"arm {target - 1}", ("workspace", str(target)), f"shown {target - 1}")
              for target in (1 + (i + 1) % 2 for i in range(samples))]  # 1, 2, 1, 2...

    tell("close 1")
    srv.request("action", "workspace", "1")
    tell(f"open {WINDOWS_PER_WORKSPACE}")  # group 2: now 20 windows on workspace 1
    listed(2 * WINDOWS_PER_WORKSPACE)
    tiling = [timed("expect", ("toggle-tiling",), "resized") for _ in range(2 * (samples // 2) or 2)]
    alive = client.poll() is None
    client.kill()
    client.wait()
    if not alive:
        raise RuntimeError("wm client died")
    figures: dict[str, Any] = {"tiling_windows": 2 * WINDOWS_PER_WORKSPACE,
                               "tiling_least_presented": least_presented[0]}
    for step, times in steps.items():  # the re-layout's way to the screen: request → configures → commits
        figures[f"tiling_{step}_median_ms"] = statistics.median(times)
    for name, runs in (("switch", switch), ("tiling", tiling)):
        ms, refreshes = [run[0] for run in runs], [run[1] for run in runs]
        figures[f"{name}_median_ms"] = statistics.median(ms)
        figures[f"{name}_p99_ms"] = p99(ms)
        figures[f"{name}_median_refreshes"] = statistics.median(refreshes)
        figures[f"{name}_p99_refreshes"] = p99(refreshes)
        figures[f"{name}_samples"] = len(runs)
        figures[f"{name}_ms"] = ms
    return figures
