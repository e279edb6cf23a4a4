"""wl_seat (version 8) with wl_pointer, wl_keyboard and wl_touch; delivery logic lives in compositor.seat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlPointer, WlSeat

from ..seat import Seat
from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 8
CAPABILITIES = WlSeat.capability.pointer | WlSeat.capability.keyboard | WlSeat.capability.touch


class CursorRole:
    """A surface shown as the pointer image; the pointer position is its hotspot."""

    name = "cursor"
    window = None

    def __init__(self, seat: Seat, surface: Surface) -> None:
        self.seat = seat
        self.surface = surface

    def origin(self) -> tuple[int, int] | None:
        return None  # drawn by the backend on top of everything, not part of the scene

    def parent_surface(self) -> Surface | None:
        return None

    def synchronized(self) -> bool:
        return False

    def committed(self) -> None:
        self.seat.cursor_committed(self.surface)

    def surface_destroyed(self) -> None:
        pass


class PointerHandler:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat

    def set_cursor(self, res: Resource, serial: int, surface_res: Resource | None, hx: int, hy: int) -> None:
        surface: Surface | None = None
        if surface_res is not None:
            surface = surface_res.impl.surface
            assert surface is not None
            if surface.role_name not in (None, CursorRole.name):
                raise ProtocolError(WlPointer.error.role, "surface already has another role")
            if surface.role is None:
                surface.set_role(CursorRole.name, CursorRole(self.seat, surface), res, WlPointer.error.role)
        self.seat.set_cursor(res, serial, surface, hx, hy)


class SeatHandler:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat
        self.pointer = PointerHandler(seat)

    def get_pointer(self, res: Resource, new: Resource) -> None:
        new.impl = self.pointer
        self.seat.pointer_bound(new)

    def get_keyboard(self, res: Resource, new: Resource) -> None:
        new.impl = self
        self.seat.keyboard_bound(new)

    def get_touch(self, res: Resource, new: Resource) -> None:
        new.impl = self
        self.seat.touch_bound(new)


def register(compositor: Compositor) -> None:
    handler = SeatHandler(compositor.seat)

    def bind(res: Resource) -> None:
        res.impl = handler
        res.post("capabilities", CAPABILITIES)
        res.post("name", compositor.seat.name)

    compositor.display.add_global(WlSeat, VERSION, bind)
