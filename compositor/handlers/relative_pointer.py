"""zwp_relative_pointer_manager_v1 (version 1): pointer deltas for games and 3D views.

Motion a device reports as a delta (``Seat.pointer_motion_relative``: the virtual pointer's ``motion``,
``orrery msg pointer move-by``) reaches the relative pointers of the client with pointer focus, unaccelerated
and accelerated alike (we do no acceleration), also while a pointer lock keeps the pointer still. The
events are part of the wl_pointer frame the seat sends.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pywayland.protocol.relative_pointer_unstable_v1 import ZwpRelativePointerManagerV1

from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1


class RelativePointers:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.resources: list[Resource] = []
        compositor.seat.relative_listeners.append(self.motion)

    # -- zwp_relative_pointer_manager_v1 --------------------------------------------------------------
    def get_relative_pointer(self, res: Resource, new: Resource, pointer: Resource) -> None:
        new.impl = self
        self.resources.append(new)
        new.destroy_listeners.append(self.resources.remove)

    # -- from the seat ---------------------------------------------------------------------------------
    def motion(self, dx: float, dy: float, time_ms: int) -> bool:
        focus = self.compositor.seat.pointer_focus
        if focus is None or not focus.alive:
            return False
        usec = time.monotonic_ns() // 1000
        sent = False
        for res in self.resources:
            if res.client is focus.resource.client:
                res.post("relative_motion", (usec >> 32) & 0xFFFFFFFF, usec & 0xFFFFFFFF, dx, dy, dx, dy)
                sent = True
        return sent


def register(compositor: Compositor) -> RelativePointers:
    pointers = RelativePointers(compositor)

    def bind(res: Resource) -> None:
        res.impl = pointers

    compositor.display.add_global(ZwpRelativePointerManagerV1, VERSION, bind)
    return pointers
