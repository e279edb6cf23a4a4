"""Pointer cursors: named shapes with wp_cursor_shape_v1 where the compositor has it (Orrery, sway, KWin,
Mutter), else images from the XCursor theme set as a cursor surface (weston 10, any compositor): the client
loads them itself with the compositor's own loader (:mod:`themes.xcursor`: ``$XCURSOR_THEME``, else ``default``,
following ``Inherits=``, in ``$XCURSOR_PATH`` or the usual icon directories).
"""

from __future__ import annotations

from typing import Any

from pywayland.protocol.cursor_shape_v1 import WpCursorShapeDeviceV1, WpCursorShapeManagerV1

from themes.xcursor import SHAPE_NAMES, CursorImage, load

from .buffers import ShmBuffer

SHAPE_GLOBALS: dict[str, tuple[type, int]] = {"wp_cursor_shape_manager_v1": (WpCursorShapeManagerV1, 1)}

# The toolkit's shape names are CSS names (wp_cursor_shape_v1), as the XCursor loader takes them.


class PointerCursor:
    """The window's cursor surface: shows the runtime's cursor shape, loaded once per shape and scale."""

    def __init__(self, compositor: Any, shm: Any, size: int = 24, shapes: Any = None) -> None:
        """``shapes``: the wp_cursor_shape_manager_v1, if the compositor has one."""
        self.surface = compositor.create_surface()
        self.shm, self.size, self.shapes = shm, size, shapes
        self.loaded: dict[tuple[str, int], tuple[ShmBuffer, CursorImage] | None] = {}
        self.shown: tuple[str, int, int] | None = None
        self.device: Any = None
        self.device_pointer: Any = None

    def show(self, pointer: Any, serial: int, name: str, scale: int) -> None:
        if self.shown == (name, scale, serial):
            return
        if self.shapes is not None:
            if self.device_pointer is not pointer:
                self.device = self.shapes.get_pointer(pointer)
                self.device_pointer = pointer
            shape = getattr(WpCursorShapeDeviceV1.shape, name.replace("-", "_"), WpCursorShapeDeviceV1.shape.default)
            self.device.set_shape(serial, shape.value)
            self.shown = (name, scale, serial)
            return
        if (name, scale) not in self.loaded:
            image = load(SHAPE_NAMES.get(name, (name,)), size=self.size * scale) or load(size=self.size * scale)
            self.loaded[(name, scale)] = None if image is None else (self._buffer(image), image)
        entry = self.loaded[(name, scale)]
        if entry is None:
            return  # no cursor theme: the compositor keeps whatever cursor it shows
        buffer, image = entry
        self.surface.set_buffer_scale(scale)
        self.surface.attach(buffer.buffer, 0, 0)
        self.surface.damage_buffer(0, 0, buffer.width, buffer.height)
        self.surface.commit()
        pointer.set_cursor(serial, self.surface, image.hotspot[0] // scale, image.hotspot[1] // scale)
        self.shown = (name, scale, serial)

    def _buffer(self, image: CursorImage) -> ShmBuffer:
        pixels = image.image
        width, height, stride = pixels.get_width(), pixels.get_height(), pixels.get_stride()
        data = bytes(pixels.get_data())
        buffer = ShmBuffer(self.shm, width, height)
        for row in range(height):
            start = row * buffer.stride
            buffer.data[start:start + width * 4] = data[row * stride:row * stride + width * 4]
        return buffer
