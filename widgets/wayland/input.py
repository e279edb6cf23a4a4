"""The seat of a :class:`~.host.Host`: pointer, keyboard and touch events translated to toolkit events and
delivered to the surface they are for (a popup's to the surface that opened it, in that surface's coordinates).

Keys repeat as the keymap says (``xkb_keymap_key_repeats``: modifiers do not), at the compositor's rate and delay.
"""

from __future__ import annotations

import asyncio
import math
import mmap
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pywayland.protocol.wayland import WlSeat
from xkbcommon import xkb

from ..core.event import (
    Event,
    FocusChanged,
    KeyPressed,
    KeyReleased,
    Modifiers,
    PointerLeft,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Scrolled,
)
from ..core.geometry import Point
from .touch import Touch

if TYPE_CHECKING:
    from .host import Host
    from .surface import HostedSurface

EVDEV_OFFSET = 8
BUTTONS = {0x110: 1, 0x112: 2, 0x111: 3}


class HostKeyboard:
    """The compositor's xkb keymap and modifier state, as this client receives them on its wl_keyboard."""

    def __init__(self) -> None:
        self.context = xkb.Context()
        self.keymap: Any = None
        self.state: Any = None
        self.repeat_rate, self.repeat_delay = 25, 600

    def load(self, fd: int, size: int) -> None:
        with mmap.mmap(fd, size, prot=mmap.PROT_READ) as data:
            text = bytes(data).rstrip(b"\0")
        self.keymap = self.context.keymap_new_from_buffer(text)
        self.state = self.keymap.state_new()

    def modifiers(self, depressed: int, latched: int, locked: int, group: int) -> None:
        if self.state is not None:
            self.state.update_mask(depressed, latched, locked, 0, 0, group)

    def translate(self, key: int) -> tuple[str, str, Modifiers]:
        if self.state is None:
            return "", "", Modifiers()
        code = key + EVDEV_OFFSET
        name = xkb.keysym_get_name(self.state.key_get_one_sym(code))
        text = self.state.key_get_string(code)
        return name, text, self.current_modifiers()

    def repeats(self, key: int) -> bool:
        return self.keymap is not None and self.repeat_rate > 0 and bool(self.keymap.key_repeats(key + EVDEV_OFFSET))

    def current_modifiers(self) -> Modifiers:
        def active(mod: str) -> bool:
            try:
                return bool(self.state.mod_name_is_active(mod, xkb.XKB_STATE_MODS_EFFECTIVE))
            except Exception:  # noqa: BLE001 - a keymap without that modifier
                return False
        return Modifiers(shift=active("Shift"), ctrl=active("Control"), alt=active("Mod1"), logo=active("Mod4"))


class HostSeat:
    """The client side of a :class:`~.host.Host`'s wl_seat: its pointer, keyboard and touch."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.proxy: Any = None
        self.version = 0
        self.pointer: Any = None
        self.wl_keyboard: Any = None
        self.touch: Touch | None = None
        self.keyboard = HostKeyboard()
        self.serial = 0
        """The serial of the last input event."""
        self.pointer_serial = 0  # of the pointer's enter, for set_cursor
        self.pointer_focus: HostedSurface | None = None
        self.pointer_surface: Any = None  # the wl_surface under the pointer: a toolkit surface or its popup
        self.position = Point(0, 0)
        self.keyboard_focus: HostedSurface | None = None
        self.repeat: asyncio.TimerHandle | None = None

    def attach(self, proxy: Any, version: int) -> None:
        self.proxy, self.version = proxy, version
        proxy.dispatcher["capabilities"] = self._capabilities

    def detach(self) -> None:
        """The seat's global went away: let its devices go."""
        self._stop_repeat()
        for device in (self.pointer, self.wl_keyboard, self.touch.proxy if self.touch else None):
            if device is not None and self.version >= 3:
                device.release()
            elif device is not None:
                device.destroy()
        if self.proxy is not None and self.version >= 5:
            self.proxy.release()
        elif self.proxy is not None:
            self.proxy.destroy()
        self.proxy = self.pointer = self.wl_keyboard = self.touch = None
        self.pointer_focus = self.keyboard_focus = self.pointer_surface = None

    def forget(self, surface: HostedSurface) -> None:
        """``surface`` is gone: no more input for it."""
        if self.pointer_focus is surface:
            self.pointer_focus = self.pointer_surface = None
        if self.keyboard_focus is surface:
            self._stop_repeat()
            self.keyboard_focus = None

    def _capabilities(self, seat: Any, caps: int) -> None:
        if caps & WlSeat.capability.pointer.value and self.pointer is None:
            pointer = self.pointer = seat.get_pointer()
            pointer.dispatcher["enter"] = self._pointer_enter
            pointer.dispatcher["leave"] = self._pointer_leave
            pointer.dispatcher["motion"] = self._motion
            pointer.dispatcher["button"] = self._button
            pointer.dispatcher["axis"] = self._axis
        if caps & WlSeat.capability.keyboard.value and self.wl_keyboard is None:
            keyboard = self.wl_keyboard = seat.get_keyboard()
            keyboard.dispatcher["keymap"] = lambda _k, _fmt, fd, size: self.keyboard.load(fd, size)
            keyboard.dispatcher["enter"] = self._keyboard_enter
            keyboard.dispatcher["leave"] = self._keyboard_leave
            keyboard.dispatcher["key"] = self._key
            keyboard.dispatcher["modifiers"] = self._modifiers
            keyboard.dispatcher["repeat_info"] = self._repeat_info
        if caps & WlSeat.capability.touch.value and self.touch is None:
            self.touch = Touch(seat, self._touch, self._touch_serial)

    def _origin(self, target: HostedSurface | None, surface: Any) -> Point:
        """Where ``surface``'s (0, 0) is in ``target``'s coordinates (a popup's corner, else the origin)."""
        return target.popups.origin(surface) if target is not None and target.popups is not None else Point(0, 0)

    def show_cursor(self, target: HostedSurface) -> None:
        """The cursor shape ``target``'s widgets ask for, if the pointer is over it."""
        if target is self.pointer_focus and self.pointer is not None:
            self.host.cursor.show(self.pointer, self.pointer_serial, target.runtime.cursor_shape,
                                  math.ceil(target.buffer_scale()))

    # -- touch ---------------------------------------------------------------------------------------------
    def _touch(self, surface: Any, event: Event) -> None:
        target = self.host.target(surface)
        if target is None:
            return
        if isinstance(event, PointerPressed):
            self._dismiss_popups_besides(target)
        if isinstance(event, PointerMoved | PointerPressed | PointerReleased):
            origin = self._origin(target, surface)
            event = replace(event, position=Point(event.position.x + origin.x, event.position.y + origin.y))
        target.event(event)

    def _touch_serial(self, serial: int) -> None:
        self.serial = serial

    # -- pointer -------------------------------------------------------------------------------------------
    def _pointer_enter(self, _pointer: Any, serial: int, surface: Any, x: float, y: float) -> None:
        self.serial = self.pointer_serial = serial
        self.pointer_focus, self.pointer_surface = self.host.target(surface), surface
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
        self.serial = serial
        code = BUTTONS.get(button, 0)
        if state:
            self._dismiss_popups_besides(self.pointer_focus)
        if self.pointer_focus is not None:
            self.pointer_focus.event(PointerPressed(self.position, code) if state
                                     else PointerReleased(self.position, code))

    def _dismiss_popups_besides(self, target: HostedSurface | None) -> None:
        """A press on one of our surfaces closes the menus other surfaces of ours have open: the compositor ends a
        popup's grab on a press in another client only, and a menu should close on a press anywhere else (the panel's
        session menu, when the desktop's background is a surface of the same process)."""
        for other in list(self.host.hosted):
            if other is not target and other.popups is not None and other.popups.popup is not None:
                other.close_popup()
                other.after_update()

    def _axis(self, _pointer: Any, _time: int, axis: int, value: float) -> None:
        if self.pointer_focus is not None:
            dx, dy = (0.0, value * 2) if axis == 0 else (value * 2, 0.0)
            self.pointer_focus.event(Scrolled(self.position, dx, dy))

    # -- keyboard ------------------------------------------------------------------------------------------
    def _keyboard_enter(self, _keyboard: Any, serial: int, surface: Any, _keys: Any) -> None:
        self.serial = serial
        self.keyboard_focus = self.host.target(surface)  # a menu's popup grab gives it the keyboard
        if self.keyboard_focus is not None:
            self.keyboard_focus.event(FocusChanged(True))

    def _keyboard_leave(self, *_args: Any) -> None:
        self._stop_repeat()
        target, self.keyboard_focus = self.keyboard_focus, None
        if target is not None:
            target.event(FocusChanged(False))

    def _modifiers(self, _keyboard: Any, _serial: int, depressed: int, latched: int, locked: int,
                   group: int) -> None:
        self.keyboard.modifiers(depressed, latched, locked, group)
        if self.keyboard_focus is not None:
            self.keyboard_focus.modifiers_changed(self.keyboard.current_modifiers())

    def _repeat_info(self, _keyboard: Any, rate: int, delay: int) -> None:
        self.keyboard.repeat_rate, self.keyboard.repeat_delay = rate, delay

    def _key(self, _keyboard: Any, serial: int, _time: int, key: int, state: int) -> None:
        self.serial = serial
        name, text, mods = self.keyboard.translate(key)
        self._stop_repeat()
        target = self.keyboard_focus
        if target is None:
            return
        if state:
            event = KeyPressed(name, text, mods)
            target.event(event)
            if self.keyboard.repeats(key):
                self.repeat = self.host.loop.call_later(self.keyboard.repeat_delay / 1000, self._repeat, event)
        else:
            target.event(KeyReleased(name, mods))

    def _repeat(self, event: KeyPressed) -> None:
        if self.keyboard_focus is not None:
            self.keyboard_focus.event(event)
            self.repeat = self.host.loop.call_later(1 / self.keyboard.repeat_rate, self._repeat, event)

    def _stop_repeat(self) -> None:
        if self.repeat is not None:
            self.repeat.cancel()
            self.repeat = None
