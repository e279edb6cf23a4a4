"""Strategies aimed at faults found in Orrery before and fixed (huge buffers and viewport sources, virtual-keyboard
keymaps that leak or shrink, deep subsurface chains, huge regions, a foreign-toplevel list stopped then destroyed):
regression hunters, in the default set. A strategy aimed at a fault not fixed yet goes in ``KNOWN_FAULTS``
(:mod:`.strategies`), which leaves it out of the default set.
"""

from __future__ import annotations

import os
import random
import threading

from . import macros, wire
from .client import Client


def huge_buffers(client: Client, rng: random.Random) -> None:
    """Windows whose buffer is wider or taller than cairo can draw (32767 px)."""
    client.start()
    surf, _xdg, _top = macros.toplevel(client)
    width, height = rng.choice(((32768, 1), (1, 32768), (40000, 1)))
    client.request(surf, "attach", macros.buffer(client, width, height), 0, 0)
    client.request(surf, "commit")
    while True:
        client.roundtrip(1.0)
        client.request(surf, "damage", 0, 0, 1, 1)
        client.request(surf, "commit")


def viewport(client: Client, rng: random.Random) -> None:
    """A viewport whose source rectangle is far outside its buffer."""
    client.start()
    surf, _xdg, _top = macros.toplevel(client, (16, 16))
    viewporter = macros.bound(client, "wp_viewporter")
    if viewporter is None:
        return
    view = client.new_id()
    client.request(viewporter, "get_viewport", view, surf)
    while True:
        client.request(view, "set_source", 0, 0, wire.fixed(rng.choice((8388607, 1e6, 40000))),
                       wire.fixed(rng.choice((8388607, 1e6, 40000))))
        client.request(view, "set_destination", rng.choice((16, 1, 4000)), rng.choice((16, 1, 4000)))
        client.request(surf, "commit")
        client.roundtrip(1.0)


def virtual_keyboard(client: Client) -> int | None:
    manager = macros.bound(client, "zwp_virtual_keyboard_manager_v1")
    seat = macros.bound(client, "wl_seat")
    if manager is None or seat is None:
        return None
    keyboard = client.new_id()
    client.request(manager, "create_virtual_keyboard", seat, keyboard)
    return keyboard


def keymap_leak(client: Client, rng: random.Random) -> None:
    """Virtual-keyboard keymaps in formats that are not xkb_v1: each fd must still be closed."""
    client.start()
    keyboard = virtual_keyboard(client)
    while keyboard is not None:
        fd = macros.memfd(64, b"not a keymap")
        try:
            client.request(keyboard, "keymap", rng.choice((0, 2, 99)), 64, fds=[fd])
        finally:
            os.close(fd)


def keymap_shrink(client: Client, rng: random.Random) -> None:
    """xkb_v1 keymaps on one memfd that another thread truncates between 1 MiB and nothing meanwhile: reading it
    unprotected is a SIGBUS."""
    client.start()
    keyboard = virtual_keyboard(client)
    if keyboard is not None:
        shrink_under(client, keyboard)


def shrink_under(client: Client, keyboard: int, size: int = 1 << 20) -> None:
    """xkb_v1 keymaps on one memfd that another thread truncates between ``size`` bytes and none meanwhile."""
    fd = macros.memfd(size)
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            os.ftruncate(fd, 0)
            os.ftruncate(fd, size)

    thread = threading.Thread(target=flip, daemon=True)
    thread.start()
    try:
        while True:
            client.request(keyboard, "keymap", 1, size, fds=[fd])
    finally:
        stop.set()
        thread.join()
        os.close(fd)


def chains(client: Client, rng: random.Random) -> None:
    """Deep subsurface and popup chains, popups that are their own (or each other's) parent, and many sibling
    subsurfaces with buffers in desync mode."""
    client.start()
    surf, xdg, _top = macros.toplevel(client)
    kind = rng.randrange(4)
    if kind == 3:
        parent = surf
        while True:
            child, sub = macros.subsurface(client, parent)
            client.request(sub, "set_desync")
            client.request(sub, "set_position", rng.randrange(64), rng.randrange(64))
            client.request(child, "commit")
    if kind == 2:
        wm_base = macros.bound(client, "xdg_wm_base") or 0
        child_surface = macros.surface(client)
        child = client.new_id()
        client.request(wm_base, "get_xdg_surface", child, child_surface)
        placed = macros.positioner(client)
        client.request(child, "get_popup", client.new_id(), child, placed)
        client.roundtrip(1.0)
        return
    while True:
        if kind == 0:
            surf, _sub = macros.subsurface(client, surf)
        else:
            surf, xdg, _popup = macros.popup(client, xdg)


def regions(client: Client, rng: random.Random) -> None:
    """One wl_region built from tens of thousands of rectangles, then used as an input region."""
    client.start()
    surf, _xdg, _top = macros.toplevel(client)
    compositor = macros.bound(client, "wl_compositor") or 0
    region = client.new_id()
    client.request(compositor, "create_region", region)
    try:
        while True:
            x, y = rng.randrange(1000), rng.randrange(1000)
            client.request(region, rng.choice(("add", "add", "subtract")), x, y, rng.randint(1, 9), rng.randint(1, 9))
    finally:
        if not client.wire.closed:
            client.budget += 2
            client.request(surf, "set_input_region", region)
            client.request(surf, "commit")


def foreign_stop(client: Client, rng: random.Random) -> None:
    """ext_foreign_toplevel_list_v1.stop followed at once by destroy."""
    client.start()
    while True:
        listing = macros.bound(client, "ext_foreign_toplevel_list_v1")
        if listing is None:
            return
        client.request(listing, "stop")
        client.request(listing, "destroy")
