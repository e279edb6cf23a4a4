"""wl_output (version 4) and zxdg_output_manager_v1 (version 3): one global per output."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlOutput
from pywayland.protocol.xdg_output_unstable_v1 import ZxdgOutputManagerV1

from ..geometry import Box
from ..scene import Output
from ..surface import Surface
from ..wl.display import Client, Global
from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 4


class OutputGlobal:
    """The protocol side of one :class:`Output`: its global and every client's wl_output."""

    def __init__(self, compositor: Compositor, output: Output) -> None:
        self.compositor = compositor
        self.output = output
        self.resources: list[Resource] = []
        self.xdg_resources: list[Resource] = []
        self.global_: Global = compositor.display.add_global(WlOutput, VERSION, self.bind)

    def bind(self, res: Resource) -> None:
        res.impl = self
        self.resources.append(res)
        res.destroy_listeners.append(self.resources.remove)
        self.send_all(res)
        self.compositor.surface_outputs.output_bound(self.output, res)
        for listener in list(self.compositor.output_bound_listeners):
            listener(self.output, res)

    def release(self, res: Resource) -> None:
        res.destroy()

    def send_all(self, res: Resource) -> None:
        o = self.output
        res.post("geometry", o.x, o.y, o.physical_size[0], o.physical_size[1], WlOutput.subpixel.unknown, o.make,
                 o.model, o.transform)
        res.post("mode", WlOutput.mode.current | WlOutput.mode.preferred, o.mode_width, o.mode_height,
                 o.refresh_mhz)
        res.post("scale", math.ceil(o.scale))  # integer; wp_fractional_scale_v1 tells the exact factor
        res.post("name", o.name)
        res.post("description", f"{o.make} {o.model} {o.name}")
        res.post("done")

    def send_xdg(self, res: Resource, initial: bool = False) -> None:
        o = self.output
        res.post("logical_position", o.x, o.y)
        res.post("logical_size", o.width, o.height)
        if initial:  # name and description: once per xdg_output (deprecated in v3, but still sent)
            res.post("name", o.name)
            res.post("description", f"{o.make} {o.model} {o.name}")
        if res.version < 3:
            res.post("done")

    def changed(self) -> None:
        """The mode or position changed: tell every client again."""
        for res in self.xdg_resources:
            self.send_xdg(res)
        for res in self.resources:
            self.send_all(res)  # ends with wl_output.done, which also closes the xdg_output batch

    def for_client(self, client: Client) -> list[Resource]:
        return [res for res in self.resources if res.client is client]

    def remove(self) -> None:
        self.global_.destroy()


class SurfaceOutputs:
    """wl_surface.enter/leave: which outputs each shown surface overlaps, updated whenever the layout changes
    (a window moved, a surface was mapped, resized or unmapped) and when a client binds an output."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.on: dict[Surface, set[str]] = {}  # surface → names of the outputs it has entered
        compositor.scene.layout_listeners.append(self.update)

    def update(self) -> None:
        scene = self.compositor.scene
        now: dict[Surface, set[str]] = {}
        for surface, x, y in scene.drawn_surfaces():
            rect = Box(x, y, surface.width, surface.height)
            names = {o.name for o in scene.outputs if o.rect.intersects(rect)}
            if names:
                now.setdefault(surface, set()).update(names)
        outputs = {o.name: o for o in scene.outputs}
        for surface in set(self.on) | set(now):
            if not surface.alive:
                continue
            old, new = self.on.get(surface, set()), now.get(surface, set())
            for name, event in [*((n, "leave") for n in old - new), *((n, "enter") for n in new - old)]:
                if name in outputs:
                    for res in self.compositor.output_resources(outputs[name], surface.resource.client):
                        surface.resource.post(event, res)
        self.on = now

    def output_bound(self, output: Output, res: Resource) -> None:
        """A client bound an output late: tell it which of its surfaces are already on it."""
        for surface, names in self.on.items():
            if output.name in names and surface.alive and surface.resource.client is res.client:
                surface.resource.post("enter", res)


class XdgOutputManager:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def get_xdg_output(self, res: Resource, new: Resource, output_res: Resource) -> None:
        owner: OutputGlobal = output_res.impl
        new.impl = owner
        owner.xdg_resources.append(new)
        new.destroy_listeners.append(owner.xdg_resources.remove)
        owner.send_xdg(new, initial=True)
        if new.version >= 3:
            # Since version 3 xdg_output.done is deprecated: wl_output.done closes the batch.
            output_res.post("done")


def register(compositor: Compositor) -> SurfaceOutputs:
    manager = XdgOutputManager(compositor)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZxdgOutputManagerV1, 3, bind)
    return SurfaceOutputs(compositor)
