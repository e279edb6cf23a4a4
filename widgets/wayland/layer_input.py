"""Seat input of a :class:`~widgets.wayland.layer.LayerHost`: pointer, keyboard and touch events routed to
the layer surface they are for (a popup's to the layer surface that opened it, in its coordinates), with key
repeat."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pywayland.protocol.wayland import WlSeat

from ..core.event import (
    Event,
    FocusChanged,
    KeyPressed,
    KeyReleased,
    PointerLeft,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Scrolled,
)
from ..core.geometry import Point
from .input import BUTTONS, Keyboard
from .touch import Touch

if TYPE_CHECKING:
    from .layer import LayerContext, LayerSurface


class LayerInput:
    """Mixed into LayerHost, which owns these attributes."""

    globals: dict[str, Any]
    surfaces: dict[Any, LayerSurface]
    context: LayerContext
    keyboard: Keyboard
    loop: asyncio.AbstractEventLoop
    pointer_focus: LayerSurface | None
    pointer_surface: Any
    keyboard_focus: LayerSurface | None
    position: Point
    repeat: asyncio.TimerHandle | None

    def _capabilities(self, seat: Any, caps: int) -> None:
        if caps & WlSeat.capability.pointer.value and "pointer" not in self.globals:
            pointer = self.globals["pointer"] = seat.get_pointer()
            pointer.dispatcher["enter"] = self._pointer_enter
            pointer.dispatcher["leave"] = self._pointer_leave
            pointer.dispatcher["motion"] = self._motion
            pointer.dispatcher["button"] = self._button
            pointer.dispatcher["axis"] = self._axis
        if caps & WlSeat.capability.keyboard.value and "keyboard" not in self.globals:
            keyboard = self.globals["keyboard"] = seat.get_keyboard()
            keyboard.dispatcher["keymap"] = lambda _k, _fmt, fd, size: self.keyboard.keymap(fd, size)
            keyboard.dispatcher["enter"] = self._keyboard_enter
            keyboard.dispatcher["leave"] = self._keyboard_leave
            keyboard.dispatcher["key"] = self._key
            keyboard.dispatcher["modifiers"] = lambda _k, _s, d, la, lo, g: self.keyboard.modifiers(d, la, lo, g)
            keyboard.dispatcher["repeat_info"] = self._repeat_info
        if caps & WlSeat.capability.touch.value and "touch" not in self.globals:
            self.globals["touch"] = Touch(seat, self._touch, self._touch_serial)

    def _target(self, surface: Any) -> LayerSurface | None:
        """The layer surface that ``surface`` is, or whose open popup it is."""
        found = self.surfaces.get(surface)
        if found is None:
            found = next((s for s in self.surfaces.values() if s.popups is not None and s.popups.owns(surface)), None)
        return found

    def _origin(self, target: LayerSurface | None, surface: Any) -> Point:
        """Where ``surface``'s (0, 0) is in ``target``'s coordinates (a popup's corner, else the origin)."""
        return target.popups.origin(surface) if target is not None and target.popups is not None else Point(0, 0)

    def _touch(self, surface: Any, event: Event) -> None:
        target = self._target(surface)
        if target is None:
            return
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased):
            origin = self._origin(target, surface)
            event = replace(event, position=Point(event.position.x + origin.x, event.position.y + origin.y))
        target.event(event)

    def _touch_serial(self, serial: int) -> None:
        self.context.input_serial = serial

    def _pointer_enter(self, _pointer: Any, serial: int, surface: Any, x: float, y: float) -> None:
        self.context.input_serial = serial
        self.pointer_focus, self.pointer_surface = self._target(surface), surface
        self._motion(None, 0, x, y)

    def _pointer_leave(self, *_args: Any) -> None:
        target, self.pointer_focus, self.pointer_surface = self.pointer_focus, None, None
        if target is not None:
            target.event(PointerLeft())

    def _motion(self, _pointer: Any, _time: int, x: float, y: float) -> None:
        origin = self._origin(self.pointer_focus, self.pointer_surface)
        self.position = Point(x + origin.x, y + origin.y)
        if self.pointer_focus is not None:
            self.pointer_focus.event(PointerMoved(self.position))

    def _button(self, _pointer: Any, serial: int, _time: int, button: int, state: int) -> None:
        self.context.input_serial = serial
        code = BUTTONS.get(button, 0)
        if self.pointer_focus is not None:
            self.pointer_focus.event(PointerPressed(self.position, code) if state
                                     else PointerReleased(self.position, code))

    def _axis(self, _pointer: Any, _time: int, axis: int, value: float) -> None:
        if self.pointer_focus is not None:
            dx, dy = (0.0, value * 2) if axis == 0 else (value * 2, 0.0)
            self.pointer_focus.event(Scrolled(self.position, dx, dy))

    def _keyboard_enter(self, _keyboard: Any, serial: int, surface: Any, _keys: Any) -> None:
        self.context.input_serial = serial
        self.keyboard_focus = self._target(surface)  # a menu's popup grab gives it the keyboard
        if self.keyboard_focus is not None:
            self.keyboard_focus.event(FocusChanged(True))

    def _keyboard_leave(self, *_args: Any) -> None:
        self._stop_repeat()
        target, self.keyboard_focus = self.keyboard_focus, None
        if target is not None:
            target.event(FocusChanged(False))

    def _repeat_info(self, _keyboard: Any, rate: int, delay: int) -> None:
        self.keyboard.repeat_rate, self.keyboard.repeat_delay = rate, delay

    def _key(self, _keyboard: Any, serial: int, _time: int, key: int, state: int) -> None:
        self.context.input_serial = serial
        name, text, mods = self.keyboard.translate(key)
        self._stop_repeat()
        target = self.keyboard_focus
        if target is None:
            return
        if state:
            event = KeyPressed(name, text, mods)
            target.event(event)
            if self.keyboard.repeat_rate > 0 and not name.startswith(("Shift", "Control", "Alt", "Super")):
                self.repeat = self.loop.call_later(self.keyboard.repeat_delay / 1000, self._repeat, event)
        else:
            target.event(KeyReleased(name, mods))

    def _repeat(self, event: KeyPressed) -> None:
        if self.keyboard_focus is not None:
            self.keyboard_focus.event(event)
            self.repeat = self.loop.call_later(1 / self.keyboard.repeat_rate, self._repeat, event)

    def _stop_repeat(self) -> None:
        if self.repeat is not None:
            self.repeat.cancel()
            self.repeat = None
