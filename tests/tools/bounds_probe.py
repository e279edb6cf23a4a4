"""A toplevel that asks for server-side decorations and prints the configure_bounds it is told, as JSON.

    python -m tests.tools.bounds_probe
"""

from __future__ import annotations

import json
from typing import Any

from pywayland.protocol.wayland import WlCompositor
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.client import configure_first, connect

SERVER_SIDE = 2


def main() -> None:
    display, bound = connect({WlCompositor: 4, XdgWmBase: 5, ZxdgDecorationManagerV1: 1})
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    decoration = bound["zxdg_decoration_manager_v1"].get_toplevel_decoration(toplevel)
    decoration.set_mode(SERVER_SIDE)
    bounds: list[tuple[int, int]] = []
    modes: list[int] = []
    toplevel.dispatcher["configure_bounds"] = lambda _t, width, height: bounds.append((width, height))
    decoration.dispatcher["configure"] = lambda _d, mode: modes.append(mode)
    toplevel.dispatcher["configure"] = lambda *_args: None
    configure_first(display, surface, xdg_surface)
    result: dict[str, Any] = {"bounds": bounds[-1] if bounds else None, "mode": modes[-1] if modes else None}
    print(json.dumps(result))
    display.disconnect()


if __name__ == "__main__":
    main()
