"""A window that holds idleness off while it shows (zwp_idle_inhibitor_v1 on its surface), as a video player does.

    python -m tests.tools.idle_inhibitor APP_ID

Maps a 200×150 window, creates the inhibitor, prints ``inhibiting`` and stays until it is killed.
"""

from __future__ import annotations

import os
import sys

from pywayland.protocol.idle_inhibit_unstable_v1 import ZwpIdleInhibitManagerV1
from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.client import configure_first, connect
from orrery_testing.shm import XRGB8888, shm_buffer, solid

WIDTH, HEIGHT = 200, 150


def main(argv: list[str]) -> int:
    display, bound = connect({WlCompositor: 4, WlShm: 1, XdgWmBase: 1, ZwpIdleInhibitManagerV1: 1})
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    toplevel.set_app_id(argv[0])
    configure_first(display, surface, xdg_surface)
    buffer = shm_buffer(bound["wl_shm"], WIDTH, HEIGHT, solid(WIDTH, 1, (0x20, 0x80, 0x40)), XRGB8888, "inhibitor")
    surface.attach(buffer, 0, 0)
    surface.damage_buffer(0, 0, WIDTH, HEIGHT)
    surface.commit()
    inhibitor = bound["zwp_idle_inhibit_manager_v1"].create_inhibitor(surface)
    display.roundtrip()
    print("inhibiting", flush=True)
    while display.dispatch(block=True) != -1:
        pass
    del inhibitor
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # skip pywayland's teardown
