"""Scripted clients for layer-shell, foreign-toplevel and popup-grab behaviour that WLCS found wrong; each
scenario prints what it saw as JSON (the connection and IPC helpers are :mod:`tests.tools.wl_probe`'s).

    python -m tests.tools.layer_probe SCENARIO COMPOSITOR_NAME

- ``layer-configure``: a layer surface reconfigured by a buffer-less commit, placed by the size it asked
  for when its buffer differs, then put elsewhere with ``surface move``.
- ``on-demand-keyboard``: an ``on_demand`` top-layer surface takes the keyboard when mapped, and gives it
  up to a window mapped after it.
- ``taskbar-states``: what a zwlr_foreign_toplevel handle reports as the client unmaximizes a window it
  mapped maximized, and as a taskbar maximizes a minimized one.
- ``grab-new-window``: a grabbing popup is dismissed when the client maps another window.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

from compositor import ipc
from protocols.wlr_foreign_toplevel_management_unstable_v1 import (
    ZwlrForeignToplevelManagerV1,
)
from protocols.wlr_layer_shell_unstable_v1 import ZwlrLayerShellV1, ZwlrLayerSurfaceV1
from tests.tools.wl_probe import BTN_LEFT, ProbeClient, proxy_id

TOP_LAYER = 2
ANCHOR_TOP, ANCHOR_BOTTOM, ANCHOR_LEFT, ANCHOR_RIGHT = 1, 2, 4, 8
MAXIMIZED, MINIMIZED = 0, 1  # zwlr_foreign_toplevel_handle_v1.state


def bind_extra(client: ProbeClient) -> None:
    """Bind the layer shell and the wlr foreign-toplevel manager too (wl_probe binds the core globals)."""
    wanted = {ZwlrLayerShellV1.name: ZwlrLayerShellV1, ZwlrForeignToplevelManagerV1.name: ZwlrForeignToplevelManagerV1}

    def on_global(registry: Any, gname: int, interface: str, version: int) -> None:
        if interface in wanted and interface not in client.globals:
            client.globals[interface] = registry.bind(gname, wanted[interface], min(version, wanted[interface].version))

    registry = client.display.get_registry()
    registry.dispatcher["global"] = on_global
    client.keep.append(registry)
    client.roundtrip()


def layer_surface(client: ProbeClient, anchor: int, size: tuple[int, int], keyboard: int = 0) -> tuple[Any, Any]:
    """A layer surface of the top layer, configured (not yet mapped); configures are logged and acked."""
    surface = client.globals["wl_compositor"].create_surface()
    layer = client.globals["zwlr_layer_shell_v1"].get_layer_surface(surface, None, TOP_LAYER, "probe")

    def configure(obj: Any, serial: int, width: int, height: int) -> None:
        client.log("configure", width, height)
        obj.ack_configure(serial)

    layer.dispatcher["configure"] = configure
    client.keep.extend((surface, layer))
    layer.set_anchor(anchor)
    layer.set_size(*size)
    layer.set_keyboard_interactivity(keyboard)
    surface.commit()
    client.roundtrip()
    return surface, layer


def _placed(name: str) -> list[int]:
    found = [s for s in ipc.request(name, "layers", []) if s["namespace"] == "probe"]
    return [found[0][key] for key in ("x", "y", "width", "height")] if found else []


def layer_configure(name: str) -> Any:
    client = ProbeClient(name)
    bind_extra(client)
    surface, layer = layer_surface(client, 0, (200, 300))
    first = client.take()
    layer.set_size(0, 0)
    layer.set_anchor(ANCHOR_TOP | ANCHOR_BOTTOM | ANCHOR_LEFT | ANCHOR_RIGHT)
    surface.commit()  # no buffer yet: only the new state, which needs a new configure
    client.roundtrip()
    stretched = client.take()
    layer.set_size(200, 300)
    layer.set_anchor(ANCHOR_RIGHT | ANCHOR_BOTTOM)
    layer.set_margin(0, 9, 15, 0)
    surface.attach(client.buffer(52, 74), 0, 0)  # not the size it asked for
    surface.commit()
    client.roundtrip()
    placed = _placed(name)
    client.msg("surface", "move", client.id, proxy_id(surface), 100, 50)
    moved = _placed(name)
    return {"first": first, "stretched": stretched, "placed": placed, "moved": moved}


def _keyboard_log(client: ProbeClient) -> Any:
    keyboard = client.globals["wl_seat"].get_keyboard()
    keyboard.dispatcher["enter"] = lambda _k, serial, surface, keys: client.log("enter", proxy_id(surface))
    keyboard.dispatcher["leave"] = lambda _k, serial, surface: client.log("leave")
    client.keep.append(keyboard)
    return keyboard


def on_demand_keyboard(name: str) -> Any:
    client = ProbeClient(name)
    bind_extra(client)
    _keyboard_log(client)
    window, _, _ = client.toplevel(100, 100)
    client.take()
    on_demand = ZwlrLayerSurfaceV1.keyboard_interactivity.on_demand
    surface, _ = layer_surface(client, ANCHOR_TOP | ANCHOR_LEFT, (200, 300), on_demand)
    surface.attach(client.buffer(200, 300), 0, 0)
    surface.commit()
    client.roundtrip()
    mapped = [e for e in client.take() if e[0] in ("enter", "leave")]
    second, _, _ = client.toplevel(100, 100)
    after_window = [e for e in client.take() if e[0] in ("enter", "leave")]
    return {"layer": proxy_id(surface), "second_window": proxy_id(second), "window": proxy_id(window),
            "mapped": mapped, "after_window": after_window}


def taskbar_states(name: str) -> Any:
    client = ProbeClient(name)
    bind_extra(client)
    states: list[list[int]] = []
    handles: list[Any] = []

    def on_toplevel(_manager: Any, handle: Any) -> None:
        handle.dispatcher["state"] = lambda _h, value: states.append(
            sorted(int.from_bytes(value[i:i + 4], "little") for i in range(0, len(value), 4)))
        handles.append(handle)

    client.globals["zwlr_foreign_toplevel_manager_v1"].dispatcher["toplevel"] = on_toplevel
    client.keep.append(handles)
    client.roundtrip()
    surface = client.globals["wl_compositor"].create_surface()
    xdg_surface = client.globals["xdg_wm_base"].get_xdg_surface(surface)
    xdg_surface.dispatcher["configure"] = lambda obj, serial: obj.ack_configure(serial)
    toplevel = xdg_surface.get_toplevel()
    client.keep.extend((surface, xdg_surface, toplevel))
    toplevel.set_maximized()
    surface.commit()
    client.roundtrip()
    surface.attach(client.buffer(100, 100), 0, 0)
    surface.commit()
    client.roundtrip()
    mapped_maximized = states[-1] if states else None
    toplevel.unset_maximized()
    surface.attach(client.buffer(100, 100), 0, 0)
    surface.commit()
    client.roundtrip()
    unmaximized = states[-1]
    toplevel.set_minimized()
    client.roundtrip()
    minimized = states[-1]
    handles[0].set_maximized()
    client.roundtrip()
    client.roundtrip()
    return {"mapped_maximized": mapped_maximized, "unmaximized": unmaximized, "minimized": minimized,
            "maximized_by_taskbar": states[-1]}


def grab_new_window(name: str) -> Any:
    client = ProbeClient(name)
    surface, xdg_surface, _ = client.toplevel(200, 200)
    client.msg("surface", "move", client.id, proxy_id(surface), 100, 100)
    client.msg("pointer", "move", 110, 110)
    client.msg("pointer", "button", str(BTN_LEFT), "press")
    client.msg("pointer", "button", str(BTN_LEFT), "release")
    serial = [e[2] for e in client.events if e[1:2] == ["button"]][-1]
    positioner = client.globals["xdg_wm_base"].create_positioner()
    positioner.set_size(30, 30)
    positioner.set_anchor_rect(0, 0, 1, 1)
    popup_surface = client.globals["wl_compositor"].create_surface()
    popup_xdg = client.globals["xdg_wm_base"].get_xdg_surface(popup_surface)
    popup_xdg.dispatcher["configure"] = lambda obj, serial: obj.ack_configure(serial)
    popup = popup_xdg.get_popup(xdg_surface, positioner)
    popup.dispatcher["popup_done"] = lambda _p: client.log("popup_done")
    popup.grab(client.globals["wl_seat"], serial)
    client.keep.extend((positioner, popup_surface, popup_xdg, popup))
    popup_surface.commit()
    client.roundtrip()
    popup_surface.attach(client.buffer(30, 30), 0, 0)
    popup_surface.commit()
    client.roundtrip()
    client.take()
    client.toplevel(100, 100)  # a new window takes the focus
    return {"after_new_window": [e for e in client.take() if e == ["popup_done"]]}


SCENARIOS: dict[str, Callable[[str], Any]] = {
    "layer-configure": layer_configure, "on-demand-keyboard": on_demand_keyboard,
    "taskbar-states": taskbar_states, "grab-new-window": grab_new_window,
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](sys.argv[2])), flush=True)
    os._exit(0)  # skip pywayland's teardown
