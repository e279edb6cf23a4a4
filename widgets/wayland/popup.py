"""Overlays (pick-list menus, tooltips) as xdg_popup surfaces placed with an xdg_positioner.

The runtime still lays out the overlay and routes events to it in window coordinates; this module shows it in a
surface of its own, so a menu may extend past the window. A menu grabs the pointer: a click outside the
client makes the compositor send ``popup_done``, which closes the menu. A tooltip takes no input (its input
region is empty), so the pointer passes through it. A layer surface's popups are made without a parent and then
handed to it (``adopt``: zwlr_layer_surface_v1.get_popup), as layer-shell asks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import Any

from pywayland.protocol.xdg_shell import XdgPositioner

from ..core.geometry import Point, Rect
from ..core.runtime import Runtime
from .buffers import SwapChain


class PopupSurface:
    """One open overlay (a menu, a pick list's options) on an xdg_popup of its own."""

    def __init__(self, host: PopupHost, bounds: Rect, anchor: Rect, grab: bool) -> None:
        self.host, self.bounds = host, bounds
        factor = host.runtime.app_scale  # surface coordinates of the window are app pixels times this
        self.surface = host.globals["wl_compositor"].create_surface()
        self.buffer_scale = host.buffer_scale()  # the window's: the runtime draws the overlay at its scale
        self.viewport: Any = None
        if "wp_viewporter" in host.globals:  # a fractional scale: the buffer's pixels map to the destination
            self.viewport = host.globals["wp_viewporter"].get_viewport(self.surface)
        elif self.buffer_scale != 1:
            self.surface.set_buffer_scale(round(self.buffer_scale))
        if not grab:
            region = host.globals["wl_compositor"].create_region()  # empty: the pointer passes through
            self.surface.set_input_region(region)
            region.destroy()
        positioner = host.globals["xdg_wm_base"].create_positioner()
        width, height = max(1, math.ceil(bounds.width * factor)), max(1, math.ceil(bounds.height * factor))
        positioner.set_size(width, height)
        ax, ay = int(anchor.x * factor), int(anchor.y * factor)
        positioner.set_anchor_rect(ax, ay, max(1, int(anchor.width * factor)), max(1, int(anchor.height * factor)))
        positioner.set_anchor(XdgPositioner.anchor.top_left.value)
        positioner.set_gravity(XdgPositioner.gravity.bottom_right.value)
        positioner.set_offset(int(bounds.x * factor) - ax, int(bounds.y * factor) - ay)
        adjust = XdgPositioner.constraint_adjustment
        positioner.set_constraint_adjustment((adjust.slide_x | adjust.slide_y | adjust.flip_y).value)
        self.xdg_surface = host.globals["xdg_wm_base"].get_xdg_surface(self.surface)
        self.xdg_surface.dispatcher["configure"] = self._configure
        self.popup = self.xdg_surface.get_popup(host.parent, positioner)
        if host.adopt is not None:
            host.adopt(self.popup)  # before the first commit, as zwlr_layer_surface_v1.get_popup requires
        self.popup.dispatcher["popup_done"] = lambda *_: host.popup_done(self)
        positioner.destroy()
        if grab and "wl_seat" in host.globals:
            self.popup.grab(host.globals["wl_seat"], host.serial())
        self.chain = SwapChain(host.globals["wl_shm"])
        self.size = (width, height)
        if self.viewport is not None:
            self.viewport.set_destination(width, height)
        self.configured = False
        self.dirty = True
        self.surface.commit()

    def _configure(self, xdg_surface: Any, serial: int) -> None:
        xdg_surface.ack_configure(serial)
        self.configured = True
        self.draw()

    def draw(self) -> None:
        self.dirty = True
        if not self.configured:
            return
        width, height = (math.ceil(side * self.buffer_scale) for side in self.size)
        buffer = self.chain.acquire(width, height)
        if buffer is None:
            return  # both buffers are with the compositor; the next change redraws
        self.host.runtime.render_overlay(buffer.surface)
        buffer.busy = True
        self.surface.attach(buffer.buffer, 0, 0)
        self.surface.damage_buffer(0, 0, width, height)
        self.surface.commit()
        self.dirty = False

    def destroy(self) -> None:
        """Unmap now; destroy the surface once the compositor has answered, so that the pointer and keyboard
        ``leave`` events it sends for the surface still name a live object."""
        self.popup.destroy()
        self.xdg_surface.destroy()
        if self.viewport is not None:
            self.viewport.destroy()
        self.surface.attach(None, 0, 0)
        self.surface.commit()
        self._done = self.host.display.sync()
        self._done.dispatcher["done"] = lambda *_: self._finish()

    def _finish(self) -> None:
        self.surface.destroy()
        for buffer in self.chain.buffers:
            buffer.destroy()


class PopupHost:
    """Keeps the window's open popup in step with the runtime's overlay."""

    def __init__(self, display: Any, runtime: Runtime[Any, Any], globals_: dict[str, Any], parent: Any,
                 serial: Callable[[], int], buffer_scale: Callable[[], float], redraw: Callable[[], None],
                 adopt: Callable[[Any], None] | None = None) -> None:
        """``parent`` is the window's xdg_surface; for a layer surface it is None and ``adopt(xdg_popup)`` gives
        each popup to the layer surface."""
        self.display, self.runtime, self.globals, self.parent = display, runtime, globals_, parent
        self.serial, self.buffer_scale, self.redraw, self.adopt = serial, buffer_scale, redraw, adopt
        self.popup: PopupSurface | None = None
        self._identity: Hashable = None
        self._paint: Hashable = None
        runtime.separate_overlays = True

    def sync(self) -> None:
        """Open, redraw or close the popup after the runtime handled an event."""
        overlay, node = self.runtime.overlay, self.runtime.overlay_node
        identity = None if overlay is None or node is None else (type(overlay), node.bounds)
        if identity != self._identity:
            self.close()
            self._identity = identity
            if overlay is not None and node is not None:
                self.popup = PopupSurface(self, node.bounds, overlay.anchor_rect(node), overlay.grab)
                self._paint = overlay.paint_key(node, self.runtime.cursor or Point(-1e9, -1e9))
            return
        if overlay is not None and node is not None and self.popup is not None:
            paint = overlay.paint_key(node, self.runtime.cursor or Point(-1e9, -1e9))
            if paint != self._paint or self.popup.dirty:
                self._paint = paint
                self.popup.draw()

    def owns(self, surface: Any) -> bool:
        return self.popup is not None and surface is self.popup.surface

    def origin(self, surface: Any) -> Point:
        """Where a surface's (0, 0) is in window coordinates: the popup's corner, or the window's."""
        if self.popup is not None and surface is self.popup.surface:
            factor = self.runtime.app_scale
            return Point(self.popup.bounds.x * factor, self.popup.bounds.y * factor)
        return Point(0, 0)

    def popup_done(self, popup: PopupSurface) -> None:
        if popup is not self.popup:
            return
        self.runtime.dismiss_overlay()
        self.close()
        self._identity = None
        self.redraw()

    def close(self) -> None:
        if self.popup is not None:
            self.popup.destroy()
            self.popup = None
