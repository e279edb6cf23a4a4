"""The launcher: a search field over installed applications on an overlay layer surface, shown on demand.

Opened by a Super tap (the compositor) and the panel's button through :mod:`protocols.shell_control`. Type to filter
(:mod:`shell.search`), Up/Down (or Tab) to move, Enter to launch with an xdg_activation token, Escape to close.
``:command`` runs a shell command; ``=expression`` shows the value of an arithmetic expression (:mod:`shell.calc`).
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from protocols import shell_control as control
from widgets import Fill, KeyPressed, Task, button, column, container, icon, row, text, text_input
from widgets.core.element import Widget
from widgets.core.subscription import Subscription, run
from widgets.themed import notice_banner
from widgets.wayland.host import HostContext
from widgets.wayland.layer import LayerSpec

from .calc import CalcError, evaluate, format_number
from .common import Common
from .desktop_entry import FALLBACK_ICON, DesktopEntry, installed_apps
from .search import AppIndex, LaunchHistory, state_file

log = logging.getLogger(__name__)
ROW_HEIGHT = 44


@dataclass(frozen=True)
class Command:
    """A line from the control socket."""

    name: str


@dataclass(frozen=True)
class Query:
    text: str


@dataclass(frozen=True)
class Move:
    delta: int


@dataclass(frozen=True)
class Pick:
    index: int


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class Launch:
    argv: tuple[str, ...]
    app_id: str | None
    token: str | None


@dataclass
class LauncherState:
    common: Common
    index: AppIndex
    history: LaunchHistory
    visible: bool = False
    query: str = ""
    selected: int = 0
    results: list[DesktopEntry] = field(default_factory=list)


def answer(query: str) -> str | None:
    """What the first row says for ``=`` and ``:`` queries (None for an application search)."""
    if query.startswith("="):
        try:
            return f"= {format_number(evaluate(query[1:]))}"
        except CalcError as error:
            return f"= … ({error})" if query[1:].strip() else "= type an expression"
    if query.startswith(":"):
        return f"Run: {query[1:].strip()}" if query[1:].strip() else "Run: type a shell command"
    return None


def spawn(argv: list[str], token: str | None) -> bool:
    """Start ``argv`` detached (its own session, reparented at once, so the launcher leaves no zombies)."""
    env = dict(os.environ)
    if token:
        env["XDG_ACTIVATION_TOKEN"] = env["DESKTOP_STARTUP_ID"] = token
    try:
        subprocess.run(["/bin/sh", "-c", 'exec "$@" >/dev/null 2>&1 </dev/null &', "sh", *argv], env=env,
                       check=False, timeout=5, start_new_session=True)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("cannot start %s: %s", argv, error)
        return False
    return True


class Launcher:
    def __init__(self, ctx: HostContext | None, display: str) -> None:
        self.ctx, self.display = ctx, display

    def init(self) -> LauncherState:
        # the applications are read when it opens (picking up apps installed since): none held while closed
        state = LauncherState(Common.load(), AppIndex([]), LaunchHistory.load(state_file()))
        self._refresh(state)
        return state

    def app_id(self) -> str:
        return "org.orrery.Launcher"

    def title(self, state: LauncherState) -> str:
        return "Launcher"

    def theme(self, state: LauncherState) -> Any:
        return state.common.look.theme

    def _refresh(self, state: LauncherState) -> None:
        limit = int(state.common.config.get("launcher", "results"))
        special = state.query.startswith(("=", ":"))
        state.results = [] if special else state.index.search(state.query, state.history, limit)
        state.selected = max(0, min(state.selected, len(state.results) - 1))

    def layer(self, state: LauncherState) -> LayerSpec | None:
        if not state.visible:
            return None
        model = state.common.look.theme.model
        width = int(state.common.config.get("launcher", "width") or model.launcher.width)
        rows = int(state.common.config.get("launcher", "results"))
        height = 64 + ROW_HEIGHT * rows + 24 * len(state.common.notice)
        return LayerSpec("launcher", layer="overlay", anchor=("top",), width=width, height=height,
                         margin=(120, 0, 0, 0), keyboard="exclusive")

    def update(self, state: LauncherState, message: Any) -> Task[Any] | None:
        if state.common.update(message):
            self._refresh(state)
            return None
        if isinstance(message, Command):
            show = not state.visible if message.name == "toggle" else message.name == "show"
            if show and not state.visible:
                state.index = AppIndex(installed_apps())
                state.history = LaunchHistory.load(state.history.path or state_file())
            self._set_visible(state, show)
        elif isinstance(message, Query):
            state.query, state.selected = message.text, 0
            self._refresh(state)
        elif isinstance(message, Move) and state.results:
            state.selected = (state.selected + message.delta) % len(state.results)
        elif isinstance(message, Pick) and message.index < len(state.results):
            state.selected = message.index
            return self._launch(state)
        elif isinstance(message, Submit):
            return self._launch(state)
        elif isinstance(message, Launch):
            if spawn(list(message.argv), message.token) and message.app_id:
                state.history.record(message.app_id)
            self._set_visible(state, False)
        return None

    def _set_visible(self, state: LauncherState, visible: bool) -> None:
        state.visible = visible
        if not visible:
            state.query, state.selected = "", 0
            state.index = AppIndex([])
            self._refresh(state)

    def _launch(self, state: LauncherState) -> Task[Any] | None:
        query = state.query.strip()
        if query.startswith("="):
            return None
        if query.startswith(":"):
            command = query[1:].strip()
            return self._with_token(("/bin/sh", "-c", command), None) if command else None
        if not state.results:
            return None
        entry = state.results[state.selected]
        argv = entry.command()
        if entry.terminal:
            argv = [str(state.common.config.get("launcher", "terminal")), "-e", *argv]
        return self._with_token(tuple(argv), entry.id)

    def _with_token(self, argv: tuple[str, ...], app_id: str | None) -> Task[Any]:
        if self.ctx is None:
            return Task.done(Launch(argv, app_id, None))
        token = self.ctx.activation_token(app_id.removesuffix(".desktop") if app_id else None)
        return Task.perform(token, lambda value: Launch(argv, app_id, value))

    def key_pressed(self, state: LauncherState, event: KeyPressed) -> Any:
        if event.key == "Escape":
            return Command("hide")
        if event.key in ("Down", "KP_Down"):
            return Move(1)
        if event.key in ("Up", "KP_Up"):
            return Move(-1)
        return None

    def subscriptions(self, state: LauncherState) -> Subscription[Any]:
        path = control.socket_path(self.display, "launcher")

        def listen() -> AsyncIterator[str]:
            return control.commands(path, control.COMMANDS["launcher"])

        return Subscription.batch([state.common.subscriptions(), run(("launcher-control", str(path)), listen,
                                                                     Command)])

    def view(self, state: LauncherState) -> Widget[Any]:
        placeholder = str(state.common.config.get("launcher", "placeholder"))
        field_ = text_input(placeholder, state.query).on_input(Query).on_submit(Submit()).size(18).width(Fill)
        rows: list[Widget[Any]] = [notice_banner(state.common.notice), field_]
        said = answer(state.query)
        if said is not None:
            rows.append(container(text(said).size(18)).padding((10, 8)).width(Fill))
        for i, entry in enumerate(state.results):
            detail = entry.generic_name or entry.comment
            label = row([icon(entry.icon or FALLBACK_ICON, 28),
                         column([text(entry.name).bold(), text(detail).style("text.muted").size(12)] if detail
                                else [text(entry.name).bold()])]).spacing(10).width(Fill)
            style = "button.secondary" if i == state.selected else "button.text"
            rows.append(button(label).on_press(Pick(i)).style(style).width(Fill).height(ROW_HEIGHT - 4)
                        .padding((4, 10)).key(entry.id))
        body = column(rows).spacing(4).padding(12).width(Fill).height(Fill)
        return container(body).style("launcher").width(Fill).height(Fill)
