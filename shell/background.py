"""The background: per output, on the background layer, the theme's ``[background]`` unless shell.toml says
otherwise: a colour, under a gradient, under an image scaled ``fill`` (cover, cropped), ``fit`` (whole, centred),
``stretch``, ``center`` (unscaled) or ``tile``."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cairo

from widgets.core.element import DrawContext, LayoutContext, Tree, Widget
from widgets.core.geometry import Size
from widgets.core.layout import Fill, Limits, Node
from widgets.core.subscription import Subscription
from widgets.core.task import Task
from widgets.themed import notice_banner
from widgets.wayland.host import OutputInfo
from widgets.wayland.layer import LayerSpec
from widgets.widget.flex import column
from widgets.widget.stack import stack

from .common import Common

RGBA = tuple[float, float, float, float]


@dataclass(frozen=True)
class Look:
    color: RGBA
    gradient: tuple[RGBA, RGBA, float] | None = None
    image: str = ""
    scale: str = "fill"


def look_of(common: Common) -> Look:
    """The theme's background with shell.toml's ``[background]`` keys laid over it."""
    model = common.look.theme.model.background
    config = common.config
    colour = config.colour("background", "color") or model.color
    gradient = None
    if model.gradient is not None:
        gradient = (model.gradient.start.floats(), model.gradient.end.floats(), model.gradient.angle)
    start, end = config.colour("background", "gradient"), config.colour("background", "gradient_end")
    if start is not None:
        gradient = (start.floats(), (end or start).floats(), float(config.get("background", "angle")))
    image = str(config.get("background", "image")) or (str(model.image) if model.image else "")
    scale = str(config.values.get(("background", "scale"), model.scale))
    return Look(colour.floats(), gradient, str(Path(image).expanduser()) if image else "", scale)


class Wallpaper(Widget[Any]):
    """Fills its bounds with a :class:`Look`; the image is loaded once per path (PNG, through Cairo)."""

    _width = Fill
    _height = Fill

    def __init__(self, look: Look) -> None:
        self.look = look

    def new_state(self) -> dict[str, cairo.ImageSurface | None]:
        return {}

    def signature(self) -> Hashable:
        return self.look

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(limits.resolve(Fill, Fill, Size(0, 0)))

    def _image(self, tree: Tree) -> cairo.ImageSurface | None:
        cache: dict[str, cairo.ImageSurface | None] = tree.state
        path = self.look.image
        if path and path not in cache:
            try:
                cache[path] = cairo.ImageSurface.create_from_png(path)
            except (OSError, cairo.Error, MemoryError):
                cache[path] = None
        return cache.get(path) if path else None

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        b, cr, look = node.bounds, ctx.cr, self.look
        cr.save()
        cr.rectangle(b.x, b.y, b.width, b.height)
        cr.clip()
        cr.set_source_rgba(*look.color)
        cr.paint()
        if look.gradient is not None:
            start, end, angle = look.gradient
            # CSS angles: 0 paints bottom to top, 90 left to right, 180 top to bottom.
            rad = math.radians(angle)
            dx, dy = math.sin(rad), -math.cos(rad)
            half = (abs(b.width * dx) + abs(b.height * dy)) / 2
            cx, cy = b.x + b.width / 2, b.y + b.height / 2
            pattern = cairo.LinearGradient(cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half)
            pattern.add_color_stop_rgba(0, *start)
            pattern.add_color_stop_rgba(1, *end)
            cr.set_source(pattern)
            cr.paint()
        image = self._image(tree)
        if image is not None and image.get_width() > 0 and image.get_height() > 0:
            _paint_image(cr, image, b.x, b.y, b.width, b.height, look.scale)
        cr.restore()


def _paint_image(cr: cairo.Context, image: cairo.ImageSurface, x: float, y: float, width: float, height: float,
                 mode: str) -> None:
    iw, ih = image.get_width(), image.get_height()
    if mode == "tile":
        pattern = cairo.SurfacePattern(image)
        pattern.set_extend(cairo.EXTEND_REPEAT)
        matrix = cairo.Matrix()
        matrix.translate(-x, -y)
        pattern.set_matrix(matrix)
        cr.set_source(pattern)
        cr.paint()
        return
    sx, sy = width / iw, height / ih
    if mode == "fill":
        sx = sy = max(sx, sy)
    elif mode == "fit":
        sx = sy = min(sx, sy)
    elif mode == "center":
        sx = sy = 1.0
    cr.save()
    cr.translate(x + (width - iw * sx) / 2, y + (height - ih * sy) / 2)
    cr.scale(sx, sy)
    cr.set_source_surface(image, 0, 0)
    cr.get_source().set_filter(cairo.FILTER_GOOD)
    cr.paint()
    cr.restore()


class Background:
    def __init__(self, output: OutputInfo | None) -> None:
        self.output = output

    def init(self) -> Common:
        return Common.load()

    def app_id(self) -> str:
        return "org.orrery.Background"

    def theme(self, state: Common) -> Any:
        return state.look.theme

    def layer(self, state: Common) -> LayerSpec:
        return LayerSpec("background", layer="background", anchor=("top", "bottom", "left", "right"),
                         exclusive_zone=-1)

    def update(self, state: Common, message: Any) -> Task[Any] | None:
        state.update(message)
        return None

    def subscriptions(self, state: Common) -> Subscription[Any]:
        return state.subscriptions()

    def view(self, state: Common) -> Widget[Any]:
        return stack([Wallpaper(look_of(state)), column([notice_banner(state.notice)]).width(Fill)])
