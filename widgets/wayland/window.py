"""One xdg_toplevel window driving a :class:`Runtime`: frame-callback paced redraws of the damaged parts."""

from __future__ import annotations

import asyncio
import logging
import math
import signal
from dataclasses import replace
from typing import Any

import cairo
from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlDataDeviceManager, WlOutput, WlSeat, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from ..core.application import Application
from ..core.element import Clipboard
from ..core.event import (
    CloseRequested,
    Event,
    FocusChanged,
    KeyPressed,
    KeyReleased,
    PointerLeft,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Resized,
    Scrolled,
)
from ..core.geometry import Point, Size
from ..core.runtime import Runtime
from .buffers import SwapChain
from .clipboard import WaylandClipboard
from .cursor import SHAPE_GLOBALS, PointerCursor
from .input import BUTTONS, Keyboard
from .popup import PopupHost
from .scale import GLOBALS as SCALE_GLOBALS
from .scale import SurfaceScale
from .touch import Touch

log = logging.getLogger(__name__)


class Window:
    def __init__(self, app: Application[Any, Any], width: int, height: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.display = Display()
        self.display.connect()
        self.globals: dict[str, Any] = {}
        self.output_scales: dict[Any, int] = {}
        """Each wl_output's integer scale (without wp_fractional_scale_v1 the window draws at the largest of
        those it is on)."""
        self.surface_scale: SurfaceScale | None = None
        self.touch: Touch | None = None
        self.serial = 0
        """The serial of the last input event (for the selection and popup grabs)."""
        registry = self.display.get_registry()
        registry.dispatcher["global"] = self._global
        self.display.roundtrip()
        missing = {"wl_compositor", "wl_shm", "xdg_wm_base"} - self.globals.keys()
        if missing:
            raise RuntimeError(f"the compositor lacks {', '.join(sorted(missing))}")
        clipboard: Clipboard | None = None
        if "wl_data_device_manager" in self.globals and "wl_seat" in self.globals:
            clipboard = WaylandClipboard(self.display, self.globals["wl_data_device_manager"],
                                         self.globals["wl_seat"], lambda: self.serial)
        self.runtime = Runtime(app, Size(width, height), loop=self.loop, clipboard=clipboard)
        self.runtime.on_message(self._wake)
        self.surface = self.globals["wl_compositor"].create_surface()
        self.surface_scale = SurfaceScale(self.globals, self.surface, self.output_scales, self._apply_scale)
        wm = self.globals["xdg_wm_base"]
        wm.dispatcher["ping"] = lambda base, serial: base.pong(serial)
        self.xdg_surface = wm.get_xdg_surface(self.surface)
        self.xdg_surface.dispatcher["configure"] = self._configure
        self.toplevel = self.xdg_surface.get_toplevel()
        self.popups = PopupHost(self.display, self.runtime, self.globals, self.xdg_surface, lambda: self.serial,
                                self._buffer_scale, self._redraw)
        self.pointer_surface: Any = None
        self.toplevel.dispatcher["configure"] = self._toplevel_configure
        self.toplevel.dispatcher["close"] = lambda *_: self._event(CloseRequested())
        self.toplevel.set_title(self.runtime.title or "Orrery")
        app_id = getattr(app, "app_id", None)
        self.toplevel.set_app_id(app_id() if callable(app_id) else "org.orrery.App")
        self.title = self.runtime.title
        self.keyboard = Keyboard()
        self.repeat: asyncio.TimerHandle | None = None
        self.pointer_serial = 0
        if "wl_seat" in self.globals:
            seat = self.globals["wl_seat"]
            seat.dispatcher["capabilities"] = self._capabilities
        self.chain = SwapChain(self.globals["wl_shm"])
        self.cursor = PointerCursor(self.globals["wl_compositor"], self.globals["wl_shm"],
                                    shapes=self.globals.get("wp_cursor_shape_manager_v1"))
        self.canvas: cairo.ImageSurface | None = None
        self.configured = False
        self.mapped: tuple[int, int] | None = None
        """The size of the last buffer committed (None before the first)."""
        self.frame_pending = False
        self.dirty = True
        self.pending_size: tuple[int, int] | None = None
        self.running = True
        self.frame_callback: Any = None
        self.surface.commit()

    def _global(self, registry: Any, name: int, interface: str, version: int) -> None:
        wanted = {"wl_compositor": (WlCompositor, 4), "wl_shm": (WlShm, 1), "xdg_wm_base": (XdgWmBase, 2),
                  "wl_seat": (WlSeat, 5), "wl_data_device_manager": (WlDataDeviceManager, 3),
                  **SCALE_GLOBALS, **SHAPE_GLOBALS}
        if interface == "wl_output":
            output = registry.bind(name, WlOutput, min(version, 3))
            self.output_scales[output] = 1
            output.dispatcher["scale"] = self._output_scale
        elif interface in wanted and interface not in self.globals:
            kind, most = wanted[interface]
            self.globals[interface] = registry.bind(name, kind, min(version, most))

    # -- configure and drawing -----------------------------------------------------------------------------
    def _toplevel_configure(self, _toplevel: Any, width: int, height: int, _states: Any) -> None:
        if width > 0 and height > 0:
            self.pending_size = (width, height)

    def _configure(self, xdg_surface: Any, serial: int) -> None:
        xdg_surface.ack_configure(serial)
        if self.pending_size and self.pending_size != self._size():
            self.runtime.dispatch(Resized(Size(*self.pending_size)))
        self.pending_size = None
        self.configured = True
        self.dirty = True
        self._draw()

    def _size(self) -> tuple[int, int]:
        return self.runtime.device_size

    # -- output scale: draw at the (fractional) scale the compositor prefers, see scale.py -----------------
    def _output_scale(self, output: Any, factor: int) -> None:
        self.output_scales[output] = factor
        if self.surface_scale is not None:
            self.surface_scale.outputs_changed()

    def _buffer_scale(self) -> float:
        return self.surface_scale.factor if self.surface_scale is not None else 1.0

    def _apply_scale(self) -> None:
        factor = self._buffer_scale()
        if factor != self.runtime.output_scale:
            self.runtime.resize(self.runtime.window_size, factor)
            self._redraw()

    def _redraw(self) -> None:
        self.dirty = True
        self._draw()

    def _draw(self) -> None:
        self.popups.sync()
        if not self.configured or self.frame_pending:
            return
        width, height = self._size()
        full = self.canvas is None or (self.canvas.get_width(), self.canvas.get_height()) != (width, height)
        if full:
            self.canvas = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        assert self.canvas is not None
        damage = self.runtime.render(self.canvas, full=full)
        self.dirty = False
        if not damage:
            return
        buffer = self.chain.acquire(width, height)
        if buffer is None:
            self.dirty = True
            return
        cr = cairo.Context(buffer.surface)
        cr.set_source_surface(self.canvas, 0, 0)
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.paint()  # both buffers stay complete copies of the canvas
        buffer.surface.flush()
        buffer.busy = True
        if self.surface_scale is not None:
            self.surface_scale.prepare(self.runtime.window_size.width, self.runtime.window_size.height)
        self.surface.attach(buffer.buffer, 0, 0)
        scale = self.runtime.scale
        for rect in damage:
            self.surface.damage_buffer(int(rect.x * scale), int(rect.y * scale), int(rect.width * scale) + 1,
                                       int(rect.height * scale) + 1)
        self.mapped = (width, height)
        self.frame_callback = self.surface.frame()  # keep the proxy alive until "done"
        self.frame_callback.dispatcher["done"] = self._frame_done
        self.frame_pending = True
        self.surface.commit()
        if self.runtime.title != self.title:
            self.title = self.runtime.title
            self.toplevel.set_title(self.title)

    def _frame_done(self, _callback: Any, _time: int) -> None:
        self.frame_pending = False
        if self.dirty:
            self._draw()

    def _wake(self) -> None:
        self.loop.call_soon(self._flush_messages)

    def _flush_messages(self) -> None:
        if self.runtime.flush():
            self.dirty = True
            self._draw()
            self.display.flush()

    def _event(self, event: Event) -> None:
        try:
            self.runtime.dispatch(event)
        except Exception:
            log.exception("error handling %s", event)
        if "pointer" in self.globals and self.pointer_surface is not None:
            self.cursor.show(self.globals["pointer"], self.pointer_serial, self.runtime.cursor_shape,
                             math.ceil(self._buffer_scale()))
        if isinstance(event, CloseRequested):
            self.running = False
        self.dirty = True
        self._draw()

    # -- input ---------------------------------------------------------------------------------------------
    def _capabilities(self, seat: Any, caps: int) -> None:
        if caps & WlSeat.capability.pointer.value and "pointer" not in self.globals:
            pointer = self.globals["pointer"] = seat.get_pointer()
            self.position = Point(0, 0)
            pointer.dispatcher["enter"] = self._pointer_enter
            pointer.dispatcher["leave"] = self._pointer_leave
            pointer.dispatcher["motion"] = self._motion
            pointer.dispatcher["button"] = self._button
            pointer.dispatcher["axis"] = self._axis
        if caps & WlSeat.capability.keyboard.value and "keyboard" not in self.globals:
            keyboard = self.globals["keyboard"] = seat.get_keyboard()
            keyboard.dispatcher["keymap"] = lambda _k, _fmt, fd, size: self.keyboard.keymap(fd, size)
            keyboard.dispatcher["enter"] = lambda *_: self._event(FocusChanged(True))
            keyboard.dispatcher["leave"] = self._keyboard_leave
            keyboard.dispatcher["key"] = self._key
            keyboard.dispatcher["modifiers"] = lambda _k, _s, d, la, lo, g: self.keyboard.modifiers(d, la, lo, g)
            keyboard.dispatcher["repeat_info"] = self._repeat_info
        if caps & WlSeat.capability.touch.value and self.touch is None:
            self.touch = Touch(seat, self._touch, lambda serial: setattr(self, "serial", serial))

    def _touch(self, surface: Any, event: Event) -> None:
        """A finger as a pointer (touch.py); on a popup its coordinates start at the popup's corner."""
        if isinstance(event, (PointerMoved, PointerPressed, PointerReleased)):
            origin = self.popups.origin(surface)
            event = replace(event, position=Point(event.position.x + origin.x, event.position.y + origin.y))
        self._event(event)

    def _keyboard_leave(self, *_args: Any) -> None:
        self._stop_repeat()
        self._event(FocusChanged(False))

    def _pointer_enter(self, _pointer: Any, serial: int, surface: Any, x: float, y: float) -> None:
        self.pointer_serial = serial
        self.pointer_surface = surface
        self._motion(None, 0, x, y)

    def _pointer_leave(self, *_args: Any) -> None:
        self.pointer_surface = None
        self._event(PointerLeft())

    def _motion(self, _pointer: Any, _time: int, x: float, y: float) -> None:
        origin = self.popups.origin(self.pointer_surface)  # a popup's coordinates start at its corner
        self.position = Point(x + origin.x, y + origin.y)
        self._event(PointerMoved(self.position))

    def _button(self, _pointer: Any, serial: int, _time: int, button: int, state: int) -> None:
        self.serial = serial
        code = BUTTONS.get(button, 0)
        self._event(PointerPressed(self.position, code) if state else PointerReleased(self.position, code))

    def _axis(self, _pointer: Any, _time: int, axis: int, value: float) -> None:
        if axis == 0:
            self._event(Scrolled(self.position, 0.0, value * 2))
        else:
            self._event(Scrolled(self.position, value * 2, 0.0))

    def _repeat_info(self, _keyboard: Any, rate: int, delay: int) -> None:
        self.keyboard.repeat_rate, self.keyboard.repeat_delay = rate, delay

    def _key(self, _keyboard: Any, serial: int, _time: int, key: int, state: int) -> None:
        self.serial = serial
        name, text, mods = self.keyboard.translate(key)
        self._stop_repeat()
        if state:
            event = KeyPressed(name, text, mods)
            self._event(event)
            if self.keyboard.repeat_rate > 0 and name not in ("Shift_L", "Shift_R", "Control_L", "Control_R"):
                self.repeat = self.loop.call_later(self.keyboard.repeat_delay / 1000, self._repeat, event)
        else:
            self._event(KeyReleased(name, mods))

    def _repeat(self, event: KeyPressed) -> None:
        self._event(event)
        self.display.flush()
        self.repeat = self.loop.call_later(1 / self.keyboard.repeat_rate, self._repeat, event)

    def _stop_repeat(self) -> None:
        if self.repeat is not None:
            self.repeat.cancel()
            self.repeat = None

    # -- loop ----------------------------------------------------------------------------------------------
    def _readable(self) -> None:
        if self.display.dispatch(block=True) == -1:
            self.running = False
        self.display.flush()
        if not self.running:
            self.loop.stop()

    def run(self) -> int:
        self.loop.add_reader(self.display.get_fd(), self._readable)
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(sig, self.loop.stop)  # a clean exit (status 0) on Ctrl+C or kill
        self.display.flush()
        self.loop.run_forever()
        self.runtime.close()
        self.display.disconnect()
        return 0


def run(app: Application[Any, Any], width: int = 800, height: int = 600) -> int:
    """Open a window for ``app`` on $WAYLAND_DISPLAY and run until it is closed."""
    return Window(app, width, height).run()
