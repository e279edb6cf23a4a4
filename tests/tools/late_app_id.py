"""A window that asks for server-side decorations before it has an app_id, and sets its app_id just before its
first buffer (as some toolkits do), shown until the process is killed.

    python -m tests.tools.late_app_id APP_ID

Prints each xdg-decoration mode the compositor configures (``mode server_side`` / ``mode client_side``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1, ZxdgToplevelDecorationV1
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.shm import XRGB8888, shm_buffer, solid

MODES = {ZxdgToplevelDecorationV1.mode.client_side: "client_side",
         ZxdgToplevelDecorationV1.mode.server_side: "server_side"}


def main(app_id: str) -> int:
    display = Display()
    display.connect()
    bound: dict[str, Any] = {}

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        for iface, wanted in ((WlCompositor, 4), (WlShm, 1), (XdgWmBase, 1), (ZxdgDecorationManagerV1, 1)):
            if interface == iface.name:
                bound[interface] = registry.bind(name, iface, wanted)

    registry = display.get_registry()
    registry.dispatcher["global"] = on_global
    display.roundtrip()
    bound["xdg_wm_base"].dispatcher["ping"] = lambda wm_base, serial: wm_base.pong(serial)
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    decoration = bound["zxdg_decoration_manager_v1"].get_toplevel_decoration(toplevel)
    decoration.dispatcher["configure"] = lambda _obj, mode: print("mode", MODES.get(mode, mode), flush=True)
    decoration.set_mode(ZxdgToplevelDecorationV1.mode.server_side)
    configured: list[int] = []

    def configure(obj: Any, serial: int) -> None:
        configured.append(serial)
        obj.ack_configure(serial)

    xdg_surface.dispatcher["configure"] = configure
    surface.commit()
    while not configured:
        display.dispatch(block=True)
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
