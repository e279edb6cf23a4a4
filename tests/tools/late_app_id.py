"""A window that asks for server-side decorations before it has an app_id, and sets its app_id just before its
first buffer (as some toolkits do), shown until the process is killed.

    python -m tests.tools.late_app_id APP_ID

Prints each xdg-decoration mode the compositor configures (``mode server_side`` / ``mode client_side``).
"""

from __future__ import annotations

import os
import sys

from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1, ZxdgToplevelDecorationV1
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.client import configure_first, connect
from orrery_testing.shm import XRGB8888, shm_buffer, solid

MODES = {ZxdgToplevelDecorationV1.mode.client_side: "client_side",
         ZxdgToplevelDecorationV1.mode.server_side: "server_side"}


def main(app_id: str) -> int:
    display, bound = connect({WlCompositor: 4, WlShm: 1, XdgWmBase: 1, ZxdgDecorationManagerV1: 1})
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    decoration = bound["zxdg_decoration_manager_v1"].get_toplevel_decoration(toplevel)
    decoration.dispatcher["configure"] = lambda _obj, mode: print("mode", MODES.get(mode, mode), flush=True)
    decoration.set_mode(ZxdgToplevelDecorationV1.mode.server_side)
    configure_first(display, surface, xdg_surface)
    toplevel.set_app_id(app_id)
    buffer = shm_buffer(bound["wl_shm"], 300, 200, solid(300, 200, (40, 120, 200)), XRGB8888, "late-app-id")
    surface.attach(buffer, 0, 0)
    surface.damage_buffer(0, 0, 300, 200)
    surface.commit()
    while display.dispatch(block=True) != -1:
        pass
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1])
    os._exit(code)  # skip pywayland's teardown
