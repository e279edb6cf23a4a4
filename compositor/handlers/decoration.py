"""zxdg_decoration_manager_v1: clients draw their own decorations until themed server-side ones land."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1, ZxdgToplevelDecorationV1

from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

CLIENT_SIDE = ZxdgToplevelDecorationV1.mode.client_side


class DecorationHandler:
    """Whatever the client asks, the answer is client-side (and a configure to apply it)."""

    def __init__(self, toplevel: Resource) -> None:
        self.toplevel = toplevel

    def _answer(self, res: Resource) -> None:
        res.post("configure", CLIENT_SIDE)
        kind = self.toplevel.impl
        if kind is not None:
            kind.request_configure()

    def set_mode(self, res: Resource, mode: int) -> None:
        self._answer(res)

    def unset_mode(self, res: Resource) -> None:
        self._answer(res)


class DecorationManagerHandler:
    def get_toplevel_decoration(self, res: Resource, new: Resource, toplevel: Resource) -> None:
        new.impl = DecorationHandler(toplevel)


def register(compositor: Compositor) -> None:
    handler = DecorationManagerHandler()

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(ZxdgDecorationManagerV1, 1, bind)
