"""XCursor themes: find a named cursor (``left_ptr``) in the user's theme and load it as a Cairo image.

The file format is public (libXcursor's ``Xcursor.h``): a header, a table of contents, then chunks; image
chunks carry premultiplied ARGB pixels, which is Cairo's ARGB32 layout, so no per-pixel work is needed.
One loader for the compositor (the pointer it shows over clients that set none, named shapes of
wp_cursor_shape_v1) and the toolkit (the cursor surfaces of clients on compositors without that protocol).
"""

from __future__ import annotations

import os
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

import cairo

MAGIC = b"Xcur"
IMAGE_TYPE = 0xFFFD0002
DEFAULT_SIZE = 24
DEFAULT_NAMES = ("left_ptr", "default", "arrow")
_HEADER = struct.Struct("<4sIII")  # magic, header size, version, number of TOC entries
_TOC = struct.Struct("<III")  # chunk type, subtype (nominal size for images), file position
_IMAGE = struct.Struct("<IIIIIIIII")  # size, type, nominal size, version, width, height, xhot, yhot, delay
_MAX_SIDE = 0x7FFF


class CursorError(ValueError):
    pass


@dataclass
class CursorImage:
    image: cairo.ImageSurface  # ARGB32, premultiplied
    hotspot: tuple[int, int]
    nominal_size: int


def parse(data: bytes, size: int = DEFAULT_SIZE) -> CursorImage:
    """The first image of the nominal size closest to ``size`` in an XCursor file's bytes."""
    if len(data) < _HEADER.size:
        raise CursorError("file too short")
    magic, header_size, _version, count = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise CursorError("not an XCursor file")
    entries = []
    for index in range(count):
        offset = header_size + index * _TOC.size
        if offset + _TOC.size > len(data):
            raise CursorError("truncated table of contents")
        chunk_type, subtype, position = _TOC.unpack_from(data, offset)
        if chunk_type == IMAGE_TYPE:
            entries.append((subtype, position))
    if not entries:
        raise CursorError("no images")
    best = min({subtype for subtype, _ in entries}, key=lambda nominal: (abs(nominal - size), -nominal))
    position = next(pos for subtype, pos in entries if subtype == best)
    return _read_image(data, position)


def _read_image(data: bytes, position: int) -> CursorImage:
    if position + _IMAGE.size > len(data):
        raise CursorError("truncated image chunk")
    chunk_size, chunk_type, nominal, _version, width, height, xhot, yhot, _delay = _IMAGE.unpack_from(data, position)
    if chunk_type != IMAGE_TYPE:
        raise CursorError("table of contents points at a chunk of another type")
    if not (0 < width <= _MAX_SIDE and 0 < height <= _MAX_SIDE) or xhot > width or yhot > height:
        raise CursorError(f"bad image geometry {width}x{height} hotspot {xhot},{yhot}")
    start = position + chunk_size
    end = start + width * height * 4
    if end > len(data):
        raise CursorError("truncated pixels")
    pixels = bytearray(data[start:end])
    if sys.byteorder == "big":  # the file is little-endian; Cairo wants native-endian 32-bit pixels
        words = array("I", pixels)
        words.byteswap()
        pixels = bytearray(words.tobytes())
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_ARGB32, width)
    if stride != width * 4:  # never on current Cairo, but keep the rows where Cairo expects them
        padded = bytearray(stride * height)
        for row in range(height):
            padded[row * stride:row * stride + width * 4] = pixels[row * width * 4:(row + 1) * width * 4]
        pixels = padded
    image = cairo.ImageSurface.create_for_data(pixels, cairo.FORMAT_ARGB32, width, height, stride)
    return CursorImage(image, (xhot, yhot), nominal)


# -- themes ------------------------------------------------------------------------------------------
def search_path() -> list[Path]:
    configured = os.environ.get("XCURSOR_PATH")
    if configured:
        return [Path(os.path.expanduser(part)) for part in configured.split(":") if part]
    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share")
    return [data_home / "icons", home / ".icons", Path("/usr/share/icons"), Path("/usr/share/pixmaps")]


def _inherits(theme: str, dirs: list[Path]) -> list[str]:
    for directory in dirs:
        index = directory / theme / "index.theme"
        try:
            lines = index.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, value = line.partition("=")
            if key.strip() == "Inherits":
                return [name.strip() for name in value.replace(";", ",").split(",") if name.strip()]
    return []


def find(name: str, theme: str | None = None, dirs: list[Path] | None = None) -> Path | None:
    """The file for cursor ``name`` in ``theme`` or the themes it inherits from, breadth first."""
    dirs = search_path() if dirs is None else dirs
    queue = [theme or os.environ.get("XCURSOR_THEME") or "default"]
    seen: set[str] = set()
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for directory in dirs:
            candidate = directory / current / "cursors" / name
            if candidate.is_file():
                return candidate
        queue.extend(_inherits(current, dirs))
    return None


def load(names: tuple[str, ...] = DEFAULT_NAMES, theme: str | None = None, size: int | None = None,
         dirs: list[Path] | None = None) -> CursorImage | None:
    """The first of ``names`` found in the theme, at about ``size`` ($XCURSOR_SIZE, else 24) pixels."""
    if size is None:
        try:
            size = int(os.environ.get("XCURSOR_SIZE", "") or DEFAULT_SIZE)
        except ValueError:
            size = DEFAULT_SIZE
    for name in names:
        path = find(name, theme, dirs)
        if path is None:
            continue
        try:
            return parse(path.read_bytes(), size)
        except (OSError, CursorError):
            continue
    return None


def fallback_arrow(size: int = DEFAULT_SIZE) -> CursorImage:
    """A plain arrow drawn with Cairo, for systems without any cursor theme."""
    image = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
    ctx = cairo.Context(image)
    unit = size / 24
    ctx.move_to(1 * unit, 1 * unit)
    for x, y in ((1, 19), (6, 15), (9, 22), (12, 21), (9, 14), (16, 14)):
        ctx.line_to(x * unit, y * unit)
    ctx.close_path()
    ctx.set_source_rgb(0, 0, 0)
    ctx.fill_preserve()
    ctx.set_source_rgb(1, 1, 1)
    ctx.set_line_width(max(1.0, unit))
    ctx.stroke()
    image.flush()
    return CursorImage(image, (1, 1), size)


def default_cursor() -> CursorImage:
    return load() or fallback_arrow()


# -- named shapes (wp_cursor_shape_v1, CSS cursor names) ------------------------------------------------
# Each shape's names in XCursor themes, best first: the CSS name (Adwaita, Breeze), then the X11 core names.
SHAPE_NAMES: dict[str, tuple[str, ...]] = {
    "default": DEFAULT_NAMES, "context-menu": ("context-menu", "left_ptr"), "help": ("help", "question_arrow"),
    "pointer": ("pointer", "hand2", "hand1"), "progress": ("progress", "left_ptr_watch", "watch"),
    "wait": ("wait", "watch"), "cell": ("cell", "plus"), "crosshair": ("crosshair", "cross"),
    "text": ("text", "xterm"), "vertical-text": ("vertical-text", "xterm"), "alias": ("alias", "dnd-link"),
    "copy": ("copy", "dnd-copy"), "move": ("move", "fleur"), "no-drop": ("no-drop", "dnd-none"),
    "not-allowed": ("not-allowed", "crossed_circle"), "grab": ("grab", "openhand", "hand1"),
    "grabbing": ("grabbing", "closedhand", "fleur"), "e-resize": ("e-resize", "right_side"),
    "n-resize": ("n-resize", "top_side"), "ne-resize": ("ne-resize", "top_right_corner"),
    "nw-resize": ("nw-resize", "top_left_corner"), "s-resize": ("s-resize", "bottom_side"),
    "se-resize": ("se-resize", "bottom_right_corner"), "sw-resize": ("sw-resize", "bottom_left_corner"),
    "w-resize": ("w-resize", "left_side"), "ew-resize": ("ew-resize", "sb_h_double_arrow"),
    "ns-resize": ("ns-resize", "sb_v_double_arrow"), "nesw-resize": ("nesw-resize", "fd_double_arrow"),
    "nwse-resize": ("nwse-resize", "bd_double_arrow"), "col-resize": ("col-resize", "sb_h_double_arrow"),
    "row-resize": ("row-resize", "sb_v_double_arrow"), "all-scroll": ("all-scroll", "fleur"),
    "zoom-in": ("zoom-in",), "zoom-out": ("zoom-out",), "dnd-ask": ("dnd-ask", "copy", "dnd-copy"),
    "all-resize": ("all-resize", "move", "fleur"),
}


class ShapeCursors:
    """Named shapes as images, loaded once each; the default arrow where the theme lacks one."""

    def __init__(self, default: CursorImage | None = None) -> None:
        self.default = default or default_cursor()
        self._loaded: dict[str, CursorImage] = {}

    def get(self, shape: str) -> CursorImage:
        image = self._loaded.get(shape)
        if image is None:
            image = self._loaded[shape] = load(SHAPE_NAMES.get(shape, (shape,))) or self.default
        return image
