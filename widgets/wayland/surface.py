"""One application on one wl_surface of a :class:`~.host.Host`, whatever its role (:mod:`.window`, :mod:`.layer`).

    class Window(HostedSurface):            # a role: create the surface, give it the role, commit
        def __init__(self, host, app):
            super().__init__(host, app, Size(800, 600))
            surface = self.create_surface()
            ...                                  # on the role's configure: self.configured = True; self.draw()

Each has its own :class:`Runtime`, two wl_shm buffers (:mod:`.buffers`) and a canvas the runtime redraws the
damaged parts of; a frame is committed only after the previous one's frame callback (and while a buffer is free),
so an app that changes faster than the screen refreshes draws once per refresh. Overlays open as xdg_popups
(:mod:`.popup`); the surface is drawn at the scale the compositor prefers (:mod:`.scale`). Keys no widget
captured go to the app's optional ``key_pressed(state, event) -> message | None``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import cairo

from ..core.application import Application
from ..core.event import Event, KeyPressed, Modifiers
from ..core.geometry import Size
from ..core.runtime import Runtime
from .buffers import SwapChain
from .popup import PopupHost
from .scale import SurfaceScale

if TYPE_CHECKING:
    from .host import Host

log = logging.getLogger(__name__)
IDLE_TRIM_AFTER = 5.0  # seconds without a frame after which a surface lets go of its canvas and spare buffer


class HostedSurface:
    def __init__(self, host: Host, app: Application[Any, Any], size: Size) -> None:
        self.host, self.app = host, app
        self.runtime: Runtime[Any, Any] = Runtime(app, size, loop=host.loop, clipboard=host.clipboard)
        self.runtime.on_message(self._wake)
        self.chain = SwapChain(host.globals["wl_shm"], released=self._released)
        self.surface: Any = None
        self.scale: SurfaceScale | None = None
        self.popups: PopupHost | None = None
        self.canvas: cairo.ImageSurface | None = None
        self.configured = False
        """The role's first configure was answered: the surface may have buffers."""
        self.frame_pending = False
        self.frame_callback: Any = None  # kept alive until "done"
        self.dirty = True  # something may have changed since the last render
        self.trim_timer: asyncio.TimerHandle | None = None
        host.hosted.append(self)

    # -- the wl_surface ------------------------------------------------------------------------------------
    def create_surface(self) -> Any:
        host = self.host
        self.surface = host.globals["wl_compositor"].create_surface()
        self.scale = SurfaceScale(host.globals, self.surface, host.output_scales, self._rescale)
        host.surfaces[self.surface] = self
        self.configured = self.frame_pending = False
        self.canvas = None
        return self.surface

    def popup_host(self, parent: Any, adopt: Callable[[Any], None] | None = None) -> PopupHost:
        """Overlays as popups of ``parent`` (an xdg_surface), or made without one and handed to ``adopt``."""
        return PopupHost(self.host.display, self.runtime, self.host.globals, parent, lambda: self.host.seat.serial,
                         self.buffer_scale, self.after_update, adopt=adopt)

    def close_popup(self) -> None:
        """A hidden or destroyed surface's menu is dismissed with it."""
        if self.popups is not None and self.popups.popup is not None:
            self.runtime.dismiss_overlay()
            self.popups.sync()

    def destroy_surface(self) -> None:
        """Destroy the wl_surface (after its role); the app keeps running."""
        self.close_popup()
        if self.surface is not None:
            self.host.surfaces.pop(self.surface, None)
            self.host.seat.forget(self)
            if self.scale is not None:
                self.scale.destroy()
            self.surface.destroy()
            self.chain.destroy()
            self.host.display.flush()
        if self.trim_timer is not None:
            self.trim_timer.cancel()
        self.surface = self.frame_callback = self.scale = self.trim_timer = None
        self.canvas = None
        self.configured = self.frame_pending = False

    def close(self) -> None:
        """Stop the app's tasks and subscriptions (the host exits, or the surface is gone for good)."""
        if self in self.host.hosted:
            self.host.hosted.remove(self)
            self.runtime.close()

    # -- output scale: draw at the (fractional) scale the compositor prefers, see scale.py -------------------
    def buffer_scale(self) -> float:
        return self.scale.factor if self.scale is not None else 1.0

    def outputs_changed(self) -> None:
        if self.scale is not None:
            self.scale.outputs_changed()

    def output_removed(self, output: Any) -> None:
        if self.scale is not None:
            self.scale.forget(output)

    def _rescale(self) -> None:
        if self.scale is not None and self.scale.factor != self.runtime.output_scale:
            self.runtime.resize(self.runtime.window_size, self.scale.factor)
            self.draw()

    # -- drawing (frame-callback paced) -------------------------------------------------------------------------
    def draw(self) -> None:
        """Commit what changed, now if the last frame was shown and a buffer is free, else when that happens."""
        self.dirty = True
        self._trim_later()
        if self.popups is not None and self.configured:
            self.popups.sync()  # open, redraw or close the overlay's popup
        if not self.configured or self.frame_pending or self.surface is None:
            return
        width, height = self.runtime.device_size
        buffer = self.chain.acquire(width, height)
        if buffer is None:
            return  # both buffers are with the compositor: drawn when one comes back
        full = self.canvas is None or (self.canvas.get_width(), self.canvas.get_height()) != (width, height)
        if full:
            self.canvas = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        assert self.canvas is not None
        damage = self.runtime.render(self.canvas, full=full)
        self.dirty = False
        if not damage:
            return
        cr = cairo.Context(buffer.surface)
        cr.set_source_surface(self.canvas, 0, 0)
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.paint()  # both buffers stay complete copies of the canvas
        buffer.surface.flush()
        buffer.busy = True
        if self.scale is not None:
            self.scale.prepare(self.runtime.window_size.width, self.runtime.window_size.height)
        self.surface.attach(buffer.buffer, 0, 0)
        scale = self.runtime.scale
        for rect in damage:
            self.surface.damage_buffer(int(rect.x * scale), int(rect.y * scale), int(rect.width * scale) + 1,
                                       int(rect.height * scale) + 1)
        self.frame_callback = self.surface.frame()
        self.frame_callback.dispatcher["done"] = self._frame_done
        self.frame_pending = True
        self.surface.commit()

    def _frame_done(self, _callback: Any, _time: int) -> None:
        self.frame_pending = False
        if self.dirty:
            self.draw()

    def _trim_later(self) -> None:
        """A surface left alone (a wallpaper; not a panel whose clock is asked to redraw every second, even when
        nothing changes) keeps only the buffer the compositor shows: the canvas (as large as the surface) and the
        spare buffer are made again by the next frame, which then renders in full."""
        if self.trim_timer is not None:
            self.trim_timer.cancel()
        self.trim_timer = self.host.loop.call_later(IDLE_TRIM_AFTER, self.trim)

    def trim(self) -> None:
        self.trim_timer = None
        if self.frame_pending or self.dirty:
            return
        self.canvas = None
        self.chain.trim()

    def _released(self) -> None:
        if self.dirty:
            self.draw()

    # -- events and messages -------------------------------------------------------------------------------
    def event(self, event: Event) -> None:
        try:
            captured = self.runtime.dispatch(event)
            if not captured and isinstance(event, KeyPressed):
                handler = getattr(self.app, "key_pressed", None)
                message = handler(self.runtime.state, event) if callable(handler) else None
                if message is not None:
                    self.runtime.queue.append(message)
                    self.runtime.flush()
        except Exception:
            log.exception("error handling %s", event)
        self.host.seat.show_cursor(self)
        self.after_update()

    def modifiers_changed(self, modifiers: Modifiers) -> None:
        """The modifiers held changed while this surface has the keyboard (also right after it gets it): the
        app's optional ``modifiers_changed(state, modifiers)`` may answer a message, e.g. a switcher that
        acts when Alt is let go (a modifier alone sends no key event a client can rely on)."""
        handler = getattr(self.app, "modifiers_changed", None)
        if not callable(handler):
            return
        try:
            message = handler(self.runtime.state, modifiers)
            if message is not None:
                self.runtime.queue.append(message)
                self.runtime.flush()
        except Exception:
            log.exception("error handling %s", modifiers)
        self.after_update()

    def _wake(self) -> None:
        self.host.loop.call_soon(self._flush_messages)

    def _flush_messages(self) -> None:
        if self.runtime.flush():
            self.after_update()

    def after_update(self) -> None:
        self.sync_role()
        self.draw()
        self.host.display.flush()

    def sync_role(self) -> None:
        """Bring the role's state in line with the app's after an update (a title, a layer surface's place)."""
