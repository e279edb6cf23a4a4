"""xdg_positioner rules as pure functions: where a popup goes, and how it dodges the screen edges.

Coordinates are relative to the parent's window geometry. ``bounds`` is the area the popup must stay in
(the output's usable area, in the same coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .geometry import Box

# xdg_positioner.anchor / .gravity values
NONE, TOP, BOTTOM, LEFT, RIGHT, TOP_LEFT, BOTTOM_LEFT, TOP_RIGHT, BOTTOM_RIGHT = range(9)
SLIDE_X, SLIDE_Y, FLIP_X, FLIP_Y, RESIZE_X, RESIZE_Y = 1, 2, 4, 8, 16, 32

_HORIZONTAL = {LEFT: -1, TOP_LEFT: -1, BOTTOM_LEFT: -1, RIGHT: 1, TOP_RIGHT: 1, BOTTOM_RIGHT: 1}
_VERTICAL = {TOP: -1, TOP_LEFT: -1, TOP_RIGHT: -1, BOTTOM: 1, BOTTOM_LEFT: 1, BOTTOM_RIGHT: 1}


@dataclass(frozen=True)
class Positioner:
    width: int = 0
    height: int = 0
    anchor_rect: Box = Box(0, 0, 0, 0)
    anchor: int = NONE
    gravity: int = NONE
    constraint_adjustment: int = 0
    offset_x: int = 0
    offset_y: int = 0
    reactive: bool = False

    @property
    def complete(self) -> bool:
        return self.width > 0 and self.height > 0 and self.anchor_rect.width >= 0


def _flip(value: int, table: dict[int, int], axis: str) -> int:
    """Mirror an anchor/gravity along one axis (left↔right or top↔bottom)."""
    horizontal = {LEFT: RIGHT, RIGHT: LEFT, TOP_LEFT: TOP_RIGHT, TOP_RIGHT: TOP_LEFT,
                  BOTTOM_LEFT: BOTTOM_RIGHT, BOTTOM_RIGHT: BOTTOM_LEFT}
    vertical = {TOP: BOTTOM, BOTTOM: TOP, TOP_LEFT: BOTTOM_LEFT, BOTTOM_LEFT: TOP_LEFT,
                TOP_RIGHT: BOTTOM_RIGHT, BOTTOM_RIGHT: TOP_RIGHT}
    return (horizontal if axis == "x" else vertical).get(value, value)


def unconstrained_rect(p: Positioner) -> Box:
    """Where the popup goes before any constraint adjustment."""
    a = p.anchor_rect
    ax = {-1: a.x, 1: a.x + a.width}.get(_HORIZONTAL.get(p.anchor, 0), a.x + a.width // 2)
    ay = {-1: a.y, 1: a.y + a.height}.get(_VERTICAL.get(p.anchor, 0), a.y + a.height // 2)
    gx, gy = _HORIZONTAL.get(p.gravity, 0), _VERTICAL.get(p.gravity, 0)
    x = ax - p.width if gx < 0 else ax if gx > 0 else ax - p.width // 2
    y = ay - p.height if gy < 0 else ay if gy > 0 else ay - p.height // 2
    return Box(x + p.offset_x, y + p.offset_y, p.width, p.height)


def place(p: Positioner, bounds: Box) -> Box:
    """The final popup rectangle: flip, then slide, then resize, axis by axis, as xdg-shell orders."""
    rect = unconstrained_rect(p)
    rect = _adjust_x(p, rect, bounds)
    return _adjust_y(p, rect, bounds)


def _out_x(rect: Box, bounds: Box) -> bool:
    return rect.x < bounds.x or rect.right > bounds.right


def _out_y(rect: Box, bounds: Box) -> bool:
    return rect.y < bounds.y or rect.bottom > bounds.bottom


def _adjust_x(p: Positioner, rect: Box, bounds: Box) -> Box:
    if not _out_x(rect, bounds):
        return rect
    if p.constraint_adjustment & FLIP_X:
        flipped = unconstrained_rect(replace(p, anchor=_flip(p.anchor, _HORIZONTAL, "x"),
                                             gravity=_flip(p.gravity, _HORIZONTAL, "x"),
                                             offset_x=-p.offset_x))
        flipped = Box(flipped.x, rect.y, rect.width, rect.height)
        if not _out_x(flipped, bounds):
            return flipped
    if p.constraint_adjustment & SLIDE_X:
        x = rect.x
        if rect.right > bounds.right:
            x = bounds.right - rect.width
        if x < bounds.x:
            x = bounds.x
        rect = Box(x, rect.y, rect.width, rect.height)
        if not _out_x(rect, bounds):
            return rect
    if p.constraint_adjustment & RESIZE_X:
        left, right = max(rect.x, bounds.x), min(rect.right, bounds.right)
        if right > left:
            return Box(left, rect.y, right - left, rect.height)
    return rect


def _adjust_y(p: Positioner, rect: Box, bounds: Box) -> Box:
    if not _out_y(rect, bounds):
        return rect
    if p.constraint_adjustment & FLIP_Y:
        flipped = unconstrained_rect(replace(p, anchor=_flip(p.anchor, _VERTICAL, "y"),
                                             gravity=_flip(p.gravity, _VERTICAL, "y"),
                                             offset_y=-p.offset_y))
        flipped = Box(rect.x, flipped.y, rect.width, rect.height)
        if not _out_y(flipped, bounds):
            return flipped
    if p.constraint_adjustment & SLIDE_Y:
        y = rect.y
        if rect.bottom > bounds.bottom:
            y = bounds.bottom - rect.height
        if y < bounds.y:
            y = bounds.y
        rect = Box(rect.x, y, rect.width, rect.height)
        if not _out_y(rect, bounds):
            return rect
    if p.constraint_adjustment & RESIZE_Y:
        top, bottom = max(rect.y, bounds.y), min(rect.bottom, bounds.bottom)
        if bottom > top:
            return Box(rect.x, top, rect.width, bottom - top)
    return rect
