"""wl_compositor, wl_surface, wl_region and wl_callback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlCompositor, WlSurface

from ..geometry import Box, Region
from ..limits import MAX_REGION_OPERATIONS
from ..surface import Surface
from ..wl.resource import Callback, ClientLimit, ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 6


class RegionHandler:
    def __init__(self) -> None:
        self.region = Region()

    def add(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        self._check_size()
        self.region = self.region.add(Box(x, y, width, height))

    def subtract(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        self._check_size()
        self.region = self.region.subtract(Box(x, y, width, height))

    def _check_size(self) -> None:
        if len(self.region) >= MAX_REGION_OPERATIONS:
            raise ClientLimit(f"more than {MAX_REGION_OPERATIONS} rectangles in a wl_region "
                              "(the cap on rectangles per region)")


def region_of(resource: Resource | None) -> Region | None:
    return None if resource is None else resource.impl.region


class SurfaceHandler:
    """wl_surface requests; the state lives in :class:`Surface`."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def attach(self, res: Resource, buffer: ForeignResource | None, x: int, y: int) -> None:
        if (x or y) and res.version >= 5:
            raise ProtocolError(WlSurface.error.invalid_offset, "attach with an offset; use wl_surface.offset")
        if buffer is not None:
            for check in list(self.surface.attach_checks):
                check()
        self.surface.pending.attach(buffer)
        if res.version < 5:  # since version 5 the offset is wl_surface.offset's alone
            self.surface.pending.offset(x, y)

    def damage(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        self.surface.pending.add_damage(Box(x, y, width, height))

    def damage_buffer(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        self.surface.pending.add_buffer_damage(Box(x, y, width, height))

    def frame(self, res: Resource, callback: Callback) -> None:
        self.surface.pending.add_frame_callback(callback)

    def set_opaque_region(self, res: Resource, region: Resource | None) -> None:
        self.surface.pending.set_opaque(region_of(region))

    def set_input_region(self, res: Resource, region: Resource | None) -> None:
        self.surface.pending.set_input(region_of(region))

    def commit(self, res: Resource) -> None:
        res.client.count_commit()
        self.surface.commit()

    def set_buffer_transform(self, res: Resource, transform: int) -> None:
        if not 0 <= transform <= 7:
            raise ProtocolError(WlSurface.error.invalid_transform, f"invalid transform {transform}")
        self.surface.pending.set_transform(transform)

    def set_buffer_scale(self, res: Resource, scale: int) -> None:
        if scale < 1:
            raise ProtocolError(WlSurface.error.invalid_scale, f"invalid scale {scale}")
        self.surface.pending.set_scale(scale)

    def offset(self, res: Resource, x: int, y: int) -> None:
        self.surface.pending.offset(x, y)


class CompositorHandler:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def create_surface(self, res: Resource, new: Resource) -> None:
        surface = Surface(self.compositor, new)
        new.impl = SurfaceHandler(surface)
        new.destroy_listeners.append(lambda _res: surface.destroyed())
        for listener in list(self.compositor.surface_listeners):
            listener(surface)

    def create_region(self, res: Resource, new: Resource) -> None:
        new.impl = RegionHandler()


def register(compositor: Compositor) -> None:
    handler = CompositorHandler(compositor)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(WlCompositor, VERSION, bind)

