"""xdg_positioner placement and constraint adjustment (pure functions)."""

from __future__ import annotations

from compositor.geometry import Box
from compositor.positioner import (
    BOTTOM_LEFT,
    BOTTOM_RIGHT,
    FLIP_X,
    FLIP_Y,
    RESIZE_X,
    SLIDE_X,
    SLIDE_Y,
    TOP_RIGHT,
    Positioner,
    place,
)

SCREEN = Box(0, 0, 800, 600)


def menu(anchor_x: int, anchor_y: int, adjustment: int, width: int = 200, height: int = 300) -> Positioner:
    """A menu hanging below-right of a 20x20 button, like a GTK menubar item."""
    return Positioner(width=width, height=height, anchor_rect=Box(anchor_x, anchor_y, 20, 20),
                      anchor=BOTTOM_LEFT, gravity=BOTTOM_RIGHT, constraint_adjustment=adjustment)


def test_unconstrained_popup_hangs_from_its_anchor() -> None:
    assert place(menu(100, 100, 0), SCREEN) == Box(100, 120, 200, 300)


def test_offset_moves_the_popup() -> None:
    p = Positioner(width=50, height=50, anchor_rect=Box(10, 10, 10, 10), anchor=BOTTOM_RIGHT,
                   gravity=BOTTOM_RIGHT, offset_x=5, offset_y=-3)
    assert place(p, SCREEN) == Box(25, 17, 50, 50)


def test_flip_y_opens_upwards_near_the_bottom_edge() -> None:
    assert place(menu(100, 500, FLIP_Y), SCREEN) == Box(100, 200, 200, 300)


def test_flip_x_opens_leftwards_near_the_right_edge() -> None:
    p = Positioner(width=200, height=100, anchor_rect=Box(700, 100, 20, 20), anchor=TOP_RIGHT,
                   gravity=BOTTOM_RIGHT, constraint_adjustment=FLIP_X)
    assert place(p, SCREEN) == Box(500, 100, 200, 100)


def test_slide_keeps_it_on_screen_when_flipping_does_not_help() -> None:
    assert place(menu(700, 100, SLIDE_X | SLIDE_Y), SCREEN) == Box(600, 120, 200, 300)
    assert place(menu(100, 500, SLIDE_Y), SCREEN) == Box(100, 300, 200, 300)


def test_resize_shrinks_what_cannot_move() -> None:
    assert place(menu(700, 100, RESIZE_X), SCREEN) == Box(700, 120, 100, 300)


def test_no_adjustment_leaves_it_off_screen() -> None:
    assert place(menu(700, 500, 0), SCREEN) == Box(700, 520, 200, 300)
