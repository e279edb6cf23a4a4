"""Window management: placement, stacking, focus, move/resize grabs, maximize/fullscreen/minimize.

A :class:`ManagedWindow` is a mapped xdg_toplevel. Its ``x, y`` is where its window geometry's top-left corner
is on the global layout. The stacking order is the scene's "windows" layer, bottom to top, across all
workspaces; which windows show is up to their workspace (``workspaces.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from . import input as actions
from . import rules
from .decorations import NO_INSETS, Insets
from .geometry import Box
from .placement import place
from .tiler import Tiler
from .workspaces import Workspace, Workspaces

if TYPE_CHECKING:
    import cairo

    from .scene import Output
    from .seat import Seat
    from .server import Compositor
    from .surface import Surface


REACH = 1 << 20  # how far from the origin a window may be put, in logical pixels (a layout of monitors is smaller)


class Toplevel(Protocol):
    """What the window manager needs from the xdg_toplevel role."""

    surface: Surface
    title: str
    app_id: str
    min_size: tuple[int, int]
    max_size: tuple[int, int]
    xwayland: bool  # an X11 window (compositor/xwayland), not an xdg_toplevel
    icon: cairo.ImageSurface | None  # its own icon (X11's _NET_WM_ICON); None: its app's, found by app_id

    @property
    def decorations(self) -> str:
        """"server" (the compositor draws the frame), "client" or "none" (xdg-decoration)"""

    @property
    def parent(self) -> Any:
        """The toplevel a dialog belongs to, else None"""

    def geometry(self) -> Box: ...
    def request_configure(self, size: tuple[int, int] | None = None) -> None: ...
    def close(self) -> None: ...
    def moved(self) -> None:
        """The window manager moved the window (an X window's position follows)."""


class ManagedWindow:
    def __init__(self, toplevel: Toplevel, id: int) -> None:
        self.id = id
        self.toplevel = toplevel
        self.surface = toplevel.surface
        self.popups: list[Any] = []
        self.x = self.y = 0
        self.activated = False
        self.maximized = False
        self.fullscreen = False
        self.minimized = False
        self.resizing = False
        self.workspace: Workspace | None = None  # None only while there is no output at all
        self.urgent = False  # it asked for attention (activation without a valid token) and was not focused since
        self.restore: Box | None = None  # floating geometry to return to after maximize/fullscreen
        # While resizing by the top or left edge, the opposite edge stays put: (edges, start rect).
        self.resize_anchor: tuple[int, Box] | None = None
        # What [[rules]] in orrery.toml said when the window mapped (None: nothing), for floating/tiling,
        # workspaces, outputs and decorations to honour.
        self.rule_floating: bool | None = None
        self.rule_workspace: int | None = None
        self.rule_output: str | None = None
        # Tiling (tiler.py): whether it stays out of its workspace's tree, the tile it was laid out in, and the
        # geometry it had before it was tiled (it returns there when it floats again).
        self.floating = False
        self.tile: Box | None = None
        self.floating_rect: Box | None = None

    @property
    def visible(self) -> bool:
        return not self.minimized and (self.workspace is None or self.workspace.shown)

    def origin(self) -> tuple[int, int]:
        geometry = self.toplevel.geometry()
        return self.x - geometry.x, self.y - geometry.y

    def rect(self) -> Box:
        geometry = self.toplevel.geometry()
        return Box(self.x, self.y, geometry.width, geometry.height)

    def states(self) -> list[int]:
        # xdg_toplevel.state values
        states = []
        if self.maximized:
            states.append(1)
        if self.fullscreen:
            states.append(2)
        if self.resizing:
            states.append(3)
        if self.activated:
            states.append(4)
        if self.tile is not None and not (self.maximized or self.fullscreen):
            # tiled_left, right, top, bottom: the client keeps to the exact size and draws no shadows
            states.extend((5, 6, 7, 8))
        return states


class WindowManager:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.scene = compositor.scene
        self.focused: ManagedWindow | None = None
        self._window_ids = itertools.count(1)
        # A surface that keeps the keyboard whichever window is focused (a layer surface with exclusive
        # keyboard interactivity, e.g. a launcher); set by the layer shell.
        self.keyboard_owner: Callable[[], Surface | None] = lambda: None
        config = compositor.config
        self.workspaces = Workspaces(self, config.get("workspaces", "mode") == "dynamic",
                                     int(config.get("workspaces", "count")))
        # How far a window's server-side frame reaches beyond its geometry (set by the decorations part).
        self.frame_insets: Callable[[ManagedWindow], Insets] = lambda window: NO_INSETS
        self.shadow_reach: Callable[[], int] = lambda: 0  # how far frames' shadows reach (set with the frames)
        self.tiler = Tiler(self)

    def next_window_id(self) -> int:
        return next(self._window_ids)

    @property
    def windows(self) -> list[ManagedWindow]:
        return self.scene.layers["windows"]  # type: ignore[return-value]

    def window_of(self, surface: Surface | None) -> ManagedWindow | None:
        """The window a surface belongs to (through subsurfaces and popups)."""
        while surface is not None and surface.role is not None:
            role = surface.role
            if role.window is not None:
                return role.window
            surface = role.parent_surface()
        return None

    def usable_area(self, output: Any = None) -> Box:
        outputs = self.scene.outputs
        if not outputs:
            return Box(0, 0, 800, 600)
        output = output or outputs[0]
        return self.compositor.usable_area(output)

    def fill_area(self, window: ManagedWindow | None, fullscreen: bool) -> Box:
        """What a maximized (usable area less its frame) or fullscreen (whole output) window's geometry covers."""
        output = self._output_of(window) if window is not None else (
            self.scene.outputs[0] if self.scene.outputs else None)
        if fullscreen and output is not None:
            return output.rect
        area = self.usable_area(output)
        return self.frame_insets(window).within(area) if window is not None else area

    def outer_rect(self, window: ManagedWindow) -> Box:
        """The window with its frame (title bar and border), if it has one."""
        return self.frame_insets(window).around(window.rect())

    # -- lifecycle -----------------------------------------------------------------------------------
    def map(self, window: ManagedWindow) -> None:
        """A new window goes on the active workspace of the output under the pointer (or the workspace its
        launch was on), where it overlaps that workspace's windows least."""
        rule = self.take_rule(window)
        previous = self.focused  # the tile a new tiled window splits
        workspace = self.workspaces.for_new_window(window.surface, rule.workspace)
        window.x, window.y = self.placement(window, workspace)
        window.workspace = workspace
        insets = self.frame_insets(window)
        if (window.maximized or window.fullscreen) and insets != NO_INSETS:
            window.toplevel.request_configure()  # asked for before the frame was known: the size without it
        self.windows.append(window)
        self.scene.damage_node(window)
        if window.visible:
            self.workspaces.changed()  # dynamic: a window on the last workspace adds an empty one after it
            self.focus(window)
        else:  # launched from a workspace the user has left: it waits there, marked as wanting attention
            self.set_urgent(window)
        self.place_by_rule(window, rule)
        self.tiler.window_mapped(window, previous)

    def placement(self, window: ManagedWindow, workspace: Workspace | None) -> tuple[int, int]:
        """Where ``window`` goes on ``workspace``: in its output's usable area, overlapping the workspace's other
        windows least (maximized and fullscreen: the area's corner)."""
        area = self.usable_area(self.workspaces.output(workspace) if workspace is not None else None)
        insets = self.frame_insets(window)
        if window.maximized or window.fullscreen:
            filled = area if window.fullscreen else insets.within(area)
            return filled.x, filled.y
        geometry = window.toplevel.geometry()
        shown = [self.outer_rect(other) for other in self.windows
                 if other.workspace is workspace and not other.minimized and other is not window]
        outer = insets.around(Box(0, 0, geometry.width, geometry.height))
        # the shadows' reach only counts around other windows (the first one needs no theme read for it)
        x, y = place(area, outer.width, outer.height, shown, self.shadow_reach() if shown else 0)
        return x + insets.left, y + insets.top

    # -- window rules (orrery.toml's [[rules]]) -----------------------------------------------------
    def rule_for(self, toplevel: Toplevel) -> rules.WindowRule:
        """What the rules give a window with this toplevel's app_id and title now."""
        return rules.match(self.compositor.config.rules, toplevel.app_id, toplevel.title)

    def take_rule(self, window: ManagedWindow) -> rules.WindowRule:
        """A window maps: it keeps what the rules say about it."""
        rule = self.rule_for(window.toplevel)
        window.rule_floating, window.rule_workspace = rule.floating, rule.workspace
        window.rule_output = rule.output  # (decorations: the xdg-decoration handler asks the rules itself)
        return rule

    def place_by_rule(self, window: ManagedWindow, rule: rules.WindowRule) -> None:
        """A window just mapped and placed: to the rule's output (its usable area), at the rule's position
        (from the output's top-left corner), at the rule's size."""
        target = next((output for output in self.scene.outputs if output.name == rule.output), None)
        if window.maximized or window.fullscreen:
            if target is not None and target is not self._output_of(window):
                corner = target.rect if window.fullscreen else self.usable_area(target)
                self.move_to(window, corner.x, corner.y)
                window.toplevel.request_configure()  # filling that output now
            return
        if rule.position is not None:
            origin = target.rect if target is not None else self.fill_area(window, fullscreen=True)  # its output
            self.move_to(window, origin.x + rule.position[0], origin.y + rule.position[1])
        elif target is not None and target is not self._output_of(window):
            area = self.usable_area(target)
            shown = [other.rect() for other in self.windows if other.visible and other is not window]
            size = rule.size or (window.rect().width, window.rect().height)
            self.move_to(window, *place(area, size[0], size[1], shown))
        geometry = window.toplevel.geometry()
        if rule.size is not None and (geometry.width, geometry.height) != rule.size:
            window.toplevel.request_configure(rule.size)  # the client set its app_id after its first configure

    def unmap(self, window: ManagedWindow) -> None:
        if window not in self.windows:
            return
        self.scene.damage_node(window)
        self.windows.remove(window)
        if self.focused is window:
            self.focused = None
            self.focus(self._topmost_visible())
        self.workspaces.changed()  # its workspace may be empty now
        self.tiler.refresh(window.workspace)  # its sibling takes its space
        self.scene.layout_changed()
        self.compositor.windows_changed()

    def _topmost_visible(self) -> ManagedWindow | None:
        for window in reversed(self.windows):
            if window.visible:
                return window
        return None

    # -- focus and stacking ------------------------------------------------------------------------
    def focus(self, window: ManagedWindow | None) -> None:
        old = self.focused
        if window is not None:
            if window.workspace is not None and not window.workspace.shown:
                self.workspaces.show(window.workspace)  # a taskbar or an activation brings its workspace
            if window.urgent:
                window.urgent = False
                self.workspaces.changed()
            if window.minimized:
                window.minimized = False
                self.scene.damage_node(window)  # shown again, even if it is on top already
                self.scene.layout_changed()
                self.tiler.refresh(window.workspace)  # back into its workspace's tree
            self.raise_(window)
        if old is not window:
            self.focused = window
            if old is not None and old in self.windows:
                old.activated = False
                old.toplevel.request_configure()
            if window is not None:
                window.activated = True
                window.toplevel.request_configure()
        owner = self.keyboard_owner()
        self.compositor.seat.set_keyboard_focus(owner or (window.surface if window is not None else None))
        self.compositor.windows_changed()

    def set_urgent(self, window: ManagedWindow) -> None:
        """The window asked for attention: marked so until it is focused (its workspace shows it)."""
        if not window.urgent:
            window.urgent = True
            self.workspaces.changed()
            self.compositor.windows_changed()

    def raise_(self, window: ManagedWindow) -> None:
        if self.windows and self.windows[-1] is window:
            return
        if window in self.windows:
            self.windows.remove(window)
            self.windows.append(window)
            if not window.fullscreen:
                self.tiler.lift_floating(window)
            self.scene.damage_node(window)
            self.scene.layout_changed()

    def move_to(self, window: ManagedWindow, x: int, y: int) -> None:
        """Every move (a drag, an offset, a rule, IPC) stays within :data:`REACH` of the origin: coordinates
        a client adds up (wl_surface.offset, each up to 2^31) must stay where regions and Cairo can address."""
        self.scene.damage_node(window)
        window.x, window.y = min(max(x, -REACH), REACH), min(max(y, -REACH), REACH)
        window.toplevel.moved()
        self.scene.damage_node(window)
        self.workspaces.window_moved(window)
        self.scene.layout_changed()
        self.compositor.windows_changed()

    # -- requests ------------------------------------------------------------------------------------
    def set_maximized(self, window: ManagedWindow, maximized: bool) -> None:
        if maximized and window.minimized:
            self.focus(window)  # maximized from a taskbar or by the client: shown again
        if maximized == window.maximized:
            window.toplevel.request_configure()
            return
        if maximized:
            window.restore = window.restore or window.rect()
            window.maximized = True
            area = self.fill_area(window, False)
            self.move_to(window, area.x, area.y)
            window.toplevel.request_configure((area.width, area.height))
        else:
            window.maximized = False
            self._restore(window)
        self.compositor.windows_changed()  # taskbars show the new state

    def set_fullscreen(self, window: ManagedWindow, fullscreen: bool) -> None:
        if fullscreen and window.minimized:
            self.focus(window)
        if fullscreen == window.fullscreen:
            window.toplevel.request_configure()
            return
        if fullscreen:
            window.restore = window.restore or window.rect()
            output = self._output_of(window)
            rect = output.rect if output is not None else self.usable_area()
            window.fullscreen = True
            self.move_to(window, rect.x, rect.y)
            self.raise_(window)
            window.toplevel.request_configure((rect.width, rect.height))
        else:
            window.fullscreen = False
            if window.maximized:
                window.maximized = False
                self.set_maximized(window, True)
            else:
                self._restore(window)
        self.compositor.windows_changed()

    def _restore(self, window: ManagedWindow) -> None:
        restore, window.restore = window.restore, None
        if self.tiler.tiled(window):
            window.tile = None  # laid out and configured anew in its tile
            self.tiler.refresh(window.workspace)
        elif restore is not None:
            self.move_to(window, restore.x, restore.y)
            window.toplevel.request_configure((restore.width, restore.height))
        else:
            window.toplevel.request_configure((0, 0))

    def minimize(self, window: ManagedWindow) -> None:
        window.minimized = True
        self.scene.damage_node(window)
        if self.focused is window:
            self.focused = None
            window.activated = False
            window.toplevel.request_configure()
            self.focus(self._topmost_visible())
        self.tiler.refresh(window.workspace)  # its tile goes to the others meanwhile
        self.scene.layout_changed()
        self.compositor.windows_changed()

    def outputs_changed(self) -> None:
        """Output modes changed: maximized and fullscreen windows follow their output."""
        for window in self.windows:
            if window.fullscreen:
                window.fullscreen = False
                self.set_fullscreen(window, True)
            elif window.maximized:
                window.maximized = False
                self.set_maximized(window, True)
        self.tiler.refresh_all()  # tiles fill the usable areas as they are now

    def output_added(self, output: Output) -> None:
        """A new output; if one of that name went away before, its windows come back to it, each at the same
        place relative to the output's usable area where it fits."""
        back = self.workspaces.output_added(output)
        if not back:
            return
        for window, offset in back.items():
            self._put_on(window, output, offset)
        if self.focused is not None and not self.focused.visible:
            self.focus(self._topmost_visible())
        self.outputs_changed()  # maximized and fullscreen windows fill their output again; tiles are laid out
        self.scene.damage_everything()
        self.compositor.windows_changed()

    def output_removed(self, output: Output) -> None:
        """An output went away: each window that was on it (on any of its workspaces, or shown there) moves
        to the first remaining output, at the same place relative to the output's usable area where it fits."""
        if not self.scene.outputs:
            return
        gone = output.rect
        moved = self.workspaces.output_removed(output)
        for window in self.windows:
            rect = window.rect()
            centre = (rect.x + rect.width / 2, rect.y + rect.height / 2)
            if window not in moved and (not gone.contains(*centre) or self.scene.output_at(*centre) is not None):
                continue
            self._put_on(window, self.scene.outputs[0], (rect.x - gone.x, rect.y - gone.y), window.rect())
        self.outputs_changed()  # maximized and fullscreen windows fill their new output

    def _put_on(self, window: ManagedWindow, output: Output, offset: tuple[int, int], rect: Box | None = None) -> None:
        """Move ``window`` (``rect``: the one it restores to) to ``offset`` from the corner of ``output``'s usable
        area, as far as it fits; a maximized or fullscreen window restores there."""
        area, rect = self.usable_area(output), rect or window.restore or window.rect()
        x = area.x + min(max(0, offset[0]), max(0, area.width - rect.width))
        y = area.y + min(max(0, offset[1]), max(0, area.height - rect.height))
        if window.restore is not None:
            window.restore = Box(x, y, window.restore.width, window.restore.height)
        self.move_to(window, x, y)

    def _output_of(self, window: ManagedWindow) -> Any:
        rect = window.rect()
        return (self.scene.output_at(rect.x + rect.width / 2, rect.y + rect.height / 2)
                or self.scene.output_at(rect.x, rect.y)
                or (self.scene.outputs[0] if self.scene.outputs else None))

    # -- actions from input --------------------------------------------------------------------------
    def perform(self, action: actions.PressAction, seat: Seat) -> bool:
        """Carry out an action; True when the event must not reach the client."""
        if isinstance(action, actions.Focus):
            self.focus(action.window)
            return False
        if isinstance(action, actions.BeginMove):
            self.focus(action.window)
            self.begin_move(action.window, seat)
            return True
        if isinstance(action, actions.BeginResize):
            self.focus(action.window)
            self.begin_resize(action.window, seat, action.edges)
            return True
        return False

    def begin_move(self, window: ManagedWindow, seat: Seat, at: tuple[float, float] | None = None) -> None:
        """Move with the pointer from now on; ``at``: where the drag began, if the pointer has moved since."""
        if window.fullscreen or window not in self.windows:
            return
        if window.maximized:
            window.maximized = False
            self._restore(window)
        x, y = at if at is not None else (seat.x, seat.y)
        seat.grab = MoveGrab(self, window, x, y)
        seat.leave_pointer()  # the grab has the pointer now; the window gets it back when it ends

    def begin_resize(self, window: ManagedWindow, seat: Seat, edges: int) -> None:
        if window.fullscreen or window.maximized or window not in self.windows:
            return
        tile_grab = self.tiler.resize_grab(window, seat.x, seat.y)
        if tile_grab is not None:  # a tile's size is its split's: the split moves
            seat.grab = tile_grab
            seat.leave_pointer()
            return
        window.resizing = True
        seat.grab = ResizeGrab(self, window, seat.x, seat.y, edges)
        seat.leave_pointer()


class MoveGrab:
    def __init__(self, wm: WindowManager, window: ManagedWindow, x: float, y: float) -> None:
        self.wm, self.window = wm, window
        self.start = (window.x - x, window.y - y)

    def motion(self, x: float, y: float) -> None:
        if self.window in self.wm.windows:
            self.wm.move_to(self.window, int(x + self.start[0]), int(y + self.start[1]))

    def button(self, button: int, pressed: bool) -> bool:
        seat = self.wm.compositor.seat
        if pressed or seat.buttons:
            return False
        self.wm.tiler.dropped(self.window, seat.x, seat.y)  # swap tiles, or snap to an edge
        return True


class ResizeGrab:
    def __init__(self, wm: WindowManager, window: ManagedWindow, x: float, y: float, edges: int) -> None:
        self.wm, self.window, self.edges = wm, window, edges
        self.pointer_start = (x, y)
        rect = window.rect()
        self.start = (rect.x, rect.y, rect.width, rect.height)

    def motion(self, x: float, y: float) -> None:
        toplevel = self.window.toplevel
        new = actions.resize_geometry(self.start, self.edges, int(x - self.pointer_start[0]),
                                      int(y - self.pointer_start[1]), toplevel.min_size, toplevel.max_size)
        self.window.resize_anchor = (self.edges, Box(*self.start))
        toplevel.request_configure((new[2], new[3]))

    def button(self, button: int, pressed: bool) -> bool:
        if pressed or self.wm.compositor.seat.buttons:
            return False
        self.window.resizing = False
        self.window.resize_anchor = None
        self.window.toplevel.request_configure()
        return True
