"""A scripted client for the shell protocols nobody packaged a tool for; prints what it saw as JSON.

    python -m tests.tools.shell_probe SCENARIO COMPOSITOR_NAME

Scenarios:
- ``activation``: maps a window, asks for an xdg_activation token while focused and another after
  weston-simple-shm took the focus, then activates itself with each; reports whether it got the focus.
- ``lists``: what ext_foreign_toplevel_list_v1 and ext_workspace_v1 announce.
- ``layer-errors``: invalid layer-shell requests, each on a fresh connection; reports the error codes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from pywayland.client import Display
from pywayland.protocol.ext_foreign_toplevel_list_v1 import ExtForeignToplevelListV1
from pywayland.protocol.ext_workspace_v1 import ExtWorkspaceManagerV1
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlShm
from pywayland.protocol.xdg_activation_v1 import XdgActivationV1
from pywayland.protocol.xdg_shell import XdgWmBase

from compositor import ipc
from orrery_testing.shm import shm_buffer
from protocols.wlr_layer_shell_unstable_v1 import ZwlrLayerShellV1

INTERFACES = {i.name: i for i in (WlCompositor, WlShm, WlOutput, XdgWmBase, XdgActivationV1,
                                   ExtForeignToplevelListV1, ExtWorkspaceManagerV1, ZwlrLayerShellV1)}


class ShellProbeClient:
    # Every connection lives until the script ends (it exits with os._exit): pywayland crashes when it
    # garbage-collects the proxies of a connection the compositor closed with a protocol error.
    opened: list[ShellProbeClient] = []

    def __init__(self, name: str, hooks: dict[str, Callable[[Any], None]] | None = None) -> None:
        ShellProbeClient.opened.append(self)
        self.name = name
        self.hooks = hooks or {}  # called with a global's proxy as soon as it is bound
        self.display = Display(name)
        self.display.connect()
        self.globals: dict[str, Any] = {}
        self.outputs: list[Any] = []
        registry = self.display.get_registry()
        registry.dispatcher["global"] = self._global
        self.registry = registry
        self.display.roundtrip()

    def _global(self, registry: Any, id_: int, interface: str, version: int) -> None:
        if interface in INTERFACES:
            proxy = registry.bind(id_, INTERFACES[interface], min(version, INTERFACES[interface].version))
            if interface == "wl_output":
                self.outputs.append(proxy)
            else:
                self.globals[interface] = proxy
            if interface in self.hooks:
                self.hooks[interface](proxy)

    def roundtrip(self) -> None:
        self.display.roundtrip()

    def window(self, app_id: str, before_buffer: Callable[[Any], None] | None = None) -> Any:
        """Map a 64x64 xdg_toplevel (``before_buffer`` is called with its wl_surface once it is configured, before
        its first buffer); returns its wl_surface."""
        surface = self.globals["wl_compositor"].create_surface()
        wm_base = self.globals["xdg_wm_base"]
        wm_base.dispatcher["ping"] = lambda base, serial: base.pong(serial)
        xdg = wm_base.get_xdg_surface(surface)
        toplevel = xdg.get_toplevel()
        toplevel.set_app_id(app_id)
        serials: list[int] = []
        xdg.dispatcher["configure"] = lambda _xdg, serial: serials.append(serial)
        surface.commit()
        while not serials:
            self.display.dispatch(block=True)
        xdg.ack_configure(serials[-1])
        if before_buffer is not None:
            before_buffer(surface)
        surface.attach(self.buffer(64, 64), 0, 0)
        surface.damage(0, 0, 64, 64)
        surface.commit()
        self.roundtrip()
        self._keep = (xdg, toplevel)
        return surface

    def buffer(self, width: int, height: int) -> Any:
        return shm_buffer(self.globals["wl_shm"], width, height, name="probe")

    def token(self, surface: Any) -> str:
        token = self.globals["xdg_activation_v1"].get_activation_token()
        done: list[str] = []
        token.dispatcher["done"] = lambda _token, value: done.append(value)
        token.set_surface(surface)
        token.commit()
        while not done:
            self.display.dispatch(block=True)
        return done[0]


def _focused(name: str, app_id: str) -> bool:
    return any(w["app_id"] == app_id and w["focused"] for w in ipc.request(name, "windows", []))


def _wait(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def activation(name: str) -> dict[str, Any]:
    client = ShellProbeClient(name)
    surface = client.window("probe")
    focused_at_start = _focused(name, "probe")
    good = client.token(surface)
    other = subprocess.Popen(["weston-simple-shm"], env={**os.environ, "WAYLAND_DISPLAY": name})
    try:
        _wait(lambda: _focused(name, "org.freedesktop.weston.simple-shm"), "weston-simple-shm to take the focus")
        shm = next(w for w in ipc.request(name, "windows", []) if w["app_id"] == "org.freedesktop.weston.simple-shm")
        ipc.request(name, "pointer", ["move", str(shm["x"] + 10), str(shm["y"] + 10)])  # the user turned to it
        bad = client.token(surface)  # asked for while another window has the focus
        client.globals["xdg_activation_v1"].activate(bad, surface)
        client.roundtrip()
        after_bad = _focused(name, "probe")
        client.globals["xdg_activation_v1"].activate(good, surface)
        client.roundtrip()
        after_good = _focused(name, "probe")
    finally:
        other.kill()
        other.wait()
    return {"focused_at_start": focused_at_start, "after_unfocused_token": after_bad, "after_token": after_good}


def lists(name: str) -> dict[str, Any]:
    toplevels: list[dict[str, Any]] = []
    proxies: list[Any] = []  # pywayland destroys a proxy nobody refers to, and its later events are dropped

    def new_toplevel(_list: Any, handle: Any) -> None:
        info: dict[str, Any] = {}
        toplevels.append(info)
        proxies.append(handle)
        for event in ("title", "app_id", "identifier"):
            handle.dispatcher[event] = lambda _h, value, event=event: info.__setitem__(event, value)
        handle.dispatcher["closed"] = lambda _h: info.__setitem__("closed", True)

    groups: list[dict[str, Any]] = []
    workspaces: list[dict[str, Any]] = []

    def new_group(_manager: Any, group: Any) -> None:
        info: dict[str, Any] = {"outputs": 0, "workspaces": 0}
        groups.append(info)
        proxies.append(group)
        group.dispatcher["output_enter"] = lambda _g, _o: info.__setitem__("outputs", info["outputs"] + 1)
        group.dispatcher["workspace_enter"] = lambda _g, _w: info.__setitem__("workspaces", info["workspaces"] + 1)

    def new_workspace(_manager: Any, workspace: Any) -> None:
        info: dict[str, Any] = {}
        workspaces.append(info)
        proxies.append(workspace)
        workspace.dispatcher["name"] = lambda _w, value: info.__setitem__("name", value)
        workspace.dispatcher["state"] = lambda _w, value: info.__setitem__("active", bool(value & 1))

    def workspace_manager(manager: Any) -> None:
        manager.dispatcher["workspace_group"] = new_group
        manager.dispatcher["workspace"] = new_workspace

    def toplevel_list(toplevel_list: Any) -> None:
        toplevel_list.dispatcher["toplevel"] = new_toplevel

    client = ShellProbeClient(name, {"ext_workspace_manager_v1": workspace_manager,
                                     "ext_foreign_toplevel_list_v1": toplevel_list})
    client.window("probe-a")
    client.roundtrip()
    client.roundtrip()
    second = ShellProbeClient(name)
    second.window("probe-b")
    second.display.disconnect()
    # once the compositor lists no probe-b window it has handled the disconnection; its replies come after the
    # events that handling sent, so the roundtrip then receives whatever the list announced about it
    _wait(lambda: all(w["app_id"] != "probe-b" for w in ipc.request(name, "windows", [])),
          "the compositor to drop the window of the client that quit")
    client.roundtrip()
    return {"toplevels": toplevels, "groups": groups, "workspaces": workspaces}


def layer_errors(name: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    cases = {
        "invalid_layer": lambda shell, surface: shell.get_layer_surface(surface, None, 7, "x"),
        "invalid_anchor": lambda shell, surface: shell.get_layer_surface(surface, None, 2, "x").set_anchor(99),
        "invalid_keyboard": lambda shell, surface: shell.get_layer_surface(
            surface, None, 2, "x").set_keyboard_interactivity(5),
        "zero_width_unanchored": lambda shell, surface: (shell.get_layer_surface(surface, None, 2, "x"),
                                                         surface.commit()),
    }
    keep: list[Any] = []  # a dead connection's proxies must not be garbage-collected: pywayland crashes on it
    for case, act in cases.items():
        client = ShellProbeClient(name)
        surface = client.globals["wl_compositor"].create_surface()
        keep.append((client, surface, act(client.globals["zwlr_layer_shell_v1"], surface)))
        results[case] = client.display.roundtrip() < 0  # the connection failed with a protocol error
    return results


if __name__ == "__main__":
    scenario, display_name = sys.argv[1], sys.argv[2]
    scenarios = {"activation": activation, "lists": lists, "layer-errors": layer_errors}
    print(json.dumps(scenarios[scenario](display_name)), flush=True)
    os._exit(0)  # skip pywayland's teardown of proxies after a protocol error
