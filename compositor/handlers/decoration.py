"""zxdg_decoration_manager_v1: the compositor draws a window's frame unless its client insists on its own.

A client that binds xdg-decoration gets ``server_side`` (our themed frame, :mod:`compositor.ssd`) when it asks
for it, leaves the choice to us (no ``set_mode``, or ``unset_mode``), and ``client_side`` only when it sets that
mode. A client that never binds it draws its own decorations or none (GTK draws its own), as on sway. The
toplevel's ``decorations`` ("server", "client", "none") is what ``orrery msg windows`` reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1, ZxdgToplevelDecorationV1

from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

CLIENT_SIDE = ZxdgToplevelDecorationV1.mode.client_side
SERVER_SIDE = ZxdgToplevelDecorationV1.mode.server_side


class DecorationHandler:
    """One toplevel's decoration object: every request is answered with the mode in force (and a configure
    of the toplevel to apply it)."""

    def __init__(self, compositor: Compositor, toplevel: Resource) -> None:
        self.compositor = compositor
        self.toplevel = toplevel

    def answer(self, res: Resource, mode: int) -> None:
        kind = self.toplevel.impl
        if kind is not None and self.toplevel.alive:
            kind.decorations = "server" if mode == SERVER_SIDE else "client"
        res.post("configure", mode)
        if kind is not None:
            kind.request_configure()
        self.compositor.windows_changed()  # a mapped window gains or loses its frame now

    def set_mode(self, res: Resource, mode: int) -> None:
        self.answer(res, CLIENT_SIDE if mode == CLIENT_SIDE else SERVER_SIDE)

    def unset_mode(self, res: Resource) -> None:
        self.answer(res, SERVER_SIDE)

    def destroy(self, res: Resource) -> None:
        """The client draws its own decorations again (or none), from its next commit on."""
        kind = self.toplevel.impl
        if kind is not None and self.toplevel.alive:
            kind.decorations = "client"
            self.compositor.windows_changed()
        res.destroy()


class DecorationManagerHandler:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def get_toplevel_decoration(self, res: Resource, new: Resource, toplevel: Resource) -> None:
        handler = new.impl = DecorationHandler(self.compositor, toplevel)
        handler.answer(new, SERVER_SIDE)  # our preference, until the client sets a mode


def register(compositor: Compositor) -> None:
    handler = DecorationManagerHandler(compositor)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(ZxdgDecorationManagerV1, 1, bind)
