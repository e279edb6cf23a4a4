"""wp_fractional_scale_manager_v1 and wl_surface.preferred_buffer_scale: the scale a surface should be drawn at.

A surface's preferred scale is the largest scale of the outputs it is on (as tracked for wl_surface.enter by
:class:`~compositor.handlers.output.SurfaceOutputs`). Whenever the layout changes (a surface mapped, moved,
an output's scale changed), each surface whose scale changed learns the new one: wp_fractional_scale_v1
``preferred_scale`` (the factor times 120) for surfaces that asked for it, and wl_surface
``preferred_buffer_scale`` (the factor rounded up) for clients that bound wl_compositor version 6.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pywayland.protocol.fractional_scale_v1 import WpFractionalScaleManagerV1

from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor


class FractionalScaleHandler:
    def destroy(self, res: Resource) -> None:
        res.destroy()  # its destroy listener forgets it


class PreferredScales:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.objects: dict[Surface, Resource] = {}  # surface → its wp_fractional_scale_v1
        self.sent: dict[Surface, float] = {}  # the scale each surface was last told
        compositor.scene.layout_listeners.append(self.update)

    def scale_of(self, surface: Surface) -> float | None:
        """The largest scale of the outputs the surface is on; None while it is on none."""
        names = self.compositor.surface_outputs.on.get(surface, set())
        scales = [o.scale for o in self.compositor.scene.outputs if o.name in names]
        return max(scales) if scales else None

    def update(self) -> None:
        shown = set(self.compositor.surface_outputs.on)
        for surface in [s for s in self.sent if not s.alive]:
            del self.sent[surface]
        for surface in shown | set(self.objects):
            scale = self.scale_of(surface) if surface.alive else None
            if scale is None or self.sent.get(surface) == scale:
                continue  # off every output, the surface keeps the scale it was last told
            old = self.sent.get(surface)
            self.sent[surface] = scale
            fractional = self.objects.get(surface)
            if fractional is not None and fractional.alive:
                fractional.post("preferred_scale", round(scale * 120))
            if old is None or math.ceil(scale) != math.ceil(old):
                surface.resource.post("preferred_buffer_scale", math.ceil(scale))  # skipped below version 6

    def get_fractional_scale(self, res: Resource, new: Resource, surface_res: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        if surface in self.objects:
            raise ProtocolError(WpFractionalScaleManagerV1.error.fractional_scale_exists,
                                "the surface already has a fractional scale object")
        self.objects[surface] = new
        new.impl = FractionalScaleHandler()

        def forget(_res: Resource) -> None:
            if self.objects.get(surface) is new:
                del self.objects[surface]
        new.destroy_listeners.append(forget)
        scale = self.sent.get(surface) or self.scale_of(surface)
        if scale is not None:
            new.post("preferred_scale", round(scale * 120))

    def destroy(self, res: Resource) -> None:
        res.destroy()


def register(compositor: Compositor) -> PreferredScales:
    scales = PreferredScales(compositor)

    def bind(res: Resource) -> None:
        res.impl = scales

    compositor.display.add_global(WpFractionalScaleManagerV1, 1, bind)
    return scales
