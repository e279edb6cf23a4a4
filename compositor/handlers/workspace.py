"""ext_workspace_v1 (version 1): one workspace group per output, each with one active workspace.

Until workspaces land there is nothing to switch: clients (a panel's workspace indicator) see one active
workspace per output, and groups come and go with outputs. Requests are accepted and change nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.ext_workspace_v1 import (
    ExtWorkspaceGroupHandleV1,
    ExtWorkspaceHandleV1,
    ExtWorkspaceManagerV1,
)

from ..scene import Output
from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1
ACTIVE = ExtWorkspaceHandleV1.state.active


class Announced:
    """One client's group and workspace objects for one output."""

    def __init__(self, group: Resource, workspace: Resource) -> None:
        self.group = group
        self.workspace = workspace
        self.outputs: set[Resource] = set()  # the client's wl_outputs the group has entered


class ManagerBinding:
    """One client's ext_workspace_manager_v1."""

    def __init__(self, workspaces: Workspaces, res: Resource) -> None:
        self.workspaces = workspaces
        self.resource = res
        self.announced: dict[str, Announced] = {}  # by output name
        res.impl = self

    def sync(self) -> None:
        """Announce groups of new outputs, remove those of gone ones, catch up on output_enter; then done."""
        res = self.resource
        if not res.alive:
            return
        compositor = self.workspaces.compositor
        outputs = {output.name: output for output in compositor.scene.outputs}
        changed = False
        for name in [n for n in self.announced if n not in outputs]:
            gone = self.announced.pop(name)
            gone.group.post("workspace_leave", gone.workspace)
            gone.workspace.post("removed")
            gone.group.post("removed")
            changed = True
        for name, output in outputs.items():
            if name not in self.announced:
                self.announced[name] = self._announce(output)
                changed = True
            entry = self.announced[name]
            for output_res in compositor.output_resources(output, res.client):
                if output_res not in entry.outputs:
                    entry.outputs.add(output_res)
                    entry.group.post("output_enter", output_res)
                    changed = True
        if changed:
            res.post("done")

    def _announce(self, output: Output) -> Announced:
        res = self.resource
        group = Resource(res.client, ExtWorkspaceGroupHandleV1, res.version, 0, impl=Inert())
        res.post("workspace_group", group)
        group.post("capabilities", 0)
        workspace = Resource(res.client, ExtWorkspaceHandleV1, res.version, 0, impl=Inert())
        res.post("workspace", workspace)
        workspace.post("id", f"orrery-{output.name}-1")
        workspace.post("name", "1")
        workspace.post("coordinates", (0).to_bytes(4, "little"))
        workspace.post("state", ACTIVE)
        workspace.post("capabilities", 0)
        group.post("workspace_enter", workspace)
        return Announced(group, workspace)

    # -- requests ------------------------------------------------------------------------------------
    def commit(self, res: Resource) -> None:
        pass  # nothing a client may change yet

    def stop(self, res: Resource) -> None:
        res.post("finished")
        res.destroy()


class Inert:
    """Group and workspace requests: accepted, nothing to do while there is one workspace per output."""

    def create_workspace(self, res: Resource, name: str) -> None:
        pass

    def activate(self, res: Resource) -> None:
        pass

    def deactivate(self, res: Resource) -> None:
        pass

    def assign(self, res: Resource, group: Resource) -> None:
        pass

    def remove(self, res: Resource) -> None:
        pass

    def destroy(self, res: Resource) -> None:
        res.destroy()


class Workspaces:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.bindings: list[ManagerBinding] = []
        compositor.output_listeners.append(self.sync)
        compositor.output_bound_listeners.append(lambda _output, _res: self.sync())

    def bound(self, res: Resource) -> None:
        binding = ManagerBinding(self, res)
        self.bindings.append(binding)
        res.destroy_listeners.append(lambda _res: self.bindings.remove(binding))
        binding.sync()

    def sync(self) -> None:
        for binding in list(self.bindings):
            binding.sync()


def register(compositor: Compositor) -> Workspaces:
    workspaces = Workspaces(compositor)
    compositor.display.add_global(ExtWorkspaceManagerV1, VERSION, workspaces.bound)
    return workspaces
