"""A deliberately broken Wayland client (pywayland client side), for the compositor's robustness tests.

    python -m tests.tools.misbehave bad-scale     # sends wl_surface.set_buffer_scale(0): a protocol error
    python -m tests.tools.misbehave truncate      # maps a window whose pool file it shrank first
    python -m tests.tools.misbehave deep-popups   # nests popups in popups, a thousand deep
    python -m tests.tools.misbehave far-offsets   # moves its window by wl_surface.offset (2^31-1, 2^31-1), 50 times

Prints the protocol error it gets as ``error: ...`` and exits 0 when the compositor disconnected it.
"""

from __future__ import annotations

import json
import os
import sys
import time

from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.shm import XRGB8888, ShmPool, shm_buffer, solid


def main(mode: str) -> int:
    display = Display()
    display.connect()
    registry = display.get_registry()
    globals_: dict[str, object] = {}

    def on_global(registry, name, interface, version):  # type: ignore[no-untyped-def]
        if interface == "wl_compositor":
            globals_["compositor"] = registry.bind(name, WlCompositor, min(version, 5))
        elif interface == "wl_shm":
            globals_["shm"] = registry.bind(name, WlShm, 1)
        elif interface == "xdg_wm_base":
            globals_["xdg"] = registry.bind(name, XdgWmBase, 1)

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    compositor = globals_["compositor"]
    surface = compositor.create_surface()  # type: ignore[attr-defined]
    if mode == "bad-scale":
        surface.set_buffer_scale(0)
    elif mode == "truncate":
        # A window, so the compositor reads the pixels: it draws straight from the client's memory.
        xdg_surface = globals_["xdg"].get_xdg_surface(surface)  # type: ignore[attr-defined]
        xdg_surface.dispatcher["configure"] = lambda xdg_surface, serial: xdg_surface.ack_configure(serial)
        toplevel = xdg_surface.get_toplevel()
        toplevel.set_title("misbehave")
        surface.commit()
        display.roundtrip()
        width, height, stride = 256, 256, 1024
        pool = ShmPool(globals_["shm"], stride * height, "pool")
        buffer = pool.buffer(0, width, height, stride=stride)
        surface.attach(buffer, 0, 0)
        surface.damage_buffer(0, 0, width, height)
        os.ftruncate(pool.fd, 0)  # the pages the compositor is about to read are gone
        surface.commit()
    elif mode == "far-offsets":
        xdg_surface = globals_["xdg"].get_xdg_surface(surface)  # type: ignore[attr-defined]
        xdg_surface.dispatcher["configure"] = lambda xdg_surface, serial: xdg_surface.ack_configure(serial)
        xdg_surface.get_toplevel().set_app_id("far-offsets")
        surface.commit()
        display.roundtrip()
        buffer = shm_buffer(globals_["shm"], 64, 64, solid(64, 64, (255, 0, 255)), XRGB8888, "far")
        for _ in range(50):  # legal requests, each moving the window as far as an int32 goes
            surface.attach(buffer, 0, 0)
            surface.offset(2**31 - 1, 2**31 - 1)
            surface.damage_buffer(0, 0, 64, 64)
            surface.commit()
        display.roundtrip()
        from compositor import ipc  # where the compositor put the window, asked while it is still there

        far = [w for w in ipc.request(os.environ["WAYLAND_DISPLAY"], "windows", []) if w["app_id"] == "far-offsets"]
        print("offsets sent", json.dumps([far[0]["x"], far[0]["y"]]) if far else "no window", flush=True)
        return 0
    elif mode == "deep-popups":
        xdg = globals_["xdg"]
        parent = xdg.get_xdg_surface(surface)  # type: ignore[attr-defined]
        parent.get_toplevel()
        positioner = xdg.create_positioner()  # type: ignore[attr-defined]
        positioner.set_size(10, 10)
        positioner.set_anchor_rect(0, 0, 1, 1)
        for _ in range(1000):
            child = xdg.get_xdg_surface(compositor.create_surface())  # type: ignore[attr-defined]
            child.get_popup(parent, positioner)
            parent = child
            if display.roundtrip() < 0:  # the error: what follows reports it
                break
    else:
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    for _ in range(40):  # up to 2 s: the compositor reads a window's pixels when it next repaints
        if display.roundtrip() < 0:  # libwayland printed the compositor's error message on stderr
            print("disconnected", flush=True)
            return 0
        time.sleep(0.05)
    print("still connected", flush=True)
    return 1


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(sys.argv[1]))  # skip pywayland's teardown of a dead connection
