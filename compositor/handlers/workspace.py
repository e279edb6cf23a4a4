"""ext_workspace_v1 (version 1): each output's workspaces (``compositor/workspaces.py``) as one workspace group.

Every bound manager is told each group and workspace once, then only what changed, each batch ended by
``done``: workspaces added and removed (dynamic mode), names and coordinates (a workspace's place in its
output's list, which shifts when one before it goes away), and the states ``active`` (the one its output
shows) and ``urgent`` (a window on it asked for attention and has not been focused since). No workspace is
``hidden``: that state is for workspaces a switcher should not list, and every Orrery workspace can be shown.
A workspace whose output went away leaves that group and enters the group of the output it moved to.

Clients may activate and deactivate workspaces: the requests are collected and carried out, in order, at
``ext_workspace_manager_v1.commit``. Activating shows the workspace and focuses its topmost window; deactivating
the shown workspace goes back to the one shown before it (an output always shows one). Workspaces come and go
with their windows (dynamic) or are fixed in orrery.toml, so groups cannot create workspaces and workspaces
cannot be removed or assigned by clients. In fixed mode a workspace's id is its output and place, which stay the
same from one session to the next; dynamic workspaces have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pywayland.protocol.ext_workspace_v1 import (
    ExtWorkspaceGroupHandleV1,
    ExtWorkspaceHandleV1,
    ExtWorkspaceManagerV1,
)

from ..wl.resource import Resource
from ..workspaces import Workspace

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1
ACTIVE, URGENT = ExtWorkspaceHandleV1.state.active, ExtWorkspaceHandleV1.state.urgent
CAPABILITIES = ExtWorkspaceHandleV1.workspace_capabilities.activate | \
    ExtWorkspaceHandleV1.workspace_capabilities.deactivate


@dataclass
class SentGroup:
    """One client's group object for one output, and the client's wl_outputs it has entered."""

    resource: Resource
    outputs: set[Resource] = field(default_factory=set)


@dataclass
class SentWorkspace:
    """One client's workspace object and what it has been told."""

    resource: Resource
    group: Resource | None = None
    name: str = ""
    coordinates: bytes = b""
    state: int = -1


class ManagerBinding:
    """One client's ext_workspace_manager_v1."""

    def __init__(self, ext: ExtWorkspaces, res: Resource) -> None:
        self.ext = ext
        self.resource = res
        self.groups: dict[str, SentGroup] = {}  # by output name
        self.workspaces: dict[Workspace, SentWorkspace] = {}
        self.requests: list[tuple[str, Workspace]] = []  # until commit
        res.impl = self

    def sync(self) -> None:
        """Tell the client what changed since the last time, then ``done`` if anything did."""
        res = self.resource
        if not res.alive:
            return
        compositor = self.ext.compositor
        model = compositor.wm.workspaces
        outputs = {output.name: output for output in compositor.scene.outputs}
        changed = False
        for name in outputs:
            if name not in self.groups:
                group = Resource(res.client, ExtWorkspaceGroupHandleV1, res.version, 0, impl=Inert())
                res.post("workspace_group", group)
                group.post("capabilities", 0)
                self.groups[name] = SentGroup(group)
                changed = True
        listed = {workspace: (name, index) for name in outputs if name in model.groups
                  for index, workspace in enumerate(model.groups[name].workspaces)}
        for workspace in [w for w in self.workspaces if w not in listed]:
            sent = self.workspaces.pop(workspace)
            self._leave(sent)
            sent.resource.post("removed")
            changed = True
        for workspace, (name, index) in listed.items():
            changed = self._update(workspace, name, index, model.urgent(workspace)) or changed
        for name in [n for n in self.groups if n not in outputs]:
            self.groups.pop(name).resource.post("removed")  # its workspaces have left it above
            changed = True
        for name, output in outputs.items():
            entry = self.groups[name]
            for output_res in compositor.output_resources(output, res.client):
                if output_res not in entry.outputs:
                    entry.outputs.add(output_res)
                    entry.resource.post("output_enter", output_res)
                    changed = True
        if changed:
            res.post("done")

    def _update(self, workspace: Workspace, output: str, index: int, urgent: bool) -> bool:
        res = self.resource
        sent = self.workspaces.get(workspace)
        new = changed = sent is None
        if sent is None:
            handle = Resource(res.client, ExtWorkspaceHandleV1, res.version, 0, impl=WorkspaceHandle(self, workspace))
            res.post("workspace", handle)
            if not self.ext.compositor.wm.workspaces.dynamic:
                handle.post("id", f"orrery-{output}-{index + 1}")
            sent = self.workspaces[workspace] = SentWorkspace(handle)
        name, coordinates = str(index + 1), index.to_bytes(4, "little")
        state = int(ACTIVE if workspace.shown else 0) | int(URGENT if urgent else 0)
        for event, value in (("name", name), ("coordinates", coordinates), ("state", state)):
            if getattr(sent, event) != value:
                setattr(sent, event, value)
                sent.resource.post(event, value)
                changed = True
        if new:
            sent.resource.post("capabilities", int(CAPABILITIES))
        group = self.groups[output].resource
        if sent.group is not group:
            self._leave(sent)
            if sent.resource.alive:
                group.post("workspace_enter", sent.resource)
            sent.group = group
            changed = True
        return changed

    def _leave(self, sent: SentWorkspace) -> None:
        if sent.group is not None and sent.resource.alive:
            sent.group.post("workspace_leave", sent.resource)
        sent.group = None

    # -- requests ------------------------------------------------------------------------------------
    def commit(self, res: Resource) -> None:
        requests, self.requests = self.requests, []
        model = self.ext.compositor.wm.workspaces
        for request, workspace in requests:
            if not model.exists(workspace):
                continue  # gone meanwhile (its handle got "removed", which the client may not have read yet)
            if request == "activate":
                model.activate(workspace)
            else:
                model.deactivate(workspace)

    def stop(self, res: Resource) -> None:
        res.post("finished")
        res.destroy()


class WorkspaceHandle:
    """Requests on one client's workspace object: kept until the manager's commit."""

    def __init__(self, binding: ManagerBinding, workspace: Workspace) -> None:
        self.binding = binding
        self.workspace = workspace

    def activate(self, res: Resource) -> None:
        self._request("activate")

    def deactivate(self, res: Resource) -> None:
        self._request("deactivate")

    def _request(self, request: str) -> None:
        """Only a workspace's last request before the commit counts: the list stays as long as there are
        workspaces, however many requests a client sends (each one applied would switch workspaces for all)."""
        requests = self.binding.requests
        requests[:] = [entry for entry in requests if entry[1] is not self.workspace]
        requests.append((request, self.workspace))

    def assign(self, res: Resource, group: Resource) -> None:
        pass  # not offered (no "assign" capability): a workspace stays with its output

    def remove(self, res: Resource) -> None:
        pass  # not offered: workspaces come and go with their windows, or are fixed

    def destroy(self, res: Resource) -> None:
        res.destroy()


class Inert:
    """Group requests: creating workspaces is not offered (no "create_workspace" capability)."""

    def create_workspace(self, res: Resource, name: str) -> None:
        pass

    def destroy(self, res: Resource) -> None:
        res.destroy()


class ExtWorkspaces:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.bindings: list[ManagerBinding] = []
        compositor.output_listeners.append(self.sync)
        compositor.output_bound_listeners.append(lambda _output, _res: self.sync())
        compositor.wm.workspaces.listeners.append(self.sync)

    def bound(self, res: Resource) -> None:
        binding = ManagerBinding(self, res)
        self.bindings.append(binding)
        res.destroy_listeners.append(lambda _res: self.bindings.remove(binding))
        binding.sync()

    def sync(self) -> None:
        for binding in list(self.bindings):
            binding.sync()


def register(compositor: Compositor) -> ExtWorkspaces:
    workspaces = ExtWorkspaces(compositor)
    compositor.display.add_global(ExtWorkspaceManagerV1, VERSION, workspaces.bound)
    return workspaces
