"""What shows: which parts of the scene's surfaces opaque surfaces above them hide.

One notion of "opaque" serves both users: the renderer draws each surface only where it shows
(``render._draw_visible_parts``), and the frame clock does not answer the frame callbacks of a surface
nothing of which shows (``frames.py``), as ``wl_surface.frame`` asks. A surface hides what is under it
where its buffer has no alpha channel, or where its client declared it opaque
(``wl_surface.set_opaque_region``: GTK, Qt and foot draw ARGB buffers and say which part is opaque).
Regions are cairo's (pixman's) code.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Protocol, TypeVar

import cairo

from .geometry import Box, Region

if TYPE_CHECKING:
    from .buffers import Content
    from .scene import Output
    from .surface import SurfaceState


class Drawable(Protocol):
    """What the renderer draws: a client's surface, or a piece of a window's server-side frame."""

    content: Content | None
    width: int
    height: int
    current: SurfaceState

    def opaque_region(self) -> Region | None: ...


D = TypeVar("D", bound=Drawable)


def is_unscaled(surface: Drawable) -> bool:
    """Drawn pixel for pixel: no buffer scale, transform or viewport."""
    state = surface.current
    return (state.scale == 1 and not state.transform and state.viewport_src is None
            and state.viewport_dst is None)


def opaque_part(surface: Drawable, x: int, y: int) -> cairo.Region | None:
    """Where the surface at (x, y) hides what is under it (global coordinates), or None for nowhere.

    Only a surface drawn pixel for pixel hides anything: a scaled or transformed buffer is filtered, and
    at its edges (and at the edges of its opaque region) it blends with what is under it."""
    content = surface.content
    width, height = surface.width, surface.height
    if content is None or width <= 0 or height <= 0 or not is_unscaled(surface):
        return None
    if content.format == cairo.FORMAT_RGB24:
        return cairo.Region(cairo.RectangleInt(x, y, width, height))
    declared = surface.opaque_region()
    if declared is None:
        return None
    region = region_within(declared, Box(0, 0, width, height))
    if region.is_empty():
        return None
    region.translate(x, y)
    return region


def region_within(region: Region, bounds: Box) -> cairo.Region:
    """A wl_region (rectangles added and subtracted, in order) inside ``bounds``, a copy of its own."""
    return _compiled_within(region, bounds).copy()


@functools.lru_cache(maxsize=256)
def _compiled_within(region: Region, bounds: Box) -> cairo.Region:
    """Computed once per region and bounds (regions are immutable), not on every frame: a region of thousands
    of rectangles costs pixman that much work. Clipping each rectangle first keeps pixman's 32-bit coordinates
    from overflowing: clients add (0, 0, INT32_MAX, INT32_MAX) to say "all of it" (foot does)."""
    result = cairo.Region()
    for added, rect in region.operations:
        clipped = rect.intersect(bounds)
        if clipped.empty:
            continue
        if added:
            result.union(cairo.RectangleInt(*clipped))
        else:
            result.subtract(cairo.RectangleInt(*clipped))
    return result


def screen_of(outputs: list[Output]) -> cairo.Region:
    """The outputs' rectangles in the global layout."""
    return cairo.Region([cairo.RectangleInt(*output.rect) for output in outputs])


def hidden_surfaces(drawn: list[tuple[D, int, int]], screen: cairo.Region) -> set[D]:
    """The surfaces of ``drawn`` (bottom to top) nothing of which shows on ``screen``: covered by opaque
    surfaces above them, or off every output. A surface of no size is never hidden (nothing could show)."""
    covered = cairo.Region()
    hidden: set[D] = set()
    for surface, x, y in reversed(drawn):
        if surface.width <= 0 or surface.height <= 0:
            continue
        shows = cairo.Region(cairo.RectangleInt(x, y, surface.width, surface.height))
        shows.intersect(screen)
        shows.subtract(covered)
        if shows.is_empty():
            hidden.add(surface)
            continue  # what it would cover is covered already
        opaque = opaque_part(surface, x, y)
        if opaque is not None:
            covered.union(opaque)
    return hidden
