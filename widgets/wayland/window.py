"""An application in an xdg_toplevel window: its title and app id from the app, closed by the compositor's request.

    from widgets.wayland import run
    run(MyApp(), 800, 600)                   # until the window is closed; 1 if the compositor went away

Everything but the role — buffers, frame pacing, scale, popups, input, the loop — is the host's (:mod:`.host`)
and the hosted surface's (:mod:`.surface`), as for layer surfaces.
"""

from __future__ import annotations

from typing import Any

from ..core.application import Application
from ..core.event import CloseRequested, Resized
from ..core.geometry import Size
from .host import Host
from .surface import HostedSurface


class Window(HostedSurface):
    def __init__(self, host: Host, app: Application[Any, Any], width: int, height: int) -> None:
        super().__init__(host, app, Size(width, height))
        surface = self.create_surface()
        self.xdg_surface = host.globals["xdg_wm_base"].get_xdg_surface(surface)
        self.xdg_surface.dispatcher["configure"] = self._configure
        self.toplevel = self.xdg_surface.get_toplevel()
        self.toplevel.dispatcher["configure"] = self._toplevel_configure
        self.toplevel.dispatcher["close"] = self._close
        self.title = self.runtime.title
        self.toplevel.set_title(self.title or "Orrery")
        app_id = getattr(app, "app_id", None)
        self.toplevel.set_app_id(app_id() if callable(app_id) else "org.orrery.App")
        self.popups = self.popup_host(self.xdg_surface)
        self.pending_size: tuple[int, int] | None = None
        surface.commit()

    def _toplevel_configure(self, _toplevel: Any, width: int, height: int, _states: Any) -> None:
        if width > 0 and height > 0:
            self.pending_size = (width, height)

    def _configure(self, xdg_surface: Any, serial: int) -> None:
        xdg_surface.ack_configure(serial)
        if self.pending_size and Size(*self.pending_size) != self.runtime.window_size:
            self.runtime.dispatch(Resized(Size(*self.pending_size)))
        self.pending_size = None
        self.configured = True
        self.draw()

    def _close(self, *_args: Any) -> None:
        self.event(CloseRequested())
        self.host.stop()

    def sync_role(self) -> None:
        if self.runtime.title != self.title:
            self.title = self.runtime.title
            self.toplevel.set_title(self.title)


def run(app: Application[Any, Any], width: int = 800, height: int = 600) -> int:
    """Open a window for ``app`` on $WAYLAND_DISPLAY and run until it is closed."""
    host = Host(required=("xdg_wm_base",))
    Window(host, app, width, height)
    return host.run()
