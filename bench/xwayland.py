"""Scenario 10 of bench/run.py, ``xwayland``: how soon an X11 program's window is managed, with Xwayland not yet
running (cold) and running (warm), on Orrery and on weston 10 started with ``--xwayland``.

Both compositors start Xwayland when the first X11 client connects. The X11 client is ours
(``python -m bench.xwayland``, :func:`client`): it connects, creates and maps a 400×300 window and reports
(CLOCK_MONOTONIC) when the window manager has managed it, i.e. set ``WM_STATE`` on it, which both window managers
do once the window is mapped. Times run from just before the client process is started. Cold is the first client
of a fresh compositor; warm the second one, with Xwayland and the first client still running. For Orrery, the time
until an ``xterm`` window is listed by ``orrery msg windows`` with its first buffer (so on screen at the next
refresh) is measured too, cold and warm; weston has no way to tell.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from typing import Any

from orrery_testing.process import read_line, wait_until

WINDOW = (400, 300)


# -- the X11 client ------------------------------------------------------------------------------------
def client() -> int:
    import xcffib
    import xcffib.xproto as xp

    conn = xcffib.connect()
    core = conn.core
    screen = conn.get_setup().roots[conn.pref_screen]
    wm_state = core.InternAtom(False, len("WM_STATE"), "WM_STATE").reply().atom
    window = conn.generate_id()
    core.CreateWindow(screen.root_depth, window, screen.root, 0, 0, WINDOW[0], WINDOW[1], 0,
                      xp.WindowClass.InputOutput, screen.root_visual, xp.CW.BackPixel | xp.CW.EventMask,
                      [0x3060A0, xp.EventMask.PropertyChange | xp.EventMask.StructureNotify])
    title = b"bench-x11"
    core.ChangeProperty(xp.PropMode.Replace, window, xp.Atom.WM_NAME, xp.Atom.STRING, 8, len(title), title)
    core.MapWindow(window)
    conn.flush()
    while True:
        event = conn.wait_for_event()
        if isinstance(event, xp.PropertyNotifyEvent) and event.atom == wm_state:
            print(time.monotonic_ns(), flush=True)
            break
    sys.stdin.read()  # stays (and keeps its window) until the harness closes our stdin
    return 0


# -- the harness ---------------------------------------------------------------------------------------
def x_display(srv: Any) -> str:
    """The X display the compositor serves: Orrery says so over IPC, weston in its log."""
    if srv.kind == "orrery":
        return str(srv.request("xwayland")["display"])
    found = wait_until(lambda: re.search(r"listening on display (:\d+)", srv.log_text(200_000)), timeout=10,
                       what="weston's X display in its log")
    return str(found.group(1))


def _managed_after(srv: Any, display: str, clients: list[subprocess.Popen[bytes]]) -> float:
    launched = time.monotonic_ns()
    process = srv.spawn([sys.executable, "-m", "bench.xwayland"], env={"DISPLAY": display},
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE)
    clients.append(process)
    return (int(read_line(process, 30, "the X11 client")) - launched) / 1e9


def _xterm_shown_after(srv: Any, display: str, title: str) -> float:
    launched = time.monotonic()
    srv.spawn(["xterm", "-T", title], env={"DISPLAY": display})

    def shown() -> bool:
        return any(w["title"] == title and w["buffer"] for w in srv.request("windows"))

    wait_until(shown, timeout=30, interval=0.005, what="xterm on screen")
    return time.monotonic() - launched


def scenario_xwayland(make_server: Any, kind: str, runs: int) -> dict[str, Any]:
    """``runs`` fresh compositors (``make_server()`` → a context manager of one), each timed cold then warm."""
    cold: list[float] = []
    warm: list[float] = []
    xterm_cold: list[float] = []
    xterm_warm: list[float] = []
    for _ in range(runs):
        with make_server() as srv:
            display = x_display(srv)
            clients: list[subprocess.Popen[bytes]] = []
            cold.append(_managed_after(srv, display, clients))
            warm.append(_managed_after(srv, display, clients))
            for process in clients:
                if process.stdin is not None:
                    process.stdin.close()
        if kind == "orrery":
            with make_server() as srv:
                display = x_display(srv)
                xterm_cold.append(_xterm_shown_after(srv, display, "cold"))
                xterm_warm.append(_xterm_shown_after(srv, display, "warm"))
    result: dict[str, Any] = {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm), "runs": runs}
    if xterm_cold:
        result["xterm_cold_s"] = statistics.median(xterm_cold)
        result["xterm_warm_s"] = statistics.median(xterm_warm)
    return result


if __name__ == "__main__":
    sys.exit(client())
