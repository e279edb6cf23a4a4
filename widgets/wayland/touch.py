"""wl_touch for the toolkit: the first finger acts as a pointer, other fingers are ignored until it lifts.

A touch down is a move to the point and a press, motion a move, up a release then a leave (a finger does
not hover, so nothing stays highlighted), cancel a leave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.event import Event, PointerLeft, PointerMoved, PointerPressed, PointerReleased
from ..core.geometry import Point

# deliver(surface the finger went down on, event in that surface's coordinates); serial(serial of the down)
Deliver = Callable[[Any, Event], None]


class Touch:
    def __init__(self, seat: Any, deliver: Deliver, serial: Callable[[int], None]) -> None:
        self.deliver, self.serial = deliver, serial
        self.id: int | None = None
        self.surface: Any = None
        self.position = Point(0, 0)
        self.proxy = seat.get_touch()
        self.proxy.dispatcher["down"] = self._down
        self.proxy.dispatcher["motion"] = self._motion
        self.proxy.dispatcher["up"] = self._up
        self.proxy.dispatcher["cancel"] = self._cancel

    def _down(self, _touch: Any, serial: int, _time: int, surface: Any, touch_id: int, x: float, y: float) -> None:
        if self.id is not None or surface is None:
            return
        self.id, self.surface, self.position = touch_id, surface, Point(x, y)
        self.serial(serial)
        self.deliver(surface, PointerMoved(self.position))
        self.deliver(surface, PointerPressed(self.position))

    def _motion(self, _touch: Any, _time: int, touch_id: int, x: float, y: float) -> None:
        if touch_id == self.id:
            self.position = Point(x, y)
            self.deliver(self.surface, PointerMoved(self.position))

    def _up(self, _touch: Any, serial: int, _time: int, touch_id: int) -> None:
        if touch_id != self.id:
            return
        surface, self.id, self.surface = self.surface, None, None
        self.serial(serial)
        self.deliver(surface, PointerReleased(self.position))
        self.deliver(surface, PointerLeft())

    def _cancel(self, _touch: Any) -> None:
        if self.id is not None:
            surface, self.id, self.surface = self.surface, None, None
            self.deliver(surface, PointerLeft())
