"""A window with a known picture and opaque region, shown until the process is killed.

    python -m tests.tools.opaque_window solid RRGGBB APP_ID   # 300×200, XRGB8888, one colour
    python -m tests.tools.opaque_window bands APP_ID          # 240×120, ARGB8888, four 60 px bands

``bands``, left to right: opaque blue (declared opaque), green at half alpha (not declared), fully
transparent (not declared), fully transparent but declared opaque, which a client should never do: a
compositor that trusts the declaration draws nothing under it. The opaque region is sent as two
rectangles with the middle subtracted, so the compositor has to apply wl_region's operations in order.
Prints ``mapped`` once the window's first buffer is committed.
"""

from __future__ import annotations

import os
import sys

from pywayland.protocol.wayland import WlCompositor, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.client import configure_first, connect
from orrery_testing.shm import ARGB8888, XRGB8888, shm_buffer, solid

BAND = 60
# little-endian B, G, R, A, premultiplied
BLUE, HALF_GREEN, CLEAR = b"\xff\x00\x00\xff", b"\x00\x80\x00\x80", b"\x00\x00\x00\x00"


def picture(kind: str, colour: str) -> tuple[int, int, int, bytes]:
    """Width, height, wl_shm format and pixels."""
    if kind == "solid":
        r, g, b = bytes.fromhex(colour)
        return 300, 200, XRGB8888, solid(300, 200, (r, g, b))
    row = b"".join(pixel * BAND for pixel in (BLUE, HALF_GREEN, CLEAR, CLEAR))
    return 4 * BAND, 2 * BAND, ARGB8888, row


def main(argv: list[str]) -> int:
    kind = argv[0]
    colour, app_id = (argv[1], argv[2]) if kind == "solid" else ("", argv[1])
    width, height, shm_format, pixels = picture(kind, colour)
    display, bound = connect({WlCompositor: 4, WlShm: 1, XdgWmBase: 1})
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    toplevel.set_app_id(app_id)
    configure_first(display, surface, xdg_surface)

    buffer = shm_buffer(bound["wl_shm"], width, height, pixels, shm_format, "opaque-window")
    if kind == "bands":
        region = bound["wl_compositor"].create_region()
        region.add(0, 0, width, height)
        region.subtract(BAND, 0, 2 * BAND, height)
        surface.set_opaque_region(region)
        region.destroy()
    surface.attach(buffer, 0, 0)
    surface.damage_buffer(0, 0, width, height)
    surface.commit()
    display.roundtrip()
    print("mapped", flush=True)
    while display.dispatch(block=True) != -1:
        pass
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # skip pywayland's teardown
