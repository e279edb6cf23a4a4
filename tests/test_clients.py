"""Real third-party clients map windows whose pixels show up where `orrery msg windows` says."""

from __future__ import annotations

from tests.harness import Session


def test_weston_simple_shm_maps_and_its_pixels_are_on_screen(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window("org.freedesktop.weston.simple-shm")
    assert (window["width"], window["height"]) == (250, 250)
    assert window["focused"]
    shot = session.screenshot()
    background = shot.pixel(5, 5)
    inside = shot.region_colours(window["x"] + 30, window["y"] + 30, 190, 190)
    assert len(inside) > 20, "simple-shm draws a colourful pattern"
    assert shot.pixel(window["x"] + 5, window["y"] + 5) == (255, 255, 255)  # its white border
    assert shot.pixel(window["x"] - 3, window["y"] - 3) == background
