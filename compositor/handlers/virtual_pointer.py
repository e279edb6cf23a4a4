"""zwlr_virtual_pointer_manager_v1 (version 2): pointers driven by clients.

Motion, buttons and scrolling go through the seat like a real pointer's, when the client ends them with
``frame`` (events that belong together arrive together, and nothing arrives without a frame). Absolute motion
spans the whole layout, or the output given to create_virtual_pointer_with_output. Who may create one is up
to compositor/access.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlPointer

from protocols.wlr_virtual_pointer_unstable_v1 import (
    ZwlrVirtualPointerManagerV1,
    ZwlrVirtualPointerV1,
)

from ..geometry import Box
from ..scene import Output
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 2
AXES = (WlPointer.axis.vertical_scroll, WlPointer.axis.horizontal_scroll)
SOURCES = (WlPointer.axis_source.wheel, WlPointer.axis_source.finger, WlPointer.axis_source.continuous,
           WlPointer.axis_source.wheel_tilt)


@dataclass
class PendingAxis:
    """Scrolling along one axis since the last frame."""

    time: int
    value: float = 0.0
    discrete: int = 0
    stop: bool = False


class VirtualPointer:
    """One client's zwlr_virtual_pointer_v1.

    Motion and buttons wait, in order, for ``frame``; axis requests are added up until then (the source and
    discrete steps arrive separately from the value).
    """

    def __init__(self, compositor: Compositor, output: Output | None) -> None:
        self.compositor = compositor
        self.output = output
        self.source = int(WlPointer.axis_source.wheel)
        self.axes: dict[int, PendingAxis] = {}
        self.queued: list[Callable[[], None]] = []  # motion and buttons since the last frame

    def _area(self) -> Box:
        scene = self.compositor.scene
        if self.output is not None and self.output in scene.outputs:
            return self.output.rect
        return scene.layout_bounds()

    def motion(self, res: Resource, time: int, dx: float, dy: float) -> None:
        self.queued.append(lambda: self.compositor.seat.pointer_motion_relative(dx, dy, time))

    def motion_absolute(self, res: Resource, time: int, x: int, y: int, x_extent: int, y_extent: int) -> None:
        if x_extent == 0 or y_extent == 0:
            return

        def move() -> None:  # over the area as it is at the frame
            area = self._area()
            self.compositor.seat.pointer_motion(area.x + x * area.width / x_extent,
                                                area.y + y * area.height / y_extent, time)
        self.queued.append(move)

    def button(self, res: Resource, time: int, button: int, state: int) -> None:
        pressed = state == WlPointer.button_state.pressed
        self.queued.append(lambda: self.compositor.seat.pointer_button(button, pressed, time))

    def axis(self, res: Resource, time: int, axis: int, value: float) -> None:
        self._pending(axis, time).value += value

    def axis_discrete(self, res: Resource, time: int, axis: int, value: float, discrete: int) -> None:
        pending = self._pending(axis, time)
        pending.value += value
        pending.discrete += discrete

    def axis_stop(self, res: Resource, time: int, axis: int) -> None:
        self._pending(axis, time).stop = True

    def axis_source(self, res: Resource, axis_source: int) -> None:
        if axis_source not in SOURCES:
            raise ProtocolError(ZwlrVirtualPointerV1.error.invalid_axis_source,
                                f"invalid axis source {axis_source}")
        self.source = axis_source

    def _pending(self, axis: int, time: int) -> PendingAxis:
        if axis not in AXES:
            raise ProtocolError(ZwlrVirtualPointerV1.error.invalid_axis, f"invalid axis {axis}")
        pending = self.axes.setdefault(axis, PendingAxis(time))
        pending.time = time
        return pending

    def frame(self, res: Resource) -> None:
        queued, self.queued = self.queued, []
        for event in queued:
            event()
        axes, self.axes = self.axes, {}
        seat = self.compositor.seat
        for axis, pending in sorted(axes.items()):
            horizontal = axis == WlPointer.axis.horizontal_scroll
            if pending.value or pending.discrete or not pending.stop:
                seat.pointer_axis(horizontal, pending.value, pending.discrete * 120, pending.time, self.source)
            if pending.stop:
                seat.pointer_axis(horizontal, 0.0, 0, pending.time, self.source, stop=True)


class VirtualPointerManager:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor

    def create_virtual_pointer(self, res: Resource, seat_res: Resource | None, new: Resource) -> None:
        new.impl = VirtualPointer(self.compositor, None)

    def create_virtual_pointer_with_output(self, res: Resource, seat_res: Resource | None,
                                           output_res: Resource | None, new: Resource) -> None:
        output: Output | None = output_res.impl.output if output_res is not None and output_res.alive else None
        new.impl = VirtualPointer(self.compositor, output)


def register(compositor: Compositor) -> None:
    manager = VirtualPointerManager(compositor)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZwlrVirtualPointerManagerV1, VERSION, bind)
