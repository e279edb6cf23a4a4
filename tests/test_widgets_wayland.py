"""The gallery as a real Wayland client: on Orrery (mapped, its pixels on screen, a click changes what is
shown) and on weston's headless backend (a third-party compositor: it connects, maps and keeps running)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, Screenshot, Session, require, wait_until
from widgets.gallery import Gallery
from widgets.testing import Simulator

GALLERY = [sys.executable, "-m", "widgets.gallery", "--size", "1000x760"]


def gallery_layout() -> Simulator:  # type: ignore[type-arg]
    return Simulator(Gallery(), (1000, 760))


def test_gallery_on_orrery_shows_and_reacts_to_a_click(session: Session, runtime_dir: Path) -> None:
    log = open(runtime_dir / "gallery.log", "wb")  # noqa: SIM115 - closed below
    client = session.spawn(GALLERY, stderr=log, cwd=ROOT)
    window = session.wait_for_window("org.orrery.Gallery")
    assert (window["width"], window["height"]) == (1000, 760)
    assert window["title"] == "Widget gallery — 0 clicks"
    with gallery_layout() as sim:
        button = sim.find("Click me").bounds
        background = sim.pixel(990, 750)
        blue = sim.pixel(button.x + 4, button.center.y)
    shot = session.screenshot()
    wx, wy = window["x"], window["y"]
    assert shot.pixel(wx + 990, wy + 750) == background
    assert shot.pixel(int(wx + button.x + 4), int(wy + button.center.y)) == blue

    session.pointer("move", str(int(wx + button.center.x)), str(int(wy + button.center.y)), "click", "left")
    wait_until(lambda: session.windows()[0]["title"] == "Widget gallery — 1 clicks", what="the title to count 1")
    with Simulator(Gallery(), (1000, 760)) as sim:
        sim.click("Click me")
        expected = sim.render()
        label = sim.find("Clicked 1 times").bounds
    shot = wait_until(lambda: _shows(session, wx, wy, expected, label), what="the new label on screen")
    assert client.poll() is None
    log.close()
    assert "Traceback" not in (runtime_dir / "gallery.log").read_text()


def _shows(session: Session, wx: int, wy: int, expected: object, label: object) -> bool:
    import cairo

    from widgets import Rect
    assert isinstance(expected, cairo.ImageSurface) and isinstance(label, Rect)
    shot = session.screenshot()
    data, stride = bytes(expected.get_data()), expected.get_stride()
    mismatches = 0
    for y in range(int(label.y), int(label.bottom)):
        for x in range(int(label.x), int(label.right)):
            o = y * stride + x * 4
            if shot.pixel(wx + x, wy + y) != (data[o + 2], data[o + 1], data[o]):
                mismatches += 1
    return mismatches < 0.02 * label.width * label.height


@pytest.mark.parametrize("scale", [1, 2])
def test_gallery_runs_on_weston_headless(tmp_path: Path, scale: int) -> None:
    """weston (with its screenshooter, --debug) shows the gallery as a headless render at the same scale draws it:
    at output scale 2 the window is drawn at twice the pixels (wl_surface.set_buffer_scale)."""
    require({"weston": "weston"})
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DISPLAY", None)
    weston = subprocess.Popen(["weston", "--backend=headless-backend.so", "--use-pixman", "--socket=widgets-test",
                               "--width=1280", "--height=800", "--idle-time=0", f"--scale={scale}", "--debug"],
                              env=env, stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "weston.log", "wb"))  # noqa: SIM115 - lives as weston does
    with Simulator(Gallery(), (1000, 760), scale=scale) as sim:
        expected = sim.render()
    try:
        wait_until(lambda: (runtime / "widgets-test").exists(), timeout=15, what="weston's socket")
        client_env = {**env, "WAYLAND_DISPLAY": "widgets-test"}
        client = subprocess.Popen(GALLERY, env=client_env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=open(tmp_path / "gallery.log", "wb"))  # noqa: SIM115
        try:
            def shown() -> bool:
                for old in tmp_path.glob("wayland-screenshot-*.png"):
                    old.unlink()
                subprocess.run(["weston-screenshooter"], env=client_env, cwd=tmp_path, timeout=10,
                               capture_output=True)
                shots = list(tmp_path.glob("wayland-screenshot-*.png"))
                return bool(shots) and _weston_shows(Screenshot(shots[0]), expected)
            wait_until(shown, timeout=20, interval=0.5, what=f"weston's screenshot to show the gallery at {scale}x")
            log = (tmp_path / "gallery.log").read_text()
            assert client.poll() is None, f"gallery exited: {log}"
            assert "Traceback" not in log and "error" not in log.lower()
        finally:
            client.terminate()
            assert client.wait(timeout=10) == 0
    finally:
        weston.terminate()
        weston.wait(timeout=10)


def _weston_shows(shot: Screenshot, expected: Any) -> bool:
    """Find the window by its background colour along the middle row, then compare sampled pixels."""
    data, stride = bytes(expected.get_data()), expected.get_stride()
    width, height = expected.get_width(), expected.get_height()

    def want(x: int, y: int) -> tuple[int, int, int]:
        o = y * stride + x * 4
        return data[o + 2], data[o + 1], data[o]

    edge = want(0, height // 2)
    left = next((x for x in range(shot.width) if shot.pixel(x, shot.height // 2) == edge), None)
    if left is None:
        return False
    top = next((y for y in range(shot.height) if shot.pixel(left + 2, y) == want(2, 0)), None)
    if top is None or left + width > shot.width or top + height > shot.height:
        return False
    samples = [(x, y) for y in range(0, height, 7) for x in range(0, width, 7)]
    wrong = sum(1 for x, y in samples if shot.pixel(left + x, top + y) != want(x, y))
    return wrong < 0.02 * len(samples)




def test_cursor_shapes_come_from_the_xcursor_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One loader (themes.xcursor) for the compositor and the toolkit, honouring $XDG_DATA_HOME/icons too."""
    from themes.xcursor import SHAPE_NAMES, load

    arrow, hand = load(SHAPE_NAMES["default"], size=24), load(SHAPE_NAMES["pointer"], size=24)
    assert arrow is not None and hand is not None, "no XCursor theme: install xcursor-themes (make setup)"
    for cursor in (arrow, hand):
        width, height = cursor.image.get_width(), cursor.image.get_height()
        assert 16 <= width <= 64 and 0 <= cursor.hotspot[0] < width and 0 <= cursor.hotspot[1] < height
    assert bytes(arrow.image.get_data()) != bytes(hand.image.get_data())
    big = load(SHAPE_NAMES["pointer"], size=48)  # for output scale 2
    assert big is not None and big.image.get_width() > hand.image.get_width()
    # a theme the user installed under $XDG_DATA_HOME: its hand is the shape that comes out
    source = next(p for p in Path("/usr/share/icons").glob("*/cursors/hand2") if p.is_file())
    mine = tmp_path / "data" / "icons" / "mine" / "cursors"
    mine.mkdir(parents=True)
    (mine / "pointer").write_bytes(source.read_bytes())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XCURSOR_THEME", "mine")
    monkeypatch.delenv("XCURSOR_PATH", raising=False)
    assert load(SHAPE_NAMES["pointer"], size=24) is not None  # found only in "mine", under $XDG_DATA_HOME
