"""wp_viewporter: crop (source rectangle) and scale (destination size) a surface's buffer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.viewporter import WpViewport, WpViewporter

from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor


class ViewportHandler:
    def __init__(self, surface: Surface) -> None:
        self.surface = surface

    def destroy(self, res: Resource) -> None:
        if self.surface.alive:
            self.surface.pending.set_viewport_source(None)
            self.surface.pending.set_viewport_destination(None)
        self.surface.viewport = None
        res.destroy()

    def _check(self) -> None:
        if not self.surface.alive:
            raise ProtocolError(WpViewport.error.no_surface, "the wl_surface was destroyed")

    def set_source(self, res: Resource, x: float, y: float, width: float, height: float) -> None:
        self._check()
        if (x, y, width, height) == (-1, -1, -1, -1):
            self.surface.pending.set_viewport_source(None)
        elif x < 0 or y < 0 or width <= 0 or height <= 0:
            raise ProtocolError(WpViewport.error.bad_value, "invalid source rectangle")
        else:
            self.surface.pending.set_viewport_source((x, y, width, height))

    def set_destination(self, res: Resource, width: int, height: int) -> None:
        self._check()
        if (width, height) == (-1, -1):
            self.surface.pending.set_viewport_destination(None)
        elif width <= 0 or height <= 0:
            raise ProtocolError(WpViewport.error.bad_value, "invalid destination size")
        else:
            self.surface.pending.set_viewport_destination((width, height))


class ViewporterHandler:
    def get_viewport(self, res: Resource, new: Resource, surface_res: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        if surface.viewport is not None:
            raise ProtocolError(WpViewporter.error.viewport_exists, "surface already has a viewport")
        surface.viewport = new
        new.impl = ViewportHandler(surface)


def register(compositor: Compositor) -> None:
    handler = ViewporterHandler()

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(WpViewporter, 1, bind)
