"""A client that commits in a tight loop, each commit asking for a frame callback.

    python -m tests.tools.frame_counter SECONDS

Prints ``commits=N callbacks=M answers=K refresh_mhz=R elapsed=S`` after SECONDS: K is how many distinct
times (frames) the compositor answered callbacks, however many commits there were; R is the refresh rate of
the current mode the output advertises (wl_output.mode); S is how long the loop really ran.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.shm import shm_buffer

WIDTH, HEIGHT = 64, 64


def main(seconds: float) -> int:
    display = Display()
    display.connect()
    bound: dict[str, Any] = {}
    refresh_mhz: list[int] = []

    def on_mode(output: Any, flags: int, width: int, height: int, refresh: int) -> None:
        if flags & WlOutput.mode.current:
            refresh_mhz.append(refresh)

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        for iface, wanted in ((WlCompositor, 4), (WlShm, 1), (XdgWmBase, 1), (WlOutput, 2)):
            if interface == iface.name and interface not in bound:  # the first output: the one it shows on
                bound[interface] = registry.bind(name, iface, wanted)
                if iface is WlOutput:
                    bound[interface].dispatcher["mode"] = on_mode

    registry = display.get_registry()
    registry.dispatcher["global"] = on_global
    display.roundtrip()
    display.roundtrip()  # the output's events
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    toplevel.set_app_id("frame-counter")
    configured: list[int] = []
    xdg_surface.dispatcher["configure"] = lambda obj, serial: configured.append(serial)
    surface.commit()
    while not configured:
        display.dispatch(block=True)
    xdg_surface.ack_configure(configured[-1])

    buffer = shm_buffer(bound["wl_shm"], WIDTH, HEIGHT, name="frame-counter")

    callbacks = commits = 0
    answer_times: set[int] = set()

    def done(callback: Any, time_ms: int) -> None:
        nonlocal callbacks
        callbacks += 1
        answer_times.add(time_ms)

    pending: list[Any] = []  # pywayland drops events of proxies that were garbage-collected
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        frame = surface.frame()
        frame.dispatcher["done"] = done
        pending.append(frame)
        surface.attach(buffer, 0, 0)
        surface.damage_buffer(0, 0, WIDTH, HEIGHT)
        surface.commit()
        commits += 1
        display.roundtrip()
    elapsed = time.monotonic() - start
    print(f"commits={commits} callbacks={callbacks} answers={len(answer_times)} refresh_mhz={refresh_mhz[-1]} "
          f"elapsed={elapsed:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    code = main(float(sys.argv[1]))
    os._exit(code)  # skip pywayland's teardown
