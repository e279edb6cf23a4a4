"""Image: a PNG scaled to fit its bounds (keeping its aspect ratio), decoded once and kept in the tree.

    image("screenshots/desktop.png").width(320)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cairo

from ..core.element import DrawContext, LayoutContext, Tree, Widget
from ..core.geometry import Size
from ..core.layout import Limits, Node


@dataclass
class ImageState:
    path: str = ""
    surface: cairo.ImageSurface | None = None

    def paint_key(self) -> Hashable:
        return self.path


class Image(Widget[Any]):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)

    def new_state(self) -> ImageState:
        return ImageState()

    def signature(self) -> Hashable:
        return (self._width, self._height, self.path)

    def surface(self, tree: Tree) -> cairo.ImageSurface | None:
        state: ImageState = tree.state
        if state.path != self.path:
            state.path = self.path
            try:
                state.surface = cairo.ImageSurface.create_from_png(self.path)
            except (OSError, cairo.Error, MemoryError):
                state.surface = None
        return state.surface

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        surface = self.surface(tree)
        natural = Size(surface.get_width(), surface.get_height()) if surface else Size(0, 0)
        size = limits.resolve(self._width, self._height, natural)
        if surface and natural.width and natural.height:  # keep the aspect ratio for a Shrink side
            if self._height.kind == "shrink" and self._width.kind != "shrink":
                size = limits.resolve(self._width, self._height,
                                      Size(size.width, size.width * natural.height / natural.width))
            elif self._width.kind == "shrink" and self._height.kind != "shrink":
                size = limits.resolve(self._width, self._height,
                                      Size(size.height * natural.width / natural.height, size.height))
        return Node(size)

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        surface = self.surface(tree)
        if surface is None:
            return
        b = node.bounds
        width, height = surface.get_width(), surface.get_height()
        factor = min(b.width / width, b.height / height) if width and height else 1.0
        cr = ctx.cr
        cr.save()
        cr.translate(b.x + (b.width - width * factor) / 2, b.y + (b.height - height * factor) / 2)
        cr.scale(factor, factor)
        cr.set_source_surface(surface, 0, 0)
        cr.get_source().set_filter(cairo.FILTER_GOOD)
        cr.paint()
        cr.restore()


def image(path: Path | str) -> Image:
    return Image(path)
