"""Well-formed request sequences that put a client into states worth attacking: a bound global, an shm buffer, a
mapped toplevel, a popup, a subsurface, a layer surface. Each returns the ids it made; each request counts
against the client's budget like any other.
"""

from __future__ import annotations

import os

from .client import Client

ARGB8888 = 0


def bound(client: Client, interface: str) -> int | None:
    """An object of the global ``interface``: one already bound, else a new binding; None if not offered."""
    existing = client.of(interface)
    if existing:
        return existing[0]
    if not any(g.interface == interface for g in client.globals.values()):
        return None
    known = client.protocols.get(interface)
    found = next(g for g in client.globals.values() if g.interface == interface)
    return client.bind_global(found, min(found.version, known.version if known else 1))


def memfd(size: int, fill: bytes = b"") -> int:
    fd = os.memfd_create("fuzz-pool", os.MFD_CLOEXEC)
    os.ftruncate(fd, size)
    if fill:
        os.pwrite(fd, fill[:size], 0)
    return fd


def pool(client: Client, size: int) -> tuple[int, int]:
    """A wl_shm_pool over a new memfd of ``size`` bytes: (pool id, the fd, still open for the caller to abuse)."""
    shm = bound(client, "wl_shm")
    assert shm is not None, "every compositor offers wl_shm"
    fd = memfd(size)
    new = client.new_id()
    client.request(shm, "create_pool", new, size, fds=[fd])
    return new, fd


def buffer(client: Client, width: int, height: int, stride: int | None = None, offset: int = 0,
           pool_size: int | None = None) -> int:
    """A wl_buffer of ``width``×``height`` ARGB pixels in a pool of its own (the pool is destroyed: the buffer
    keeps it alive)."""
    stride = width * 4 if stride is None else stride
    size = pool_size if pool_size is not None else max(4, offset + stride * height)
    pool_id, fd = pool(client, size)
    os.close(fd)
    new = client.new_id()
    client.request(pool_id, "create_buffer", new, offset, width, height, stride, ARGB8888)
    client.request(pool_id, "destroy")
    return new


def surface(client: Client) -> int:
    compositor = bound(client, "wl_compositor")
    assert compositor is not None
    new = client.new_id()
    client.request(compositor, "create_surface", new)
    return new


def ack_and_draw(client: Client, surface_id: int, configured: int, width: int = 64, height: int = 64) -> None:
    """Wait for the configure of ``configured`` (an xdg_surface or layer surface), ack it, attach a buffer, commit."""
    client.request(surface_id, "commit")
    client.roundtrip(1.0)
    serial = client.serials.get(configured)
    if serial is not None:
        client.request(configured, "ack_configure", serial)
    client.request(surface_id, "attach", buffer(client, width, height), 0, 0)
    client.request(surface_id, "damage_buffer", 0, 0, width, height)
    client.request(surface_id, "commit")


def toplevel(client: Client, size: tuple[int, int] = (64, 64), title: str = "fuzz") -> tuple[int, int, int]:
    """A mapped xdg_toplevel: (wl_surface, xdg_surface, xdg_toplevel)."""
    wm_base = bound(client, "xdg_wm_base")
    assert wm_base is not None
    surf = surface(client)
    xdg = client.new_id()
    client.request(wm_base, "get_xdg_surface", xdg, surf)
    top = client.new_id()
    client.request(xdg, "get_toplevel", top)
    client.request(top, "set_title", title)
    ack_and_draw(client, surf, xdg, *size)
    return surf, xdg, top


def positioner(client: Client, width: int = 32, height: int = 32) -> int:
    wm_base = bound(client, "xdg_wm_base")
    assert wm_base is not None
    new = client.new_id()
    client.request(wm_base, "create_positioner", new)
    client.request(new, "set_size", width, height)
    client.request(new, "set_anchor_rect", 0, 0, 8, 8)
    return new


def popup(client: Client, parent_xdg: int | None) -> tuple[int, int, int]:
    """An xdg_popup on ``parent_xdg`` (None: a parentless popup, set later by a layer surface or never)."""
    wm_base = bound(client, "xdg_wm_base")
    assert wm_base is not None
    surf = surface(client)
    xdg = client.new_id()
    client.request(wm_base, "get_xdg_surface", xdg, surf)
    placed = positioner(client)  # first: new ids must be used in the order they are allocated
    new = client.new_id()
    client.request(xdg, "get_popup", new, parent_xdg or 0, placed)
    ack_and_draw(client, surf, xdg, 32, 32)
    return surf, xdg, new


def subsurface(client: Client, parent: int) -> tuple[int, int]:
    """A wl_subsurface of ``parent`` with a buffer: (its wl_surface, the wl_subsurface)."""
    sub = bound(client, "wl_subcompositor")
    assert sub is not None
    surf = surface(client)
    new = client.new_id()
    client.request(sub, "get_subsurface", new, surf, parent)
    client.request(surf, "attach", buffer(client, 16, 16), 0, 0)
    client.request(surf, "commit")
    return surf, new


def layer_surface(client: Client, layer: int = 2) -> tuple[int, int] | None:
    """A zwlr_layer_surface_v1 in ``layer`` (2: top), 64×64, mapped; None where layer shell is not offered."""
    shell = bound(client, "zwlr_layer_shell_v1")
    if shell is None:
        return None
    surf = surface(client)
    new = client.new_id()
    client.request(shell, "get_layer_surface", new, surf, 0, layer, "fuzz")
    client.request(new, "set_size", 64, 64)
    ack_and_draw(client, surf, new, 64, 64)
    return surf, new
