"""Where layer-shell surfaces go on an output, and what room they leave for windows (pure functions).

Anchors are the zwlr_layer_surface_v1.anchor bits. Surfaces with a positive exclusive zone anchored to
one edge (alone, or with both edges perpendicular to it) are placed first, topmost layer first, and each
takes its zone plus its margin off the usable area; the others are then placed in what is left, except
those with a zone of -1, which use the whole output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .geometry import Box

TOP, BOTTOM, LEFT, RIGHT = 1, 2, 4, 8
LAYER_ORDER = ("overlay", "top", "bottom", "background")  # who reserves room first


@dataclass(frozen=True)
class LayerState:
    """The committed state of one layer surface that placement depends on."""

    layer: str = "top"
    anchor: int = 0
    width: int = 0  # 0: stretch between the anchored edges
    height: int = 0
    exclusive_zone: int = 0
    margin: tuple[int, int, int, int] = (0, 0, 0, 0)  # top, right, bottom, left


def exclusive_edge(anchor: int) -> int:
    """The one edge an exclusive zone applies to, or 0 when the anchors name none."""
    for edge, perpendicular in ((TOP, LEFT | RIGHT), (BOTTOM, LEFT | RIGHT), (LEFT, TOP | BOTTOM),
                                (RIGHT, TOP | BOTTOM)):
        if anchor in (edge, edge | perpendicular):
            return edge
    return 0


def place(state: LayerState, bounds: Box, size: tuple[int, int] | None = None) -> Box:
    """The surface's rectangle within ``bounds``; ``size`` is what it drew (or None: what it asked).

    The position comes from the size asked for (zeros stretched to the anchored edges), as in wlroots and
    Mir: a buffer of another size is drawn from that corner, so a client that draws smaller or larger than
    its configure still sits against its anchored edges and margins.
    """
    top, right, bottom, left = state.margin
    width, height = state.width, state.height
    if width <= 0:
        width = max(0, bounds.width - (left if state.anchor & LEFT else 0) - (right if state.anchor & RIGHT else 0))
    if height <= 0:
        height = max(0, bounds.height - (top if state.anchor & TOP else 0) - (bottom if state.anchor & BOTTOM else 0))
    x = _axis(bounds.x, bounds.width, width, state.anchor & LEFT, state.anchor & RIGHT, left, right)
    y = _axis(bounds.y, bounds.height, height, state.anchor & TOP, state.anchor & BOTTOM, top, bottom)
    if size is not None and size[0] > 0 and size[1] > 0:
        width, height = size
    return Box(x, y, width, height)


def _axis(start: int, length: int, size: int, low: int, high: int, low_margin: int, high_margin: int) -> int:
    if low and high:  # between both edges: centred in the room the margins leave
        return start + low_margin + (length - low_margin - high_margin - size) // 2
    if low:
        return start + low_margin
    if high:
        return start + length - high_margin - size
    return start + (length - size) // 2


def reserve(area: Box, state: LayerState) -> Box:
    """``area`` minus the room the surface reserves along its edge."""
    edge = exclusive_edge(state.anchor)
    if state.exclusive_zone <= 0 or not edge:
        return area
    top, right, bottom, left = state.margin
    if edge == TOP:
        taken = state.exclusive_zone + top
        return Box(area.x, area.y + taken, area.width, max(0, area.height - taken))
    if edge == BOTTOM:
        return Box(area.x, area.y, area.width, max(0, area.height - state.exclusive_zone - bottom))
    if edge == LEFT:
        taken = state.exclusive_zone + left
        return Box(area.x + taken, area.y, max(0, area.width - taken), area.height)
    return Box(area.x, area.y, max(0, area.width - state.exclusive_zone - right), area.height)


@dataclass(frozen=True)
class Placement:
    bounds: Box  # the area the surface was placed in (a stretched size fills it, less margins)
    rect: Box  # where it is


def arrange(output: Box, surfaces: Sequence[tuple[LayerState, tuple[int, int] | None]],
            ) -> tuple[list[Placement], Box]:
    """Placements for each (state, drawn size) on an output, in the given order, and the usable area left."""
    placed: list[Placement | None] = [None] * len(surfaces)
    usable = output
    order = sorted(range(len(surfaces)), key=lambda i: LAYER_ORDER.index(surfaces[i][0].layer))
    for index in order:
        state, size = surfaces[index]
        if state.exclusive_zone > 0 and exclusive_edge(state.anchor):
            placed[index] = Placement(usable, place(state, usable, size))
            usable = reserve(usable, state)
    for index in order:
        state, size = surfaces[index]
        if placed[index] is None:
            bounds = output if state.exclusive_zone < 0 else usable
            placed[index] = Placement(bounds, place(state, bounds, size))
    return [placement for placement in placed if placement is not None], usable


def configure_size(state: LayerState, bounds: Box) -> tuple[int, int]:
    """The size to configure: what the client asked for, with zeros stretched to the anchored edges."""
    rect = place(state, bounds)
    return rect.width, rect.height
