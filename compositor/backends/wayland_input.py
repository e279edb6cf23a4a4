"""The wayland backend's input: the parent compositor's wl_seat, fed into Orrery's seat, and Orrery's pointer
image shown by the parent as our cursor surface.

The parent's keymap is used as is (Orrery's clients get it, so the layout inside is the one outside), like a
virtual keyboard's; keys held when the window loses the keyboard are released. Pointer positions are the
window's logical coordinates, which are the output's. Scrolling is gathered per ``wl_pointer.frame``
(``axis_value120`` where the parent has it, else ``axis_discrete``).
"""

from __future__ import annotations

import logging
import mmap
import os
from typing import TYPE_CHECKING, Any

import cairo

from themes.xcursor import ShapeCursors, default_cursor
from widgets.wayland.buffers import ShmBuffer

from ..cursor import pointer_image
from ..keyboard import Keyboard, ModifierState

if TYPE_CHECKING:
    from ..seat import Seat
    from .wayland import ParentWindow, WaylandBackend

log = logging.getLogger(__name__)

POINTER, KEYBOARD, TOUCH = 1, 2, 4  # wl_seat.capability
KEYMAP_LIMIT = 1 << 20  # a keymap is some 60 KiB; more is not a keymap


class ParentSeat:
    def __init__(self, backend: WaylandBackend, proxy: Any, name: int, version: int) -> None:
        self.backend = backend
        self.proxy = proxy
        self.name = name  # the global's, to notice its removal
        self.version = version  # as bound: the pointer, keyboard and touch have it too
        self.pointer: Any = None
        self.keyboard: Any = None
        self.touch: Any = None
        self.keymap: Keyboard | None = None
        self.pointer_window: ParentWindow | None = None
        self.enter_serial = 0
        self.serial = 0  # of the last input event from the parent (setting its selection needs one)
        self.axis: dict[int, list[float]] = {}  # axis → [value, value120] gathered until the frame
        self.axis_source = 0  # wl_pointer.axis_source of the frame (0: wheel)
        self.axis_stops: set[int] = set()  # axes whose scrolling stopped in the frame (fingers lifted)
        self.touches: dict[int, ParentWindow] = {}
        self._cursor: CursorSurface | None = None  # made on first use: wl_compositor may come after wl_seat
        proxy.dispatcher["capabilities"] = self._capabilities

    @property
    def cursor(self) -> CursorSurface:
        if self._cursor is None:
            self._cursor = CursorSurface(self.backend)
        return self._cursor

    @property
    def seat(self) -> Seat:
        return self.backend.compositor.seat

    def _capabilities(self, _seat: Any, capabilities: int) -> None:
        if capabilities & POINTER and self.pointer is None:
            self.pointer = self.proxy.get_pointer()
            for event in ("enter", "leave", "motion", "button", "axis", "axis_source", "axis_stop", "axis_discrete",
                          "axis_value120", "frame"):
                self.pointer.dispatcher[event] = getattr(self, f"_pointer_{event}")
        elif not capabilities & POINTER and self.pointer is not None:
            self._release(self.pointer, 3)
            self.pointer = self.pointer_window = None
        if capabilities & KEYBOARD and self.keyboard is None:
            self.keyboard = self.proxy.get_keyboard()
            for event in ("keymap", "enter", "leave", "key", "modifiers"):
                self.keyboard.dispatcher[event] = getattr(self, f"_key_{event}")
        elif not capabilities & KEYBOARD and self.keyboard is not None:
            self._release_keys()
            self._release(self.keyboard, 3)
            self.keyboard = None
        if capabilities & TOUCH and self.touch is None:
            self.touch = self.proxy.get_touch()
            for event in ("down", "up", "motion", "frame", "cancel"):
                self.touch.dispatcher[event] = getattr(self, f"_touch_{event}")
        elif not capabilities & TOUCH and self.touch is not None:
            self._touch_cancel(None)
            self._release(self.touch, 3)
            self.touch = None

    def _release(self, proxy: Any, since: int) -> None:
        """``release`` where the bound version has it (the parent forgets the object), else just forget it here."""
        if self.version >= since:
            proxy.release()
        else:
            proxy.destroy()

    def _global(self, window: ParentWindow, x: float, y: float) -> tuple[float, float]:
        output = window.output
        return output.x + x, output.y + y

    # -- keyboard -------------------------------------------------------------------------------------------------
    def _key_keymap(self, _keyboard: Any, keymap_format: int, fd: int, size: int) -> None:
        try:
            if keymap_format != 1 or not 0 < size <= KEYMAP_LIMIT:
                log.warning("the parent compositor sent no usable keymap: keeping %s", "the previous one")
                return
            with mmap.mmap(fd, size, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ) as mapped:
                text = mapped[:size]
            keymap = Keyboard.from_keymap_text(text)
        except (OSError, ValueError) as error:
            log.warning("cannot use the parent compositor's keymap (%s): keeping the previous one", error)
            return
        finally:
            os.close(fd)
        old, self.keymap = self.keymap, keymap
        if old is not None:
            self.seat.keyboard_gone(old)
            old.close()
        self.seat.use_keyboard(keymap)  # clients inside get the layout at once, not at the first key

    def _key_enter(self, _keyboard: Any, serial: int, _surface: Any, _keys: bytes) -> None:
        self.serial = serial

    def _key_leave(self, _keyboard: Any, _serial: int, _surface: Any) -> None:
        self._release_keys()  # the parent took the keyboard: nothing stays stuck down

    def _key_key(self, _keyboard: Any, serial: int, time_ms: int, key: int, state: int) -> None:
        self.serial = serial
        if self.keymap is not None:
            self.seat.key(key, state == 1, time_ms, keyboard=self.keymap)

    def _key_modifiers(self, _keyboard: Any, _serial: int, depressed: int, latched: int, locked: int,
                       group: int) -> None:
        if self.keymap is not None:  # locks (Caps Lock) set outside count inside
            self.seat.set_modifiers(self.keymap, ModifierState(depressed, latched, locked, group))

    def _release_keys(self) -> None:
        if self.keymap is not None:
            for code in sorted(self.keymap.pressed):
                self.seat.key(code, False, keyboard=self.keymap)

    # -- pointer --------------------------------------------------------------------------------------------------
    def _pointer_enter(self, pointer: Any, serial: int, surface: Any, x: float, y: float) -> None:
        self.pointer_window = self.backend.window_of_surface(surface)
        self.enter_serial = self.serial = serial
        self.cursor.show(pointer, serial, self.seat, force=True)
        self._pointer_motion(pointer, 0, x, y)

    def _pointer_leave(self, _pointer: Any, _serial: int, _surface: Any) -> None:
        self.pointer_window = None

    def _pointer_motion(self, _pointer: Any, time_ms: int, x: float, y: float) -> None:
        window = self.pointer_window
        if window is not None:
            self.seat.pointer_motion(*self._global(window, x, y), time_ms or None)

    def _pointer_button(self, _pointer: Any, serial: int, time_ms: int, button: int, state: int) -> None:
        self.serial = serial
        if self.pointer_window is not None:
            self.seat.pointer_button(button, state == 1, time_ms)

    def _pointer_axis(self, _pointer: Any, _time_ms: int, axis: int, value: float) -> None:
        self.axis.setdefault(axis, [0.0, 0])[0] += value

    def _pointer_axis_source(self, _pointer: Any, source: int) -> None:
        self.axis_source = source

    def _pointer_axis_stop(self, _pointer: Any, _time_ms: int, axis: int) -> None:
        self.axis_stops.add(axis)

    def _pointer_axis_discrete(self, _pointer: Any, axis: int, discrete: int) -> None:
        self.axis.setdefault(axis, [0.0, 0])[1] += discrete * 120

    def _pointer_axis_value120(self, _pointer: Any, axis: int, value120: int) -> None:
        self.axis.setdefault(axis, [0.0, 0])[1] += value120

    def _pointer_frame(self, _pointer: Any) -> None:
        gathered, stops, source = self.axis, self.axis_stops, self.axis_source
        self.axis, self.axis_stops, self.axis_source = {}, set(), 0
        if self.pointer_window is None:
            return
        for axis, (value, value120) in sorted(gathered.items()):
            if value or value120:
                self.seat.pointer_axis(axis == 1, value, int(value120), source=source)
        for axis in sorted(stops):
            self.seat.pointer_axis(axis == 1, 0.0, source=source, stop=True)

    # -- touch ----------------------------------------------------------------------------------------------------
    def _touch_down(self, _touch: Any, serial: int, time_ms: int, surface: Any, touch_id: int, x: float,
                    y: float) -> None:
        window = self.backend.window_of_surface(surface)
        self.serial = serial
        if window is not None:
            self.touches[touch_id] = window
            self.seat.touch_down(touch_id, *self._global(window, x, y), time_ms)

    def _touch_motion(self, _touch: Any, time_ms: int, touch_id: int, x: float, y: float) -> None:
        window = self.touches.get(touch_id)
        if window is not None:
            self.seat.touch_motion(touch_id, *self._global(window, x, y), time_ms)

    def _touch_up(self, _touch: Any, _serial: int, time_ms: int, touch_id: int) -> None:
        if self.touches.pop(touch_id, None) is not None:
            self.seat.touch_up(touch_id, time_ms)

    def _touch_frame(self, _touch: Any) -> None:
        self.seat.touch_frame()

    def _touch_cancel(self, _touch: Any) -> None:
        for touch_id in list(self.touches):
            self._touch_up(None, 0, 0, touch_id)
        self.seat.touch_frame()

    # -- the cursor -----------------------------------------------------------------------------------------------
    def cursor_changed(self) -> None:
        if self.pointer is not None and self.pointer_window is not None:
            self.cursor.show(self.pointer, self.enter_serial, self.seat)
            self.backend.flush()

    def close(self) -> None:
        self._release_keys()
        if self._cursor is not None:
            self._cursor.close()
        for proxy in (self.pointer, self.keyboard, self.touch):
            if proxy is not None:
                self._release(proxy, 3)
        self.pointer = self.keyboard = self.touch = None
        self._release(self.proxy, 5)
        if self.keymap is not None:
            self.seat.keyboard_gone(self.keymap)
            self.keymap.close()
            self.keymap = None


class CursorSurface:
    """Orrery's pointer image (a client's cursor surface, a named shape, the default arrow) as the cursor the
    parent draws over our window: copied into a wl_shm buffer only when it changes, not when the pointer moves."""

    def __init__(self, backend: WaylandBackend) -> None:
        self.backend = backend
        self.surface = backend.globals["wl_compositor"].create_surface()
        self.shapes = ShapeCursors(default_cursor())
        self.shown: tuple[Any, ...] | None = None
        self.buffers: list[ShmBuffer] = []  # the one shown and the one before (the parent may still read it)

    def show(self, pointer: Any, serial: int, seat: Seat, force: bool = False) -> None:
        surface = seat.cursor
        key = (serial, id(surface), id(surface.content) if surface is not None else None, seat.cursor_shape,
               seat.cursor_hotspot if surface is not None else None)
        if key == self.shown and not force:
            return
        self.shown = key
        image = pointer_image(seat, self.shapes)
        if image is None:
            pointer.set_cursor(serial, None, 0, 0)  # a client hid it
            return
        pixels = image.image
        width, height = pixels.get_width(), pixels.get_height()
        scale = max(1, width // max(1, image.size[0])) if image.logical else 1
        width, height = width - width % scale, height - height % scale  # whole logical pixels, as the protocol asks
        buffer = ShmBuffer(self.backend.globals["wl_shm"], width, height)
        context = cairo.Context(buffer.surface)
        context.set_operator(cairo.OPERATOR_SOURCE)
        context.set_source_surface(pixels, 0, 0)
        context.paint()
        buffer.surface.flush()
        self.buffers.append(buffer)
        while len(self.buffers) > 2:
            self.buffers.pop(0).destroy()
        hx, hy = image.hotspot
        if not image.logical:
            hx, hy = hx // scale, hy // scale
        self.surface.set_buffer_scale(scale)
        self.surface.attach(buffer.buffer, 0, 0)
        self.surface.damage_buffer(0, 0, width, height)
        self.surface.commit()
        pointer.set_cursor(serial, self.surface, hx, hy)

    def close(self) -> None:
        for buffer in self.buffers:
            buffer.destroy()
        self.buffers = []
        self.surface.destroy()
