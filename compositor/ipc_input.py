"""IPC commands that drive the seat and place windows, in the spirit of sway's ``seat seat0 cursor ...``:
for scripting, remote control, accessibility tools and conformance suites (WLCS, see ``wlcs/``).

==========================================  ===============================================================
``pointer move X Y``                        move the pointer to global layout coordinates
``pointer move-by DX DY``                   move it relative to where it is
``pointer button BUTTON press|release``     an evdev code (272 is BTN_LEFT) or ``left``/``right``/``middle``
``touch down|motion ID X Y``, ``touch up ID``  a touch point, each followed by ``wl_touch.frame``
``window move ID X Y``                      put a window's top-left corner (its window geometry) at X, Y
``window-for-surface CLIENT SURFACE``       the id of the window whose wl_surface has object id SURFACE in
                                            client CLIENT (as numbered by ``client-socket``)
``surface move CLIENT SURFACE X Y``         put the window or layer surface (panel, wallpaper...) of that
                                            wl_surface at X, Y; a layer surface stays there until unmapped
``client-socket`` (+ one descriptor)        adopt a connected socket as a Wayland client; answers its id
==========================================  ===============================================================

Errors are raised as ValueError, which the IPC server reports as ``{"ok": false, "error": ...}``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .handlers.layer_shell import LayerShellSurface
from .seat import BTN_LEFT, BTN_MIDDLE, BTN_RIGHT
from .wl.resource import Resource

if TYPE_CHECKING:
    from .server import Compositor
    from .surface import Surface
    from .wl.display import Client
    from .wm import ManagedWindow

BUTTONS = {"left": BTN_LEFT, "right": BTN_RIGHT, "middle": BTN_MIDDLE}


def _numbers(args: list[str], count: int, usage: str) -> list[float]:
    if len(args) != count:
        raise ValueError(f"usage: {usage}")
    try:
        return [float(arg) for arg in args]
    except ValueError:
        raise ValueError(f"usage: {usage} (numbers expected, got {' '.join(args)})") from None


def pointer(compositor: Compositor, args: list[str]) -> Any:
    seat = compositor.seat
    what, rest = (args[0], args[1:]) if args else ("", [])
    if what == "move":
        x, y = _numbers(rest, 2, "pointer move X Y")
        seat.pointer_motion(x, y)
    elif what == "move-by":
        dx, dy = _numbers(rest, 2, "pointer move-by DX DY")
        seat.pointer_motion_relative(dx, dy)
    elif what == "button":
        if len(rest) != 2 or rest[1] not in ("press", "release"):
            raise ValueError("usage: pointer button BUTTON press|release")
        name = rest[0].lower()
        if name in BUTTONS:
            code = BUTTONS[name]
        elif name.isdigit():
            code = int(name)
        else:
            raise ValueError(f"unknown button {rest[0]!r}: an evdev code or left, right, middle")
        seat.pointer_button(code, rest[1] == "press")
    else:
        raise ValueError("usage: pointer move X Y | pointer move-by DX DY | pointer button BUTTON press|release")
    return {"x": seat.x, "y": seat.y}


def touch(compositor: Compositor, args: list[str]) -> Any:
    seat = compositor.seat
    what, rest = (args[0], args[1:]) if args else ("", [])
    if what in ("down", "motion"):
        touch_id, x, y = _numbers(rest, 3, f"touch {what} ID X Y")
        if what == "down":
            seat.touch_down(int(touch_id), x, y)
        else:
            seat.touch_motion(int(touch_id), x, y)
    elif what == "up":
        (touch_id,) = _numbers(rest, 1, "touch up ID")
        seat.touch_up(int(touch_id))
    else:
        raise ValueError("usage: touch down ID X Y | touch motion ID X Y | touch up ID")
    seat.touch_frame()
    return None


def _window(compositor: Compositor, window_id: int) -> ManagedWindow:
    for window in compositor.wm.windows:
        if window.id == window_id:
            return window
    raise ValueError(f"no window {window_id}")


def window(compositor: Compositor, args: list[str]) -> Any:
    if not args or args[0] != "move":
        raise ValueError("usage: window move ID X Y")
    window_id, x, y = _numbers(args[1:], 3, "window move ID X Y")
    target = _window(compositor, int(window_id))
    compositor.wm.move_to(target, int(x), int(y))
    return None


def _client(compositor: Compositor, client_id: int) -> Client:
    for client in compositor.display.clients.values():
        if client.id == client_id:
            return client
    raise ValueError(f"no client {client_id}")


def _surface(compositor: Compositor, client_id: int, surface_id: int) -> Surface:
    obj = _client(compositor, client_id).object(surface_id)
    if not isinstance(obj, Resource) or obj.spec.name != "wl_surface":
        raise ValueError(f"client {client_id} has no wl_surface {surface_id}")
    surface: Surface = obj.impl.surface
    return surface


def window_for_surface(compositor: Compositor, args: list[str]) -> Any:
    client_id, surface_id = _numbers(args, 2, "window-for-surface CLIENT SURFACE")
    found = compositor.wm.window_of(_surface(compositor, int(client_id), int(surface_id)))
    if found is None:
        raise ValueError(f"wl_surface {int(surface_id)} is not a mapped window")
    return found.id


def surface(compositor: Compositor, args: list[str]) -> Any:
    if not args or args[0] != "move":
        raise ValueError("usage: surface move CLIENT SURFACE X Y")
    client_id, surface_id, x, y = _numbers(args[1:], 4, "surface move CLIENT SURFACE X Y")
    target = _surface(compositor, int(client_id), int(surface_id))
    window = compositor.wm.window_of(target)
    role = target.role
    if window is not None:
        compositor.wm.move_to(window, int(x), int(y))
    elif isinstance(role, LayerShellSurface) and role.mapped:
        role.shell.move(role, int(x), int(y))
    else:
        raise ValueError(f"wl_surface {int(surface_id)} is neither a mapped window nor a mapped layer surface")
    return None


def client_socket(compositor: Compositor, args: list[str], fds: list[int]) -> Any:
    if len(fds) != 1:
        for fd in fds:
            os.close(fd)
        raise ValueError("client-socket takes exactly one file descriptor (a connected socket)")
    client = compositor.display.create_client(fds[0])  # libwayland owns the descriptor from here on
    return client.id


COMMANDS: dict[str, Callable[[Compositor, list[str]], Any]] = {
    "pointer": pointer, "touch": touch, "window": window, "window-for-surface": window_for_surface,
    "surface": surface,
}
FD_COMMANDS: dict[str, Callable[[Compositor, list[str], list[int]], Any]] = {"client-socket": client_socket}
