"""A deliberately broken Wayland client (pywayland client side), for the compositor's robustness tests.

    python -m tests.tools.misbehave bad-scale     # sends wl_surface.set_buffer_scale(0): a protocol error
    python -m tests.tools.misbehave truncate      # maps a window whose pool file it shrank first
    python -m tests.tools.misbehave deep-popups   # nests popups in popups, a thousand deep
    python -m tests.tools.misbehave far-offsets   # moves its window by wl_surface.offset (2^31-1, 2^31-1), 50 times

    python -m tests.tools.misbehave keymap-shrink    # virtual-keyboard keymaps from a file another thread shrinks
    python -m tests.tools.misbehave keymap-format    # 1,000 virtual-keyboard keymaps of a format other than xkb_v1
    python -m tests.tools.misbehave huge-viewport    # crops a 16x16 buffer to a 8388607x8388607 source rectangle
    python -m tests.tools.misbehave wide-buffer      # shows a 32768x1 buffer
    python -m tests.tools.misbehave subsurface-chain N     # N subsurfaces, each the parent of the next
    python -m tests.tools.misbehave subsurface-siblings N  # N desynchronized sibling subsurfaces, redrawn 3 times
    python -m tests.tools.misbehave restack N        # 200 sibling subsurfaces, N times one restacked and one moved
    python -m tests.tools.misbehave region-ops N     # a wl_region of N add/subtract requests (opaque, input)
    python -m tests.tools.misbehave popups-bottom-up N  # N popups, each made before its parent has a role
    python -m tests.tools.misbehave object-flood N   # N wl_regions and wl_shm_pools, kept
    python -m tests.tools.misbehave never-read N     # N wl_registries, none of their events read
    python -m tests.tools.misbehave commit-flood N   # N commits of one surface at once
    python -m tests.tools.misbehave popup-self       # an xdg_popup whose parent is its own xdg_surface
    python -m tests.tools.misbehave popup-mutual     # two xdg_surfaces, each the other's popup parent
    python -m tests.tools.misbehave foreign-list-stop  # ext_foreign_toplevel_list_v1.stop, then destroy

The timed modes print ``took SECONDS`` for their requests (up to the roundtrip that answers the last one) and
``ipc SECONDS`` for an ``orrery msg windows`` right after.

Prints the protocol error it gets as ``error: ...`` and exits 0 when the compositor disconnected it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

from pywayland.client import Display
from pywayland.protocol.ext_foreign_toplevel_list_v1 import ExtForeignToplevelListV1
from pywayland.protocol.viewporter import WpViewporter
from pywayland.protocol.wayland import WlCompositor, WlSeat, WlShm, WlSubcompositor
from pywayland.protocol.xdg_shell import XdgWmBase

from orrery_testing.shm import XRGB8888, ShmPool, shm_buffer, solid
from protocols.virtual_keyboard_unstable_v1 import ZwpVirtualKeyboardManagerV1

BIND = {  # interface name: (our key, class, highest version we speak)
    "wl_compositor": ("compositor", WlCompositor, 5), "wl_shm": ("shm", WlShm, 1),
    "xdg_wm_base": ("xdg", XdgWmBase, 1), "wl_seat": ("seat", WlSeat, 1),
    "wl_subcompositor": ("subcompositor", WlSubcompositor, 1), "wp_viewporter": ("viewporter", WpViewporter, 1),
    "zwp_virtual_keyboard_manager_v1": ("vkbd", ZwpVirtualKeyboardManagerV1, 1),
    "ext_foreign_toplevel_list_v1": ("toplevels", ExtForeignToplevelListV1, 1),
}
KEYMAP_SIZE = 1 << 20


def toplevel(display: Display, globals_: dict[str, Any], surface: Any, app_id: str) -> Any:
    """Give ``surface`` the xdg_toplevel role and answer its configure (the caller attaches a buffer)."""
    xdg_surface = globals_["xdg"].get_xdg_surface(surface)
    xdg_surface.dispatcher["configure"] = lambda xdg_surface, serial: xdg_surface.ack_configure(serial)
    top = xdg_surface.get_toplevel()
    top.set_app_id(app_id)
    surface.commit()
    display.roundtrip()
    return top


def show(surface: Any, buffer: Any, width: int, height: int) -> None:
    surface.attach(buffer, 0, 0)
    surface.damage_buffer(0, 0, width, height)
    surface.commit()


def timed(display: Display, started: float) -> int | None:
    """Report how long the requests since ``started`` took to be answered, with the frames they caused (the
    first ones drawn while we pause briefly), and how long an ``orrery msg windows`` then waits."""
    if display.roundtrip() < 0:
        return None  # disconnected: main reports it
    time.sleep(0.1)  # the compositor draws what the requests changed at its next frame
    from compositor import ipc

    asked = time.monotonic()
    ipc.request(os.environ["WAYLAND_DISPLAY"], "windows", [])
    answered = time.monotonic()
    print(f"took {answered - started - 0.1:.3f}", flush=True)
    print(f"ipc {answered - asked:.3f}", flush=True)
    return 0 if display.roundtrip() >= 0 else None


def keymap_shrink(display: Display, globals_: dict[str, Any]) -> int | None:
    """One memfd sent as keymap again and again while a thread shrinks it to nothing and grows it back: the
    compositor reads a file whose size changes under it."""
    keyboard = globals_["vkbd"].create_virtual_keyboard(globals_["seat"])
    fd = os.memfd_create("keymap")
    os.write(fd, b"x" * KEYMAP_SIZE)
    done = threading.Event()

    def resize() -> None:
        while not done.is_set():
            os.ftruncate(fd, 0)
            os.ftruncate(fd, KEYMAP_SIZE)

    thread = threading.Thread(target=resize, daemon=True)
    thread.start()
    for round_ in range(300):
        keyboard.keymap(1, fd, KEYMAP_SIZE)
        if round_ % 10 == 9 and display.roundtrip() < 0:
            break
    done.set()
    thread.join()
    return None if display.roundtrip() < 0 else 0


def keymap_format(display: Display, globals_: dict[str, Any]) -> int | None:
    keyboard = globals_["vkbd"].create_virtual_keyboard(globals_["seat"])
    fd = os.memfd_create("keymap")
    os.write(fd, b"not a keymap")
    for round_ in range(1000):
        keyboard.keymap(0, fd, 12)  # wl_keyboard.keymap_format.no_keymap: a format we cannot read
        if round_ % 100 == 99:
            display.roundtrip()  # (libwayland-client holds at most a few hundred fds to send)
    print("keymaps sent", flush=True)
    return None if display.roundtrip() < 0 else 0


def huge_viewport(display: Display, globals_: dict[str, Any]) -> int | None:
    surface = globals_["compositor"].create_surface()
    toplevel(display, globals_, surface, "huge-viewport")
    viewport = globals_["viewporter"].get_viewport(surface)
    viewport.set_source(0, 0, 8388607, 8388607)
    viewport.set_destination(16, 16)
    show(surface, shm_buffer(globals_["shm"], 16, 16, solid(16, 16, (255, 0, 0)), XRGB8888, "viewport"), 16, 16)
    return None


def wide_buffer(display: Display, globals_: dict[str, Any]) -> int | None:
    surface = globals_["compositor"].create_surface()
    toplevel(display, globals_, surface, "wide-buffer")
    show(surface, shm_buffer(globals_["shm"], 32768, 1, solid(1, 1, (0, 0, 255)), XRGB8888, "wide"), 32768, 1)
    return None


def subsurface_chain(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    compositor, subcompositor = globals_["compositor"], globals_["subcompositor"]
    root = compositor.create_surface()
    toplevel(display, globals_, root, "subsurface-chain")
    buffer = shm_buffer(globals_["shm"], 8, 8, solid(8, 8, (0, 255, 0)), XRGB8888, "chain")
    started = time.monotonic()
    parent, keep = root, []
    for _ in range(count):
        surface = compositor.create_surface()
        sub = subcompositor.get_subsurface(surface, parent)
        sub.set_position(1, 1)
        show(surface, buffer, 8, 8)
        keep.append(sub)
        parent = surface
    show(root, buffer, 8, 8)
    for _ in range(10):  # the whole chain applied again, ten times
        show(root, buffer, 8, 8)
    return timed(display, started)


def subsurface_siblings(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    compositor, subcompositor = globals_["compositor"], globals_["subcompositor"]
    root = compositor.create_surface()
    toplevel(display, globals_, root, "subsurface-siblings")
    buffer = shm_buffer(globals_["shm"], 8, 8, solid(8, 8, (0, 255, 0)), XRGB8888, "siblings")
    show(root, shm_buffer(globals_["shm"], 400, 300, solid(400, 300, (0, 0, 255)), XRGB8888, "root"), 400, 300)
    started = time.monotonic()
    surfaces, keep = [], []
    for index in range(count):
        surface = compositor.create_surface()
        sub = subcompositor.get_subsurface(surface, root)
        sub.set_desync()
        sub.set_position(index % 50 * 8, index // 50 % 37 * 8)
        keep.append(sub)
        surfaces.append(surface)
    root.commit()  # their positions
    for _ in range(3):
        for surface in surfaces:
            show(surface, buffer, 8, 8)
    return timed(display, started)


def restack(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    """200 sibling subsurfaces with buffers, then ``count`` times: one of them moved to the top, and the
    parent committed."""
    compositor, subcompositor = globals_["compositor"], globals_["subcompositor"]
    root = compositor.create_surface()
    toplevel(display, globals_, root, "restack")
    buffer = shm_buffer(globals_["shm"], 8, 8, solid(8, 8, (0, 255, 0)), XRGB8888, "restack")
    show(root, shm_buffer(globals_["shm"], 400, 300, solid(400, 300, (0, 0, 255)), XRGB8888, "root"), 400, 300)
    surfaces, keep = [], []
    for index in range(200):
        surface = compositor.create_surface()
        sub = subcompositor.get_subsurface(surface, root)
        sub.set_position(index % 50 * 8, index // 50 * 8)
        show(surface, buffer, 8, 8)
        keep.append(sub)
        surfaces.append(surface)
    root.commit()
    display.roundtrip()
    started = time.monotonic()
    for index in range(count):
        keep[index * 7 % 200].place_above(surfaces[(index * 13 + 1) % 200])
        keep[index * 11 % 200].set_position(index % 300, index % 200)
        root.commit()
    return timed(display, started)


def region_ops(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    surface = globals_["compositor"].create_surface()
    toplevel(display, globals_, surface, "region-ops")
    started = time.monotonic()
    region = globals_["compositor"].create_region()
    for index in range(count):  # a comb of rectangles: none merges with another
        if index % 2:
            region.subtract(index % 400, 0, 1, 300)
        else:
            region.add(index % 400, index % 300, 3, 1)
        if index % 1000 == 999 and display.roundtrip() < 0:  # (so that we read the error of a cap)
            return None
    surface.set_opaque_region(region)
    surface.set_input_region(region)
    show(surface, shm_buffer(globals_["shm"], 400, 300, solid(400, 300, (0, 0, 255)), XRGB8888, "region"), 400,
         300)
    return timed(display, started)


def popups_bottom_up(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    """A chain of ``count`` popups made from its end: each new xdg_surface becomes the parent of the one made
    before, which had its popup role already; the chain hangs from a toplevel, and everything is committed."""
    xdg, compositor = globals_["xdg"], globals_["compositor"]
    positioner = xdg.create_positioner()
    positioner.set_size(10, 10)
    positioner.set_anchor_rect(0, 0, 1, 1)
    surfaces = [compositor.create_surface()]
    child = xdg.get_xdg_surface(surfaces[0])
    for _ in range(count):
        surfaces.append(compositor.create_surface())
        parent = xdg.get_xdg_surface(surfaces[-1])
        child.get_popup(parent, positioner)
        child = parent
        if display.roundtrip() < 0:
            return None
    child.get_toplevel()
    for surface in reversed(surfaces):
        surface.commit()
    return None if display.roundtrip() < 0 else 0


def object_flood(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    """``count`` objects, kept: wl_regions (the compositor's) and wl_shm_pools (libwayland's own)."""
    keep = []
    fd = os.memfd_create("pool")
    os.ftruncate(fd, 4096)
    for index in range(count):
        keep.append(globals_["compositor"].create_region() if index % 2 else globals_["shm"].create_pool(fd, 4096))
        if index % 1000 == 999 and display.roundtrip() < 0:
            return None
    return 0 if display.roundtrip() >= 0 else None


def never_read(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    """``count`` wl_registries, each answered with every global, and not a byte read meanwhile."""
    keep = [display.get_registry() for _ in range(count)]
    display.flush()
    time.sleep(1)
    del keep
    return None


def commit_flood(display: Display, globals_: dict[str, Any], count: int) -> int | None:
    """``count`` commits of one surface without waiting for anything."""
    surface = globals_["compositor"].create_surface()
    started = time.monotonic()
    for _ in range(count):
        surface.commit()
    if display.roundtrip() < 0:
        return None
    print(f"took {time.monotonic() - started:.3f}", flush=True)
    return 0


def popup_parent_cycle(display: Display, globals_: dict[str, Any], mutual: bool) -> int | None:
    xdg, compositor = globals_["xdg"], globals_["compositor"]
    positioner = xdg.create_positioner()
    positioner.set_size(10, 10)
    positioner.set_anchor_rect(0, 0, 1, 1)
    first = xdg.get_xdg_surface(compositor.create_surface())
    if mutual:
        second = xdg.get_xdg_surface(compositor.create_surface())
        first.get_popup(second, positioner)
        second.get_popup(first, positioner)
    else:
        first.get_popup(first, positioner)
    return None


def foreign_list_stop(display: Display, globals_: dict[str, Any]) -> int | None:
    toplevels = globals_["toplevels"]
    toplevels.stop()
    display.roundtrip()  # "finished" arrives; then the client destroys the list, as the protocol says
    toplevels.destroy()
    print("stopped", flush=True)
    return None if display.roundtrip() < 0 else 0


def main(mode: str, *args: str) -> int:
    display = Display()
    display.connect()
    registry = display.get_registry()
    globals_: dict[str, Any] = {}

    def on_global(registry, name, interface, version):  # type: ignore[no-untyped-def]
        if interface in BIND:
            key, cls, highest = BIND[interface]
            globals_[key] = registry.bind(name, cls, min(version, highest))

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    count = int(args[0]) if args else 0
    hostile = {
        "keymap-shrink": lambda: keymap_shrink(display, globals_),
        "keymap-format": lambda: keymap_format(display, globals_),
        "huge-viewport": lambda: huge_viewport(display, globals_),
        "wide-buffer": lambda: wide_buffer(display, globals_),
        "subsurface-chain": lambda: subsurface_chain(display, globals_, count),
        "subsurface-siblings": lambda: subsurface_siblings(display, globals_, count),
        "restack": lambda: restack(display, globals_, count),
        "region-ops": lambda: region_ops(display, globals_, count),
        "popups-bottom-up": lambda: popups_bottom_up(display, globals_, count),
        "object-flood": lambda: object_flood(display, globals_, count),
        "never-read": lambda: never_read(display, globals_, count),
        "commit-flood": lambda: commit_flood(display, globals_, count),
        "popup-self": lambda: popup_parent_cycle(display, globals_, mutual=False),
        "popup-mutual": lambda: popup_parent_cycle(display, globals_, mutual=True),
        "foreign-list-stop": lambda: foreign_list_stop(display, globals_),
    }
    if mode in hostile:
        code = hostile[mode]()
        if code is not None:
            return code
        return wait_for_disconnection(display)
    compositor = globals_["compositor"]
    surface = compositor.create_surface()
    if mode == "bad-scale":
        surface.set_buffer_scale(0)
    elif mode == "truncate":
        # A window, so the compositor reads the pixels: it draws straight from the client's memory.
        xdg_surface = globals_["xdg"].get_xdg_surface(surface)  # type: ignore[attr-defined]
        xdg_surface.dispatcher["configure"] = lambda xdg_surface, serial: xdg_surface.ack_configure(serial)
        toplevel = xdg_surface.get_toplevel()
        toplevel.set_title("misbehave")
        surface.commit()
        display.roundtrip()
        width, height, stride = 256, 256, 1024
        pool = ShmPool(globals_["shm"], stride * height, "pool")
        buffer = pool.buffer(0, width, height, stride=stride)
        surface.attach(buffer, 0, 0)
        surface.damage_buffer(0, 0, width, height)
        os.ftruncate(pool.fd, 0)  # the pages the compositor is about to read are gone
        surface.commit()
    elif mode == "far-offsets":
        xdg_surface = globals_["xdg"].get_xdg_surface(surface)  # type: ignore[attr-defined]
        xdg_surface.dispatcher["configure"] = lambda xdg_surface, serial: xdg_surface.ack_configure(serial)
        xdg_surface.get_toplevel().set_app_id("far-offsets")
        surface.commit()
        display.roundtrip()
        buffer = shm_buffer(globals_["shm"], 64, 64, solid(64, 64, (255, 0, 255)), XRGB8888, "far")
        for _ in range(50):  # legal requests, each moving the window as far as an int32 goes
            surface.attach(buffer, 0, 0)
            surface.offset(2**31 - 1, 2**31 - 1)
            surface.damage_buffer(0, 0, 64, 64)
            surface.commit()
        display.roundtrip()
        from compositor import ipc  # where the compositor put the window, asked while it is still there

        far = [w for w in ipc.request(os.environ["WAYLAND_DISPLAY"], "windows", []) if w["app_id"] == "far-offsets"]
        print("offsets sent", json.dumps([far[0]["x"], far[0]["y"]]) if far else "no window", flush=True)
        return 0
    elif mode == "deep-popups":
        xdg = globals_["xdg"]
        parent = xdg.get_xdg_surface(surface)  # type: ignore[attr-defined]
        parent.get_toplevel()
        positioner = xdg.create_positioner()  # type: ignore[attr-defined]
        positioner.set_size(10, 10)
        positioner.set_anchor_rect(0, 0, 1, 1)
        for _ in range(1000):
            child = xdg.get_xdg_surface(compositor.create_surface())  # type: ignore[attr-defined]
            child.get_popup(parent, positioner)
            parent = child
            if display.roundtrip() < 0:  # the error: what follows reports it
                break
    else:
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    return wait_for_disconnection(display)


def wait_for_disconnection(display: Display) -> int:
    for _ in range(40):  # up to 2 s: the compositor reads a window's pixels when it next repaints
        if display.roundtrip() < 0:  # libwayland printed the compositor's error message on stderr
            print("disconnected", flush=True)
            return 0
        time.sleep(0.05)
    print("still connected", flush=True)
    return 1


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(*sys.argv[1:]))  # skip pywayland's teardown of a dead connection
