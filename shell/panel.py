"""The panel: on every output, along the top (or bottom) edge, reserving its height from windows.

Left to right: the launcher button, the output's workspaces (ext_workspace_v1), a taskbar entry per open window
(zwlr_foreign_toplevel_management_v1: icon from the app's desktop entry and the icon theme, title; click to
activate, click the active one to minimize, middle-click to close), then problems with shell.toml or the theme
(as ``file:line:col``) and the clock (``strftime`` format from shell.toml).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from widgets import Align, Fill, Fixed, Task, button, container, horizontal_space, icon, row, text
from widgets.core.element import Widget
from widgets.core.subscription import Subscription, every
from widgets.core.text_engine import Ellipsis
from widgets.wayland.layer import LayerContext, LayerSpec, OutputInfo

from . import control
from .common import Common
from .desktop_entry import DesktopEntry, installed_apps
from .task_button import task_button
from .toplevels import Desktop, Snapshot

FALLBACK_ICON = "application-x-executable"


@dataclass(frozen=True)
class Tick:
    now: float


@dataclass(frozen=True)
class Changed:
    snapshot: Snapshot


@dataclass(frozen=True)
class TaskClicked:
    key: int


@dataclass(frozen=True)
class TaskClose:
    key: int


@dataclass(frozen=True)
class OpenLauncher:
    pass


@dataclass
class PanelState:
    common: Common
    output: str
    icons: dict[str, str]
    now: float = field(default_factory=time.time)
    snapshot: Snapshot = Snapshot()


def icon_names(entries: list[DesktopEntry]) -> dict[str, str]:
    """app_id (lower case) -> icon name, by desktop file id, StartupWMClass and executable."""
    found: dict[str, str] = {}
    for entry in entries:
        if not entry.icon:
            continue
        keys = [entry.id.removesuffix(".desktop"), entry.startup_wm_class,
                entry.exec.split(" ", 1)[0].rsplit("/", 1)[-1]]
        for key in keys:
            if key:
                found.setdefault(key.lower(), entry.icon)
    return found


def icon_for(app_id: str, icons: dict[str, str]) -> str:
    key = app_id.lower()
    return icons.get(key) or icons.get(key.rsplit(".", 1)[-1]) or (app_id if app_id else FALLBACK_ICON)


class Panel:
    def __init__(self, desktop: Desktop | None, output: OutputInfo | None, display: str) -> None:
        self.desktop, self.output_info, self.display = desktop, output, display

    def init(self) -> PanelState:
        name = self.output_info.name if self.output_info else ""
        return PanelState(Common.load(), name, icon_names(installed_apps()))

    def app_id(self) -> str:
        return "org.orrery.Panel"

    def theme(self, state: PanelState) -> Any:
        return state.common.look.theme

    def height(self, state: PanelState) -> int:
        return int(state.common.config.get("panel", "height") or state.common.look.theme.model.panel.height)

    def layer(self, state: PanelState) -> LayerSpec:
        position = state.common.config.get("panel", "position") or state.common.look.theme.model.panel.position
        height = self.height(state)
        return LayerSpec("panel", layer="top", anchor=(position, "left", "right"), height=height,
                         exclusive_zone=height)

    def update(self, state: PanelState, message: Any) -> Task[Any] | None:
        if state.common.update(message):
            return None
        if isinstance(message, Tick):
            state.now = message.now
        elif isinstance(message, Changed):
            state.snapshot = message.snapshot
        elif isinstance(message, TaskClicked) and self.desktop is not None:
            task = next((t for t in state.snapshot.tasks if t.key == message.key), None)
            if task is not None and task.activated and not task.minimized:
                self.desktop.minimize(task.key)
            elif task is not None:
                self.desktop.activate(task.key)
        elif isinstance(message, TaskClose) and self.desktop is not None:
            self.desktop.close(message.key)
        elif isinstance(message, OpenLauncher):
            control.send(self.display, "toggle")
        return None

    def subscriptions(self, state: PanelState) -> Subscription[Any]:
        parts = [state.common.subscriptions(), every(1.0, lambda _t: Tick(time.time()))]
        if self.desktop is not None:
            parts.append(self.desktop.subscription(Changed))
        return Subscription.batch(parts)

    def view(self, state: PanelState) -> Widget[Any]:
        config = state.common.config
        height = self.height(state)
        inner = max(16, height - 6)
        items: list[Widget[Any]] = [
            button(str(config.get("panel", "launcher_label"))).on_press(OpenLauncher()).style("button.text")
            .padding((2, 10)).height(Fixed(inner)).key("launcher")]
        if config.get("panel", "workspaces"):
            for i, workspace in enumerate(state.snapshot.workspaces_of(state.output)):
                items.append(button(workspace.name or str(i + 1)).style("button" if workspace.active else "button.text")
                             .padding((2, 8)).height(Fixed(inner)).key(("workspace", i)))
        task_width = float(config.get("panel", "task_width"))
        for task in state.snapshot.tasks:
            label = row([icon(icon_for(task.app_id, state.icons), min(20.0, inner - 4)),
                         text(task.title or task.app_id or "Window").ellipsize(Ellipsis.END).width(Fill)]) \
                .spacing(6).align_items(Align.CENTER).width(Fill)
            style = "button.secondary" if task.activated and not task.minimized else "button.text"
            items.append(task_button(label).on_middle_press(TaskClose(task.key)).on_press(TaskClicked(task.key))
                         .style(style).padding((2, 8)).width(Fixed(task_width)).height(Fixed(inner))
                         .key(("task", task.key)))
        items.append(horizontal_space())
        problems = state.common.problems
        if problems:
            more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
            items.append(text(f"⚠ {problems[0]}{more}").style("text.danger").ellipsize(Ellipsis.START)
                         .width(Fixed(480)))
        clock = time.strftime(str(config.get("panel", "clock_format")), time.localtime(state.now))
        items.append(text(clock).key("clock"))
        bar = row(items).spacing(4).padding((0, 8)).align_items(Align.CENTER).width(Fill).height(Fill)
        return container(bar).style("panel").width(Fill).height(Fill)


def main(display: str) -> int:
    from widgets.wayland.layer import LayerHost

    from .toplevels import INTERFACES

    shared: list[Desktop] = []

    def setup(ctx: LayerContext) -> None:
        shared.append(Desktop(ctx))

    host = LayerHost(lambda _ctx, output: Panel(shared[0], output, display), per_output=True, extra=INTERFACES,
                     setup=setup)
    return host.run()
