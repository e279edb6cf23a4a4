"""A scripted Wayland client that checks one behaviour and prints what it saw as JSON.

    python -m tests.tools.wl_probe SCENARIO COMPOSITOR_NAME

It connects through ``orrery msg client-socket`` (a socketpair handed over with SCM_RIGHTS), so it can
find its own windows with ``window-for-surface`` and drive the seat with ``pointer``/``window move``, the
way the WLCS integration does. Each IPC command returns only after the compositor flushed the resulting
events, so a roundtrip afterwards sees them. Scenarios: surface-outputs, pointer-follows-layout,
xdg-configure, interactive-move-leaves, relative-and-constraints, touch-up-on-destroy, buffer-lifetime,
surface-offset, subsurface-order, deep-subsurfaces, virtual-pointer-frame.
"""

from __future__ import annotations

import ctypes
import glob
import json
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

import cairo
import pywayland
from pywayland import ffi
from pywayland.client import Display
from pywayland.protocol.pointer_constraints_unstable_v1 import ZwpPointerConstraintsV1
from pywayland.protocol.relative_pointer_unstable_v1 import ZwpRelativePointerManagerV1
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlSeat, WlShm, WlSubcompositor
from pywayland.protocol.xdg_output_unstable_v1 import ZxdgOutputManagerV1
from pywayland.protocol.xdg_shell import XdgWmBase

from compositor import ipc
from orrery_testing.shm import PLAIN, shm_buffer
from protocols.wlr_virtual_pointer_unstable_v1 import ZwlrVirtualPointerManagerV1

BTN_LEFT = 0x110


def _libwayland_client() -> ctypes.CDLL:
    """The libwayland-client pywayland loaded, for the calls its cffi module leaves out."""
    libs = glob.glob(os.path.join(os.path.dirname(os.path.dirname(pywayland.__file__)), "pywayland.libs",
                                  "libwayland-client*.so*"))
    lib = ctypes.CDLL(libs[0] if libs else "libwayland-client.so.0")
    lib.wl_proxy_get_id.restype = ctypes.c_uint32
    lib.wl_display_get_protocol_error.restype = ctypes.c_uint32
    lib.wl_display_get_protocol_error.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    return lib


def _address(proxy: Any) -> ctypes.c_void_p:
    return ctypes.c_void_p(int(ffi.cast("uintptr_t", proxy._ptr)))


def proxy_id(proxy: Any) -> int:
    """The object id of a pywayland proxy."""
    return int(_libwayland_client().wl_proxy_get_id(_address(proxy)))


class ProbeClient:
    """One connection, with the globals bound and every event of interest logged in ``events``."""

    # Every connection lives until the script ends (it exits with os._exit): pywayland crashes when it
    # garbage-collects the proxies of a connection the compositor closed with a protocol error.
    opened: list[ProbeClient] = []

    def __init__(self, name: str) -> None:
        ProbeClient.opened.append(self)
        self.name = name
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.id: int = ipc.request(name, "client-socket", [], fds=[theirs.fileno()])
        theirs.close()
        self.display = Display(ours.detach())
        self.display.connect()
        self.events: list[list[Any]] = []
        self.error: tuple[str, int] | None = None
        self.enter_serial = 0  # of the last wl_pointer.enter
        self.entered = 0  # the object id of the surface the pointer is on, 0 for none
        self.keep: list[Any] = []  # pywayland drops events of proxies that were garbage-collected
        self.globals: dict[str, Any] = {}
        versions = {WlCompositor: 6, WlShm: 1, XdgWmBase: 5, WlSeat: 8, WlOutput: 4, ZxdgOutputManagerV1: 3,
                    ZwpRelativePointerManagerV1: 1, ZwpPointerConstraintsV1: 1, WlSubcompositor: 1,
                    ZwlrVirtualPointerManagerV1: 2}

        def on_global(registry: Any, gname: int, interface: str, version: int) -> None:
            for iface, wanted in versions.items():
                if interface == iface.name and interface not in self.globals:
                    self.globals[interface] = registry.bind(gname, iface, min(wanted, version))

        registry = self.display.get_registry()
        registry.dispatcher["global"] = on_global
        self.keep.append(registry)
        self.roundtrip()
        self.pointer = self.new_pointer("pointer")

    def log(self, *event: Any) -> None:
        self.events.append(list(event))

    def roundtrip(self) -> bool:
        """False once the compositor sent a protocol error (``error``: interface name and code)."""
        if self.error is not None:
            return False
        if self.display.roundtrip() >= 0:
            return True
        interface = ctypes.c_void_p()
        code = _libwayland_client().wl_display_get_protocol_error(_address(self.display), ctypes.byref(interface),
                                                                  None)
        name = ctypes.cast(interface, ctypes.POINTER(ctypes.c_char_p))[0] if interface.value else b""
        self.error = ((name or b"").decode(), int(code))
        return False

    def new_pointer(self, label: str) -> Any:
        pointer = self.globals["wl_seat"].get_pointer()

        def enter(_p: Any, serial: int, surface: Any, x: float, y: float) -> None:
            self.enter_serial, self.entered = serial, proxy_id(surface)
            self.log(label, "enter", x, y)

        pointer.dispatcher["enter"] = enter

        def leave(_p: Any, serial: int, surface: Any) -> None:
            self.entered = 0
            self.log(label, "leave")

        pointer.dispatcher["leave"] = leave
        pointer.dispatcher["motion"] = lambda _p, time, x, y: self.log(label, "motion", x, y)
        pointer.dispatcher["button"] = lambda _p, serial, time, button, state: self.log(label, "button", serial)
        self.keep.append(pointer)
        return pointer

    def buffer(self, width: int, height: int, bgra: bytes = PLAIN) -> Any:
        buffer = shm_buffer(self.globals["wl_shm"], width, height, bgra, name="wl-probe")
        self.keep.append(buffer)
        return buffer

    def toplevel(self, width: int, height: int, initial_commit: bool = True) -> tuple[Any, Any, Any]:
        """A mapped xdg_toplevel (acking each configure as it arrives)."""
        surface = self.globals["wl_compositor"].create_surface()
        surface.dispatcher["enter"] = lambda _s, output: self.log("surface", "enter")
        surface.dispatcher["leave"] = lambda _s, output: self.log("surface", "leave")
        xdg_surface = self.globals["xdg_wm_base"].get_xdg_surface(surface)

        def configure(obj: Any, serial: int) -> None:
            self.log("configure")
            obj.ack_configure(serial)

        xdg_surface.dispatcher["configure"] = configure
        toplevel = xdg_surface.get_toplevel()
        self.keep.extend((surface, xdg_surface, toplevel))
        if initial_commit:
            surface.commit()
        surface.attach(self.buffer(width, height), 0, 0)
        surface.commit()
        self.roundtrip()
        return surface, xdg_surface, toplevel

    def window_id(self, surface: Any) -> int:
        return int(ipc.request(self.name, "window-for-surface", [str(self.id), str(proxy_id(surface))]))

    def msg(self, *args: Any) -> Any:
        result = ipc.request(self.name, str(args[0]), [str(a) for a in args[1:]])
        self.roundtrip()
        return result

    def take(self) -> list[list[Any]]:
        events, self.events = self.events, []
        return events

    def commit_and_wait(self, surface: Any) -> None:
        """Commit ``surface`` and wait until the frame that shows it was drawn (its frame callback)."""
        done: list[int] = []
        callback = surface.frame()
        callback.dispatcher["done"] = lambda _c, time: done.append(time)
        self.keep.append(callback)
        surface.commit()
        while not done:
            self.display.dispatch(block=True)

    def pixel(self, x: int, y: int) -> list[int]:
        """The colour the compositor shows at layout position (x, y), as [r, g, b] (as last drawn)."""
        path = os.path.join(os.environ["XDG_RUNTIME_DIR"], "wl-probe.png")
        self.msg("screenshot", path)
        image = cairo.ImageSurface.create_from_png(path)
        b, g, r, _a = image.get_data()[image.get_stride() * y + 4 * x:][:4]
        return [r, g, b]

    def subsurface(self, parent: Any, x: int, y: int, width: int, height: int, bgra: bytes) -> tuple[Any, Any]:
        """A subsurface of ``parent`` with a buffer committed (shown once the parent commits)."""
        surface = self.globals["wl_compositor"].create_surface()
        role = self.globals["wl_subcompositor"].get_subsurface(surface, parent)
        role.set_position(x, y)
        surface.attach(self.buffer(width, height, bgra), 0, 0)
        surface.commit()
        self.keep.extend((surface, role))
        return surface, role


def surface_outputs(name: str) -> Any:
    client = ProbeClient(name)
    surface, _, _ = client.toplevel(100, 100)
    on_screen = client.take()
    client.msg("window", "move", client.window_id(surface), -500, -500)
    off_screen = client.take()
    client.msg("window", "move", client.window_id(surface), 10, 10)
    back = client.take()
    xdg_output = client.globals["zxdg_output_manager_v1"].get_xdg_output(client.globals["wl_output"])
    names: list[str] = []
    xdg_output.dispatcher["name"] = lambda _o, value: names.append(value)
    client.keep.append(xdg_output)
    client.roundtrip()
    return {"on_screen": on_screen, "off_screen": off_screen, "back": back, "xdg_output_names": names}


def pointer_follows_layout(name: str) -> Any:
    client = ProbeClient(name)
    client.msg("pointer", "move", 0, 0)
    surface, _, _ = client.toplevel(100, 100)
    window = client.window_id(surface)
    client.msg("window", "move", window, 400, 400)
    client.msg("pointer", "move", 450, 450)
    entered = client.take()
    client.msg("window", "move", window, 420, 410)  # the window moves under a still pointer
    moved = client.take()
    second = client.new_pointer("second")  # a wl_pointer created while the client has the focus
    client.roundtrip()
    new_pointer = client.take()
    client.msg("window", "move", window, 200, 200)
    left = client.take()
    surface.attach(client.buffer(300, 300), 0, 0)  # grows under the pointer: enter without motion
    surface.commit()
    client.roundtrip()
    grown = client.take()
    client.keep.append(second)
    return {"entered": entered, "moved": moved, "new_pointer": new_pointer, "left": left, "grown": grown}


def xdg_configure(name: str) -> Any:
    result: dict[str, Any] = {}
    client = ProbeClient(name)  # configure on role creation, before any commit
    surface = client.globals["wl_compositor"].create_surface()
    xdg_surface = client.globals["xdg_wm_base"].get_xdg_surface(surface)
    xdg_surface.dispatcher["configure"] = lambda obj, serial: client.log("configure")
    toplevel = xdg_surface.get_toplevel()
    client.keep.extend((surface, xdg_surface, toplevel))
    client.roundtrip()  # the configure follows the batch, so it may come just after the sync's reply
    client.roundtrip()
    result["before_commit"] = client.take()
    surface, _, _ = client.toplevel(80, 60, initial_commit=False)  # a first buffer right after that
    result["mapped_without_initial_commit"] = client.window_id(surface) > 0

    client = ProbeClient(name)  # attaching before the first configure
    surface = client.globals["wl_compositor"].create_surface()
    xdg_surface = client.globals["xdg_wm_base"].get_xdg_surface(surface)
    client.keep.extend((surface, xdg_surface))
    surface.attach(client.buffer(10, 10), 0, 0)
    client.roundtrip()
    result["attach_unconfigured"] = client.error

    client = ProbeClient(name)  # a pending (attached, not committed) buffer
    surface = client.globals["wl_compositor"].create_surface()
    surface.attach(client.buffer(10, 10), 0, 0)
    client.roundtrip()
    client.keep.append(client.globals["xdg_wm_base"].get_xdg_surface(surface))
    client.keep.append(surface)
    client.roundtrip()
    result["pending_buffer"] = client.error
    return result


def interactive_move_leaves(name: str) -> Any:
    client = ProbeClient(name)
    surface, _, toplevel = client.toplevel(200, 200)
    client.msg("window", "move", client.window_id(surface), 100, 100)
    client.msg("pointer", "move", 150, 150)
    client.msg("pointer", "button", "left", "press")
    serial = next(e[2] for e in client.events if e[1:2] == ["button"])
    client.take()
    toplevel.move(client.globals["wl_seat"], serial)
    client.roundtrip()
    during = client.take()
    client.msg("pointer", "move", 180, 170)
    client.msg("pointer", "button", "left", "release")
    after = client.take()
    windows = ipc.request(name, "windows", [])
    return {"during": during, "after": after, "position": [windows[0]["x"], windows[0]["y"]]}


def relative_and_constraints(name: str) -> Any:
    client = ProbeClient(name)
    surface, _, _ = client.toplevel(300, 300)
    client.msg("window", "move", client.window_id(surface), 0, 0)
    client.msg("pointer", "move", 150, 150)
    relative = client.globals["zwp_relative_pointer_manager_v1"].get_relative_pointer(client.pointer)
    relative.dispatcher["relative_motion"] = lambda _r, hi, lo, dx, dy, udx, udy: client.log("relative", dx, dy)
    client.keep.append(relative)
    client.roundtrip()
    client.take()
    client.msg("pointer", "move-by", 10, 5)
    free = client.take()
    constraints = client.globals["zwp_pointer_constraints_v1"]
    locked = constraints.lock_pointer(surface, client.pointer, None, ZwpPointerConstraintsV1.lifetime.oneshot)
    locked.dispatcher["locked"] = lambda _l: client.log("locked")
    locked.dispatcher["unlocked"] = lambda _l: client.log("unlocked")
    client.keep.append(locked)
    client.roundtrip()
    client.msg("pointer", "move-by", 10, 5)
    while_locked = client.take()
    locked.destroy()
    confined = constraints.confine_pointer(surface, client.pointer, None, ZwpPointerConstraintsV1.lifetime.oneshot)
    confined.dispatcher["confined"] = lambda _c: client.log("confined")
    client.keep.append(confined)
    client.roundtrip()
    client.msg("pointer", "move-by", 1000, 1000)
    while_confined = client.take()
    return {"free": free, "locked": while_locked, "confined": while_confined}


def touch_up_on_destroy(name: str) -> Any:
    client = ProbeClient(name)
    touch = client.globals["wl_seat"].get_touch()
    touch.dispatcher["down"] = lambda _t, serial, time, surface, touch_id, x, y: client.log("down", touch_id, x, y)
    touch.dispatcher["up"] = lambda _t, serial, time, touch_id: client.log("up", touch_id)
    client.keep.append(touch)
    surface, xdg_surface, toplevel = client.toplevel(100, 100)
    client.msg("window", "move", client.window_id(surface), 0, 0)
    client.take()
    client.msg("touch", "down", 3, 20, 30)
    down = client.take()
    toplevel.destroy()
    xdg_surface.destroy()
    surface.destroy()
    client.roundtrip()
    return {"down": down, "destroyed": client.take()}


def buffer_lifetime(name: str) -> Any:
    """When wl_buffer.release arrives, and what is on screen after the client destroys the buffer shown."""
    client = ProbeClient(name)
    surface, _xdg_surface, _toplevel = client.toplevel(64, 64, initial_commit=True)
    client.msg("window", "move", client.window_id(surface), 0, 0)
    first = client.buffer(64, 64, b"\x00\x00\xff\xff")  # red
    second = client.buffer(64, 64, b"\x00\xff\x00\xff")  # green
    first.dispatcher["release"] = lambda _b: client.log("release", "red")
    second.dispatcher["release"] = lambda _b: client.log("release", "green")

    def show(buffer: Any) -> list[list[Any]]:
        """Commit ``buffer`` and wait until it was drawn (its frame callback); the events seen meanwhile."""
        client.log("commit")
        surface.attach(buffer, 0, 0)
        surface.damage_buffer(0, 0, 64, 64)
        client.commit_and_wait(surface)
        client.log("drawn")
        return client.take()

    client.take()
    shown_red = show(first)
    shown_green = show(second)
    second.destroy()  # still on screen: the picture must stay
    client.roundtrip()
    return {"red": shown_red, "green": shown_green, "after_destroy": client.pixel(10, 10), "late": client.take()}


RED, GREEN = b"\x00\x00\xff\xff", b"\x00\xff\x00\xff"  # BGRA


def surface_offset(name: str) -> Any:
    """wl_surface.offset moves a toplevel's buffer (the window follows) and a cursor's hotspot."""
    client = ProbeClient(name)
    surface, _, _ = client.toplevel(100, 100)
    window = client.window_id(surface)
    client.msg("window", "move", window, 200, 200)
    surface.offset(-20, -10)  # the new, larger buffer grows to the left and up
    surface.attach(client.buffer(120, 110, RED), 0, 0)
    client.commit_and_wait(surface)
    moved = next(w for w in ipc.request(name, "windows", []) if w["id"] == window)
    result: dict[str, Any] = {"window": [moved["x"], moved["y"]], "pixel": client.pixel(185, 195)}

    client.msg("pointer", "move", 250, 250)
    cursor = client.globals["wl_compositor"].create_surface()
    cursor.attach(client.buffer(16, 16), 0, 0)
    cursor.commit()
    client.pointer.set_cursor(client.enter_serial, cursor, 4, 5)
    client.roundtrip()
    result["hotspot"] = ipc.request(name, "seat", []).get("hotspot")
    cursor.offset(1, 3)  # the image moves right and down under a still pointer: the hotspot moves up-left
    cursor.attach(client.buffer(16, 16), 0, 0)
    cursor.commit()
    client.roundtrip()
    result["hotspot_after_offset"] = ipc.request(name, "seat", []).get("hotspot")
    cursor.commit()  # a commit without offset leaves the hotspot where it is
    client.roundtrip()
    result["hotspot_after_plain_commit"] = ipc.request(name, "seat", []).get("hotspot")
    client.keep.append(cursor)
    return result


def subsurface_order(name: str) -> Any:
    """place_above/place_below are double-buffered state of the parent; the reference must be a sibling or
    the parent, never the subsurface itself. Which surface is on top is what the pointer enters."""
    client = ProbeClient(name)
    parent, _, _ = client.toplevel(100, 100)
    client.msg("window", "move", client.window_id(parent), 0, 0)
    red, red_role = client.subsurface(parent, 0, 0, 50, 50, RED)
    green, _green_role = client.subsurface(parent, 0, 0, 50, 50, GREEN)  # newest: on top
    parent.commit()
    client.msg("pointer", "move", 10, 10)
    names = {proxy_id(parent): "parent", proxy_id(red): "red", proxy_id(green): "green"}

    def on_top() -> str:
        client.roundtrip()
        return names.get(client.entered, "nothing")

    result: dict[str, Any] = {"initial": on_top()}
    red_role.place_above(green)
    result["before_parent_commit"] = on_top()
    parent.commit()
    result["after_parent_commit"] = on_top()
    red_role.place_below(parent)
    red.commit()  # the subsurface's own commit does not apply its parent's state
    result["below_before_parent_commit"] = on_top()
    parent.commit()
    result["below_after_parent_commit"] = on_top()
    red_role.place_above(red)
    client.roundtrip()
    result["place_above_itself"] = client.error

    client = ProbeClient(name)  # a surface of another parent is no sibling
    first, _, _ = client.toplevel(40, 40)
    second, _, _ = client.toplevel(40, 40)
    _, role = client.subsurface(first, 0, 0, 10, 10, RED)
    stranger, _ = client.subsurface(second, 0, 0, 10, 10, GREEN)
    client.roundtrip()
    role.place_below(stranger)
    client.roundtrip()
    result["place_below_stranger"] = client.error
    return result


def deep_subsurfaces(name: str) -> Any:
    """Subsurfaces nested 1,200 deep (past Python's recursion limit) are committed, drawn and hit-tested."""
    client = ProbeClient(name)
    parent, _, _ = client.toplevel(100, 100)
    client.msg("window", "move", client.window_id(parent), 0, 0)
    red = client.buffer(4, 4, RED)  # one buffer shown by every subsurface
    chain = [parent]
    for _ in range(1200):
        surface = client.globals["wl_compositor"].create_surface()
        client.keep.extend((surface, client.globals["wl_subcompositor"].get_subsurface(surface, chain[-1])))
        surface.attach(red, 0, 0)
        chain.append(surface)
    for surface in reversed(chain[1:]):
        surface.commit()  # each waits for its parent: all are shown by the toplevel's commit
    client.commit_and_wait(parent)
    client.msg("pointer", "move", 1, 1)
    client.roundtrip()
    deepest = client.entered == proxy_id(chain[-1])
    return {"error": client.error, "pixel": client.pixel(1, 1), "pointer_on_deepest": deepest}


def virtual_pointer_frame(name: str) -> Any:
    """zwlr_virtual_pointer_v1 events take effect with the frame that ends them."""
    client = ProbeClient(name)
    surface, _, _ = client.toplevel(100, 100)
    client.msg("window", "move", client.window_id(surface), 0, 0)
    client.msg("pointer", "move", 300, 300)
    client.take()
    pointer = client.globals["zwlr_virtual_pointer_manager_v1"].create_virtual_pointer(None)
    client.keep.append(pointer)
    pointer.motion_absolute(0, 50, 40, 1280, 800)  # the layout is 1280 x 800: to (50, 40), on the window
    client.roundtrip()
    before = client.take()
    pointer.frame()
    client.roundtrip()
    return {"before_frame": before, "after_frame": client.take()}


SCENARIOS: dict[str, Callable[[str], Any]] = {
    "surface-outputs": surface_outputs, "pointer-follows-layout": pointer_follows_layout,
    "xdg-configure": xdg_configure, "interactive-move-leaves": interactive_move_leaves,
    "relative-and-constraints": relative_and_constraints, "touch-up-on-destroy": touch_up_on_destroy,
    "buffer-lifetime": buffer_lifetime, "surface-offset": surface_offset, "subsurface-order": subsurface_order,
    "deep-subsurfaces": deep_subsurfaces, "virtual-pointer-frame": virtual_pointer_frame,
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](sys.argv[2])), flush=True)
    os._exit(0)  # skip pywayland's teardown
