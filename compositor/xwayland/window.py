"""One top-level X window as the compositor sees it: the role of its wl_surface and, once managed, the ``toplevel``
of a :class:`~compositor.wm.ManagedWindow` (the window manager configures, activates and closes it through the
same calls as an xdg toplevel). The X side of each call is the window manager's (:mod:`compositor.xwayland.wm`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import cairo

from ..geometry import Box
from . import props

if TYPE_CHECKING:
    from ..surface import Surface
    from ..wm import ManagedWindow
    from .wm import XWindowManager

ROLE = "xwayland_surface"
NOT_RESPONDING = " (not responding: close again to end it)"
ICON_MAX = 128  # _NET_WM_ICON images larger than this are skipped (a title bar shows 20 to 40 pixels)
ICON_WANTED = 48  # the image taken: the smallest at least this big, else the biggest


def icon_image(images: list[tuple[int, int, bytes]]) -> cairo.ImageSurface | None:
    """The _NET_WM_ICON image to show, premultiplied for cairo (X gives straight alpha)."""
    if not images:
        return None
    big = [image for image in images if min(image[0], image[1]) >= ICON_WANTED]
    width, height, data = min(big) if big else max(images)
    pixels = memoryview(bytearray(data)).cast("I")
    for i, argb in enumerate(pixels):
        alpha = argb >> 24
        if alpha != 255:
            pixels[i] = (alpha << 24 | ((argb >> 16 & 255) * alpha // 255) << 16
                         | ((argb >> 8 & 255) * alpha // 255) << 8 | (argb & 255) * alpha // 255)
    image = cairo.ImageSurface.create_for_data(pixels.obj, cairo.FORMAT_ARGB32, width, height, width * 4)  # type: ignore[arg-type]
    copy = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)  # owning its pixels
    ctx = cairo.Context(copy)
    ctx.set_source_surface(image, 0, 0)
    ctx.paint()
    return copy


class XWindow:
    """One top-level X window: the role of its wl_surface and the toplevel of its managed window (if managed)."""

    xwayland = True
    name = ROLE

    def __init__(self, xwm: XWindowManager, wid: int, x: int, y: int, width: int, height: int,
                 override_redirect: bool) -> None:
        self.xwm = xwm
        self.id = wid
        self.x, self.y, self.width, self.height = x, y, max(1, width), max(1, height)
        self.override_redirect = override_redirect
        self.surface: Surface = None  # type: ignore[assignment]  # set when paired through WL_SURFACE_ID
        self.window: ManagedWindow | None = None
        self.shown = False  # an override-redirect window in the scene
        self.mapped = False  # mapped on the X side (MapNotify seen)
        self.wants_map = False  # the WM mapped it (MapRequest)
        self.title = ""
        self.wm_name = ""
        self.net_wm_name: str | None = None
        self.app_id = ""
        self.min_size = (0, 0)
        self.max_size = (0, 0)
        self.hints = props.SizeHints()
        self.input_hint = True
        self.motif_decorations: bool | None = None
        self.protocols: set[str] = set()
        self.types: list[str] = []
        self.transient_for = 0
        self.pid = 0
        self.net_state: set[str] = set()
        self.popups: list[Any] = []
        self.decorations = "server"
        self.configured: tuple[int, int, int, int] | None = None  # what we last asked X for
        self.sent_state: tuple[str, ...] | None = None
        self.activated_sent = False
        self.close_asked: float | None = None
        self.not_responding = False  # asked to close KILL_AFTER seconds ago and still there: its title says so
        self.requested_size: tuple[int, int] | None = None
        self.icon: cairo.ImageSurface | None = None  # _NET_WM_ICON, shown in its title bar

    def __repr__(self) -> str:
        return f"<XWindow 0x{self.id:x} {self.app_id!r} {self.title!r}>"

    # -- what the window manager reads (compositor.wm.Toplevel) -----------------------------------------
    def choose_decorations(self) -> None:
        """Whether the compositor draws a frame: the window rules' say, else the client's _MOTIF_WM_HINTS (decided
        when the window maps and when its hints change, not every time a frame is drawn)."""
        self.decorations = self._decorations()

    def _decorations(self) -> str:
        if self.override_redirect:
            return "none"
        rule = self.xwm.compositor.wm.rule_for(self).decorations
        if rule == "client":
            return "none"  # an X client draws its own, or none
        if rule == "server":
            return "server"
        return "none" if self.motif_decorations is False else "server"

    @property
    def parent(self) -> Any:
        """The window a dialog belongs to (WM_TRANSIENT_FOR); a dialog, utility or splash window without one
        answers itself, so that it floats as dialogs do."""
        parent = self.xwm.windows.get(self.transient_for)
        if parent is not None and parent is not self:
            return parent
        if self.transient_for or any(kind in props.FLOATING_TYPES for kind in self.types):
            return self
        return None

    def geometry(self) -> Box:
        surface = self.surface
        if surface is not None and surface.content is not None:
            return Box(0, 0, surface.width, surface.height)
        return Box(0, 0, self.width, self.height)

    def request_configure(self, size: tuple[int, int] | None = None) -> None:
        """The window manager's wish for size and states: a ConfigureWindow (only when something changed),
        _NET_WM_STATE, and focus when the window became (or stopped being) the active one."""
        window = self.window
        if size is not None:
            self.requested_size = size if size != (0, 0) else None
        width, height = self.requested_size or (self.width, self.height)
        if window is not None and (window.fullscreen or window.maximized):
            area = self.xwm.compositor.wm.fill_area(window, window.fullscreen)
            width, height = area.width, area.height
        else:
            width, height = self.clamp(width, height)
        x, y = (window.x, window.y) if window is not None else (self.x, self.y)
        self.xwm.configure(self, x, y, width, height)
        self.xwm.update_state(self)
        if window is not None and window.activated != self.activated_sent:
            self.activated_sent = window.activated
            if window.activated:
                self.xwm.activate(self)
            else:
                self.xwm.deactivate(self)

    def clamp(self, width: int, height: int) -> tuple[int, int]:
        min_w, min_h = self.min_size
        max_w, max_h = self.max_size
        width = max(width, min_w) if min_w else width
        height = max(height, min_h) if min_h else height
        width = min(width, max_w) if max_w else width
        height = min(height, max_h) if max_h else height
        return props.size16(width), props.size16(height)

    def moved(self) -> None:
        """The window manager moved the window: the X window follows (menus open relative to it)."""
        if self.window is not None:
            self.xwm.configure(self, self.window.x, self.window.y, self.width, self.height)

    def close(self) -> None:
        self.xwm.close(self)

    def apply_property(self, name: str, kind: int, fmt: int, raw: bytes) -> None:
        """A property the window manager watches was read (``kind`` 0: the window has none)."""
        xwm, xwin = self.xwm, self
        if name == "WM_NAME":
            xwin.wm_name = props.text(raw, kind == xwm.atom["UTF8_STRING"]) if kind else ""
        elif name == "_NET_WM_NAME":
            xwin.net_wm_name = props.text(raw, True) if kind else None
        elif name == "WM_CLASS":
            xwin.app_id = props.app_id(*props.wm_class(raw)) if kind else ""
        elif name == "WM_TRANSIENT_FOR":
            values = props.cardinals(fmt, raw)
            xwin.transient_for = values[0] if values and values[0] != xwin.id else 0
        elif name == "_NET_WM_WINDOW_TYPE":
            xwin.types = [xwm.names.get(atom, "") for atom in props.cardinals(fmt, raw)]
        elif name == "WM_PROTOCOLS":
            xwin.protocols = {xwm.names.get(atom, "") for atom in props.cardinals(fmt, raw)}
        elif name == "WM_HINTS":
            hints = props.wm_hints(fmt, raw)
            xwin.input_hint = hints.input
            if hints.urgent and xwin.window is not None and xwin.window is not xwm.compositor.wm.focused:
                xwm.compositor.wm.set_urgent(xwin.window)
        elif name == "WM_NORMAL_HINTS":
            xwin.hints = props.size_hints(fmt, raw)
            xwin.min_size, xwin.max_size = xwin.hints.min_size, xwin.hints.max_size
        elif name == "_MOTIF_WM_HINTS":
            xwin.motif_decorations = props.motif_decorations(fmt, raw)
        elif name == "_NET_WM_PID":
            values = props.cardinals(fmt, raw)
            xwin.pid = values[0] if values else 0
        elif name == "_NET_WM_ICON":
            xwin.icon = icon_image(props.icon(fmt, raw, limit=ICON_MAX)) if kind else None
        elif name == "_NET_WM_STATE" and xwin.window is None:
            xwin.net_state = {xwm.names.get(atom, "") for atom in props.cardinals(fmt, raw)}
        xwin.retitle()

    def retitle(self) -> None:
        xwin = self
        title = xwin.net_wm_name if xwin.net_wm_name is not None else xwin.wm_name
        xwin.title = title + NOT_RESPONDING if xwin.not_responding else title

    # -- the surface's role (compositor.surface.Role) -------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        if self.window is not None:
            return self.window.origin() if self.window.visible else None
        if self.shown:
            return self.x, self.y
        return None

    def parent_surface(self) -> Surface | None:
        return None

    def synchronized(self) -> bool:
        return False

    def committed(self) -> None:
        if self.surface is None or self.surface.content is None:
            return
        window = self.window
        if window is None:
            self.xwm.show(self)
        elif window.resize_anchor is not None:  # resized by a top or left edge: the opposite edge stays put
            edges, start = window.resize_anchor
            x = start.right - self.surface.width if edges & 4 else window.x
            y = start.bottom - self.surface.height if edges & 1 else window.y
            if (x, y) != (window.x, window.y):
                self.xwm.compositor.wm.move_to(window, x, y)

    def surface_destroyed(self) -> None:
        self.xwm.surface_gone(self)

    # -- a scene node while override-redirect --------------------------------------------------------
    @property
    def visible(self) -> bool:
        return self.shown
