"""The window switcher (Alt+Tab, Super+Tab): the open windows, most recently used first, on an overlay.

The compositor's ``switcher`` action sends ``next`` (``switcher prev``: ``prev``) through
:mod:`protocols.shell_control`. The first opens the switcher with the second most recently used window selected;
each further one moves the selection (the compositor keeps matching Alt+Tab while the switcher has the keyboard,
so Tab presses keep arriving as commands). Letting go of Alt and Super (the switcher has the keyboard and sees
the modifiers change) activates the selected window through foreign-toplevel management, which focuses it and
shows its workspace, and closes; so does Enter or a click on an entry. Escape closes without changing the focus.

The order is learnt from the windows' ``activated`` states (:mod:`shell.mru`). It lists the windows of the
output the compositor names with the command (the one under the pointer), on all its workspaces; every window
when none is on it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from protocols import shell_control as control
from themes.icon_theme import IconLookup
from widgets import Align, Fill, KeyPressed, column, container, icon, row, text
from widgets.core.element import Widget
from widgets.core.event import Modifiers
from widgets.core.subscription import Subscription, run
from widgets.core.text_engine import Ellipsis
from widgets.wayland.layer import LayerSpec
from widgets.widget.button import Button

from . import mru
from .common import Common
from .desktop_entry import FALLBACK_ICON, icon_for, icon_names, installed_apps
from .toplevels import Desktop, Snapshot, TaskInfo

ROW_HEIGHT = 44
ICON_SIZE = 28
MAX_ROWS = 10
WIDTH = 520
PADDING = 12


@dataclass(frozen=True)
class Command:
    """A line from the control socket: ``next``, ``prev`` or ``hide``, maybe with the output it is for."""

    name: str
    output: str = ""

    @classmethod
    def parse(cls, line: str) -> Command:
        name, _, output = line.partition(" ")
        return cls(name, output)


@dataclass(frozen=True)
class Changed:
    snapshot: Snapshot


@dataclass(frozen=True)
class Pick:
    index: int


@dataclass(frozen=True)
class Commit:
    """Activate the selected window and close."""


class Entry(Button[Any]):
    """A window's entry: clicked, never focused. The selection is the switcher's own; a focused entry would draw
    a second highlight and take Enter and Space for itself."""

    def focusable(self) -> bool:
        return False


@dataclass
class SwitcherState:
    common: Common
    icons: dict[str, str]  # app_id (lower case) -> icon name, from the desktop entries
    icon_of: dict[str, str] = field(default_factory=dict)  # app_id -> an icon the theme has, or the fallback
    snapshot: Snapshot = field(default_factory=Snapshot)
    order: tuple[int, ...] = ()  # every open window's key, most recently used first
    shown: tuple[int, ...] = ()  # the order when the switcher opened: it stays put while the user picks
    selected: int = 0
    visible: bool = False

    def entries(self) -> list[TaskInfo]:
        tasks = {task.key: task for task in self.snapshot.tasks}
        return [tasks[key] for key in self.shown if key in tasks]


class Switcher:
    def __init__(self, desktop: Desktop | None, display: str) -> None:
        self.desktop, self.display = desktop, display
        self.lookup = IconLookup()

    def init(self) -> SwitcherState:
        return SwitcherState(Common.load(), icon_names(installed_apps()))

    def app_id(self) -> str:
        return "org.orrery.Switcher"

    def title(self, state: SwitcherState) -> str:
        return "Switcher"

    def theme(self, state: SwitcherState) -> Any:
        return state.common.look.theme

    def layer(self, state: SwitcherState) -> LayerSpec | None:
        if not state.visible:
            return None
        rows = len(mru.window_of_rows(len(state.shown), state.selected, MAX_ROWS))
        return LayerSpec("switcher", layer="overlay", width=WIDTH, height=2 * PADDING + ROW_HEIGHT * rows,
                         keyboard="exclusive")

    def update(self, state: SwitcherState, message: Any) -> None:
        if state.common.update(message):
            return
        if isinstance(message, Changed):
            state.snapshot = message.snapshot
            state.order = mru.track(state.order, (mru.Window(t.key, t.activated) for t in message.snapshot.tasks))
            for task in message.snapshot.tasks:
                if task.app_id not in state.icon_of:
                    name = icon_for(task.app_id, state.icons)
                    found = self.lookup.find(name, ICON_SIZE) is not None
                    state.icon_of[task.app_id] = name if found else FALLBACK_ICON  # an entry always has an icon
            if state.visible:
                self._keep_open_entries(state)
        elif isinstance(message, Command):
            self._command(state, message)
        elif isinstance(message, Pick) and state.visible and message.index < len(state.shown):
            state.selected = message.index
            self._commit(state)
        elif isinstance(message, Commit) and state.visible:
            self._commit(state)

    def _command(self, state: SwitcherState, command: Command) -> None:
        name = command.name
        if name == "hide":
            self._close(state)
        elif state.visible:
            state.selected = mru.step(state.selected, len(state.shown), name)
        elif state.order:
            on_output = {task.key for task in state.snapshot.tasks if command.output in task.outputs}
            state.shown = tuple(key for key in state.order if key in on_output) or state.order
            state.selected = mru.first_selection(len(state.shown), name)
            state.visible = True

    def _keep_open_entries(self, state: SwitcherState) -> None:
        """Windows closed while the switcher is open leave it; the selection stays on the same window if it can."""
        open_keys = set(state.order)
        chosen = state.shown[state.selected] if state.selected < len(state.shown) else None
        state.shown = tuple(key for key in state.shown if key in open_keys)
        if not state.shown:
            self._close(state)
        elif chosen in state.shown:
            state.selected = state.shown.index(chosen)
        else:
            state.selected = min(state.selected, len(state.shown) - 1)

    def _commit(self, state: SwitcherState) -> None:
        if self.desktop is not None and state.selected < len(state.shown):
            self.desktop.activate(state.shown[state.selected])
        self._close(state)

    def _close(self, state: SwitcherState) -> None:
        state.visible, state.shown, state.selected = False, (), 0

    def modifiers_changed(self, state: SwitcherState, modifiers: Modifiers) -> Any:
        # Also called right after the switcher gets the keyboard: a quick Alt+Tab has let go of Alt by then.
        if state.visible and not (modifiers.alt or modifiers.logo):
            return Commit()
        return None

    def key_pressed(self, state: SwitcherState, event: KeyPressed) -> Any:
        if event.key == "Escape":
            return Command("hide")
        if event.key in ("Return", "KP_Enter"):
            return Commit()
        if event.key in ("Down", "KP_Down", "Right", "KP_Right"):
            return Command(mru.NEXT)
        if event.key in ("Up", "KP_Up", "Left", "KP_Left"):
            return Command(mru.PREV)
        return None

    def subscriptions(self, state: SwitcherState) -> Subscription[Any]:
        path = control.socket_path(self.display, "switcher")

        def listen() -> AsyncIterator[str]:
            return control.commands(path, control.COMMANDS["switcher"])

        parts = [state.common.subscriptions(), run(("switcher-control", str(path)), listen, Command.parse)]
        if self.desktop is not None:
            parts.append(self.desktop.subscription(Changed))
        return Subscription.batch(parts)

    def view(self, state: SwitcherState) -> Widget[Any]:
        entries = state.entries()
        rows: list[Widget[Any]] = []
        for i in mru.window_of_rows(len(entries), state.selected, MAX_ROWS):
            task = entries[i]
            label = row([icon(state.icon_of.get(task.app_id, FALLBACK_ICON), ICON_SIZE),
                         text(task.title or task.app_id or "Window").ellipsize(Ellipsis.END).width(Fill)]) \
                .spacing(10).align_items(Align.CENTER).width(Fill)
            style = "button.secondary" if i == state.selected else "button.text"
            rows.append(Entry(label).on_press(Pick(i)).style(style).width(Fill).height(ROW_HEIGHT - 4)
                        .padding((4, 10)).key(("task", task.key)))
        body = column(rows).spacing(4).padding(PADDING).width(Fill).height(Fill)
        return container(body).style("launcher").width(Fill).height(Fill)
