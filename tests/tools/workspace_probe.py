"""A scripted ext_workspace_v1 and xdg_activation_v1 client; prints what it saw as JSON.

    python -m tests.tools.workspace_probe SCENARIO COMPOSITOR_NAME

Scenarios:
- ``requests``: maps a window (so that a second, empty workspace appears), then activates workspace "2" (first
  without, then with ``commit``) and deactivates it, then moves the window to workspace 2 (by IPC), which removes
  workspace 1; reports what the protocol told about each workspace (name, state, whether it is in a group,
  removed) and what ``orrery msg workspaces`` shows after each step.
- ``launch``: a "launcher" window takes two xdg_activation tokens, then the user switches to workspace 2; one
  "app" activates with a token before its first buffer, another after mapping. Reports where each landed.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from compositor import ipc
from tests.tools.shell_probe import ShellProbeClient


def _shown(name: str) -> list[list[Any]]:
    """Per output, the names of its workspaces with whether each is active: [["1", true], ["2", false]]."""
    listed = ipc.request(name, "workspaces", [])
    return [[[ws["name"], ws["active"]] for ws in output["workspaces"]] for output in listed]


def requests(name: str) -> dict[str, Any]:
    handles: list[Any] = []  # workspace proxies, in the order they were announced
    infos: list[dict[str, Any]] = []  # what each was told: name, state, whether it is in a group, removed
    manager: list[Any] = []
    keep: list[Any] = []  # pywayland destroys a proxy nobody refers to, and its later events are dropped

    def new_workspace(_manager: Any, workspace: Any) -> None:
        info: dict[str, Any] = {"in_group": False, "removed": False}
        handles.append(workspace)
        infos.append(info)
        for event in ("name", "state", "capabilities"):
            workspace.dispatcher[event] = lambda _w, value, event=event: info.__setitem__(event, value)
        workspace.dispatcher["removed"] = lambda _w: info.__setitem__("removed", True)

    def new_group(_manager: Any, group: Any) -> None:
        keep.append(group)

        def entered(_g: Any, workspace: Any, inside: bool) -> None:
            infos[handles.index(workspace)]["in_group"] = inside

        group.dispatcher["workspace_enter"] = lambda g, w: entered(g, w, True)
        group.dispatcher["workspace_leave"] = lambda g, w: entered(g, w, False)

    def bound(proxy: Any) -> None:
        manager.append(proxy)
        proxy.dispatcher["workspace"] = new_workspace
        proxy.dispatcher["workspace_group"] = new_group

    def told() -> list[list[Any]]:
        return [[info.get("name"), info.get("state"), info["in_group"], info["removed"]] for info in infos]

    def named(wanted: str) -> Any:
        return next(h for h, info in zip(handles, infos, strict=True) if info.get("name") == wanted)

    client = ShellProbeClient(name, {"ext_workspace_manager_v1": bound})
    client.window("probe-a")
    client.roundtrip()
    seen: dict[str, Any] = {"start": told(), "start_shown": _shown(name), "capabilities": infos[0]["capabilities"]}
    named("2").activate()
    client.roundtrip()
    seen["uncommitted"] = _shown(name)
    manager[0].commit()
    client.roundtrip()
    seen["activated"], seen["activated_shown"] = told(), _shown(name)
    named("2").deactivate()
    manager[0].commit()
    client.roundtrip()
    seen["deactivated"], seen["deactivated_shown"] = told(), _shown(name)
    ipc.request(name, "action", ["move-to-workspace", "2"])  # workspace 1 is emptied and left: it goes
    client.roundtrip()
    seen["moved"], seen["moved_shown"] = told(), _shown(name)
    return seen


def launch(name: str) -> dict[str, Any]:
    launcher = ShellProbeClient(name)
    surface = launcher.window("probe-launcher")
    early, late = launcher.token(surface), launcher.token(surface)
    ipc.request(name, "action", ["workspace", "2"])  # the user moves on while the apps start

    first = ShellProbeClient(name)
    first.window("probe-early", before_buffer=lambda s: first.globals["xdg_activation_v1"].activate(early, s))
    second = ShellProbeClient(name)
    second_surface = second.window("probe-late")
    mapped_on = _window(name, "probe-late")["workspace"]
    second.globals["xdg_activation_v1"].activate(late, second_surface)
    second.roundtrip()
    windows = {w["app_id"]: w for w in ipc.request(name, "windows", [])}
    return {"late_mapped_on": mapped_on,
            "windows": {app: [w["workspace"], w["focused"]] for app, w in windows.items()},
            "shown": _shown(name),
            "urgent": [[ws["name"], ws["urgent"]] for ws in ipc.request(name, "workspaces", [])[0]["workspaces"]]}


def _window(name: str, app_id: str) -> dict[str, Any]:
    return next(w for w in ipc.request(name, "windows", []) if w["app_id"] == app_id)


if __name__ == "__main__":
    scenario, display_name = sys.argv[1], sys.argv[2]
    scenarios = {"requests": requests, "launch": launch}
    print(json.dumps(scenarios[scenario](display_name)), flush=True)
    os._exit(0)  # skip pywayland's teardown of the proxies
