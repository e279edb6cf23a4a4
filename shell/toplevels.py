"""Open windows (zwlr_foreign_toplevel_management_v1) and workspaces (ext_workspace_v1), as the panel sees them.

:class:`Desktop` binds both through a :class:`~widgets.wayland.host.HostContext`, keeps a plain-data
:class:`Snapshot` up to date on every ``done`` event, and streams snapshots to each subscribed panel
(:meth:`Desktop.subscription`). Panels act on windows by key (:meth:`activate`, :meth:`minimize`, :meth:`close`)
and on workspaces by key (:meth:`activate_workspace`).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pywayland.protocol.ext_workspace_v1 import ExtWorkspaceManagerV1

from protocols.wlr_foreign_toplevel_management_unstable_v1 import (
    ZwlrForeignToplevelManagerV1,
)
from widgets.core.subscription import Subscription, run
from widgets.wayland.host import HostContext

MAXIMIZED, MINIMIZED, ACTIVATED = 0, 1, 2
ACTIVE, URGENT = 1, 2  # ext_workspace_handle_v1.state bits
INTERFACES: dict[str, tuple[type, int]] = {
    "zwlr_foreign_toplevel_manager_v1": (ZwlrForeignToplevelManagerV1, 3),
    "ext_workspace_manager_v1": (ExtWorkspaceManagerV1, 1),
}


@dataclass(frozen=True)
class TaskInfo:
    key: int
    title: str = ""
    app_id: str = ""
    activated: bool = False
    minimized: bool = False
    outputs: tuple[str, ...] = ()  # the names of the outputs it is on


@dataclass(frozen=True)
class WorkspaceInfo:
    name: str
    active: bool
    urgent: bool = False
    key: int = 0


@dataclass(frozen=True)
class Snapshot:
    tasks: tuple[TaskInfo, ...] = ()
    workspaces: tuple[tuple[str, tuple[WorkspaceInfo, ...]], ...] = ()  # (output name, its workspaces)

    def workspaces_of(self, output: str) -> tuple[WorkspaceInfo, ...]:
        return next((found for name, found in self.workspaces if name == output), ())


@dataclass
class _Group:
    outputs: list[Any] = field(default_factory=list)
    workspaces: list[Any] = field(default_factory=list)


class Desktop:
    def __init__(self, ctx: HostContext) -> None:
        self.ctx = ctx
        self._keys = itertools.count(1)
        self.handles: dict[int, Any] = {}
        self.tasks: dict[int, TaskInfo] = {}
        self.pending: dict[int, TaskInfo] = {}
        self.groups: dict[Any, _Group] = {}
        self.workspaces: dict[Any, WorkspaceInfo] = {}
        self.workspace_manager: Any = None
        self.snapshot = Snapshot()
        self.queues: list[asyncio.Queue[Snapshot]] = []
        ctx.on_bind["zwlr_foreign_toplevel_manager_v1"] = self._manager
        ctx.on_bind["ext_workspace_manager_v1"] = self._workspace_manager

    # -- windows -------------------------------------------------------------------------------------------
    def _manager(self, manager: Any) -> None:
        manager.dispatcher["toplevel"] = self._toplevel

    def _toplevel(self, _manager: Any, handle: Any) -> None:
        key = next(self._keys)
        self.handles[key] = handle
        self.pending[key] = TaskInfo(key)

        def change(**changes: Any) -> None:
            self.pending[key] = replace(self.pending.get(key, TaskInfo(key)), **changes)

        def states(_h: Any, value: Any) -> None:
            raw = bytes(value) if not isinstance(value, list) else b"".join(v.to_bytes(4, "little") for v in value)
            found = {int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw) - 3, 4)}
            change(activated=ACTIVATED in found, minimized=MINIMIZED in found)

        handle.dispatcher["title"] = lambda _h, value: change(title=value)
        handle.dispatcher["app_id"] = lambda _h, value: change(app_id=value)
        handle.dispatcher["state"] = states
        entered: list[Any] = []  # the wl_output proxies it is on; named when the window is done

        def output_enter(_h: Any, output: Any) -> None:
            entered.append(output)
            change(outputs=self._names(entered))

        def output_leave(_h: Any, output: Any) -> None:
            _discard(entered, output)
            change(outputs=self._names(entered))

        handle.dispatcher["output_enter"] = output_enter
        handle.dispatcher["output_leave"] = output_leave
        handle.dispatcher["done"] = lambda _h: self._done(key)
        handle.dispatcher["closed"] = lambda _h: self._closed(key)

    def _names(self, outputs: list[Any]) -> tuple[str, ...]:
        names = {id(o.proxy): o.name for o in self.ctx.outputs}
        return tuple(names[id(output)] for output in outputs if id(output) in names)

    def _done(self, key: int) -> None:
        if key in self.pending:
            self.tasks[key] = self.pending[key]
            self._publish()

    def _closed(self, key: int) -> None:
        self.tasks.pop(key, None)
        self.pending.pop(key, None)
        handle = self.handles.pop(key, None)
        if handle is not None:
            handle.destroy()
        self._publish()

    def activate(self, key: int) -> None:
        handle = self.handles.get(key)
        if handle is not None and self.ctx.seat is not None:
            if self.tasks.get(key, TaskInfo(key)).minimized:
                handle.unset_minimized()
            handle.activate(self.ctx.seat)
            self.ctx.flush()

    def minimize(self, key: int) -> None:
        handle = self.handles.get(key)
        if handle is not None:
            handle.set_minimized()
            self.ctx.flush()

    def close(self, key: int) -> None:
        handle = self.handles.get(key)
        if handle is not None:
            handle.close()
            self.ctx.flush()

    # -- workspaces ----------------------------------------------------------------------------------------
    def _workspace_manager(self, manager: Any) -> None:
        self.workspace_manager = manager
        manager.dispatcher["workspace_group"] = self._group
        manager.dispatcher["workspace"] = self._workspace
        manager.dispatcher["done"] = lambda _m: self._publish()

    def _group(self, _manager: Any, group: Any) -> None:
        entry = self.groups[group] = _Group()
        group.dispatcher["output_enter"] = lambda _g, output: entry.outputs.append(output)
        group.dispatcher["output_leave"] = lambda _g, output: _discard(entry.outputs, output)
        group.dispatcher["workspace_enter"] = lambda _g, ws: entry.workspaces.append(ws)
        group.dispatcher["workspace_leave"] = lambda _g, ws: _discard(entry.workspaces, ws)
        group.dispatcher["removed"] = self._group_removed

    def _group_removed(self, group: Any) -> None:
        self.groups.pop(group, None)
        group.destroy()

    def _workspace(self, _manager: Any, workspace: Any) -> None:
        blank = WorkspaceInfo("", False, key=next(self._keys))
        self.workspaces[workspace] = blank

        def change(**changes: Any) -> None:
            self.workspaces[workspace] = replace(self.workspaces.get(workspace, blank), **changes)

        workspace.dispatcher["name"] = lambda _w, value: change(name=value)
        workspace.dispatcher["state"] = lambda _w, value: change(active=bool(int(value) & ACTIVE),
                                                                 urgent=bool(int(value) & URGENT))
        workspace.dispatcher["removed"] = self._workspace_removed

    def _workspace_removed(self, workspace: Any) -> None:
        self.workspaces.pop(workspace, None)
        workspace.destroy()

    def activate_workspace(self, key: int) -> None:
        """Ask the compositor to show the workspace (ext_workspace_handle_v1.activate, then the manager's commit)."""
        handle = next((h for h, info in self.workspaces.items() if info.key == key), None)
        if handle is not None and self.workspace_manager is not None:
            handle.activate()
            self.workspace_manager.commit()
            self.ctx.flush()

    # -- snapshots -----------------------------------------------------------------------------------------
    def _publish(self) -> None:
        names = {id(o.proxy): o.name for o in self.ctx.outputs}
        per_output: list[tuple[str, tuple[WorkspaceInfo, ...]]] = []
        for group in self.groups.values():
            spaces = tuple(self.workspaces[w] for w in group.workspaces if w in self.workspaces)
            per_output.extend((names.get(id(output), ""), spaces) for output in group.outputs)
        self.snapshot = Snapshot(tuple(self.tasks[k] for k in sorted(self.tasks)), tuple(per_output))
        for queue in self.queues:
            queue.put_nowait(self.snapshot)

    def subscription(self, to_message: Callable[[Snapshot], Any]) -> Subscription[Any]:
        async def snapshots() -> AsyncIterator[Snapshot]:
            queue: asyncio.Queue[Snapshot] = asyncio.Queue()
            self.queues.append(queue)
            try:
                yield self.snapshot
                while True:
                    yield await queue.get()
            finally:
                self.queues.remove(queue)

        return run(("desktop", id(self)), snapshots, to_message)


def _discard(items: list[Any], item: Any) -> None:
    if item in items:
        items.remove(item)
