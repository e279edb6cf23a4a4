"""wl_output (version 4) and zxdg_output_manager_v1 (version 3): one global per output."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlOutput
from pywayland.protocol.xdg_output_unstable_v1 import ZxdgOutputManagerV1

from ..scene import Output
from ..wl.display import Client, Global
from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 4


class OutputGlobal:
    """The protocol side of one :class:`Output`: its global and every client's wl_output."""

    def __init__(self, compositor: Compositor, output: Output) -> None:
        self.output = output
        self.resources: list[Resource] = []
        self.xdg_resources: list[Resource] = []
        self.global_: Global = compositor.display.add_global(WlOutput, VERSION, self.bind)

    def bind(self, res: Resource) -> None:
        res.impl = self
        self.resources.append(res)
        res.destroy_listeners.append(self.resources.remove)
        self.send_all(res)

    def release(self, res: Resource) -> None:
        res.destroy()

    def send_all(self, res: Resource) -> None:
        o = self.output
        res.post("geometry", o.x, o.y, 0, 0, WlOutput.subpixel.unknown, o.make, o.model,
                 WlOutput.transform.normal)
        res.post("mode", WlOutput.mode.current | WlOutput.mode.preferred, o.width * o.scale,
                 o.height * o.scale, o.refresh_mhz)
        res.post("scale", o.scale)
        res.post("name", o.name)
        res.post("description", f"{o.make} {o.model} {o.name}")
        res.post("done")

    def send_xdg(self, res: Resource) -> None:
        o = self.output
        res.post("logical_position", o.x, o.y)
        res.post("logical_size", o.width, o.height)
        if res.version < 3:
            res.post("name", o.name)
            res.post("description", f"{o.make} {o.model} {o.name}")
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


class XdgOutputManager:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def get_xdg_output(self, res: Resource, new: Resource, output_res: Resource) -> None:
        owner: OutputGlobal = output_res.impl
        new.impl = owner
        owner.xdg_resources.append(new)
        new.destroy_listeners.append(owner.xdg_resources.remove)
        owner.send_xdg(new)
        if new.version >= 3:
            # Since version 3 xdg_output.done is deprecated: wl_output.done closes the batch.
            output_res.post("done")


def register(compositor: Compositor) -> None:
    manager = XdgOutputManager(compositor)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZxdgOutputManagerV1, 3, bind)
