"""Autotiling per workspace, as in COSMIC: the window manager's side of ``tiling.py``'s trees.

A workspace tiles or not (``[tiling]`` in orrery.toml gives the default, ``toggle-tiling`` flips it). On a tiling
workspace every window that is not floating, minimized or unmapped has a tile in the workspace's tree; the tree is
made to match the windows by :meth:`Tiler.refresh`, which every change calls (a window mapped, unmapped, minimized,
moved to another workspace, toggled), so there is one place that decides. A window floats when it is a dialog (it
has a parent, or a fixed size: min == max), when a rule says so, when the user toggles it, or when its minimum
size does not fit its tile. A window leaving a tree gets back the geometry it had before it was tiled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, WeakSet

from .geometry import Box
from .tiling import Split, TilingTree, half, neighbour, snap_zone

if TYPE_CHECKING:
    from .wm import ManagedWindow, WindowManager
    from .workspaces import Workspace


class Tiler:
    def __init__(self, wm: WindowManager) -> None:
        self.wm = wm
        # Weak: a workspace that goes away (dynamic mode) takes its tree and setting with it.
        self.trees: WeakKeyDictionary[Workspace, TilingTree[ManagedWindow]] = WeakKeyDictionary()
        self.toggled: WeakKeyDictionary[Workspace, bool] = WeakKeyDictionary()
        # Tiles minimized: out of the tree meanwhile, without ever floating, so their floating geometry stays.
        self.parked: WeakSet[ManagedWindow] = WeakSet()

    # -- queries -------------------------------------------------------------------------------------
    def gap(self) -> int:
        """Pixels around and between tiles: orrery.toml's ``[tiling] gap``, else the theme's ``gaps``."""
        compositor = self.wm.compositor
        configured = compositor.config.get("tiling", "gap")
        if configured is None:
            return round(compositor.decorations.theme.decorations.active.gaps)
        return int(configured)

    def tiling(self, workspace: Workspace) -> bool:
        if workspace in self.toggled:
            return self.toggled[workspace]
        config = self.wm.compositor.config
        outputs = config.get("tiling", "outputs")
        return bool(config.get("tiling", "default")) and (not outputs or workspace.output in outputs)

    def tiled(self, window: ManagedWindow) -> bool:
        tree = self.trees.get(window.workspace) if window.workspace is not None else None
        return tree is not None and window in tree

    def area(self, workspace: Workspace) -> Box:
        return self.wm.usable_area(self.wm.workspaces.output(workspace))

    # -- keeping trees and windows in step -----------------------------------------------------------
    def window_mapped(self, window: ManagedWindow, previous: ManagedWindow | None) -> None:
        """A new window: dialogs and windows a rule floats float; the others split ``previous`` (the window
        focused before it) on a tiling workspace."""
        toplevel = window.toplevel
        fixed = toplevel.min_size == toplevel.max_size and toplevel.min_size != (0, 0)
        window.floating = (bool(window.rule_floating) or toplevel.parent is not None or fixed
                           if window.rule_floating is not False else False)
        if window.workspace is not None:
            self.refresh(window.workspace, previous)
            self.lift_floating(window)

    def lift_floating(self, window: ManagedWindow) -> None:
        """``window`` is on top: if it is a tile, the floating windows of its workspace (dialogs) go back above it."""
        if not self.tiled(window):
            return
        windows = self.wm.windows
        for other in [w for w in windows if w.workspace is window.workspace and not self.tiled(w)]:
            windows.remove(other)
            windows.append(other)
            self.wm.scene.damage_node(other)
        self.wm.scene.layout_changed()

    def refresh(self, workspace: Workspace | None, target: ManagedWindow | None = None) -> None:
        """Make ``workspace``'s tree hold exactly its tileable windows (new ones split ``target``, else the
        focused tile), then lay it out. Windows whose minimum size does not fit their tile float instead."""
        if workspace is None or (workspace not in self.trees and not self.tiling(workspace)):
            return
        tree = self.trees.setdefault(workspace, TilingTree())
        if not self.tiling(workspace):  # minimized tiles float too, back where they were before tiling
            for window in [w for w in self.parked if w.workspace is workspace]:
                self.parked.discard(window)
                self._float(window, workspace, park=False)
        area, gap = self.area(workspace), self.gap()
        while True:  # each pass floats at least one window that does not fit, or ends
            members = [w for w in self.wm.windows if w.workspace is workspace and not w.floating
                       and not w.minimized] if self.tiling(workspace) else []
            wanted = set(members)
            for window in tree.order():
                if window not in wanted:
                    tree.remove(window)
                    self._float(window, workspace)
            focused = self.wm.focused
            split = target if target in tree else focused if focused in tree else None
            for window in members:
                if window not in tree:
                    if window not in self.parked:
                        window.floating_rect = window.restore or window.rect()
                    self.parked.discard(window)
                    tree.insert(window, split, area, gap)
                    split = window  # toggled on: each window splits the one inserted before it
            tiles = tree.layout(area, gap)
            too_big = [w for w, box in tiles.items() if w.toplevel.min_size[0] > box.width
                       or w.toplevel.min_size[1] > box.height]
            if not too_big:
                break
            for window in too_big:
                window.floating = True
        for window, box in tiles.items():
            self._place(window, box)

    def refresh_all(self) -> None:
        for group in list(self.wm.workspaces.groups.values()):
            for workspace in list(group.workspaces):
                self.refresh(workspace)

    def _place(self, window: ManagedWindow, box: Box) -> None:
        if window.maximized or window.fullscreen:
            window.tile = None  # fills its output meanwhile; its tile is laid out again when it restores
            return
        if window.tile == box:
            return
        window.tile = box
        inner = self.wm.frame_insets(window).within(box)  # a server-side frame takes its part of the tile
        self.wm.move_to(window, inner.x, inner.y)
        window.toplevel.request_configure((inner.width, inner.height))

    def _float(self, window: ManagedWindow, workspace: Workspace, park: bool = True) -> None:
        """``window`` left ``workspace``'s tree: back to its floating geometry (only its size if it went to
        another output, which placed it there)."""
        window.tile = None
        if window not in self.wm.windows:
            return
        if window.minimized and park:
            self.parked.add(window)
            return
        rect = window.floating_rect or window.rect()
        if window.maximized or window.fullscreen:
            window.restore = rect  # restoring returns to the floating geometry
            window.toplevel.request_configure()
            return
        same_output = window.workspace is not None and window.workspace.output == workspace.output
        if same_output:
            self.wm.move_to(window, rect.x, rect.y)
        window.toplevel.request_configure((rect.width, rect.height))
        self.wm.compositor.windows_changed()

    # -- actions -------------------------------------------------------------------------------------
    def toggle(self, workspace: Workspace | None) -> None:
        if workspace is None:
            return
        self.toggled[workspace] = not self.tiling(workspace)
        self.refresh(workspace)
        self.wm.workspaces.changed()
        self.wm.compositor.windows_changed()

    def toggle_floating(self, window: ManagedWindow) -> None:
        """Between the tree and floating (on a workspace that does not tile, every window floats already)."""
        if window.workspace is None or not self.tiling(window.workspace):
            return
        window.floating = self.tiled(window)
        self.refresh(window.workspace, self.wm.focused if window.floating else None)
        self.wm.raise_(window)
        self.wm.compositor.windows_changed()

    def focus_direction(self, direction: str) -> None:
        """The nearest shown window of the focused one's workspace in ``direction``, tiled or floating."""
        window = self.wm.focused
        if window is None:
            return
        others = {w: w.rect() for w in self.wm.windows
                  if w is not window and w.visible and w.workspace is window.workspace}
        found = neighbour(others, window.rect(), direction)
        if found is not None:
            self.wm.focus(found)

    def move_direction(self, direction: str) -> None:
        """A tile swaps with its neighbour in ``direction``; a floating window snaps: left and right to that half
        of the usable area, up maximizes, down restores."""
        window = self.wm.focused
        if window is None or window.workspace is None:
            return
        tree = self.trees.get(window.workspace)
        if tree is not None and window in tree:
            tiles = tree.layout(self.area(window.workspace), self.gap())
            mine = tiles.pop(window)
            found = neighbour(tiles, mine, direction)
            if found is not None:
                tree.swap(window, found)
                self.refresh(window.workspace)
        elif direction in ("left", "right"):
            self.snap(window, half(self.wm.usable_area(self.wm.workspaces.output(window.workspace)), direction))
        elif direction == "up":
            self.wm.set_maximized(window, True)
        elif window.maximized:
            self.wm.set_maximized(window, False)
        elif window.restore is not None:
            restore, window.restore = window.restore, None
            self.wm.move_to(window, restore.x, restore.y)
            window.toplevel.request_configure((restore.width, restore.height))

    def snap(self, window: ManagedWindow, box: Box) -> None:
        """A floating window to ``box`` (half or quarter of its output); it remembers where it was."""
        if window.maximized:
            window.maximized = False
        window.restore = window.restore or window.rect()
        inner = self.wm.frame_insets(window).within(box)  # the frame, title bar included, fills the box
        self.wm.move_to(window, inner.x, inner.y)
        window.toplevel.request_configure((inner.width, inner.height))

    def dropped(self, window: ManagedWindow, x: float, y: float) -> None:
        """A move grab ended with the pointer at (x, y): a tile dropped on another tile of its workspace swaps
        with it (and goes back into the tree either way); a floating window near an output's edge snaps."""
        if window not in self.wm.windows:
            return
        left = [ws for ws, tree in self.trees.items() if window in tree and ws is not window.workspace]
        for workspace in left:  # dragged onto another output: it joined that output's workspace
            self.refresh(workspace)
        tree = self.trees.get(window.workspace) if window.workspace is not None else None
        if tree is not None and window in tree:
            target = next((w for w in reversed(self.wm.windows) if w is not window and w in tree and w.visible
                           and w.rect().contains(x, y)), None)
            if target is not None:
                tree.swap(window, target)
            window.tile = None  # it was dragged away from its tile: laid out there again
            self.refresh(window.workspace)
            return
        if window.workspace is not None and self.tiling(window.workspace) and not window.floating:
            self.refresh(window.workspace, window)  # dragged onto another output, whose workspace tiles
            return
        output = self.wm.scene.output_at(x, y)
        zone = snap_zone(x, y, output.rect, self.wm.usable_area(output)) if output is not None else None
        if zone is not None:
            self.snap(window, zone)

    def resize_grab(self, window: ManagedWindow, x: float, y: float) -> TileResizeGrab | None:
        tree = self.trees.get(window.workspace) if window.workspace is not None else None
        if tree is None or window not in tree or window.workspace is None:
            return None
        return TileResizeGrab(self, window.workspace, tree, window, x, y)


class TileResizeGrab:
    """Super+right-drag on a tile: the nearest split on each axis around it follows the pointer."""

    def __init__(self, tiler: Tiler, workspace: Workspace, tree: TilingTree[ManagedWindow],
                 window: ManagedWindow, x: float, y: float) -> None:
        self.tiler, self.workspace, self.tree = tiler, workspace, tree
        self.start = (x, y)
        self.splits: list[tuple[Split[ManagedWindow], float, bool]] = []
        for side_by_side in (True, False):
            split = tree.split_for(window, side_by_side)
            if split is not None:
                self.splits.append((split, split.ratio, side_by_side))

    def motion(self, x: float, y: float) -> None:
        area, gap = self.tiler.area(self.workspace), self.tiler.gap()
        for split, ratio, side_by_side in self.splits:
            self.tree.set_ratio(split, ratio, int(x - self.start[0] if side_by_side else y - self.start[1]),
                                area, gap)
        self.tiler.refresh(self.workspace)

    def button(self, button: int, pressed: bool) -> bool:
        return not pressed and not self.tiler.wm.compositor.seat.buttons
