"""Icon: an SVG (rendered by librsvg at the exact device size, so crisp at any scale) or PNG, by file path or
by freedesktop icon name. ``-symbolic`` icons are recoloured with the text colour.

    icon("document-save-symbolic").size(20)
    icon("/usr/share/icons/hicolor/scalable/apps/foo.svg", size=48)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cairo
import gi

gi.require_version("Rsvg", "2.0")
from gi.repository import Rsvg  # noqa: E402

from themes.icon_theme import IconLookup  # noqa: E402

from ..core.element import DrawContext, LayoutContext, Tree, Widget  # noqa: E402
from ..core.geometry import Size  # noqa: E402
from ..core.layout import Limits, Node  # noqa: E402
from ..style import Color, Status  # noqa: E402


@dataclass
class IconState:
    source: str = ""
    path: Path | None = None
    svg: Any = None
    png: cairo.ImageSurface | None = None

    def paint_key(self) -> Hashable:
        return (self.source, str(self.path))


class Icon(Widget[Any]):
    def __init__(self, name: str | Path, size: float = 24.0) -> None:
        self.name = str(name)
        self._size = size
        self._color: Color | None = None
        self._class = "text"

    def size(self, pixels: float) -> Icon:
        self._size = pixels
        return self

    def color(self, color: Color) -> Icon:
        self._color = color
        return self

    def style(self, widget_class: str) -> Icon:
        self._class = widget_class
        return self

    def new_state(self) -> IconState:
        return IconState()

    def signature(self) -> Hashable:
        return (self._width, self._height, self.name, self._size, self._color, self._class)

    def _load(self, tree: Tree, icons: IconLookup) -> IconState:
        """Finds and reads the icon when its name changed (at layout: the runtime's one ``icons`` lookup
        reads the icon theme's index once, however many icons there are)."""
        state: IconState = tree.state
        if state.source == self.name:
            return state
        state.source, state.svg, state.png = self.name, None, None
        path = Path(self.name) if "/" in self.name else icons.find(self.name, round(self._size))
        state.path = path
        if path is None or not path.is_file():
            return state
        try:
            if path.suffix == ".svg":
                state.svg = Rsvg.Handle.new_from_file(str(path))
            else:
                state.png = cairo.ImageSurface.create_from_png(str(path))
        except Exception:  # noqa: BLE001 - a broken icon file draws nothing rather than killing the app
            state.svg = state.png = None
        return state

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        self._load(tree, ctx.icons)
        return Node(limits.resolve(self._width, self._height, Size(self._size, self._size)))

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        state: IconState = tree.state  # loaded by layout
        b = node.bounds
        side = min(b.width, b.height, self._size)
        x, y = b.x + (b.width - side) / 2, b.y + (b.height - side) / 2
        pixels = max(1, round(side * ctx.scale))
        # Render at device resolution, then place it 1:1 on the device grid.
        image = cairo.ImageSurface(cairo.FORMAT_ARGB32, pixels, pixels)
        icr = cairo.Context(image)
        if state.svg is not None:
            viewport = Rsvg.Rectangle()
            viewport.x, viewport.y, viewport.width, viewport.height = 0, 0, pixels, pixels
            state.svg.render_document(icr, viewport)
        elif state.png is not None:
            icr.scale(pixels / state.png.get_width(), pixels / state.png.get_height())
            icr.set_source_surface(state.png, 0, 0)
            icr.paint()
        else:
            return
        image.flush()
        cr = ctx.cr
        cr.save()
        cr.translate(x, y)
        cr.scale(1 / ctx.scale, 1 / ctx.scale)
        if self.name.endswith("-symbolic") or self._color is not None:
            color = self._color or ctx.theme.style(self._class, Status.ACTIVE).text
            cr.set_source_rgba(*color.rgba)
            cr.mask_surface(image, 0, 0)
        else:
            cr.set_source_surface(image, 0, 0)
            cr.paint()
        cr.restore()


def icon(name: str | Path, size: float = 24.0) -> Icon:
    return Icon(name, size)
