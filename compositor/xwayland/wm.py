"""The window manager for X11: Xwayland's top-level windows as the compositor's windows.

Non-reparenting: the compositor draws the frame around the window's wl_surface as it does for xdg toplevels. The
XWM owns the root (SubstructureRedirect), redirects the top-level windows manually with Composite (rootless
Xwayland 22 makes a wl_surface only for those) and pairs each X window with its wl_surface through the
``WL_SURFACE_ID`` ClientMessage, whichever of the X message and the Wayland ``create_surface`` comes first.

An :class:`XWindow` is both the surface's role and, for a managed window, the ``toplevel`` of a
:class:`~compositor.wm.ManagedWindow`: the window manager configures, activates and closes it through the same
calls as an xdg toplevel. Override-redirect windows (menus, tooltips) are drawn where the application put them,
without a frame, above the windows. X positions follow the compositor's (in logical pixels), so that what the
application places relative to its window lands there.

Every X event is handled on its own: an X error (``xcffib.Error``) raised while handling one is logged and the
next is handled. Replies are waited for only on this already-running connection (as weston's XWM does).
"""

from __future__ import annotations

import logging
import struct
import time
from typing import TYPE_CHECKING, Any

import xcffib
import xcffib.composite
import xcffib.xfixes
import xcffib.xproto as xp

from ..wm import ManagedWindow
from . import props
from .window import ROLE, XWindow

if TYPE_CHECKING:
    from ..server import Compositor
    from ..surface import Surface
    from ..wl.display import Client
    from .server import XwaylandServer

log = logging.getLogger(__name__)

KILL_AFTER = 5.0  # a second close this long after an unanswered WM_DELETE_WINDOW kills the client
WATCHED = ("WM_NAME", "_NET_WM_NAME", "WM_CLASS", "WM_TRANSIENT_FOR", "_NET_WM_WINDOW_TYPE", "WM_PROTOCOLS",
           "WM_HINTS", "WM_NORMAL_HINTS", "_MOTIF_WM_HINTS", "_NET_WM_PID", "_NET_WM_STATE", "_NET_WM_ICON")
ICON_LENGTH = 1 << 16  # 4-byte units of _NET_WM_ICON read at most (256 KiB: a few icons up to 128 px square)
SUPPORTED = ("_NET_SUPPORTED", "_NET_SUPPORTING_WM_CHECK", "_NET_CLIENT_LIST", "_NET_ACTIVE_WINDOW",
             "_NET_CLOSE_WINDOW", "_NET_WM_MOVERESIZE", "_NET_WM_NAME", "_NET_WM_PID", "_NET_WM_STATE",
             "_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ",
             "_NET_WM_STATE_HIDDEN", "_NET_WM_STATE_DEMANDS_ATTENTION", "_NET_WM_STATE_FOCUSED",
             "_NET_WM_WINDOW_TYPE", "_NET_WM_WINDOW_TYPE_DIALOG", "_NET_WM_WINDOW_TYPE_UTILITY",
             "_NET_WM_WINDOW_TYPE_SPLASH", "_NET_WM_WINDOW_TYPE_MENU", "_NET_WM_WINDOW_TYPE_TOOLTIP",
             "_NET_FRAME_EXTENTS")
CONFIG_FIELDS = ((xp.ConfigWindow.X, "x"), (xp.ConfigWindow.Y, "y"), (xp.ConfigWindow.Width, "width"),
                 (xp.ConfigWindow.Height, "height"), (xp.ConfigWindow.BorderWidth, "border_width"),
                 (xp.ConfigWindow.Sibling, "sibling"), (xp.ConfigWindow.StackMode, "stack_mode"))


class XWindowManager:
    def __init__(self, compositor: Compositor, server: XwaylandServer, fd: int, client: Client) -> None:
        self.compositor = compositor
        self.server = server
        self.client = client
        self.loop = compositor.loop
        self.conn: Any = xcffib.Connection(fd=fd)
        self.core: Any = self.conn.core  # type: ignore[has-type]  # (set in xcffib.Connection.__init__)
        screen = self.conn.get_setup().roots[self.conn.pref_screen]
        self.root: int = screen.root
        self.root_visual: int = screen.root_visual
        self.windows: dict[int, XWindow] = {}
        self.waiting_for_surface: dict[int, XWindow] = {}  # wl_surface id → window, the id came first
        self.active: XWindow | None = None
        self.destroyed = False
        self._flush_scheduled = False
        cookies = [(name, self.core.InternAtom(False, len(name), name)) for name in props.ATOMS]
        self.atom: dict[str, int] = {name: cookie.reply().atom for name, cookie in cookies}
        self.names = {value: name for name, value in self.atom.items()}
        mask = (xp.EventMask.SubstructureRedirect | xp.EventMask.SubstructureNotify | xp.EventMask.PropertyChange)
        self.core.ChangeWindowAttributesChecked(self.root, xp.CW.EventMask, [mask]).check()
        composite = self.conn(xcffib.composite.key)
        composite.QueryVersion(0, 4).reply()
        composite.RedirectSubwindowsChecked(self.root, xcffib.composite.Redirect.Manual).check()
        self.check_window = self.conn.generate_id()
        self.core.CreateWindow(0, self.check_window, self.root, -100, -100, 1, 1, 0, xp.WindowClass.InputOnly,
                               0, 0, [])
        for window in (self.root, self.check_window):
            self.set_cardinals(window, "_NET_SUPPORTING_WM_CHECK", xp.Atom.WINDOW, [self.check_window])
        self.set_text(self.check_window, "_NET_WM_NAME", "Orrery")
        self.set_cardinals(self.root, "_NET_SUPPORTED", xp.Atom.ATOM, [self.atom[name] for name in SUPPORTED])
        self.set_cardinals(self.root, "_NET_CLIENT_LIST", xp.Atom.WINDOW, [])
        self.set_cardinals(self.root, "_NET_ACTIVE_WINDOW", xp.Atom.WINDOW, [0])
        self.set_cardinals(self.root, "_NET_NUMBER_OF_DESKTOPS", xp.Atom.CARDINAL, [1])
        self.set_cardinals(self.root, "_NET_CURRENT_DESKTOP", xp.Atom.CARDINAL, [0])
        # WM_S0: the ICCCM's sign that a window manager runs (toolkits look for it)
        self.core.SetSelectionOwner(self.check_window, self.atom["WM_S0"], xp.Time.CurrentTime)
        self.selection: Any = None
        try:
            from .selection import SelectionBridge

            self.selection = SelectionBridge(self)
        except xcffib.Error:
            log.exception("no clipboard between X11 and Wayland")
        compositor.surface_listeners.append(self._surface_created)
        self.loop.add_reader(self.conn.get_file_descriptor(), self._readable)
        self.conn.flush()
        self._readable()
        log.info("window manager for X11 running on %s", server.display)

    # -- plumbing ------------------------------------------------------------------------------------
    def set_cardinals(self, window: int, name: str, kind: int, values: list[int]) -> None:
        self.core.ChangeProperty(xp.PropMode.Replace, window, self.atom[name], kind, 32, len(values),
                                 struct.pack(f"={len(values)}I", *values))

    def set_cardinals_raw(self, window: int, prop: int, kind: int, values: list[int]) -> None:
        self.core.ChangeProperty(xp.PropMode.Replace, window, prop, kind, 32, len(values),
                                 struct.pack(f"={len(values)}I", *values))

    def set_text(self, window: int, name: str, value: str) -> None:
        data = value.encode()
        self.core.ChangeProperty(xp.PropMode.Replace, window, self.atom[name], self.atom["UTF8_STRING"], 8,
                                 len(data), data)

    def send_message(self, window: int, kind: str, values: list[int], mask: int = xp.EventMask.NoEvent,
                     destination: int | None = None) -> None:
        data = xp.ClientMessageData.synthetic((values + [0] * 5)[:5], "I" * 5)
        event = xp.ClientMessageEvent.synthetic(32, window, self.atom[kind], data)
        self.core.SendEvent(False, destination if destination is not None else window, mask, event.pack())

    def atom_name(self, atom: int) -> str:
        name = self.names.get(atom)
        if name is None:
            try:
                name = self.core.GetAtomName(atom).reply().name.to_string()
            except xcffib.Error:
                name = ""
            self.names[atom] = name
        return name

    def flush(self) -> None:
        """Requests made outside the reader (from the compositor's side) go out once the current work is done;
        events read meanwhile by replies are handled then too."""
        if not self._flush_scheduled and not self.destroyed:
            self._flush_scheduled = True
            self.loop.call_soon(self._readable)

    def _readable(self) -> None:
        self._flush_scheduled = False
        if self.destroyed:
            return
        handled = 0
        while True:
            try:
                event = self.conn.poll_for_event()
            except xcffib.Error as error:  # the error of an unchecked request (a window already gone, say)
                log.debug("X error: %s", type(error).__name__)
                continue
            except xcffib.ConnectionException:
                event = None
            if event is None:
                break
            handled += 1
            handler = getattr(self, "on_" + type(event).__name__, None)
            if handler is None and self.selection is not None:
                handler = getattr(self.selection, "on_" + type(event).__name__, None)
            if handler is None:
                continue
            try:
                handler(event)
            except xcffib.Error as error:
                log.debug("X error while handling %s: %s", type(event).__name__, type(error).__name__)
            except Exception:
                log.exception("handling %s failed", type(event).__name__)
        try:
            self.conn.flush()
        except xcffib.ConnectionException:
            pass
        if self.conn.has_error():
            log.warning("lost the connection to Xwayland")
            self.destroy()
            self.server.xwayland_died()
        elif handled:
            self.compositor.display.schedule_flush()

    def destroy(self) -> None:
        """Xwayland went away: its windows leave the compositor."""
        if self.destroyed:
            return
        self.destroyed = True
        self.loop.remove_reader(self.conn.get_file_descriptor())
        if self._surface_created in self.compositor.surface_listeners:
            self.compositor.surface_listeners.remove(self._surface_created)
        if self.selection is not None:
            self.selection.destroy()
        for xwin in list(self.windows.values()):
            self._hide(xwin)
        self.windows.clear()
        self.waiting_for_surface.clear()
        try:
            self.conn.disconnect()
        except Exception:
            pass

    # -- pairing X windows with wl_surfaces ----------------------------------------------------------
    def _surface_created(self, surface: Surface) -> None:
        if surface.resource.client is not self.client:
            return
        xwin = self.waiting_for_surface.pop(surface.resource.id, None)
        if xwin is not None and xwin.id in self.windows:
            self._pair(xwin, surface)

    def _surface_id(self, xwin: XWindow, surface_id: int) -> None:
        from ..handlers.compositor import SurfaceHandler

        resource = self.client.object(surface_id)
        impl = getattr(resource, "impl", None)
        if isinstance(impl, SurfaceHandler) and impl.surface.alive:
            self._pair(xwin, impl.surface)
        else:
            self.waiting_for_surface[surface_id] = xwin

    def _pair(self, xwin: XWindow, surface: Surface) -> None:
        if surface.role is not None or surface.role_name not in (None, ROLE):
            log.warning("X window 0x%x: its wl_surface has another role already", xwin.id)
            return
        if xwin.surface is not None and xwin.surface is not surface:
            self._hide(xwin)
            xwin.surface.clear_role_object()
        surface.set_role(ROLE, xwin, surface.resource, 0)
        xwin.surface = surface
        if surface.content is not None:
            self.show(xwin)

    def surface_gone(self, xwin: XWindow) -> None:
        self._hide(xwin)
        xwin.surface = None  # type: ignore[assignment]

    # -- showing and hiding --------------------------------------------------------------------------
    def show(self, xwin: XWindow) -> None:
        """The surface has content and the X window is mapped: it becomes a window (or an override-redirect
        surface above the windows)."""
        if xwin.id not in self.windows or not xwin.mapped:
            return
        wm = self.compositor.wm
        if xwin.override_redirect:
            if not xwin.shown:
                xwin.shown = True
                self.compositor.scene.layers["top"].append(xwin)
                self.compositor.scene.damage_node(xwin)
                self.compositor.scene.layout_changed()
            return
        if xwin.window is not None or not xwin.wants_map:
            return
        xwin.choose_decorations()
        window = ManagedWindow(xwin, wm.next_window_id())
        xwin.window = window
        window.fullscreen = "_NET_WM_STATE_FULLSCREEN" in xwin.net_state
        window.maximized = bool(xwin.net_state & {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"})
        xwin.activated_sent = False
        wm.map(window)
        if (xwin.hints.position and (xwin.x, xwin.y) != (0, 0) and window.tile is None
                and not (window.maximized or window.fullscreen)):
            wm.move_to(window, xwin.x, xwin.y)  # the program or the user chose where it goes
        elif xwin.transient_for in self.windows and window.tile is None and not (
                window.maximized or window.fullscreen):
            parent = self.windows[xwin.transient_for].window
            if parent is not None:  # a dialog: centred on its parent
                rect, own = parent.rect(), window.rect()
                wm.move_to(window, rect.x + (rect.width - own.width) // 2, rect.y + (rect.height - own.height) // 2)
        xwin.request_configure()
        if "_NET_WM_STATE_HIDDEN" in xwin.net_state:
            wm.minimize(window)
        self._update_client_list()
        self.flush()

    def _hide(self, xwin: XWindow) -> None:
        window, xwin.window = xwin.window, None
        if window is not None:
            self.compositor.wm.unmap(window)
        if xwin.shown:
            xwin.shown = False
            scene = self.compositor.scene
            scene.damage_node(xwin)
            if xwin in scene.layers["top"]:
                scene.layers["top"].remove(xwin)
            scene.layout_changed()
        if self.active is xwin:
            self.active = None
        xwin.activated_sent = False
        if not self.destroyed:
            self._update_client_list()

    def _update_client_list(self) -> None:
        managed = [xwin.id for xwin in self.windows.values() if xwin.window is not None]
        self.set_cardinals(self.root, "_NET_CLIENT_LIST", xp.Atom.WINDOW, managed)
        self.flush()

    # -- requests from the compositor's side -----------------------------------------------------------
    def configure(self, xwin: XWindow, x: int, y: int, width: int, height: int) -> None:
        wanted = (props.signed16(x), props.signed16(y), props.size16(width), props.size16(height))
        if xwin.configured == wanted or self.destroyed:
            return
        xwin.configured = wanted
        xwin.x, xwin.y, xwin.width, xwin.height = wanted
        mask = (xp.ConfigWindow.X | xp.ConfigWindow.Y | xp.ConfigWindow.Width | xp.ConfigWindow.Height
                | xp.ConfigWindow.BorderWidth)
        self.core.ConfigureWindow(xwin.id, mask, [*wanted, 0])
        self.flush()

    def update_state(self, xwin: XWindow) -> None:
        window = xwin.window
        if window is None or self.destroyed:
            return
        names = []
        if window.fullscreen:
            names.append("_NET_WM_STATE_FULLSCREEN")
        if window.maximized:
            names += ["_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"]
        if window.minimized:
            names.append("_NET_WM_STATE_HIDDEN")
        if window.activated:
            names.append("_NET_WM_STATE_FOCUSED")
        if window.urgent:
            names.append("_NET_WM_STATE_DEMANDS_ATTENTION")
        state = tuple(names)
        if state != xwin.sent_state:
            xwin.sent_state = state
            xwin.net_state = set(names)
            self.set_cardinals(xwin.id, "_NET_WM_STATE", xp.Atom.ATOM, [self.atom[name] for name in names])
            self.flush()

    def activate(self, xwin: XWindow) -> None:
        """The compositor focused the window: X focus, WM_TAKE_FOCUS, _NET_ACTIVE_WINDOW, top of the X stack."""
        if self.destroyed:
            return
        self.active = xwin
        if xwin.input_hint:
            self.core.SetInputFocus(xp.InputFocus.PointerRoot, xwin.id, xp.Time.CurrentTime)
        if "WM_TAKE_FOCUS" in xwin.protocols:
            self.send_message(xwin.id, "WM_PROTOCOLS", [self.atom["WM_TAKE_FOCUS"], xp.Time.CurrentTime])
        self.set_cardinals(self.root, "_NET_ACTIVE_WINDOW", xp.Atom.WINDOW, [xwin.id])
        self.core.ConfigureWindow(xwin.id, xp.ConfigWindow.StackMode, [xp.StackMode.Above])
        self.flush()

    def deactivate(self, xwin: XWindow) -> None:
        if self.destroyed or self.active is not xwin:
            return
        self.active = None
        self.set_cardinals(self.root, "_NET_ACTIVE_WINDOW", xp.Atom.WINDOW, [0])
        self.core.SetInputFocus(xp.InputFocus.PointerRoot, xp.Window._None, xp.Time.CurrentTime)
        self.flush()

    def close(self, xwin: XWindow) -> None:
        """WM_DELETE_WINDOW if the client speaks it (a client that has not closed KILL_AFTER seconds after
        being asked is killed by the next close), else KillClient."""
        if self.destroyed:
            return
        now = time.monotonic()
        if "WM_DELETE_WINDOW" in xwin.protocols and (xwin.close_asked is None or now - xwin.close_asked < KILL_AFTER):
            if xwin.close_asked is None:
                xwin.close_asked = now
                self.loop.call_later(KILL_AFTER, self._still_there, xwin)
            self.send_message(xwin.id, "WM_PROTOCOLS", [self.atom["WM_DELETE_WINDOW"], xp.Time.CurrentTime])
        else:
            log.info("killing the X client of %r", xwin)
            self.core.KillClient(xwin.id)
        self.flush()

    def _still_there(self, xwin: XWindow) -> None:
        """Asked to close KILL_AFTER seconds ago: if it is still there, its title offers the kill (as GNOME's
        "not responding" dialog does), which the next close carries out."""
        if self.destroyed or xwin.close_asked is None or self.windows.get(xwin.id) is not xwin:
            return
        if xwin.window is not None:
            xwin.not_responding = True
            xwin.retitle()
            self.compositor.windows_changed()

    # -- X events ------------------------------------------------------------------------------------
    def on_CreateNotifyEvent(self, event: Any) -> None:
        if event.parent != self.root or event.window == self.check_window or (
                self.selection is not None and event.window == self.selection.window):
            return  # ours
        self.windows[event.window] = XWindow(self, event.window, event.x, event.y, event.width, event.height,
                                             bool(event.override_redirect))
        self.core.ChangeWindowAttributes(event.window, xp.CW.EventMask,
                                         [xp.EventMask.PropertyChange | xp.EventMask.FocusChange])

    def on_DestroyNotifyEvent(self, event: Any) -> None:
        xwin = self.windows.pop(event.window, None)
        if xwin is not None:
            self._hide(xwin)
            for surface_id, waiting in list(self.waiting_for_surface.items()):
                if waiting is xwin:
                    del self.waiting_for_surface[surface_id]

    def _window(self, wid: int) -> XWindow | None:
        """A top-level window, also one created before we started (the check window excluded)."""
        xwin = self.windows.get(wid)
        if xwin is None and wid != self.check_window:
            try:
                geometry = self.core.GetGeometry(wid).reply()
                attributes = self.core.GetWindowAttributes(wid).reply()
            except xcffib.Error:
                return None
            xwin = self.windows[wid] = XWindow(self, wid, geometry.x, geometry.y, geometry.width,
                                               geometry.height, bool(attributes.override_redirect))
        return xwin

    def read_properties(self, xwin: XWindow, names: tuple[str, ...] = WATCHED) -> None:
        cookies = [(name, self.core.GetProperty(False, xwin.id, self.atom[name], xp.GetPropertyType.Any, 0,
                                                ICON_LENGTH if name == "_NET_WM_ICON" else 4096)) for name in names]
        for name, cookie in cookies:
            try:
                reply = cookie.reply()
            except xcffib.Error:
                continue
            raw = reply.value.buf() if reply.type else b""
            xwin.apply_property(name, reply.type, reply.format, bytes(raw))

    def on_MapRequestEvent(self, event: Any) -> None:
        xwin = self._window(event.window)
        if xwin is None:
            return
        self.read_properties(xwin)
        xwin.wants_map = True
        xwin.override_redirect = False
        self.set_cardinals(xwin.id, "WM_STATE", self.atom["WM_STATE"], [1, 0])  # NormalState, no icon
        self.set_cardinals(xwin.id, "_NET_FRAME_EXTENTS", xp.Atom.CARDINAL, [0, 0, 0, 0])
        width, height = xwin.clamp(xwin.width, xwin.height)
        if (width, height) != (xwin.width, xwin.height):
            self.configure(xwin, xwin.x, xwin.y, width, height)
        self.core.MapWindow(xwin.id)

    def on_MapNotifyEvent(self, event: Any) -> None:
        xwin = self._window(event.window)
        if xwin is None:
            return
        xwin.mapped = True
        if xwin.override_redirect:
            self.read_properties(xwin, ("_NET_WM_WINDOW_TYPE", "WM_TRANSIENT_FOR", "WM_CLASS"))
        if xwin.surface is not None and xwin.surface.content is not None:
            self.show(xwin)

    def on_UnmapNotifyEvent(self, event: Any) -> None:
        xwin = self.windows.get(event.window)
        if xwin is None or event.event != self.root:
            return
        xwin.mapped = False
        if xwin.wants_map:
            xwin.wants_map = False
            self.core.DeleteProperty(xwin.id, self.atom["WM_STATE"])  # withdrawn
        xwin.close_asked = None
        xwin.not_responding = False
        xwin.retitle()
        xwin.configured = None
        self._hide(xwin)

    def on_ConfigureRequestEvent(self, event: Any) -> None:
        xwin = self._window(event.window)
        if xwin is None:
            return
        window = xwin.window
        if window is None:  # not mapped yet (xterm sizes itself twice first): granted, without a border
            values, mask = [], 0
            for bit, field in CONFIG_FIELDS:
                if event.value_mask & bit and bit not in (xp.ConfigWindow.Sibling, xp.ConfigWindow.StackMode):
                    value = 0 if field == "border_width" else getattr(event, field)
                    if field in ("width", "height"):
                        value = props.size16(value)
                    values.append(value)
                    mask |= bit
            if mask:
                self.core.ConfigureWindow(xwin.id, mask, values)
            for bit, field in CONFIG_FIELDS[:4]:
                if event.value_mask & bit:
                    setattr(xwin, field, getattr(event, field))
            return
        wm = self.compositor.wm
        floating = not (window.maximized or window.fullscreen or wm.tiler.tiled(window))
        if floating:
            if event.value_mask & (xp.ConfigWindow.X | xp.ConfigWindow.Y):
                x = event.x if event.value_mask & xp.ConfigWindow.X else window.x
                y = event.y if event.value_mask & xp.ConfigWindow.Y else window.y
                wm.move_to(window, x, y)
            if event.value_mask & (xp.ConfigWindow.Width | xp.ConfigWindow.Height):
                width = event.width if event.value_mask & xp.ConfigWindow.Width else xwin.width
                height = event.height if event.value_mask & xp.ConfigWindow.Height else xwin.height
                xwin.request_configure(xwin.clamp(width, height))
        self._send_configure_notify(xwin)  # what it has (ICCCM 4.1.5: also when the request was refused)

    def _send_configure_notify(self, xwin: XWindow) -> None:
        event = xp.ConfigureNotifyEvent.synthetic(xwin.id, xwin.id, 0, xwin.x, xwin.y, xwin.width, xwin.height, 0, 0)
        self.core.SendEvent(False, xwin.id, xp.EventMask.StructureNotify, event.pack())

    def on_ConfigureNotifyEvent(self, event: Any) -> None:
        xwin = self.windows.get(event.window)
        if xwin is None or event.event != self.root:
            return
        if xwin.override_redirect or xwin.window is None:
            scene = self.compositor.scene
            if xwin.shown:
                scene.damage_node(xwin)
            xwin.x, xwin.y, xwin.width, xwin.height = event.x, event.y, event.width, event.height
            if xwin.shown:
                scene.damage_node(xwin)
                scene.layout_changed()

    def on_PropertyNotifyEvent(self, event: Any) -> None:
        if self.selection is not None:
            if event.window == self.selection.window:
                self.selection.on_property(event)
                return
            if self.selection.on_requestor_property(event):
                return
        xwin = self.windows.get(event.window)
        name = self.names.get(event.atom)
        if xwin is None or name not in WATCHED:
            return
        if name == "_NET_WM_STATE":
            return  # ours to set once managed
        self.read_properties(xwin, (name,))
        if xwin.window is not None:
            if name == "WM_NORMAL_HINTS":
                xwin.request_configure()
            elif name == "_MOTIF_WM_HINTS":
                self.compositor.scene.damage_node(xwin.window)
                xwin.choose_decorations()
                self.compositor.scene.damage_node(xwin.window)
            self.compositor.windows_changed()

    def on_ClientMessageEvent(self, event: Any) -> None:
        kind = self.names.get(event.type) or self.atom_name(event.type)
        data = list(event.data.data32)
        if kind == "WL_SURFACE_ID":
            xwin = self._window(event.window)
            if xwin is not None:
                self._surface_id(xwin, data[0])
            return
        xwin = self.windows.get(event.window)
        if xwin is None:
            return
        window = xwin.window
        wm = self.compositor.wm
        if kind == "_NET_WM_STATE":
            self._state_message(xwin, data)
        elif kind == "_NET_ACTIVE_WINDOW" and window is not None:
            focused = wm.focused
            if data[0] == 2 or (focused is not None and getattr(focused.toplevel, "xwayland", False)):
                wm.focus(window)  # a pager, or an X application moving focus among its own kind
            else:
                wm.set_urgent(window)
        elif kind == "_NET_CLOSE_WINDOW":
            self.close(xwin)
        elif kind == "WM_CHANGE_STATE" and window is not None and data[0] == 3:  # IconicState
            wm.minimize(window)
        elif kind == "_NET_WM_MOVERESIZE" and window is not None:
            seat = self.compositor.seat
            direction = data[2]
            if direction == props.MOVERESIZE_CANCEL or not seat.buttons:
                return
            if direction == props.MOVERESIZE_MOVE:
                wm.focus(window)
                wm.begin_move(window, seat)
            elif direction in props.MOVERESIZE_EDGES:
                wm.focus(window)
                wm.begin_resize(window, seat, props.MOVERESIZE_EDGES[direction])
            self.core.UngrabPointer(xp.Time.CurrentTime)

    def _state_message(self, xwin: XWindow, data: list[int]) -> None:
        action = data[0]
        named = {self.names.get(atom, "") for atom in data[1:3]}
        window, wm = xwin.window, self.compositor.wm
        current = set(xwin.net_state)
        if window is not None:
            current = {name for name, on in (("_NET_WM_STATE_FULLSCREEN", window.fullscreen),
                                             ("_NET_WM_STATE_MAXIMIZED_VERT", window.maximized),
                                             ("_NET_WM_STATE_MAXIMIZED_HORZ", window.maximized)) if on}
        if "_NET_WM_STATE_FULLSCREEN" in named:
            on = props.state_change(action, "_NET_WM_STATE_FULLSCREEN" in current)
            if window is not None:
                wm.set_fullscreen(window, on)
            else:
                (xwin.net_state.add if on else xwin.net_state.discard)("_NET_WM_STATE_FULLSCREEN")
        maximized = named & {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"}
        if maximized:
            on = props.state_change(action, bool(current & maximized))
            if window is not None:
                wm.set_maximized(window, on)
            else:
                for name in maximized:
                    (xwin.net_state.add if on else xwin.net_state.discard)(name)
        if "_NET_WM_STATE_HIDDEN" in named and window is not None and props.state_change(action, window.minimized):
            wm.minimize(window)
        if "_NET_WM_STATE_DEMANDS_ATTENTION" in named and window is not None and props.state_change(
                action, window.urgent) and window is not wm.focused:
            wm.set_urgent(window)
        if window is not None:
            self.update_state(xwin)

    def describe(self) -> list[dict[str, Any]]:
        return [{"window": xwin.id, "title": xwin.title, "app_id": xwin.app_id,
                 "override_redirect": xwin.override_redirect, "mapped": xwin.mapped,
                 "x": xwin.x, "y": xwin.y, "width": xwin.width, "height": xwin.height,
                 "managed": xwin.window.id if xwin.window is not None else None}
                for xwin in self.windows.values()]
