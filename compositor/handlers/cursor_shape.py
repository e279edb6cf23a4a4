"""wp_cursor_shape_manager_v1: a client names its pointer's shape ("text", "pointer", …) instead of drawing a
cursor surface; the backend shows that shape from the XCursor theme (:class:`themes.xcursor.ShapeCursors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.cursor_shape_v1 import WpCursorShapeDeviceV1, WpCursorShapeManagerV1

from ..seat import Seat
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 2
# wp_cursor_shape_device_v1.shape values → CSS cursor names ("context_menu" → "context-menu")
SHAPES = {member.value: member.name.replace("_", "-") for member in WpCursorShapeDeviceV1.shape}


class ShapeDevice:
    def __init__(self, seat: Seat, pointer: Resource | None) -> None:
        self.seat, self.pointer = seat, pointer  # None: a tablet tool's device (we offer no tablets)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def set_shape(self, res: Resource, serial: int, shape: int) -> None:
        name = SHAPES.get(shape)
        if name is None or (shape > 34 and res.version < 2):
            raise ProtocolError(WpCursorShapeDeviceV1.error.invalid_shape, f"invalid shape {shape}")
        if self.pointer is not None and self.pointer.alive:
            self.seat.set_cursor_shape(res.client, name)


class ShapeManager:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def get_pointer(self, res: Resource, new: Resource, pointer: Resource) -> None:
        new.impl = ShapeDevice(self.seat, pointer)

    def get_tablet_tool_v2(self, res: Resource, new: Resource, tool: Resource) -> None:
        new.impl = ShapeDevice(self.seat, None)


def register(compositor: Compositor) -> None:
    manager = ShapeManager(compositor.seat)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(WpCursorShapeManagerV1, VERSION, bind)
