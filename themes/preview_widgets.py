"""Toolkit widgets for drawing the desktop's own surfaces from a theme: the background, framed surfaces (windows,
the panel, the launcher, title bars) with borders and shadows, title bar buttons, and absolute placement.

They take resolved theme values (``themes.model`` styles) rather than asking the toolkit theme by class, since
the toolkit's classes describe app widgets, not the desktop around them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal

import cairo

from widgets import Rect, Size, Widget
from widgets.core.element import DrawContext, LayoutContext, Tree
from widgets.core.layout import Limits, Node
from widgets.style import Color
from widgets.style_adapter import rgba

from .glyphs import window_button
from .model import BackgroundStyle, Shadow, WindowButton

Edges = Literal["all", "top", "bottom", "none"]


class Placed(Widget[Any]):
    """Children at fixed rectangles (window coordinates), later ones on top: a desktop's stacking order."""

    def __init__(self, children: Sequence[tuple[Rect, Widget[Any]]]) -> None:
        self.rects = [rect for rect, _ in children]
        self._children = [child for _, child in children]

    def children(self) -> Sequence[Widget[Any]]:
        return self._children

    def signature(self) -> Hashable:
        return tuple(self.rects)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        nodes = []
        for rect, child, subtree in zip(self.rects, self._children, tree.children, strict=True):
            exact = Limits(rect.width, rect.height, rect.width, rect.height)
            nodes.append(child.layout(subtree, exact, ctx).moved(rect.x, rect.y))
        return Node(Size(limits.max_width, limits.max_height), nodes)


class Backdrop(Widget[Any]):
    """The desktop background: its image (PNG) over its gradient over its colour, as the theme says."""

    def __init__(self, style: BackgroundStyle) -> None:
        self.style = style

    def signature(self) -> Hashable:
        return self.style

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(Size(limits.max_width, limits.max_height))

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        b, cr = node.bounds, ctx.cr
        ctx.fill(b, rgba(self.style.color))
        gradient = self.style.gradient
        if gradient is not None:
            angle = math.radians(gradient.angle)
            dx, dy = math.sin(angle), -math.cos(angle)
            half = (abs(b.width * dx) + abs(b.height * dy)) / 2
            c = b.center
            pattern = cairo.LinearGradient(c.x - dx * half, c.y - dy * half, c.x + dx * half, c.y + dy * half)
            pattern.add_color_stop_rgba(0, *gradient.start.floats())
            pattern.add_color_stop_rgba(1, *gradient.end.floats())
            cr.rectangle(b.x, b.y, b.width, b.height)
            cr.set_source(pattern)
            cr.fill()
        if self.style.image is not None:
            _draw_image(cr, self.style.image, b, self.style.scale)


def _draw_image(cr: cairo.Context, path: Path, b: Rect, mode: str) -> None:
    try:
        image = cairo.ImageSurface.create_from_png(str(path))
    except (OSError, cairo.Error, MemoryError):
        return  # a missing or non-PNG image: the gradient or colour shows, as it would on the desktop
    w, h = image.get_width(), image.get_height()
    if w == 0 or h == 0:
        return
    sx, sy = b.width / w, b.height / h
    scale_x, scale_y = {"fill": (max(sx, sy),) * 2, "fit": (min(sx, sy),) * 2, "stretch": (sx, sy)}.get(
        mode, (1.0, 1.0))
    cr.save()
    cr.rectangle(b.x, b.y, b.width, b.height)
    cr.clip()
    if mode == "tile":
        pattern = cairo.SurfacePattern(image)
        pattern.set_extend(cairo.EXTEND_REPEAT)
        cr.set_source(pattern)
        cr.paint()
    else:
        cr.translate(b.x + (b.width - w * scale_x) / 2, b.y + (b.height - h * scale_y) / 2)
        cr.scale(scale_x, scale_y)
        cr.set_source_surface(image, 0, 0)
        cr.paint()
    cr.restore()


class Framed(Widget[Any]):
    """One child on a filled, bordered, shadowed box; ``top_only`` rounds only the top corners (a title bar)."""

    def __init__(self, child: Widget[Any], fill: Color | None, *, border: Color | None = None,
                 border_width: float = 0.0, radius: float = 0.0, shadow: Shadow | None = None,
                 edges: Edges = "all", top_only: bool = False, padding: float = 0.0) -> None:
        self.child, self.fill, self.border, self.border_width = child, fill, border, border_width
        self.radius, self.shadow, self.edges, self.top_only, self.padding = radius, shadow, edges, top_only, padding

    def children(self) -> Sequence[Widget[Any]]:
        return (self.child,)

    def signature(self) -> Hashable:
        return (self._width, self._height, self.fill, self.border, self.border_width, self.radius, self.shadow,
                self.edges, self.top_only, self.padding)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        size = limits.resolve(self._width, self._height, Size(0, 0))
        inner = max(0.0, size.width - 2 * self.padding), max(0.0, size.height - 2 * self.padding)
        child = self.child.layout(tree.children[0], Limits(0, 0, *inner), ctx).moved(self.padding, self.padding)
        return Node(size, [child])

    def _path(self, cr: cairo.Context, rect: Rect, radius: float) -> None:
        r = max(0.0, min(radius, rect.width / 2, rect.height / 2))
        bottom = 0.0 if self.top_only else r
        cr.new_sub_path()
        cr.arc(rect.right - r, rect.y + r, r, -math.pi / 2, 0)
        cr.arc(rect.right - bottom, rect.bottom - bottom, bottom, 0, math.pi / 2)
        cr.arc(rect.x + bottom, rect.bottom - bottom, bottom, math.pi / 2, math.pi)
        cr.arc(rect.x + r, rect.y + r, r, math.pi, 3 * math.pi / 2)
        cr.close_path()

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        cr, b = ctx.cr, node.bounds
        if self.shadow is not None and self.shadow.color.a:
            self._draw_shadow(cr, b, self.shadow)
        if self.fill is not None:
            cr.new_path()
            self._path(cr, b, self.radius)
            cr.set_source_rgba(*self.fill.rgba)
            cr.fill()
        cr.save()
        cr.new_path()
        self._path(cr, b, self.radius)
        cr.clip()
        with ctx.viewport(b):
            super().draw(tree, node, ctx)
        cr.restore()
        if self.border is not None and self.border_width > 0 and self.edges != "none":
            self._draw_border(cr, b, self.border, self.border_width)

    def _draw_border(self, cr: cairo.Context, b: Rect, color: Color, width: float) -> None:
        cr.new_path()
        cr.set_source_rgba(*color.rgba)
        if self.edges == "all":
            half = width / 2
            self._path(cr, Rect(b.x + half, b.y + half, b.width - width, b.height - width), self.radius - half)
            cr.set_line_width(width)
            cr.stroke()
            return
        y = b.y if self.edges == "top" else b.bottom - width
        cr.rectangle(b.x, y, b.width, width)
        cr.fill()

    def _draw_shadow(self, cr: cairo.Context, b: Rect, shadow: Shadow) -> None:
        """A soft shadow: layers growing by ``blur`` in steps, each a little of the colour's alpha."""
        steps = max(1, math.ceil(shadow.blur / 2))
        r, g, bl, a = shadow.color.floats()
        base = b.translate(shadow.x, shadow.y).expand(shadow.spread)
        for i in range(steps):
            grow = shadow.blur / 2 * (1 - i / steps)
            cr.new_path()
            self._path(cr, base.expand(grow), self.radius + grow)
            cr.set_source_rgba(r, g, bl, a / steps)
            cr.fill()


class TitleButtons(Widget[Any]):
    """Title bar buttons (``minimize``, ``maximize``, ``close``) drawn as icons of one colour."""

    def __init__(self, buttons: Sequence[WindowButton], color: Color, size: float) -> None:
        self.buttons, self.color, self.size = tuple(buttons), color, size

    def signature(self) -> Hashable:
        return (self.buttons, self.color, self.size)

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        return Node(limits.resolve(self._width, self._height, Size(self.size * len(self.buttons), self.size)))

    def draw(self, tree: Tree, node: Node, ctx: DrawContext) -> None:
        cr, b = ctx.cr, node.bounds
        cr.set_source_rgba(*self.color.rgba)
        cr.set_line_width(1.5)
        icon = self.size * 0.2
        for i, kind in enumerate(self.buttons):
            window_button(cr, kind, b.x + self.size * (i + 0.5), b.center.y, icon)
