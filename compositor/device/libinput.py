"""Input devices through libinput (cffi, ABI mode): keyboards, mice, touchpads, tablets in pointer mode and
touchscreens of the seat, opened through the seat (never by path), as plain event records.

libinput does the device work a user expects: pointer acceleration, touchpad tapping, palm and typing
detection, scroll sources and high-resolution wheels. Devices plugged in or out while running arrive as
``DeviceAdded`` / ``DeviceRemoved`` (libinput watches udev itself).
"""

from __future__ import annotations

import errno
import functools
import os
from dataclasses import dataclass
from typing import Any

from .. import preparsed
from .libseat import Libseat, SeatError
from .udev import Udev
from .udev import ffi as udev_ffi

CDEF = r"""
struct udev; struct libinput; struct libinput_event; struct libinput_device;
struct libinput_event_keyboard; struct libinput_event_pointer; struct libinput_event_touch;
typedef int (*libinput_open_fn)(const char *path, int flags, void *user_data);
typedef void (*libinput_close_fn)(int fd, void *user_data);
struct libinput_interface { libinput_open_fn open_restricted; libinput_close_fn close_restricted; };
struct libinput *libinput_udev_create_context(const struct libinput_interface *interface, void *user_data,
                                              struct udev *udev);
int libinput_udev_assign_seat(struct libinput *libinput, const char *seat_id);
int libinput_get_fd(struct libinput *libinput);
int libinput_dispatch(struct libinput *libinput);
struct libinput_event *libinput_get_event(struct libinput *libinput);
int libinput_suspend(struct libinput *libinput);
int libinput_resume(struct libinput *libinput);
struct libinput *libinput_unref(struct libinput *libinput);
int libinput_event_get_type(struct libinput_event *event);
void libinput_event_destroy(struct libinput_event *event);
struct libinput_device *libinput_event_get_device(struct libinput_event *event);
const char *libinput_device_get_name(struct libinput_device *device);
const char *libinput_device_get_sysname(struct libinput_device *device);
int libinput_device_has_capability(struct libinput_device *device, int capability);
int libinput_device_config_tap_get_finger_count(struct libinput_device *device);
int libinput_device_config_tap_set_enabled(struct libinput_device *device, int enable);
int libinput_device_config_scroll_has_natural_scroll(struct libinput_device *device);
int libinput_device_config_scroll_set_natural_scroll_enabled(struct libinput_device *device, int enable);
int libinput_device_config_dwt_is_available(struct libinput_device *device);
int libinput_device_config_dwt_set_enabled(struct libinput_device *device, int enable);
int libinput_device_config_accel_is_available(struct libinput_device *device);
int libinput_device_config_accel_set_speed(struct libinput_device *device, double speed);
struct libinput_event_keyboard *libinput_event_get_keyboard_event(struct libinput_event *event);
uint32_t libinput_event_keyboard_get_time(struct libinput_event_keyboard *event);
uint32_t libinput_event_keyboard_get_key(struct libinput_event_keyboard *event);
int libinput_event_keyboard_get_key_state(struct libinput_event_keyboard *event);
struct libinput_event_pointer *libinput_event_get_pointer_event(struct libinput_event *event);
uint32_t libinput_event_pointer_get_time(struct libinput_event_pointer *event);
double libinput_event_pointer_get_dx(struct libinput_event_pointer *event);
double libinput_event_pointer_get_dy(struct libinput_event_pointer *event);
double libinput_event_pointer_get_dx_unaccelerated(struct libinput_event_pointer *event);
double libinput_event_pointer_get_dy_unaccelerated(struct libinput_event_pointer *event);
double libinput_event_pointer_get_absolute_x_transformed(struct libinput_event_pointer *event, uint32_t width);
double libinput_event_pointer_get_absolute_y_transformed(struct libinput_event_pointer *event, uint32_t height);
uint32_t libinput_event_pointer_get_button(struct libinput_event_pointer *event);
int libinput_event_pointer_get_button_state(struct libinput_event_pointer *event);
int libinput_event_pointer_has_axis(struct libinput_event_pointer *event, int axis);
double libinput_event_pointer_get_scroll_value(struct libinput_event_pointer *event, int axis);
double libinput_event_pointer_get_scroll_value_v120(struct libinput_event_pointer *event, int axis);
struct libinput_event_touch *libinput_event_get_touch_event(struct libinput_event *event);
uint32_t libinput_event_touch_get_time(struct libinput_event_touch *event);
int32_t libinput_event_touch_get_seat_slot(struct libinput_event_touch *event);
double libinput_event_touch_get_x_transformed(struct libinput_event_touch *event, uint32_t width);
double libinput_event_touch_get_y_transformed(struct libinput_event_touch *event, uint32_t height);
"""
PREPARSED = "compositor.device.libinput_ffi"
ffi = preparsed.ffi(PREPARSED, CDEF)

DEVICE_ADDED, DEVICE_REMOVED = 1, 2
KEYBOARD_KEY = 300
POINTER_MOTION, POINTER_MOTION_ABSOLUTE, POINTER_BUTTON = 400, 401, 402
SCROLL_WHEEL, SCROLL_FINGER, SCROLL_CONTINUOUS = 404, 405, 406
TOUCH_DOWN, TOUCH_UP, TOUCH_MOTION, TOUCH_CANCEL, TOUCH_FRAME = 500, 501, 502, 503, 504
CAP_KEYBOARD, CAP_POINTER, CAP_TOUCH = 0, 1, 2
AXIS_VERTICAL, AXIS_HORIZONTAL = 0, 1
# Absolute coordinates come as a fraction of this many units (libinput scales them for us).
ABSOLUTE_RANGE = 1 << 20


class InputError(RuntimeError):
    pass


@functools.cache
def library() -> Any:
    try:
        return ffi.dlopen("libinput.so.10")
    except OSError as error:
        raise InputError(f"cannot load libinput ({error}): install the Debian package libinput10") from None


@dataclass(frozen=True)
class DeviceSettings:
    """What the configuration may change per device kind (applied when a device appears)."""

    tap: bool = True
    natural_scroll: bool = False
    disable_while_typing: bool = True
    mouse_natural_scroll: bool = False
    accel_speed: float = 0.0  # -1 (slowest) to 1 (fastest)


@dataclass(frozen=True)
class DeviceAdded:
    device: int  # stable for the device's life: its libinput handle's address
    name: str
    keyboard: bool
    pointer: bool
    touch: bool


@dataclass(frozen=True)
class DeviceRemoved:
    device: int
    name: str


@dataclass(frozen=True)
class KeyEvent:
    device: int
    time_ms: int
    code: int  # evdev
    pressed: bool


@dataclass(frozen=True)
class MotionEvent:
    time_ms: int
    dx: float
    dy: float


@dataclass(frozen=True)
class MotionAbsoluteEvent:
    time_ms: int
    x: float  # 0..1 across the device's area
    y: float


@dataclass(frozen=True)
class ButtonEvent:
    time_ms: int
    code: int
    pressed: bool


@dataclass(frozen=True)
class ScrollEvent:
    time_ms: int
    source: int  # wl_pointer.axis_source: 0 wheel, 1 finger, 2 continuous
    horizontal: bool
    value: float  # surface pixels; 0 with finger sources ends the scroll
    value120: int  # wheels: 120 per notch (high-resolution wheels send parts)


@dataclass(frozen=True)
class TouchEvent:
    kind: str  # "down", "motion", "up", "cancel", "frame"
    time_ms: int = 0
    slot: int = 0
    x: float = 0.0  # 0..1 across the touchscreen
    y: float = 0.0


InputEvent = (DeviceAdded | DeviceRemoved | KeyEvent | MotionEvent | MotionAbsoluteEvent | ButtonEvent | ScrollEvent
              | TouchEvent)
_SCROLL_SOURCES = {SCROLL_WHEEL: 0, SCROLL_FINGER: 1, SCROLL_CONTINUOUS: 2}


class Libinput:
    """The seat's input devices; :meth:`read` returns what happened since the last call."""

    def __init__(self, seat: Libseat, udev: Udev, settings: DeviceSettings) -> None:
        self.lib = library()
        self.seat = seat
        self.settings = settings
        self.names: dict[int, str] = {}
        self.devices: dict[int, Any] = {}  # libinput_device pointers, valid until their DEVICE_REMOVED
        self._interface_callbacks = (
            ffi.callback("libinput_open_fn", self._open_restricted),
            ffi.callback("libinput_close_fn", self._close_restricted))
        self._interface = ffi.new("struct libinput_interface *", {
            "open_restricted": self._interface_callbacks[0], "close_restricted": self._interface_callbacks[1]})
        udev_pointer = ffi.cast("struct udev *", int(udev_ffi.cast("uintptr_t", udev.handle)))
        self.handle = self.lib.libinput_udev_create_context(self._interface, ffi.NULL, udev_pointer)
        if self.handle == ffi.NULL:
            raise InputError("libinput_udev_create_context failed")
        if self.lib.libinput_udev_assign_seat(self.handle, seat.name.encode()) != 0:
            raise InputError(f"libinput cannot use seat {seat.name} (is udevd running?)")

    def _open_restricted(self, path: Any, _flags: int, _data: Any) -> int:
        try:
            return self.seat.open_device(ffi.string(path).decode())
        except SeatError:
            return -errno.EACCES

    def _close_restricted(self, fd: int, _data: Any) -> None:
        try:
            self.seat.close_device(fd)
        except OSError:
            pass

    def fileno(self) -> int:
        return int(self.lib.libinput_get_fd(self.handle))

    def suspend(self) -> None:
        """Release every device (the session left its VT)."""
        self.lib.libinput_suspend(self.handle)

    def resume(self) -> None:
        self.lib.libinput_resume(self.handle)

    def read(self) -> list[InputEvent]:
        lib = self.lib
        if lib.libinput_dispatch(self.handle) != 0:
            code = ffi.errno
            if code not in (errno.EAGAIN, errno.EINTR):
                raise InputError(f"libinput: {os.strerror(code)}")
        events: list[InputEvent] = []
        while True:
            raw = lib.libinput_get_event(self.handle)
            if raw == ffi.NULL:
                return events
            try:
                events.extend(self._convert(raw))
            finally:
                lib.libinput_event_destroy(raw)

    def _convert(self, raw: Any) -> list[InputEvent]:
        lib = self.lib
        kind = lib.libinput_event_get_type(raw)
        if kind == KEYBOARD_KEY:
            key = lib.libinput_event_get_keyboard_event(raw)
            device = int(ffi.cast("uintptr_t", lib.libinput_event_get_device(raw)))
            return [KeyEvent(device, lib.libinput_event_keyboard_get_time(key),
                             lib.libinput_event_keyboard_get_key(key),
                             lib.libinput_event_keyboard_get_key_state(key) == 1)]
        if POINTER_MOTION <= kind <= SCROLL_CONTINUOUS:
            return self._pointer(kind, lib.libinput_event_get_pointer_event(raw))
        if TOUCH_DOWN <= kind <= TOUCH_FRAME:
            return [self._touch(kind, lib.libinput_event_get_touch_event(raw))]
        if kind in (DEVICE_ADDED, DEVICE_REMOVED):
            device = lib.libinput_event_get_device(raw)
            handle = int(ffi.cast("uintptr_t", device))
            if kind == DEVICE_REMOVED:
                self.devices.pop(handle, None)
                return [DeviceRemoved(handle, self.names.pop(handle, "?"))]
            name = ffi.string(lib.libinput_device_get_name(device)).decode(errors="replace")
            self.names[handle] = name
            self.devices[handle] = device
            self._configure(device)
            return [DeviceAdded(handle, name, bool(lib.libinput_device_has_capability(device, CAP_KEYBOARD)),
                                bool(lib.libinput_device_has_capability(device, CAP_POINTER)),
                                bool(lib.libinput_device_has_capability(device, CAP_TOUCH)))]
        return []

    def _pointer(self, kind: int, event: Any) -> list[InputEvent]:
        lib = self.lib
        time_ms = lib.libinput_event_pointer_get_time(event)
        if kind == POINTER_MOTION:
            return [MotionEvent(time_ms, lib.libinput_event_pointer_get_dx(event),
                                lib.libinput_event_pointer_get_dy(event))]
        if kind == POINTER_MOTION_ABSOLUTE:
            return [MotionAbsoluteEvent(
                time_ms, lib.libinput_event_pointer_get_absolute_x_transformed(event, ABSOLUTE_RANGE) / ABSOLUTE_RANGE,
                lib.libinput_event_pointer_get_absolute_y_transformed(event, ABSOLUTE_RANGE) / ABSOLUTE_RANGE)]
        if kind == POINTER_BUTTON:
            return [ButtonEvent(time_ms, lib.libinput_event_pointer_get_button(event),
                                lib.libinput_event_pointer_get_button_state(event) == 1)]
        source = _SCROLL_SOURCES.get(kind)
        if source is None:
            return []  # the deprecated POINTER_AXIS duplicates the three scroll events
        scrolls: list[InputEvent] = []
        for axis in (AXIS_VERTICAL, AXIS_HORIZONTAL):
            if lib.libinput_event_pointer_has_axis(event, axis):
                value120 = lib.libinput_event_pointer_get_scroll_value_v120(event, axis) if kind == SCROLL_WHEEL else 0
                scrolls.append(ScrollEvent(time_ms, source, axis == AXIS_HORIZONTAL,
                                           lib.libinput_event_pointer_get_scroll_value(event, axis), round(value120)))
        return scrolls

    def _touch(self, kind: int, event: Any) -> TouchEvent:
        lib = self.lib
        if kind == TOUCH_FRAME:
            return TouchEvent("frame")
        time_ms = lib.libinput_event_touch_get_time(event)
        if kind == TOUCH_CANCEL:
            return TouchEvent("cancel", time_ms)
        slot = lib.libinput_event_touch_get_seat_slot(event)
        if kind == TOUCH_UP:
            return TouchEvent("up", time_ms, slot)
        return TouchEvent("down" if kind == TOUCH_DOWN else "motion", time_ms, slot,
                          lib.libinput_event_touch_get_x_transformed(event, ABSOLUTE_RANGE) / ABSOLUTE_RANGE,
                          lib.libinput_event_touch_get_y_transformed(event, ABSOLUTE_RANGE) / ABSOLUTE_RANGE)

    def reconfigure(self, settings: DeviceSettings) -> None:
        """New preferences (orrery.toml was saved): every device present takes them at once."""
        self.settings = settings
        for device in self.devices.values():
            self._configure(device)

    def _configure(self, device: Any) -> None:
        """The user's preferences; a setting a device does not have is skipped."""
        lib, settings = self.lib, self.settings
        touchpad = lib.libinput_device_config_tap_get_finger_count(device) > 0
        if touchpad:
            lib.libinput_device_config_tap_set_enabled(device, int(settings.tap))
            if lib.libinput_device_config_dwt_is_available(device):
                lib.libinput_device_config_dwt_set_enabled(device, int(settings.disable_while_typing))
        if lib.libinput_device_config_scroll_has_natural_scroll(device):
            natural = settings.natural_scroll if touchpad else settings.mouse_natural_scroll
            lib.libinput_device_config_scroll_set_natural_scroll_enabled(device, int(natural))
        if lib.libinput_device_config_accel_is_available(device):
            lib.libinput_device_config_accel_set_speed(device, max(-1.0, min(1.0, settings.accel_speed)))

    def close(self) -> None:
        if self.handle != ffi.NULL:
            self.lib.libinput_unref(self.handle)
            self.handle = ffi.NULL
