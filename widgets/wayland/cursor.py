"""Pointer cursors: named shapes with wp_cursor_shape_v1 where the compositor has it (Orrery, sway, KWin,
Mutter), else images from the XCursor theme set as a cursor surface (weston 10, any compositor): the client
loads them itself from ``$XCURSOR_THEME`` (else ``default``, following ``Inherits=``) in ``$XCURSOR_PATH`` or
~/.icons, /usr/share/icons, /usr/share/pixmaps.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pywayland.protocol.cursor_shape_v1 import WpCursorShapeDeviceV1, WpCursorShapeManagerV1

from .buffers import ShmBuffer

SHAPE_GLOBALS: dict[str, tuple[type, int]] = {"wp_cursor_shape_manager_v1": (WpCursorShapeManagerV1, 1)}

IMAGE_CHUNK = 0xFFFD0002
NAMES = {"default": ("default", "left_ptr"), "pointer": ("pointer", "hand2", "hand1"),
         "text": ("text", "xterm"), "grab": ("grab", "openhand", "fleur"), "grabbing": ("grabbing", "fleur")}


@dataclass(frozen=True)
class CursorImage:
    width: int
    height: int
    hotspot_x: int
    hotspot_y: int
    pixels: bytes
    """Premultiplied ARGB32 in native byte order, ``width * 4`` bytes a row (what wl_shm argb8888 wants)."""


def parse_xcursor(data: bytes, size: int) -> CursorImage | None:
    """The image of the nominal size nearest ``size`` in an XCursor file (its first frame)."""
    if data[:4] != b"Xcur":
        return None
    _header, _version, count = struct.unpack_from("<III", data, 4)
    entries = [struct.unpack_from("<III", data, 16 + 12 * i) for i in range(count)]
    images = [(kind_size, position) for kind, kind_size, position in entries if kind == IMAGE_CHUNK]
    if not images:
        return None
    best = min(images, key=lambda item: abs(item[0] - size))[0]
    position = next(position for kind_size, position in images if kind_size == best)
    _h, _t, _s, _v, width, height, hx, hy, _delay = struct.unpack_from("<9I", data, position)
    start = position + 36
    return CursorImage(width, height, hx, hy, data[start:start + width * height * 4])


def search_path() -> list[Path]:
    configured = os.environ.get("XCURSOR_PATH")
    if configured:
        return [Path(p).expanduser() for p in configured.split(":") if p]
    return [Path.home() / ".icons", Path("/usr/share/icons"), Path("/usr/share/pixmaps")]


def find_cursor(name: str, size: int = 24, theme: str | None = None) -> CursorImage | None:
    """The named shape (toolkit names: default, pointer, text, grab, grabbing) from the cursor theme."""
    pending, seen = [theme or os.environ.get("XCURSOR_THEME") or "default"], set()
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for base in search_path():
            for file_name in NAMES.get(name, (name,)):
                path = base / current / "cursors" / file_name
                if path.is_file():
                    image = parse_xcursor(path.read_bytes(), size)
                    if image is not None:
                        return image
            index = base / current / "index.theme"
            if index.is_file():
                for line in index.read_text(errors="replace").splitlines():
                    if line.strip().lower().startswith("inherits="):
                        pending += [t.strip() for t in line.split("=", 1)[1].split(",") if t.strip()]
    return None


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
            image = find_cursor(name, self.size * scale) or find_cursor("default", self.size * scale)
            self.loaded[(name, scale)] = None if image is None else (self._buffer(image), image)
        entry = self.loaded[(name, scale)]
        if entry is None:
            return  # no cursor theme: the compositor keeps whatever cursor it shows
        buffer, image = entry
        self.surface.set_buffer_scale(scale)
        self.surface.attach(buffer.buffer, 0, 0)
        self.surface.damage_buffer(0, 0, image.width, image.height)
        self.surface.commit()
        pointer.set_cursor(serial, self.surface, image.hotspot_x // scale, image.hotspot_y // scale)
        self.shown = (name, scale, serial)

    def _buffer(self, image: CursorImage) -> ShmBuffer:
        buffer = ShmBuffer(self.shm, image.width, image.height)
        for row in range(image.height):
            start = row * buffer.stride
            buffer.data[start:start + image.width * 4] = image.pixels[row * image.width * 4:(row + 1) * image.width * 4]
        return buffer
