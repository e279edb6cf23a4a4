"""Cairo renderer: repaints only the damaged rectangles of an output's framebuffer.

All pixel work is Cairo's: we clip to the damage, paint the background, then each surface that
intersects the damage with its buffer scale, transform and viewport folded into one matrix, skipping
what opaque surfaces above hide (``occlusion.py`` says what is opaque).
"""

from __future__ import annotations

import logging
import math

import cairo

from .geometry import Box
from .occlusion import Drawable, is_unscaled, opaque_part
from .scene import Output, Scene

log = logging.getLogger(__name__)

# wl_output.transform as (rotation in quarter turns counter-clockwise, flipped)
_TRANSFORMS = {0: (0, False), 1: (1, False), 2: (2, False), 3: (3, False),
               4: (0, True), 5: (1, True), 6: (2, True), 7: (3, True)}


class _DrawFailed(Exception):
    """Drawing this surface failed in cairo (the error is the cause)."""

    def __init__(self, surface: Drawable) -> None:
        super().__init__(surface)
        self.surface = surface


def repaint(scene: Scene, output: Output) -> list[Box]:
    """Redraw the output's damage; returns the rectangles that changed (output-local).

    A surface whose drawing fails in cairo (which then refuses every later use of the framebuffer) is left
    out until its content changes, and the output is drawn again on a new framebuffer: one client's pixels
    never stop the others'."""
    for _attempt in range(3):
        try:
            return _repaint(scene, output)
        except _DrawFailed as failed:
            cause = failed.__cause__
            log.error("drawing %r failed (%r); it is left out until its content changes", failed.surface, cause)
            output.undrawable[failed.surface] = failed.surface.content
        except cairo.Error:
            log.exception("repainting output %s failed", output.name)
        output.framebuffer = None  # cairo keeps a surface's error for good: draw everything on a new one
        output.damage = [output.rect]
    return []


def _repaint(scene: Scene, output: Output) -> list[Box]:
    framebuffer = output.ensure_framebuffer()
    if not output.powered:  # switched off (DPMS): black (a nested window shows that; DRM presents nothing)
        if not output.damage:
            return []
        output.damage = []
        blank = cairo.Context(framebuffer)
        blank.set_source_rgb(0, 0, 0)
        blank.paint()
        return [Box(0, 0, output.mode_width, output.mode_height)]
    region = _damage_region(output.damage)
    output.damage = []
    if region.is_empty():
        return []
    damage = [Box(r.x, r.y, r.width, r.height) for r in _rectangles(region)]
    ctx = cairo.Context(framebuffer)
    device = [output.device_box(rect) for rect in damage]  # the framebuffer is in physical pixels
    if output.scale != 1:  # (at scale 1 every fill below is limited to the damage already)
        for rect in device:
            ctx.rectangle(rect.x, rect.y, rect.width, rect.height)
        ctx.clip()
    if output.transform:
        ctx.transform(output.framebuffer_matrix())
    ctx.scale(output.scale, output.scale)
    ctx.translate(-output.x, -output.y)
    box = region.get_extents()
    extent = Box(box.x, box.y, box.width, box.height)
    if output.scale != 1:  # whole physical pixels reach into the logical pixels around the damage
        extent = Box(extent.x - 1, extent.y - 1, extent.width + 2, extent.height + 2)
    drawn = scene.drawn()
    undrawable = output.undrawable
    if undrawable:  # forget surfaces gone from the scene, or showing other content now
        present = {surface for surface, _x, _y in drawn}
        output.undrawable = undrawable = {surface: content for surface, content in undrawable.items()
                                          if surface in present and surface.content is content}
    shown = [(surface, x, y) for surface, x, y in drawn
             if Box(x, y, surface.width, surface.height).intersects(extent) and surface not in undrawable]
    if output.scale == 1:
        _draw_visible_parts(ctx, scene.fill_rgb, region, shown)
    else:
        _draw_scaled(ctx, scene.fill_rgb, extent, shown)
    framebuffer.flush()
    return device


def _draw_visible_parts(ctx: cairo.Context, background: tuple[float, float, float], damaged: cairo.Region,
                        shown: list[tuple[Drawable, int, int]]) -> None:
    """Output scale 1: each surface is drawn only where no opaque surface above it hides it, the
    background only where no opaque surface covers it (as weston's renderer does). Overlapping windows
    then cost the pixels that show, not the sum of their sizes. ``damaged`` is used up (what is left of
    it gets the background)."""
    hidden = cairo.Region()  # what opaque surfaces drawn above cover
    parts: list[tuple[Drawable, int, int, cairo.Region, cairo.Region | None]] = []
    for surface, x, y in reversed(shown):
        part = cairo.Region(cairo.RectangleInt(x, y, surface.width, surface.height))
        part.intersect(damaged)
        part.subtract(hidden)
        if part.is_empty():
            continue
        opaque = opaque_part(surface, x, y)
        parts.append((surface, x, y, part, opaque))
        if opaque is not None:
            hidden.union(opaque)
    damaged.subtract(hidden)
    ctx.set_source_rgb(*background)
    _fill_region(ctx, damaged)
    for surface, x, y, part, opaque in reversed(parts):
        content = surface.content
        try:
            if content is not None and is_unscaled(surface):
                with content as image:  # pixel for pixel, the common case
                    ctx.set_source_surface(image, x, y)
                    if opaque is not None and content.format == cairo.FORMAT_ARGB32:
                        _fill_opaque_part(ctx, part, opaque)
                    _fill_region(ctx, part)
            else:
                ctx.save()
                _path_of_region(ctx, part)
                ctx.clip()
                draw_surface(ctx, surface, x, y)
                ctx.restore()
        except cairo.Error as error:
            raise _DrawFailed(surface) from error


def _fill_opaque_part(ctx: cairo.Context, part: cairo.Region, opaque: cairo.Region) -> None:
    """Copy the declared-opaque pixels of ``part`` instead of blending them (nothing under them was
    drawn, and a copy reads no framebuffer pixels); ``part`` keeps the rest, to be blended. A client
    whose "opaque" pixels are not shows their colour without alpha there, as on weston."""
    solid = part.copy()
    solid.intersect(opaque)
    if solid.is_empty():
        return
    part.subtract(opaque)
    ctx.set_operator(cairo.OPERATOR_SOURCE)
    _fill_region(ctx, solid)
    ctx.set_operator(cairo.OPERATOR_OVER)


def _draw_scaled(ctx: cairo.Context, background: tuple[float, float, float], extent: Box,
                 shown: list[tuple[Drawable, int, int]]) -> None:
    """Output scale ≠ 1: surfaces do not end on whole device pixels, so no occlusion by regions; only
    what lies under an opaque surface covering all the damage is skipped (a full-screen client then
    costs one paint per frame)."""
    first = next((index for index in range(len(shown) - 1, -1, -1) if _covers_opaquely(*shown[index], extent)),
                 None)
    if first is None:
        ctx.set_source_rgb(*background)
        ctx.paint()
    for surface, x, y in shown[first or 0:]:
        try:
            draw_surface(ctx, surface, x, y)
        except cairo.Error as error:
            raise _DrawFailed(surface) from error


def _rectangles(region: cairo.Region) -> list[cairo.RectangleInt]:
    return [region.get_rectangle(index) for index in range(region.num_rectangles())]


def _path_of_region(ctx: cairo.Context, region: cairo.Region) -> None:
    for rect in _rectangles(region):
        ctx.rectangle(rect.x, rect.y, rect.width, rect.height)


def _fill_region(ctx: cairo.Context, region: cairo.Region) -> None:
    _path_of_region(ctx, region)
    ctx.fill()


def draw_surface(ctx: cairo.Context, surface: Drawable, x: float, y: float) -> None:
    """Draw one surface at (x, y) with its buffer scale, transform and viewport."""
    content = surface.content
    if content is None or surface.width <= 0 or surface.height <= 0:
        return
    state = surface.current
    ctx.save()
    ctx.translate(x, y)
    dx, dy = ctx.user_to_device(0, 0)
    if dx != round(dx) or dy != round(dy):  # fractional output scale: start on a whole pixel, so 1:1 stays crisp
        ctx.translate(*ctx.device_to_user_distance(round(dx) - dx, round(dy) - dy))
    ctx.rectangle(0, 0, surface.width, surface.height)
    ctx.clip()
    # Buffer coordinates → surface coordinates: undo the transform, then the scale, then the viewport.
    buffer_w, buffer_h = content.width / state.scale, content.height / state.scale
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
    scaled = state.scale != 1 or state.viewport_src is not None or state.viewport_dst is not None
    with content as image:
        ctx.set_source_surface(image, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR if scaled else cairo.FILTER_NEAREST)
        ctx.paint()
    ctx.restore()  # also drops the context's reference to the client's pixels


def _covers_opaquely(surface: Drawable, x: int, y: int, rect: Box) -> bool:
    """The surface hides all of ``rect``."""
    opaque = opaque_part(surface, x, y)
    return opaque is not None and opaque.contains_rectangle(cairo.RectangleInt(*rect)) == cairo.REGION_OVERLAP_IN


def _damage_region(rects: list[Box]) -> cairo.Region:
    """The damage as non-overlapping rectangles (pixman merges them); many small damages become one box."""
    if len(rects) > 32:
        box = rects[0]
        for rect in rects[1:]:
            box = box.union(rect)
        rects = [box]
    return cairo.Region([cairo.RectangleInt(*rect) for rect in rects if not rect.empty])


def compose_layout(scene: Scene) -> cairo.ImageSurface:
    """One image of every output at its place in the layout (what `orrery msg screenshot` saves)."""
    bounds = scene.layout_bounds()
    scale = max((output.scale for output in scene.outputs), default=1.0)  # physical pixels of the densest
    image = cairo.ImageSurface(cairo.FORMAT_RGB24, max(1, math.ceil(bounds.width * scale)),
                               max(1, math.ceil(bounds.height * scale)))
    ctx = cairo.Context(image)
    for output in scene.outputs:
        ctx.save()
        ctx.translate(round((output.x - bounds.x) * scale), round((output.y - bounds.y) * scale))
        ctx.scale(scale / output.scale, scale / output.scale)
        picture = cairo.SurfacePattern(output.ensure_framebuffer())
        picture.set_matrix(output.framebuffer_matrix())  # the picture as the user sees it: upright
        ctx.set_source(picture)
        ctx.paint()
        ctx.restore()
    image.flush()
    return image
