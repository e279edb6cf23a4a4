"""Windows that should float on a tiling workspace, shown until the process is killed.

    python -m tests.tools.dialog_window fixed APP_ID   # one 300×200 toplevel with min size == max size
    python -m tests.tools.dialog_window child APP_ID   # a toplevel APP_ID, then APP_ID-dialog, its child
    python -m tests.tools.dialog_window big APP_ID     # a 900×300 toplevel that cannot be smaller (min size)

Prints ``mapped`` once every window's first buffer is committed. Configured sizes are acked, not followed: the
buffers keep their size (as a dialog of fixed size does).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.client import configure_first, connect
from orrery_testing.shm import XRGB8888, shm_buffer, solid

WIDTH, HEIGHT = 300, 200


def toplevel(display: Display, bound: dict[str, Any], app_id: str, parent: Any = None,
             fixed: bool = False, size: tuple[int, int] = (WIDTH, HEIGHT)) -> tuple[Any, ...]:
    width, height = size
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    role = xdg_surface.get_toplevel()
    role.set_app_id(app_id)
    if parent is not None:
        role.set_parent(parent)
    role.set_min_size(width, height)
    if fixed:
        role.set_max_size(width, height)
    configure_first(display, surface, xdg_surface)
    buffer = shm_buffer(bound["wl_shm"], width, height, solid(width, height, (200, 60, 60)), XRGB8888, app_id)
    surface.attach(buffer, 0, 0)
    surface.damage_buffer(0, 0, width, height)
    surface.commit()
    display.roundtrip()
    return surface, xdg_surface, role, buffer


def main(argv: list[str]) -> int:
    kind, app_id = argv
    display, bound = connect({WlCompositor: 4, WlShm: 1, XdgWmBase: 2})
    if kind == "fixed":
        kept = [toplevel(display, bound, app_id, fixed=True)]
    elif kind == "big":
        kept = [toplevel(display, bound, app_id, size=(900, 300))]
    else:
        main_window = toplevel(display, bound, app_id)
        kept = [main_window, toplevel(display, bound, f"{app_id}-dialog", parent=main_window[2])]
    print("mapped", len(kept), flush=True)
    while display.dispatch(block=True) != -1:
        pass
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # skip pywayland's teardown
