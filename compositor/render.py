"""Cairo renderer: repaints only the damaged rectangles of an output's framebuffer.

All pixel work is Cairo's: we clip to the damage, paint the background, then each surface that
intersects the damage with its buffer scale, transform and viewport folded into one matrix.
"""

from __future__ import annotations

import cairo

from .geometry import Rect
from .scene import Output, Scene
from .surface import Surface

# wl_output.transform as (rotation in quarter turns counter-clockwise, flipped)
_TRANSFORMS = {0: (0, False), 1: (1, False), 2: (2, False), 3: (3, False),
               4: (0, True), 5: (1, True), 6: (2, True), 7: (3, True)}


def repaint(scene: Scene, output: Output) -> list[Rect]:
    """Redraw the output's damage; returns the rectangles that changed (output-local)."""
    framebuffer = output.ensure_framebuffer()
    damage = _merge(output.damage)
    output.damage = []
    if not damage:
        return []
    ctx = cairo.Context(framebuffer)
    ctx.translate(-output.x, -output.y)
    for rect in damage:
        ctx.rectangle(rect.x, rect.y, rect.width, rect.height)
    ctx.clip()
    ctx.set_source_rgb(*scene.background_rgb)
    ctx.paint()
    extent = damage[0]
    for rect in damage[1:]:
        extent = extent.union(rect)
    for surface, x, y in scene.drawn_surfaces():
        if Rect(x, y, surface.width, surface.height).intersects(extent):
            draw_surface(ctx, surface, x, y)
    framebuffer.flush()
    return [r.translate(-output.x, -output.y) for r in damage]


def draw_surface(ctx: cairo.Context, surface: Surface, x: float, y: float) -> None:
    image = surface.image
    if image is None or surface.width <= 0 or surface.height <= 0:
        return
    state = surface.current
    ctx.save()
    ctx.translate(x, y)
    ctx.rectangle(0, 0, surface.width, surface.height)
    ctx.clip()
    # Buffer coordinates → surface coordinates: undo the transform, then the scale, then the viewport.
    buffer_w, buffer_h = image.get_width() / state.scale, image.get_height() / state.scale
    turns, flipped = _TRANSFORMS.get(state.transform, (0, False))
    logical_w, logical_h = (buffer_h, buffer_w) if turns % 2 else (buffer_w, buffer_h)
    if state.viewport_src is not None:
        src_x, src_y, src_w, src_h = state.viewport_src
    else:
        src_x, src_y, src_w, src_h = 0.0, 0.0, logical_w, logical_h
    ctx.scale(surface.width / src_w, surface.height / src_h)
    ctx.translate(-src_x, -src_y)
    if turns or flipped:
        ctx.translate(logical_w / 2, logical_h / 2)
        ctx.rotate(-turns * 3.141592653589793 / 2)
        if flipped:
            ctx.scale(-1, 1)
        ctx.translate(-buffer_w / 2, -buffer_h / 2)
    ctx.scale(1 / state.scale, 1 / state.scale)
    ctx.set_source_surface(image, 0, 0)
    pattern = ctx.get_source()
    if state.scale != 1 or state.viewport_src is not None or state.viewport_dst is not None:
        pattern.set_filter(cairo.FILTER_BILINEAR)
    else:
        pattern.set_filter(cairo.FILTER_NEAREST)
    ctx.paint()
    ctx.restore()


def _merge(rects: list[Rect]) -> list[Rect]:
    """Drop rectangles contained in others; many small damages become one box when cheaper."""
    if len(rects) > 32:
        box = rects[0]
        for rect in rects[1:]:
            box = box.union(rect)
        return [box]
    kept: list[Rect] = []
    for rect in sorted(set(rects), key=lambda r: -(r.width * r.height)):
        if rect.empty or any(k.intersect(rect) == rect for k in kept):
            continue
        kept.append(rect)
    return kept


def compose_layout(scene: Scene) -> cairo.ImageSurface:
    """One image of every output at its place in the layout (what `orrery msg screenshot` saves)."""
    bounds = scene.layout_bounds()
    image = cairo.ImageSurface(cairo.FORMAT_RGB24, max(1, bounds.width), max(1, bounds.height))
    ctx = cairo.Context(image)
    for output in scene.outputs:
        ctx.set_source_surface(output.ensure_framebuffer(), output.x - bounds.x, output.y - bounds.y)
        ctx.paint()
    image.flush()
    return image
