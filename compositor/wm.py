"""Window management: placement, stacking, focus, move/resize grabs, maximize/fullscreen/minimize.

A :class:`ManagedWindow` is a mapped xdg_toplevel. Its ``x, y`` is where its window geometry's top-left corner
is on the global layout. The stacking order is the scene's "windows" layer, bottom to top.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from . import input as actions
from .decorations import NO_INSETS, Insets
from .geometry import Box
from .placement import place

if TYPE_CHECKING:
    from .seat import Seat
    from .server import Compositor
    from .surface import Surface


class Toplevel(Protocol):
    """What the window manager needs from the xdg_toplevel role."""

    surface: Surface
    title: str
    app_id: str
    min_size: tuple[int, int]
    max_size: tuple[int, int]
    decorations: str  # "server" (the compositor draws the frame), "client" or "none" (xdg-decoration)

    def geometry(self) -> Box: ...
    def request_configure(self, size: tuple[int, int] | None = None) -> None: ...
    def close(self) -> None: ...


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
        self.restore: Box | None = None  # floating geometry to return to after maximize/fullscreen
        # While resizing by the top or left edge, the opposite edge stays put: (edges, start rect).
        self.resize_anchor: tuple[int, Box] | None = None

    @property
    def visible(self) -> bool:
        return not self.minimized

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
        # How far a window's server-side frame reaches beyond its geometry (set by the decorations part).
        self.frame_insets: Callable[[ManagedWindow], Insets] = lambda window: NO_INSETS

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
        area = self.usable_area(self.scene.output_at(self.compositor.seat.x, self.compositor.seat.y))
        geometry = window.toplevel.geometry()
        insets = self.frame_insets(window)
        if window.maximized or window.fullscreen:
            filled = area if window.fullscreen else insets.within(area)
            window.x, window.y = filled.x, filled.y
            if insets != NO_INSETS:  # asked for before the frame was known: the size without it
                window.toplevel.request_configure()
        else:
            shown = [self.outer_rect(other) for other in self.windows if other.visible]
            outer = insets.around(Box(0, 0, geometry.width, geometry.height))
            x, y = place(area, outer.width, outer.height, shown)
            window.x, window.y = x + insets.left, y + insets.top
        self.windows.append(window)
        self.scene.damage_node(window)
        self.focus(window)

    def unmap(self, window: ManagedWindow) -> None:
        if window not in self.windows:
            return
        self.scene.damage_node(window)
        self.windows.remove(window)
        if self.focused is window:
            self.focused = None
            self.focus(self._topmost_visible())
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
            if window.minimized:
                window.minimized = False
                self.scene.damage_node(window)  # shown again, even if it is on top already
                self.scene.layout_changed()
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

    def raise_(self, window: ManagedWindow) -> None:
        if self.windows and self.windows[-1] is window:
            return
        if window in self.windows:
            self.windows.remove(window)
            self.windows.append(window)
            self.scene.damage_node(window)
            self.scene.layout_changed()

    def move_to(self, window: ManagedWindow, x: int, y: int) -> None:
        self.scene.damage_node(window)
        window.x, window.y = x, y
        self.scene.damage_node(window)
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
        if restore is not None:
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

    def output_removed(self, gone: Box) -> None:
        """An output went away: each window that was on it moves to the first remaining output, at the same
        place relative to the output's usable area where it fits."""
        if not self.scene.outputs:
            return
        for window in self.windows:
            rect = window.rect()
            centre = (rect.x + rect.width / 2, rect.y + rect.height / 2)
            if not gone.contains(*centre) or self.scene.output_at(*centre) is not None:
                continue
            target = self.scene.outputs[0]
            area = self.usable_area(target)
            x = area.x + min(max(0, rect.x - gone.x), max(0, area.width - rect.width))
            y = area.y + min(max(0, rect.y - gone.y), max(0, area.height - rect.height))
            if window.restore is not None:  # maximized or fullscreen: restores onto the new output
                window.restore = Box(x, y, window.restore.width, window.restore.height)
            self.move_to(window, x, y)
        self.outputs_changed()  # maximized and fullscreen windows fill their new output

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
        return not pressed and not self.wm.compositor.seat.buttons


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
