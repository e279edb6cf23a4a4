"""The panel: on every output, along the top (or bottom) edge, reserving its height from windows.

Left to right: the launcher button, the output's workspaces (ext_workspace_v1: click one to show it; the shown
one is highlighted, one with a window asking for attention is drawn as a warning), a taskbar entry per open window
(zwlr_foreign_toplevel_management_v1: icon from the app's desktop entry and the icon theme, title; click to
activate, click the active one to minimize, middle-click to close), then problems with orrery.toml (the
compositor's, published by it: protocols/config_problems.py), shell.toml or the theme (as ``file:line:col``) or a
failed session action, the clock (``strftime`` format from shell.toml) and the session
menu (shell/session.py: log out; suspend, reboot, power off where logind allows them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocols import config_problems
from protocols import shell_control as control
from themes.icon_theme import IconLookup
from widgets import Align, Fill, Fixed, Task, button, container, horizontal_space, icon, row, text
from widgets.core.element import Widget
from widgets.core.subscription import Subscription, every, file_changes
from widgets.core.text_engine import Ellipsis
from widgets.wayland.host import OutputInfo
from widgets.wayland.layer import LayerSpec

from . import session
from .common import Common
from .desktop_entry import icon_for, icon_names, installed_apps
from .menu_button import menu_button
from .task_button import task_button
from .toplevels import Desktop, Snapshot

SESSION_ICON = "system-shutdown-symbolic"
SESSION_LABEL = "Session"  # when the icon theme lacks SESSION_ICON
PROBLEM_SECONDS = 30.0  # how long a failed session action stays on the panel


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
class WorkspaceClicked:
    key: int


@dataclass(frozen=True)
class OpenLauncher:
    pass


@dataclass(frozen=True)
class CompositorProblems:
    """The compositor's orrery.toml problems changed (none: the file is good again)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class LogindProbed:
    allowed: frozenset[session.SessionAction]


@dataclass(frozen=True)
class SessionChosen:
    action: session.SessionAction


@dataclass(frozen=True)
class SessionDone:
    action: session.SessionAction
    problem: str | None


@dataclass
class PanelState:
    common: Common
    output: str
    icons: dict[str, str]
    now: float = field(default_factory=time.time)
    snapshot: Snapshot = Snapshot()
    session_icon: bool = True  # the icon theme has SESSION_ICON
    logind: frozenset[session.SessionAction] = frozenset()  # what logind allows (nothing until probed)
    session_problem: tuple[float, str] | None = None  # when and how the last session action failed
    compositor_problems: tuple[str, ...] = ()  # orrery.toml's, as the compositor published them


class Panel:
    def __init__(self, desktop: Desktop | None, output: OutputInfo | None, display: str) -> None:
        self.desktop, self.output_info, self.display = desktop, output, display

    def init(self) -> PanelState:
        name = self.output_info.name if self.output_info else ""
        return PanelState(Common.load(), name, icon_names(installed_apps()),
                          session_icon=IconLookup().find(SESSION_ICON, 16) is not None,
                          compositor_problems=config_problems.read(self.problems_path()))

    def problems_path(self) -> Path:
        return config_problems.problems_path(self.display)

    def startup(self, state: PanelState) -> Task[Any]:
        return Task.perform(session.probe(), LogindProbed)  # in the background: the first frame does not wait

    def app_id(self) -> str:
        return "org.orrery.Panel"

    def theme(self, state: PanelState) -> Any:
        return state.common.look.theme

    def height(self, state: PanelState) -> int:
        return int(state.common.config.get("panel", "height") or state.common.look.theme.model.panel.height)

    def position(self, state: PanelState) -> str:
        return str(state.common.config.get("panel", "position") or state.common.look.theme.model.panel.position)

    def layer(self, state: PanelState) -> LayerSpec:
        height = self.height(state)
        return LayerSpec("panel", layer="top", anchor=(self.position(state), "left", "right"), height=height,
                         exclusive_zone=height)

    def update(self, state: PanelState, message: Any) -> Task[Any] | None:
        if state.common.update(message):
            return None
        if isinstance(message, Tick):
            state.now = message.now
            if state.session_problem is not None and state.now - state.session_problem[0] > PROBLEM_SECONDS:
                state.session_problem = None
        elif isinstance(message, CompositorProblems):
            state.compositor_problems = message.lines
        elif isinstance(message, LogindProbed):
            state.logind = message.allowed
        elif isinstance(message, SessionChosen):
            state.session_problem = None
            action = message.action
            return Task.perform(session.perform(action), lambda problem: SessionDone(action, problem))
        elif isinstance(message, SessionDone) and message.problem is not None:
            state.session_problem = (time.time(), message.problem)
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
        elif isinstance(message, WorkspaceClicked) and self.desktop is not None:
            self.desktop.activate_workspace(message.key)
        elif isinstance(message, OpenLauncher):
            control.send(self.display, "launcher", "toggle")
        return None

    def subscriptions(self, state: PanelState) -> Subscription[Any]:
        parts = [state.common.subscriptions(), every(1.0, lambda _t: Tick(time.time())),
                 file_changes(self.problems_path(), lambda path: CompositorProblems(config_problems.read(path)))]
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
                style = "button" if workspace.active else "button.danger" if workspace.urgent else "button.text"
                items.append(button(workspace.name or str(i + 1)).on_press(WorkspaceClicked(workspace.key))
                             .style(style).padding((2, 8)).height(Fixed(inner)).key(("workspace", i)))
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
        if state.session_problem is not None:
            items.append(text(f"⚠ {state.session_problem[1]}").style("text.danger").ellipsize(Ellipsis.END)
                         .width(Fixed(360)).key("session-problem"))
        problems = [*state.compositor_problems, *state.common.problems]
        if problems:
            # the start (file:line:col) matters most: a long message loses its end, not its place
            items.append(text(f"⚠ {problems[0]}").style("text.danger").ellipsize(Ellipsis.END)
                         .width(Fixed(480)).key("problems"))
            if len(problems) > 1:
                items.append(text(f"(+{len(problems) - 1})").style("text.danger").key("more-problems"))
        clock = time.strftime(str(config.get("panel", "clock_format")), time.localtime(state.now))
        items.append(text(clock).key("clock"))
        if config.get("panel", "session_menu"):
            items.append(self.session_button(state, inner))
        bar = row(items).spacing(4).padding((0, 8)).align_items(Align.CENTER).width(Fill).height(Fill)
        return container(bar).style("panel").width(Fill).height(Fill)

    def session_button(self, state: PanelState, inner: int) -> Widget[Any]:
        label: Widget[Any] = icon(SESSION_ICON, min(18.0, inner - 4)) if state.session_icon else text(SESSION_LABEL)
        choices = [(action.label, SessionChosen(action)) for action in session.entries(state.logind)]
        return menu_button(label, choices).above(self.position(state) == "bottom").style("button.text") \
            .padding((2, 8)).height(Fixed(inner)).key("session")
