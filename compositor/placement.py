"""Where a new window goes: where it overlaps the windows already there least."""

from __future__ import annotations

from collections.abc import Sequence

import cairo

from .geometry import Box

# Windows a placement looks at: the topmost this many of those shown. Each one adds candidate places and
# rectangles to every candidate's overlap, so all of them (a client may map thousands) would cost every later
# window's map seconds, while the others stand. Windows lower down are mostly covered by these anyway.
CONSIDERED = 32


def place(area: Box, width: int, height: int, taken: Sequence[Box], margin: int = 0) -> tuple[int, int]:
    """The top-left corner for a ``width``×``height`` window in ``area`` (the usable area of the output under
    the pointer) where it covers the least of ``taken`` (the windows shown there); among equals, the
    place whose centre is nearest the area's, then the highest, then the leftmost. The first window is
    centred; later ones go beside the others while there is room. A window larger than the area starts at
    its top-left corner.

    The places tried are the area's edges and centre and the edges of each taken window, so a window
    can go flush against any other (as in wlroots' and GNOME's smart placement). With a ``margin`` (the reach
    of the windows' shadows) the taken windows count that much bigger, so that where there is room a new window
    keeps clear of their shadows and its own stays off them (shadows over a window are drawn again whenever it
    redraws). Only the last :data:`CONSIDERED` of ``taken`` (bottom to top: the topmost) count."""
    taken = [Box(rect.x - margin, rect.y - margin, rect.width + 2 * margin, rect.height + 2 * margin)
             for rect in taken[-CONSIDERED:] if not rect.empty]
    covered = cairo.Region([cairo.RectangleInt(*rect) for rect in taken])
    covered.intersect(cairo.RectangleInt(*area))
    xs = _candidates(area.x, area.width, width, [(rect.x, rect.right) for rect in taken])
    ys = _candidates(area.y, area.height, height, [(rect.y, rect.bottom) for rect in taken])
    centre_x, centre_y = 2 * area.x + area.width, 2 * area.y + area.height  # doubled: whole numbers

    def cost(corner: tuple[int, int]) -> tuple[int, int, int, int]:
        x, y = corner
        overlap = covered.copy()
        overlap.intersect(cairo.RectangleInt(x, y, width, height))
        distance = (2 * x + width - centre_x) ** 2 + (2 * y + height - centre_y) ** 2
        return _area(overlap), distance, y, x

    return min(((x, y) for x in xs for y in ys), key=cost)


def _candidates(start: int, room: int, size: int, spans: list[tuple[int, int]]) -> set[int]:
    """Positions along one axis: the area's start, centre and end, and flush before or after each span,
    kept inside the area (at its start if the window does not fit)."""
    last = max(start, start + room - size)
    wanted = {start, start + (room - size) // 2, last}
    for low, high in spans:
        wanted.update((low - size, high))
    return {min(max(position, start), last) for position in wanted}


def _area(region: cairo.Region) -> int:
    total = 0
    for index in range(region.num_rectangles()):
        rect = region.get_rectangle(index)
        total += rect.width * rect.height
    return total
