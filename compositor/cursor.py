"""What the pointer looks like now, for a backend to show: a client's cursor surface, a named shape from the
XCursor theme (:mod:`themes.xcursor`), or the default arrow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cairo

from themes.xcursor import ShapeCursors

if TYPE_CHECKING:
    from .seat import Seat


@dataclass(frozen=True)
class PointerImage:
    """What the pointer looks like now, for a backend to show: the image, its hotspot and drawn size, in
    logical pixels for a client's cursor surface (``logical``) or in image pixels for a theme's shape."""

    image: cairo.ImageSurface
    hotspot: tuple[int, int]
    size: tuple[int, int]
    logical: bool


def pointer_image(seat: Seat, shapes: ShapeCursors) -> PointerImage | None:
    """The seat's pointer as a client set it (a cursor surface, or a named shape) or the default arrow; None
    while the client hides it."""
    surface = seat.cursor
    if surface is not None:
        if surface.content is None or surface.width <= 0 or surface.height <= 0:
            return None
        return PointerImage(surface.content.snapshot(), seat.cursor_hotspot, (surface.width, surface.height), True)
    named = shapes.get(seat.cursor_shape or "default")
    return PointerImage(named.image, named.hotspot, (named.image.get_width(), named.image.get_height()), False)
