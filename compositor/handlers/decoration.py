"""zxdg_decoration_manager_v1: the compositor draws a window's frame unless its client insists on its own.

A client that binds xdg-decoration gets ``server_side`` (our themed frame, :mod:`compositor.ssd`) when it asks
for it, leaves the choice to us (no ``set_mode``, or ``unset_mode``), and ``client_side`` only when it sets that
mode. A client that never binds it draws its own decorations or none (GTK draws its own), as on sway. The
toplevel's ``decorations`` ("server", "client", "none") is what ``orrery msg windows`` reports.

A window rule's ``decorations`` (orrery.toml's ``[[rules]]``, matched by the toplevel's app_id and title when the
client asks and again when the window maps, for an app_id set late) overrides the client's wish either way:
"client" answers ``client_side`` even to a client that prefers server-side, "server" answers ``server_side`` even
to one that sets ``client_side`` (the protocol lets the compositor enforce a mode; the client must follow the
configure). The rule cannot reach a client that never binds xdg-decoration.
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

    def __init__(self, compositor: Compositor, toplevel: Resource, resource: Resource) -> None:
        self.compositor = compositor
        self.toplevel = toplevel
        self.resource = resource
        self.wanted = SERVER_SIDE  # the client's wish (ours until it sets a mode)

    def mode(self) -> int:
        """The mode in force: the window rules' if they say, else the client's wish."""
        kind = self.toplevel.impl
        rule = self.compositor.wm.rule_for(kind).decorations if kind is not None and self.toplevel.alive else None
        return {"client": CLIENT_SIDE, "server": SERVER_SIDE}.get(rule or "", self.wanted)

    def answer(self) -> None:
        mode = self.mode()
        kind = self.toplevel.impl
        if kind is not None and self.toplevel.alive:
            kind.decorations = "server" if mode == SERVER_SIDE else "client"
        self.resource.post("configure", mode)
        if kind is not None:
            kind.request_configure()
        self.compositor.windows_changed()  # a mapped window gains or loses its frame now

    def follow_rules(self) -> None:
        """The window maps: answer again if the rules now (its app_id or title set since) say otherwise."""
        kind = self.toplevel.impl
        if self.resource.alive and kind is not None and kind.decorations != (
                "server" if self.mode() == SERVER_SIDE else "client"):
            self.answer()

    def set_mode(self, res: Resource, mode: int) -> None:
        self.wanted = CLIENT_SIDE if mode == CLIENT_SIDE else SERVER_SIDE
        self.answer()

    def unset_mode(self, res: Resource) -> None:
        self.wanted = SERVER_SIDE
        self.answer()

    def destroy(self, res: Resource) -> None:
        """The client draws its own decorations again (or none), from its next commit on."""
        kind = self.toplevel.impl
        if kind is not None and self.toplevel.alive:
            kind.decorations = "client"
            kind.decoration = None
            self.compositor.windows_changed()
        res.destroy()


class DecorationManagerHandler:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def get_toplevel_decoration(self, res: Resource, new: Resource, toplevel: Resource) -> None:
        handler = new.impl = DecorationHandler(self.compositor, toplevel, new)
        if toplevel.impl is not None:
            toplevel.impl.decoration = handler
        handler.answer()  # our preference (or the rules'), until the client sets a mode


def register(compositor: Compositor) -> None:
    handler = DecorationManagerHandler(compositor)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(ZxdgDecorationManagerV1, 1, bind)
