"""libinput's events as seat input: keys, relative and absolute pointer motion, buttons, scrolling, touch.

Absolute devices (a tablet in pointer mode, a VM's tablet) span the whole output layout; touchscreens map to
the first output. Keys a device held when it went away are released, so nothing stays stuck down; the keymap
belongs to the seat, so a keyboard plugged back in types with the same layout.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..device.libinput import (
    ButtonEvent,
    DeviceAdded,
    DeviceRemoved,
    DeviceSettings,
    InputEvent,
    KeyEvent,
    Libinput,
    MotionAbsoluteEvent,
    MotionEvent,
    ScrollEvent,
    TouchEvent,
)

if TYPE_CHECKING:
    from ..device.libseat import Libseat
    from ..device.udev import Udev
    from ..server import Compositor

log = logging.getLogger(__name__)
WHEEL = 0


class InputDevices:
    def __init__(self, compositor: Compositor, seat: Libseat, udev: Udev, settings: DeviceSettings) -> None:
        self.compositor = compositor
        self.libinput = Libinput(seat, udev, settings)
        self.held: dict[int, set[int]] = {}  # device -> keys it holds down

    def fileno(self) -> int:
        return self.libinput.fileno()

    def dispatch(self) -> None:
        try:
            events = self.libinput.read()
        except RuntimeError as error:
            log.error("%s", error)
            return
        with self.compositor.display.batch():
            for event in events:
                self.handle(event)

    def handle(self, event: InputEvent) -> None:
        seat = self.compositor.seat
        if isinstance(event, KeyEvent):
            down = self.held.setdefault(event.device, set())
            if event.pressed:
                down.add(event.code)
            else:
                down.discard(event.code)
            seat.key(event.code, event.pressed, event.time_ms)
        elif isinstance(event, MotionEvent):
            seat.pointer_motion_relative(event.dx, event.dy, event.time_ms)
        elif isinstance(event, MotionAbsoluteEvent):
            bounds = self.compositor.scene.layout_bounds()
            seat.pointer_motion(bounds.x + event.x * bounds.width, bounds.y + event.y * bounds.height, event.time_ms)
        elif isinstance(event, ButtonEvent):
            seat.pointer_button(event.code, event.pressed, event.time_ms)
        elif isinstance(event, ScrollEvent):
            seat.pointer_axis(event.horizontal, event.value, event.value120, event.time_ms, event.source,
                              stop=event.source != WHEEL and event.value == 0)
        elif isinstance(event, TouchEvent):
            self._touch(event)
        elif isinstance(event, DeviceAdded):
            log.info("input device added: %s", event.name)
        elif isinstance(event, DeviceRemoved):
            log.info("input device removed: %s", event.name)
            for code in sorted(self.held.pop(event.device, set())):
                seat.key(code, False)

    def _touch(self, event: TouchEvent) -> None:
        seat = self.compositor.seat
        outputs = self.compositor.scene.outputs
        if event.kind == "frame":
            seat.touch_frame()
        elif event.kind == "up":
            seat.touch_up(event.slot, event.time_ms)
        elif event.kind == "cancel":
            for slot in list(seat.touch_points):
                seat.touch_up(slot, event.time_ms)
            seat.touch_frame()
        elif outputs:
            area = outputs[0].rect
            x, y = area.x + event.x * area.width, area.y + event.y * area.height
            if event.kind == "down":
                seat.touch_down(event.slot, x, y, event.time_ms)
            else:
                seat.touch_motion(event.slot, x, y, event.time_ms)

    def suspend(self) -> None:
        """Our VT was left: devices are released, and keys held now count as released."""
        self.libinput.suspend()
        seat = self.compositor.seat
        for device in list(self.held):
            for code in sorted(self.held.pop(device)):
                seat.key(code, False)

    def resume(self) -> None:
        self.libinput.resume()

    def reconfigure(self, settings: DeviceSettings) -> None:
        self.libinput.reconfigure(settings)

    def close(self) -> None:
        self.libinput.close()
