"""Workspaces, per output, as in COSMIC: each output has an ordered list of them and shows one at a time.

Each window belongs to one workspace of one output (``ManagedWindow.workspace``). Only the windows of an
output's active workspace are drawn, take input and get frame callbacks: ``ManagedWindow.visible`` is false
for the others, which the scene, the seat and the frame clock go by. Workspaces are named by their place in
their output's list: "1", "2", ...

``[workspaces] mode`` in orrery.toml:

- ``dynamic`` (the default): each output's list ends with exactly one empty workspace. A window opened or
  moved there makes it a workspace like the others, and a new empty one is added after it. An empty
  workspace other than the last goes away once it is not the active one: the one you are on stays while you
  close its windows, and goes when you leave it.
- ``fixed``: ``count`` workspaces per output, never added or removed.

When an output goes away, the windows of its active workspace join the active workspace of the first
remaining output (they were on screen, and stay so); its other workspaces with windows are appended to that
output's list (dynamic) or merged into the workspace of the same place (fixed). Where each of those windows was
(its workspace's place, the output's active place, its offset from the output's corner) is remembered by the
output's name: when an output of that name comes back (a monitor plugged in again), the windows still where they
were sent (not closed, not moved to another workspace meanwhile) go back to the workspace of the same place
there, and it shows the workspace it showed, as in COSMIC.

Whoever shows workspaces (ext_workspace_v1, ``handlers/workspace.py``) is told of every change through
``listeners``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .bindings import Action

if TYPE_CHECKING:
    from .scene import Output
    from .surface import Surface
    from .wm import ManagedWindow, WindowManager


class Workspace:
    """One workspace. ``output`` is the name of the output whose list it is in."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.shown = False  # it is its output's active workspace (read for every window drawn)


@dataclass
class OutputWorkspaces:
    """One output's workspaces, in order, and the one it shows."""

    output: str
    workspaces: list[Workspace]
    active: Workspace
    previous: Workspace | None = None  # the one shown before (deactivating the active workspace goes back)


@dataclass
class Away:
    """An output that went away: where each of its windows was and where it went, to give them back."""

    places: dict[ManagedWindow, tuple[int, Workspace]]  # its workspace's place (from 0), the workspace it went to
    active: int  # the place of the workspace the output showed
    offsets: dict[ManagedWindow, tuple[int, int]]  # from the output's top-left corner
    tiling: dict[int, bool]  # the tiling toggled (Super+Y) on its workspaces, by place


class Workspaces:
    def __init__(self, wm: WindowManager, dynamic: bool, count: int) -> None:
        self.wm = wm
        self.dynamic = dynamic
        self.count = 1 if dynamic else max(1, count)
        self.groups: dict[str, OutputWorkspaces] = {}  # by output name, in the order outputs appeared
        self.listeners: list[Callable[[], None]] = []
        # Windows not mapped yet whose launch asked for a workspace (an xdg_activation token used before the
        # first buffer): where they go when they map.
        self._promised: dict[Surface, Workspace] = {}
        self._away: dict[str, Away] = {}  # by output name: outputs that went away, while another remained

    # -- queries -------------------------------------------------------------------------------------
    def windows_on(self, workspace: Workspace) -> list[ManagedWindow]:
        """The workspace's windows, bottom to top."""
        return [window for window in self.wm.windows if window.workspace is workspace]

    def index(self, workspace: Workspace) -> int:
        group = self.groups.get(workspace.output)
        return group.workspaces.index(workspace) if group is not None and workspace in group.workspaces else -1

    def name(self, workspace: Workspace) -> str:
        return str(self.index(workspace) + 1)

    def exists(self, workspace: Workspace) -> bool:
        return self.index(workspace) >= 0

    def urgent(self, workspace: Workspace) -> bool:
        return any(window.urgent for window in self.windows_on(workspace))

    def output(self, workspace: Workspace) -> Output | None:
        return next((o for o in self.wm.scene.outputs if o.name == workspace.output), None)

    def current_output(self) -> Output | None:
        """Where workspace actions apply and new windows go: the output under the pointer."""
        scene, seat = self.wm.scene, self.wm.compositor.seat
        return scene.output_at(seat.x, seat.y) or (scene.outputs[0] if scene.outputs else None)

    def current(self) -> Workspace | None:
        """The active workspace of the output under the pointer (an xdg_activation token remembers it)."""
        output = self.current_output()
        group = self.groups.get(output.name) if output is not None else None
        return group.active if group is not None else None

    def for_new_window(self, surface: Surface, number: int | None = None) -> Workspace | None:
        """The workspace a window mapping now goes on: workspace ``number`` (a window rule's, from 1) of the
        current output, or the last one there if it has fewer; else the one its launch promised; else the
        current one."""
        promised = self._promised.pop(surface, None)
        current = self.current()
        group = self.groups.get(current.output) if current is not None else None
        if number is not None and group is not None and group.workspaces:
            return group.workspaces[min(number, len(group.workspaces)) - 1]
        return promised if promised is not None and self.exists(promised) else current

    # -- outputs -------------------------------------------------------------------------------------
    def output_added(self, output: Output) -> dict[ManagedWindow, tuple[int, int]]:
        """A new output gets its workspaces: those it had, if an output of that name went away before.
        Returns the windows given back to it, each with its offset from the output's top-left corner."""
        back: dict[ManagedWindow, tuple[int, int]] = {}
        if output.name not in self.groups:
            away = self._away.pop(output.name, None)
            places = [index for index, _ in away.places.values()] if away is not None else []
            count = max([1, *(i + 1 for i in places), away.active + 1 if away else 1]) if self.dynamic else self.count
            workspaces = [Workspace(output.name) for _ in range(count)]
            first = workspaces[min(away.active, count - 1)] if away is not None else workspaces[0]
            self.groups[output.name] = OutputWorkspaces(output.name, workspaces, first)
            first.shown = True
            if away is not None:
                back = self._give_back(away, workspaces)
        # Windows of outputs that went away while no other was left, or mapped while there was none, come here.
        for name in [name for name in self.groups if not self._present(name)]:
            self._migrate(self.groups.pop(name), self.groups[output.name])
        for window in self.wm.windows:
            if window.workspace is None:
                window.workspace = self.groups[output.name].active
        self.changed()
        return back

    def _give_back(self, away: Away, workspaces: list[Workspace]) -> dict[ManagedWindow, tuple[int, int]]:
        for index, tiling in away.tiling.items():
            if index < len(workspaces):
                self.wm.tiler.toggled[workspaces[index]] = tiling
        back: dict[ManagedWindow, tuple[int, int]] = {}
        present = set(self.wm.windows)
        for window, (index, went) in away.places.items():
            if window in present and window.workspace is went:
                self.wm.scene.damage_node(window)  # gone from where it showed
                window.workspace = workspaces[min(index, len(workspaces) - 1)]
                back[window] = away.offsets.get(window, (0, 0))
        return back

    def output_removed(self, gone: Output) -> set[ManagedWindow]:
        """``gone`` left the layout: its workspaces go to the first remaining output (none left: they wait for
        the next output to appear), remembered for its return. Returns the windows that changed output."""
        group = self.groups.get(gone.name)
        if group is None or not self.wm.scene.outputs:
            return set()
        moved = {window for window in self.wm.windows
                 if window.workspace is not None and window.workspace.output == gone.name}
        offsets = {}
        for window in moved:
            rect = window.restore or window.rect()  # maximized or fullscreen: where it restores to
            offsets[window] = (rect.x - gone.rect.x, rect.y - gone.rect.y)
        places = {window: group.workspaces.index(window.workspace) for window in moved
                  if window.workspace in group.workspaces}
        self._migrate(self.groups.pop(gone.name), self.groups[self.wm.scene.outputs[0].name])
        toggled = self.wm.tiler.toggled
        tiling = {i: toggled[w] for i, w in enumerate(group.workspaces) if w in toggled}
        self._away[gone.name] = Away({w: (i, w.workspace) for w, i in places.items() if w.workspace is not None},
                                     group.workspaces.index(group.active), offsets, tiling)
        self.changed()
        return moved

    def _present(self, name: str) -> bool:
        return any(output.name == name for output in self.wm.scene.outputs)

    def _migrate(self, gone: OutputWorkspaces, target: OutputWorkspaces) -> None:
        for workspace in gone.workspaces:
            windows = self.windows_on(workspace)
            if workspace is gone.active or not windows:
                into: Workspace | None = target.active
            elif self.dynamic:  # at the end (tidying then drops an empty workspace before it and adds one after)
                workspace.output, workspace.shown, into = target.output, False, None
                target.workspaces.append(workspace)
            else:
                index = gone.workspaces.index(workspace)
                into = target.workspaces[min(index, len(target.workspaces) - 1)]
            if into is not None:
                for window in windows:
                    window.workspace = into

    # -- switching -----------------------------------------------------------------------------------
    def show(self, workspace: Workspace) -> None:
        """Make ``workspace`` its output's active one (the keyboard focus is the caller's business)."""
        group = self.groups.get(workspace.output)
        if group is None or group.active is workspace or workspace not in group.workspaces:
            return
        scene = self.wm.scene
        old = group.active
        for window in self.windows_on(old):
            scene.damage_node(window)  # while it is still shown: hidden, it has no place to damage
        old.shown = False
        group.previous, group.active = old, workspace
        workspace.shown = True
        for window in self.windows_on(workspace):
            scene.damage_node(window)
        scene.layout_changed()
        self.changed()

    def activate(self, workspace: Workspace) -> None:
        """Show ``workspace`` and give the focus to its topmost window (none if it has none)."""
        self.show(workspace)
        if workspace.shown:
            self.wm.focus(next((w for w in reversed(self.windows_on(workspace)) if not w.minimized), None))

    def deactivate(self, workspace: Workspace) -> None:
        """Stop showing ``workspace``: go back to the one shown before it, else to a neighbour."""
        group = self.groups.get(workspace.output)
        if group is None or group.active is not workspace or len(group.workspaces) < 2:
            return
        back = group.previous if group.previous is not None and group.previous in group.workspaces else None
        if back is None:
            index = group.workspaces.index(workspace)
            back = group.workspaces[index - 1 if index > 0 else 1]
        self.activate(back)

    def switch_to(self, output: Output | None, index: int) -> None:
        """Show workspace ``index`` (from 0) of ``output``; nothing happens if there is no such workspace."""
        group = self.groups.get(output.name) if output is not None else None
        if group is not None and 0 <= index < len(group.workspaces):
            self.activate(group.workspaces[index])

    def switch_relative(self, output: Output | None, step: int) -> None:
        """The next (+1) or previous (-1) workspace of ``output``; at either end of the list nothing happens."""
        group = self.groups.get(output.name) if output is not None else None
        if group is not None:
            self.switch_to(output, group.workspaces.index(group.active) + step)

    # -- moving windows ------------------------------------------------------------------------------
    def move_window(self, window: ManagedWindow, workspace: Workspace) -> None:
        """Put ``window`` on ``workspace`` (placed anew if that is on another output); if it had the focus and is
        not shown now, the focus goes to the topmost window of the workspace it left."""
        old = window.workspace
        if old is workspace:
            return
        self.wm.scene.damage_node(window)  # gone from where it showed
        window.workspace = workspace
        if old is not None and old.output != workspace.output:
            self.wm.move_to(window, *self.wm.placement(window, workspace))
        self.wm.scene.damage_node(window)  # shown where it is now, if its workspace is
        self.wm.tiler.refresh(old)
        self.wm.tiler.refresh(workspace)
        self.wm.scene.layout_changed()
        if self.wm.focused is window and not window.visible:
            left = [w for w in self.windows_on(old) if w.visible] if old is not None else []
            self.wm.focus(left[-1] if left else None)
        self.changed()
        self.wm.compositor.windows_changed()

    def move_focused_to(self, index: int) -> None:
        """Move the focused window to workspace ``index`` (from 0) of its output, and follow it there (as
        COSMIC's "move to workspace" does)."""
        window = self.wm.focused
        workspace = window.workspace if window is not None else None
        group = self.groups.get(workspace.output) if workspace is not None else None
        if window is None or group is None or not 0 <= index < len(group.workspaces):
            return
        target = group.workspaces[index]
        self.show(target)  # first: the window goes on being shown, and the focus stays with it
        self.move_window(window, target)
        self.wm.focus(window)

    def window_moved(self, window: ManagedWindow) -> None:
        """A shown window was moved onto another output (dragged, or by IPC): it joins that output's active
        workspace. A window whose centre is on no output keeps its workspace."""
        if window.workspace is None or not window.visible:
            return
        rect = window.rect()
        output = self.wm.scene.output_at(rect.x + rect.width / 2, rect.y + rect.height / 2)
        if output is not None and output.name != window.workspace.output and output.name in self.groups:
            window.workspace = self.groups[output.name].active
            self.changed()

    def promise(self, surface: Surface, workspace: Workspace) -> None:
        """A surface not mapped yet was activated with a token issued on ``workspace``: it maps there."""
        self._promised = {s: w for s, w in self._promised.items() if s.alive}
        self._promised[surface] = workspace

    # -- actions -------------------------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        """``workspace N|next|prev`` on the output under the pointer; ``move-to-workspace N|next|prev`` for
        the focused window (N counts from 1)."""
        argument = action.argument
        if action.name == "workspace" and argument in ("next", "prev"):
            self.switch_relative(self.current_output(), 1 if argument == "next" else -1)
        elif action.name == "workspace":
            self.switch_to(self.current_output(), int(argument) - 1)
        elif action.name == "move-to-workspace" and argument in ("next", "prev"):
            focused = self.wm.focused.workspace if self.wm.focused is not None else None
            if focused is not None:
                self.move_focused_to(self.index(focused) + (1 if argument == "next" else -1))
        elif action.name == "move-to-workspace":
            self.move_focused_to(int(argument) - 1)

    # -- bookkeeping ---------------------------------------------------------------------------------
    def changed(self) -> None:
        """Windows came, went or moved, or another workspace is shown: keep the dynamic lists' shape, then
        tell the listeners."""
        if self.dynamic:
            for group in self.groups.values():
                self._tidy(group)
        for listener in list(self.listeners):
            listener()

    def _tidy(self, group: OutputWorkspaces) -> None:
        occupied = {window.workspace for window in self.wm.windows}
        last = group.workspaces[-1]
        kept = [ws for ws in group.workspaces if ws in occupied or ws is group.active or ws is last]
        if kept[-1] in occupied:
            kept.append(Workspace(group.output))
        group.workspaces = kept
