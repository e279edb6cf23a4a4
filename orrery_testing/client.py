"""What the small test clients share: a connection with the globals they bind, and the first configure.

    display, bound = connect({WlCompositor: 4, WlShm: 1, XdgWmBase: 1})
    surface = bound["wl_compositor"].create_surface()
    xdg_surface = bound["xdg_wm_base"].get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    configure_first(display, surface, xdg_surface)   # commits, waits for the configure, acks it
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pywayland.client import Display


def connect(wanted: Mapping[Any, int]) -> tuple[Display, dict[str, Any]]:
    """A connection to $WAYLAND_DISPLAY with each interface of ``wanted`` bound at the version given (or the
    compositor's, if lower), by interface name; an xdg_wm_base answers pings."""
    display = Display()
    display.connect()
    bound: dict[str, Any] = {}
    by_name = {interface.name: (interface, version) for interface, version in wanted.items()}

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        if interface in by_name and interface not in bound:
            kind, most = by_name[interface]
            bound[interface] = registry.bind(name, kind, min(version, most))

    registry = display.get_registry()
    registry.dispatcher["global"] = on_global
    display.roundtrip()
    missing = by_name.keys() - bound.keys()
    if missing:
        raise RuntimeError(f"the compositor lacks {', '.join(sorted(missing))}")
    if "xdg_wm_base" in bound:
        bound["xdg_wm_base"].dispatcher["ping"] = lambda wm_base, serial: wm_base.pong(serial)
    bound["wl_registry"] = registry  # kept: pywayland finds the display through it
    return display, bound


def configure_first(display: Display, surface: Any, xdg_surface: Any) -> None:
    """The initial commit of an xdg_surface, then its configure, acked (this and every later one)."""
    configured: list[int] = []

    def configure(obj: Any, serial: int) -> None:
        configured.append(serial)
        obj.ack_configure(serial)

    xdg_surface.dispatcher["configure"] = configure
    surface.commit()
    while not configured:
        display.dispatch(block=True)
