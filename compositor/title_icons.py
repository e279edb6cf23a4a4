"""The app icon a window's title bar shows: its app_id through the installed desktop entries to an icon name, and
that through the icon theme to an image, as the panel finds its task icons.

    icons = TitleIcons()
    image = icons.image("foot", 20)      # a 20x20 ARGB image, or None when no icon is found

The desktop entries and the icon theme's index are read when the first icon is asked for (the compositor starts
without them, and without importing what reads and draws them), and each image is drawn once per app and size.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import cairo

from .gi_modules import library

if TYPE_CHECKING:
    from themes.icon_theme import IconLookup

log = logging.getLogger(__name__)
MAX_CACHED = 256  # (icon, size) images kept (output scales change the sizes)


class TitleIcons:
    def __init__(self) -> None:
        self._images: dict[tuple[str, int], cairo.ImageSurface | None] = {}

    @cached_property
    def _names(self) -> dict[str, str]:
        from shell.desktop_entry import icon_names, installed_apps

        return icon_names(installed_apps())  # app_id (lower case) -> icon name

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self._names.values())

    @cached_property
    def _lookup(self) -> IconLookup:
        from themes.icon_theme import IconLookup

        return IconLookup()

    def image(self, app_id: str, pixels: int) -> cairo.ImageSurface | None:
        """``app_id``'s icon, ``pixels`` square (device pixels); None when it has none (no app_id, no file).

        Only the icons of installed desktop entries are looked up (any other app_id shows the generic one): an
        app_id is the client's to choose, and a client renaming itself over and over must not cost a search of
        the icon theme's directories each time, nor grow what is remembered."""
        if not app_id or pixels <= 0:
            return None
        from shell.desktop_entry import FALLBACK_ICON, icon_for

        name = icon_for(app_id, self._names)
        if name not in self._known:
            name = FALLBACK_ICON
        key = (name, pixels)
        if key not in self._images:
            if len(self._images) >= MAX_CACHED:
                self._images.clear()
            path = self._lookup.find(name, pixels)
            self._images[key] = _render(path, pixels) if path is not None else None
        return self._images[key]


def _render(path: Path, pixels: int) -> cairo.ImageSurface | None:
    GLib, Rsvg = library("GLib"), library("Rsvg", "2.0")
    image = cairo.ImageSurface(cairo.FORMAT_ARGB32, pixels, pixels)
    ctx = cairo.Context(image)
    try:
        if path.suffix == ".svg":
            viewport = Rsvg.Rectangle()
            viewport.x, viewport.y, viewport.width, viewport.height = 0, 0, pixels, pixels
            Rsvg.Handle.new_from_file(str(path)).render_document(ctx, viewport)
        else:
            png = cairo.ImageSurface.create_from_png(str(path))
            ctx.scale(pixels / max(1, png.get_width()), pixels / max(1, png.get_height()))
            ctx.set_source_surface(png, 0, 0)
            ctx.paint()
    except (GLib.Error, cairo.Error, OSError) as error:  # a broken icon file: no icon rather than no frame
        log.warning("icon %s: %s", path, error)
        return None
    image.flush()
    return image
