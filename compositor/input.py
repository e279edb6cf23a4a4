"""Input → window-management actions, as pure functions (no state, easy to test and to read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BTN_LEFT, BTN_RIGHT = 0x110, 0x111
RESIZE_EDGES_BOTTOM_RIGHT = 10  # xdg_toplevel.resize_edge.bottom_right


@dataclass(frozen=True)
class Forward:
    """Nothing for the compositor to do: the client gets the event."""


@dataclass(frozen=True)
class Focus:
    """Click (or touch) to focus: activate and raise, and still forward the event."""

    window: Any


@dataclass(frozen=True)
class BeginMove:
    window: Any


@dataclass(frozen=True)
class BeginResize:
    window: Any
    edges: int


PressAction = Forward | Focus | BeginMove | BeginResize


def pointer_press(super_held: bool, button: int, window: Any | None) -> PressAction:
    """What a button press means: Super+left drags, Super+right resizes, any press focuses."""
    if window is None:
        return Forward()
    if super_held and button == BTN_LEFT:
        return BeginMove(window)
    if super_held and button == BTN_RIGHT:
        return BeginResize(window, RESIZE_EDGES_BOTTOM_RIGHT)
    return Focus(window)


def touch_press(window: Any | None) -> PressAction:
    return Forward() if window is None else Focus(window)


def resize_geometry(start: tuple[int, int, int, int], edges: int, dx: int, dy: int,
                    min_size: tuple[int, int], max_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """New (x, y, width, height) while dragging ``edges`` by (dx, dy), within the client's limits."""
    x, y, width, height = start
    top, bottom, left, right = edges & 1, edges & 2, edges & 4, edges & 8
    new_w = width + (dx if right else -dx if left else 0)
    new_h = height + (dy if bottom else -dy if top else 0)
    min_w, min_h = max(1, min_size[0]), max(1, min_size[1])
    max_w, max_h = max_size[0] or 1 << 30, max_size[1] or 1 << 30
    new_w = min(max(new_w, min_w), max_w)
    new_h = min(max(new_h, min_h), max_h)
    if left:
        x += width - new_w
    if top:
        y += height - new_h
    return x, y, new_w, new_h


SUPER_KEYS = ("Super_L", "Super_R")


def super_tap(armed: bool, kind: str, is_super: bool = False, others_held: bool = False) -> tuple[bool, bool]:
    """A Super tap (opens the launcher): Super pressed and released with no other key or button in between.

    ``kind`` is ``"press"``/``"release"`` (a key; ``is_super`` for the Super keys), ``"super-on"``/``"super-off"``
    (a virtual keyboard set or cleared the Super modifier without keys) or ``"button"`` (a pointer button or
    touch). ``others_held``: other keys are down. Returns the new ``armed`` and whether this event is a tap.
    """
    if kind in ("press", "super-on"):
        return (is_super or kind == "super-on") and not others_held, False
    if kind in ("release", "super-off"):
        if is_super or kind == "super-off":
            return False, armed
        return armed, False
    return False, False
