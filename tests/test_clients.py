"""Real third-party clients map windows whose pixels show up where `orrery msg windows` says."""

from __future__ import annotations

import sys

import pytest

from tests.harness import ROOT, Session, wait_until


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


def _assert_window_shows_client_pixels(session: Session, window: dict[str, int],
                                       background: tuple[int, int, int], min_colours: int = 8) -> None:
    shot = session.screenshot()
    x, y = max(0, window["x"]), max(0, window["y"])
    width = min(window["width"], shot.width - x)
    height = min(window["height"], shot.height - y)
    samples = [shot.pixel(px, py) for px in range(x + 2, x + width - 2, 7) for py in range(y + 2, y + height - 2, 7)]
    covered = sum(1 for colour in samples if colour != background) / len(samples)
    assert covered > 0.9, f"only {covered:.0%} of the window rectangle shows the client"
    assert len(set(samples)) > min_colours, "a real UI has text and widgets, not one flat colour"


@pytest.mark.parametrize(
    ("argv", "app_id", "env", "min_colours"),
    [
        (["weston-terminal"], "org.freedesktop.weston.wayland-terminal", {}, 8),
        (["foot", "sh"], "foot", {"SHELL": "/bin/sh"}, 1),  # a prompt on a plain background
        (["gtk3-demo"], "gtk3-demo", {"GDK_BACKEND": "wayland"}, 8),
        (["dbus-run-session", "--", "gtk4-widget-factory"], "org.gtk.WidgetFactory4",
         {"GSK_RENDERER": "cairo", "GDK_BACKEND": "wayland"}, 8),
    ],
    ids=["weston-terminal", "foot", "gtk3-demo", "gtk4-widget-factory"],
)
def test_real_client_maps_a_window_with_its_pixels(session: Session, argv: list[str], app_id: str,
                                                   env: dict[str, str], min_colours: int) -> None:
    background = session.screenshot("empty.png").pixel(0, 0)
    session.spawn(argv, env=env)
    window = session.wait_for_window(app_id, timeout=30)
    assert window["width"] > 100 and window["height"] > 100
    # give the client a moment to draw its first full frame after mapping
    wait_until(lambda: _covered(session, window, background, min_colours), timeout=10, what=f"{app_id} to draw")
    _assert_window_shows_client_pixels(session, window, background, min_colours)


def _covered(session: Session, window: dict[str, int], background: tuple[int, int, int], min_colours: int) -> bool:
    try:
        _assert_window_shows_client_pixels(session, window, background, min_colours)
    except AssertionError:
        return False
    return True


def test_a_client_committing_in_a_loop_gets_one_frame_callback_per_refresh(session: Session) -> None:
    result = session.run([sys.executable, "-m", "tests.tools.frame_counter", "2"], cwd=ROOT)
    counts = dict(part.split("=") for part in result.stdout.decode().split())
    commits, answers = int(counts["commits"]), int(counts["answers"])
    assert commits > 200, "the client really did commit in a loop"
    assert 60 <= answers <= 2 * 60 + 5, f"callbacks answered at {answers} distinct frames in 2 s at 60 Hz"


def test_subsurfaces_are_composited_inside_their_window(session: Session) -> None:
    """weston-subsurfaces draws a green main surface with a red and a dark green subsurface on it."""
    session.spawn(["weston-subsurfaces"])
    window = session.wait_for_window("org.freedesktop.weston.wayland-sub-surface-demo")

    def colours() -> set[tuple[int, int, int]]:
        return session.screenshot().region_colours(window["x"], window["y"], window["width"], window["height"], 3)

    def has_both(found: set[tuple[int, int, int]]) -> bool:
        red = any(r > 140 and g < 60 and b < 60 for r, g, b in found)
        green = any(g > 140 and r < 40 and b < 40 for r, g, b in found)
        return red and green

    wait_until(lambda: has_both(colours()), timeout=10, what="the red subsurface over the green surface")


def test_a_client_asking_to_start_maximized_fills_the_output_and_stays_so(session: Session) -> None:
    session.spawn(["foot", "--maximized", "sh"], env={"SHELL": "/bin/sh"})
    session.wait_for_window("foot", predicate=lambda w: w["maximized"] and (w["width"], w["height"]) == (1280, 800))
    # focus changes send new configures; they must keep the maximized size
    session.spawn(["weston-simple-shm"])
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    foot = next(w for w in session.windows() if w["app_id"] == "foot")
    assert (foot["x"], foot["y"], foot["width"], foot["height"], foot["focused"]) == (0, 0, 1280, 800, False)
