"""xdg_wm_base (version 5): xdg_surface, xdg_toplevel, xdg_popup (``xdg_popup.py``) and xdg_positioner
(``xdg_positioner.py``).

The configure dance: the first commit (without a buffer) gets a configure; the client acks it, attaches
a buffer and commits; then the toplevel is mapped as a :class:`~compositor.wm.ManagedWindow`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from pywayland.protocol.xdg_shell import XdgPopup, XdgSurface, XdgToplevel, XdgWmBase

from .. import positioner as pos
from ..decorations import insets_for
from ..geometry import Box
from ..surface import Surface
from ..wl.resource import ProtocolError, Resource
from ..wm import ManagedWindow
from .xdg_grabs import XdgShell
from .xdg_popup import Popup
from .xdg_positioner import PositionerHandler

if TYPE_CHECKING:
    import cairo

    from ..server import Compositor
    from .decoration import DecorationHandler

VERSION = 5
WM_CAPABILITIES = (1, 2, 3, 4)  # window_menu, maximize, fullscreen, minimize
MAX_POPUP_DEPTH = 32  # menus in menus: real ones stop at a handful; a bound keeps every walk of the chain short


class XdgSurfaceRole:
    """The xdg_surface object; it is the wl_surface's role and delegates to a toplevel or popup."""

    def __init__(self, shell: XdgShell, resource: Resource, surface: Surface, wm_base: Resource) -> None:
        self.shell = shell
        self.resource = resource
        self.surface = surface
        self.wm_base = wm_base
        self.name = "xdg_surface"
        self.kind: Toplevel | Popup | None = None
        self.pending_geometry: Box | None = None
        self.geometry_rect: Box | None = None
        self.sent_serials: list[int] = []
        self.initial_commit_done = False
        self.configure_sent = False  # since the role object was created (or the surface was unmapped)
        self.initial_configure: asyncio.Handle | None = None  # scheduled on role creation
        surface.attach_checks.append(self._check_attach)
        resource.destroy_listeners.append(lambda _res: self._forget_surface())

    # -- Role ----------------------------------------------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        return self.kind.origin() if self.kind is not None else None

    def committed(self) -> None:
        if self.pending_geometry is not None:
            self.geometry_rect, self.pending_geometry = self.pending_geometry, None
        if self.kind is not None:
            self.kind.committed()

    def surface_destroyed(self) -> None:
        if self.kind is not None:
            self.kind.unmap()

    @property
    def window(self) -> ManagedWindow | None:
        return self.kind.window if isinstance(self.kind, Toplevel) else None

    def parent_surface(self) -> Surface | None:
        if isinstance(self.kind, Popup) and self.kind.parent is not None:
            return self.kind.parent.surface
        return None

    def synchronized(self) -> bool:
        return False

    def popup_holder(self) -> list[Popup] | None:
        kind = self.kind
        if isinstance(kind, Popup):
            return kind.popups if kind.mapped else None
        return kind.window.popups if isinstance(kind, Toplevel) and kind.window is not None else None

    def geometry(self) -> Box:
        """The window geometry, defaulting to the surface tree's extent."""
        if self.geometry_rect is not None:
            return self.geometry_rect
        return Box(0, 0, self.surface.width, self.surface.height)

    def send_configure(self) -> None:
        serial = self.shell.compositor.display.next_serial()
        self.sent_serials.append(serial)
        self.configure_sent = True
        self.resource.post("configure", serial)

    def send_initial_configure(self) -> None:
        """Send the configure scheduled on role creation now, if it has not gone out yet."""
        handle, self.initial_configure = self.initial_configure, None
        if handle is not None:
            handle.cancel()
            if isinstance(self.kind, Toplevel):
                self.kind.request_configure(initial=True)

    def _check_attach(self) -> None:
        """wl_surface.attach of a buffer: not before this xdg_surface was first configured."""
        self.send_initial_configure()  # a client may attach in the same batch as it created the role
        if not self.configure_sent:
            raise ProtocolError(XdgSurface.error.unconfigured_buffer, "buffer attached before the first configure",
                                self.resource)

    def _forget_surface(self) -> None:
        if self._check_attach in self.surface.attach_checks:
            self.surface.attach_checks.remove(self._check_attach)

    # -- requests ------------------------------------------------------------------------------------
    def get_toplevel(self, res: Resource, new: Resource) -> None:
        self._check_role_free(res)
        self.kind = Toplevel(self, new)
        self.surface.set_role("xdg_toplevel", self, self.wm_base, XdgWmBase.error.role)
        new.impl = self.kind
        new.destroy_listeners.append(lambda _res: self._role_object_destroyed())
        # Sent once the client's current batch of requests is handled, so that what it set up with the
        # role (decoration mode, maximized, app_id) is already known, as after an initial commit.
        self.initial_configure = self.shell.compositor.loop.call_soon(self.send_initial_configure)

    def get_popup(self, res: Resource, new: Resource, parent: Resource | None, positioner: Resource) -> None:
        self._check_role_free(res)
        parent_role: XdgSurfaceRole | None = parent.impl if parent is not None else None
        if parent_role is not None and parent_role is not self and parent_role.kind is None:
            # Its place (and a chain's depth) is known only once it has its role: a chain made from its end
            # would pass every check of ancestors below.
            raise ProtocolError(XdgWmBase.error.invalid_popup_parent, "the popup's parent has no role yet",
                                self.wm_base)
        ancestor, depth = parent_role, 1  # popups in the chain, this one included
        while ancestor is not None:  # no popup is its own ancestor, so walks up the parents end
            if ancestor is self:
                raise ProtocolError(XdgWmBase.error.invalid_popup_parent, "a popup cannot be its own ancestor",
                                    self.wm_base)
            above = None
            if isinstance(ancestor.kind, Popup):
                depth += 1
                if depth > MAX_POPUP_DEPTH:  # drawing, placing and dismissing popups walk this chain
                    raise ProtocolError(XdgWmBase.error.invalid_popup_parent,
                                        f"popups nested deeper than {MAX_POPUP_DEPTH}", self.wm_base)
                above = ancestor.kind.parent
            ancestor = above if isinstance(above, XdgSurfaceRole) else None
        value: pos.Positioner = positioner.impl.value
        if not value.complete:
            raise ProtocolError(XdgWmBase.error.invalid_positioner, "positioner is incomplete", self.wm_base)
        self.kind = Popup(self, new, parent_role, value)
        self.surface.set_role("xdg_popup", self, self.wm_base, XdgWmBase.error.role)
        new.impl = self.kind
        new.destroy_listeners.append(lambda _res: self._role_object_destroyed())
        self.kind.place()
        self.kind.send_configure()

    def _check_role_free(self, res: Resource) -> None:
        if self.kind is not None:
            raise ProtocolError(XdgSurface.error.already_constructed, "xdg_surface already has a role")
        if self.surface.content is not None:
            raise ProtocolError(XdgSurface.error.unconfigured_buffer, "surface already has a buffer")

    def _role_object_destroyed(self) -> None:
        if self.kind is not None:
            self.kind.unmap()
        self.kind = None
        self.surface.clear_role_object()
        self.initial_commit_done = self.configure_sent = False

    def destroy(self, res: Resource) -> None:
        if self.kind is not None and self.kind.resource.alive:
            raise ProtocolError(XdgSurface.error.defunct_role_object, "destroy the role object first")
        res.destroy()

    def set_window_geometry(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ProtocolError(XdgSurface.error.invalid_size, "window geometry must have a positive size")
        self.pending_geometry = Box(x, y, width, height)

    def ack_configure(self, res: Resource, serial: int) -> None:
        if serial not in self.sent_serials:
            raise ProtocolError(XdgSurface.error.invalid_serial, f"serial {serial} was never sent")
        del self.sent_serials[: self.sent_serials.index(serial) + 1]


class Toplevel:
    xwayland = False
    icon: cairo.ImageSurface | None = None  # no icon of its own: its title bar shows its app's (by app_id)

    def __init__(self, xdg: XdgSurfaceRole, resource: Resource) -> None:
        self.xdg = xdg
        self.resource = resource
        self.surface = xdg.surface
        self.title = ""
        self.app_id = ""
        self.min_size = (0, 0)
        self.max_size = (0, 0)
        self.decorations = "none"  # until the client asks through xdg-decoration: "server" or "client"
        self.decoration: DecorationHandler | None = None  # its xdg-decoration object, if it has one
        self.parent: Toplevel | None = None
        self.window: ManagedWindow | None = None
        self.requested_size: tuple[int, int] = (0, 0)
        self.wants_maximized = False
        self.wants_fullscreen = False
        self.last_position: tuple[int, int] | None = None  # where the window was when last unmapped

    def geometry(self) -> Box:
        return self.xdg.geometry()

    def origin(self) -> tuple[int, int] | None:
        return self.window.origin() if self.window is not None and self.window.visible else None

    def committed(self) -> None:
        xdg = self.xdg
        if not xdg.initial_commit_done:
            if self.surface.content is None:
                xdg.initial_commit_done = True
                self.request_configure()  # the reply to the initial commit
                return
            if not xdg.configure_sent:
                raise ProtocolError(XdgSurface.error.unconfigured_buffer, "buffer attached before configure",
                                    xdg.resource)
            # The first buffer came right after the configure sent when the role was created.
            xdg.initial_commit_done = True
        # A buffer committed after a configure was sent but before the client's ack_configure arrived is
        # mapped: the client raced that event (as libraries and test suites do), and the configure's
        # state still reaches it. A buffer before any configure is the error above.
        if self.surface.content is None:
            if self.window is not None:
                self.unmap()  # unmapped by a NULL buffer: start over with a new initial configure
            return
        wm = xdg.shell.compositor.wm
        if self.window is None:
            self.window = ManagedWindow(self, wm.next_window_id())
            self.window.maximized = self.wants_maximized
            self.window.fullscreen = self.wants_fullscreen
            if self.decoration is not None:
                self.decoration.follow_rules()  # before placing: the frame counts
            wm.map(self.window)
            if self.last_position is not None and not (self.wants_maximized or self.wants_fullscreen
                                                       or self.window.tile is not None):  # a tile stays put
                wm.move_to(self.window, *self.last_position)  # shown again where it was hidden
        else:
            self._follow_offset(self.window)
            self._keep_anchor(self.window)

    def _follow_offset(self, window: ManagedWindow) -> None:
        """wl_surface.offset: the client moved its buffer (grew it to the left or up, say), and the window
        follows, unless the compositor places it (a resize by a top or left edge, maximized, fullscreen, tiled)."""
        dx, dy = self.surface.current.dx, self.surface.current.dy
        if (dx or dy) and window.resize_anchor is None and not (window.maximized or window.fullscreen
                                                                or window.tile is not None):
            self.xdg.shell.compositor.wm.move_to(window, window.x + dx, window.y + dy)

    def _keep_anchor(self, window: ManagedWindow) -> None:
        if window.resize_anchor is None:
            return
        edges, start = window.resize_anchor
        geometry = self.geometry()
        x = start.right - geometry.width if edges & 4 else window.x
        y = start.bottom - geometry.height if edges & 1 else window.y
        if (x, y) != (window.x, window.y):
            self.xdg.shell.compositor.wm.move_to(window, x, y)

    def unmap(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            self.last_position = (window.x, window.y)
            self.xdg.shell.compositor.wm.unmap(window)
        self.xdg.initial_commit_done = False
        # configure_sent stays: a client that attaches a buffer again right away (without the new initial
        # commit xdg-shell asks for) is mapped again rather than disconnected.

    def request_configure(self, size: tuple[int, int] | None = None, initial: bool = False) -> None:
        """Send xdg_toplevel.configure with the window's states (and a new size if given).

        Before the initial commit only the ``initial`` configure goes out, when the role is created: a
        client may attach its first buffer right after it; the initial commit is answered again.
        """
        if not self.resource.alive or not (self.xdg.initial_commit_done or initial):
            return
        if initial and self.xdg.configure_sent:
            return  # the initial commit was answered already
        compositor = self.xdg.shell.compositor
        window = self.window
        if size is not None:
            self.requested_size = size
        elif window is None and self.requested_size == (0, 0):
            # a size from orrery.toml's [[rules]]: the client's first buffer has it already
            self.requested_size = compositor.wm.rule_for(self).size or (0, 0)
        states = window.states() if window is not None else []
        if self.resource.version < 2:  # the tiled_* states came in version 2
            states = [state for state in states if state < 5]
        if window is None:
            if self.wants_maximized:
                states.append(1)
            if self.wants_fullscreen:
                states.append(2)
        payload = b"".join(state.to_bytes(4, "little") for state in states)
        if self.resource.version >= 4:
            area = compositor.wm.usable_area()
            if self.decorations == "server":  # the bounds are the window geometry's: the frame takes its part
                area = insets_for(compositor.decorations.metrics, False).within(area)
            self.resource.post("configure_bounds", area.width, area.height)
        if self.resource.version >= 5 and not self.xdg.sent_serials and window is None:
            caps = b"".join(c.to_bytes(4, "little") for c in WM_CAPABILITIES)
            self.resource.post("wm_capabilities", caps)
        width, height = self.requested_size
        fullscreen = window.fullscreen if window is not None else self.wants_fullscreen
        if fullscreen or (window.maximized if window is not None else self.wants_maximized):
            area = compositor.wm.fill_area(window, fullscreen)  # every configure keeps the filled size
            width, height = area.width, area.height
        self.resource.post("configure", width, height, payload)
        self.xdg.send_configure()

    def close(self) -> None:
        self.resource.post("close")

    def moved(self) -> None:
        pass  # an xdg toplevel does not know where it is

    # -- requests ------------------------------------------------------------------------------------
    def destroy(self, res: Resource) -> None:
        res.destroy()

    def set_parent(self, res: Resource, parent: Resource | None) -> None:
        self.parent = parent.impl if parent is not None else None

    def set_title(self, res: Resource, title: str) -> None:
        self.title = title
        self.xdg.shell.compositor.windows_changed()

    def set_app_id(self, res: Resource, app_id: str) -> None:
        self.app_id = app_id
        self.xdg.shell.compositor.windows_changed()

    def show_window_menu(self, res: Resource, seat: Resource, serial: int, x: int, y: int) -> None:
        pass  # no window menu yet

    def move(self, res: Resource, seat: Resource, serial: int) -> None:
        compositor = self.xdg.shell.compositor
        if self.window is not None and compositor.seat.buttons:
            compositor.wm.begin_move(self.window, compositor.seat)

    def resize(self, res: Resource, seat: Resource, serial: int, edges: int) -> None:
        if edges > 10 or edges in (3, 7, 11, 12, 13, 14, 15):
            raise ProtocolError(XdgToplevel.error.invalid_resize_edge, f"invalid resize edge {edges}")
        compositor = self.xdg.shell.compositor
        if self.window is not None and compositor.seat.buttons:
            compositor.wm.begin_resize(self.window, compositor.seat, edges)

    def set_max_size(self, res: Resource, width: int, height: int) -> None:
        if width < 0 or height < 0:
            raise ProtocolError(XdgToplevel.error.invalid_size, "max size must not be negative")
        self.max_size = (width, height)

    def set_min_size(self, res: Resource, width: int, height: int) -> None:
        if width < 0 or height < 0:
            raise ProtocolError(XdgToplevel.error.invalid_size, "min size must not be negative")
        self.min_size = (width, height)

    def set_maximized(self, res: Resource) -> None:
        self._set_state(maximized=True)

    def unset_maximized(self, res: Resource) -> None:
        self._set_state(maximized=False)

    def set_fullscreen(self, res: Resource, output: Resource | None) -> None:
        self._set_state(fullscreen=True)

    def unset_fullscreen(self, res: Resource) -> None:
        self._set_state(fullscreen=False)

    def _set_state(self, maximized: bool | None = None, fullscreen: bool | None = None) -> None:
        wm = self.xdg.shell.compositor.wm
        if maximized is not None:
            self.wants_maximized = maximized
        if fullscreen is not None:
            self.wants_fullscreen = fullscreen
        if self.window is None:
            self.request_configure()
        elif maximized is not None:
            wm.set_maximized(self.window, maximized)
        elif fullscreen is not None:
            wm.set_fullscreen(self.window, fullscreen)

    def set_minimized(self, res: Resource) -> None:
        if self.window is not None:
            self.xdg.shell.compositor.wm.minimize(self.window)


class WmBaseHandler:
    def __init__(self, shell: XdgShell) -> None:
        self.shell = shell

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def create_positioner(self, res: Resource, new: Resource) -> None:
        new.impl = PositionerHandler()

    def get_xdg_surface(self, res: Resource, new: Resource, surface_res: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        if surface.role is not None or surface.role_name not in (None, "xdg_toplevel", "xdg_popup"):
            raise ProtocolError(XdgWmBase.error.role, "surface already has another role")
        if surface.content is not None or surface.pending.buffer is not None:
            raise ProtocolError(XdgWmBase.error.invalid_surface_state, "surface already has a buffer")
        new.impl = XdgSurfaceRole(self.shell, new, surface, res)

    def pong(self, res: Resource, serial: int) -> None:
        pass


def register(compositor: Compositor) -> XdgShell:
    shell = XdgShell(compositor)
    handler = WmBaseHandler(shell)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(XdgWmBase, VERSION, bind)
    return shell


__all__ = ["register", "XdgPopup", "XdgToplevel"]
