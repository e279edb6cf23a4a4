"""Layer-surface placement and the usable area it leaves (compositor/layer_layout.py)."""

from __future__ import annotations

from compositor.geometry import Box
from compositor.layer_layout import BOTTOM, LEFT, RIGHT, TOP, LayerState, arrange, configure_size

OUTPUT = Box(0, 0, 1000, 600)


def test_a_top_panel_reserves_its_zone_and_margin_and_stretches() -> None:
    panel = LayerState(anchor=TOP | LEFT | RIGHT, height=30, exclusive_zone=30, margin=(5, 10, 0, 10))
    [placement], usable = arrange(OUTPUT, [(panel, None)])
    assert placement.rect == Box(10, 5, 980, 30)
    assert usable == Box(0, 35, 1000, 565)
    assert configure_size(panel, placement.bounds) == (980, 30)


def test_zones_stack_and_others_avoid_them_unless_they_ask_for_minus_one() -> None:
    top = LayerState(anchor=TOP, width=200, height=20, exclusive_zone=20)
    left = LayerState(layer="bottom", anchor=LEFT | TOP | BOTTOM, width=50, exclusive_zone=50)
    note = LayerState(anchor=TOP | RIGHT, width=100, height=40)
    wallpaper = LayerState(layer="background", anchor=TOP | BOTTOM | LEFT | RIGHT, exclusive_zone=-1)
    placements, usable = arrange(OUTPUT, [(wallpaper, None), (note, None), (left, None), (top, None)])
    assert [p.rect for p in placements] == [Box(0, 0, 1000, 600), Box(900, 20, 100, 40),
                                            Box(0, 20, 50, 580), Box(400, 0, 200, 20)]
    assert usable == Box(50, 20, 950, 580)


def test_a_corner_or_unanchored_surface_reserves_nothing_and_is_placed_by_the_size_it_asked_for() -> None:
    """A buffer of another size than asked for is drawn from where the asked size was placed (as in wlroots,
    Mir, and WLCS's LayerSurfaceLayoutTest.is_positioned_correctly_when_explicit_size_does_not_match_...)."""
    corner = LayerState(anchor=BOTTOM | RIGHT, width=10, height=10, exclusive_zone=40)
    centred = LayerState(width=100, height=100)
    right = LayerState(anchor=RIGHT | BOTTOM, width=200, height=300, margin=(0, 9, 15, 0))
    placements, usable = arrange(OUTPUT, [(corner, None), (centred, (300, 200)), (right, (52, 74))])
    assert usable == OUTPUT
    assert [p.rect for p in placements] == [Box(990, 590, 10, 10), Box(450, 250, 300, 200),
                                            Box(791, 285, 52, 74)]
