"""The gallery on Orrery at a fractional output scale, with a finger and with the cursor shape protocol:

- at output scale 1.5 (``orrery msg output scale``) the gallery commits a buffer of 1.5 times its window size
  (wp_fractional_scale_v1 + wp_viewporter) and the screen shows it pixel for pixel, as crisp as the gallery
  rendered headless at scale 1.5; back at scale 1 it goes back to a 1:1 buffer;
- a tap (``orrery msg touch down/up``) on a button clicks it, on a pick list opens its menu (a popup), on the
  panel's launcher button (a layer surface) opens the launcher;
- over a text input the pointer shows the "text" shape (wp_cursor_shape_v1), over a button "pointer".
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cairo
import pytest

from protocols import shell_control as control
from tests.harness import ROOT, Screenshot, Session, wait_until
from tests.test_widgets_wayland import _shows
from widgets.gallery import Gallery
from widgets.headless import render
from widgets.testing import Simulator

GALLERY = [sys.executable, "-m", "widgets.gallery", "--size", "1000x760"]
SIZE = (1000, 760)


def _start_gallery(session: Session, runtime_dir: Path) -> Any:
    log = open(runtime_dir / "gallery.log", "wb")  # noqa: SIM115 - lives as long as the client
    return session.spawn(GALLERY, stderr=log, cwd=ROOT)


def _buffer(session: Session) -> list[int] | None:
    """The gallery window's committed buffer size, as the compositor saw it."""
    windows = [w for w in session.windows() if w["title"] != ""]
    return windows[0]["buffer"] if windows else None


@pytest.fixture
def scaled(runtime_dir: Path) -> Iterator[Session]:
    """A 1920x1200 output at scale 1.5: 1280x800 logical pixels."""
    session = Session(runtime_dir, outputs=("1920x1200@60",))
    reply = session.msg("output", "scale", "HEADLESS-1", "1.5")
    assert (reply["width"], reply["height"], reply["scale"]) == (1280, 800, 1.5)
    yield session
    assert session.stop() == 0, session.log_path.read_text(errors="replace")


def _mismatch(shot: Screenshot, x0: int, y0: int, expected: cairo.ImageSurface, step: int = 3) -> float:
    """The share of sampled pixels of ``expected`` that differ on screen at (x0, y0) by more than a little."""
    data, stride = bytes(expected.get_data()), expected.get_stride()
    total = wrong = 0
    for y in range(0, expected.get_height(), step):
        for x in range(0, expected.get_width(), step):
            o = y * stride + x * 4
            want = (data[o + 2], data[o + 1], data[o])
            got = shot.pixel(x0 + x, y0 + y)
            total += 1
            wrong += max(abs(a - b) for a, b in zip(want, got, strict=True)) > 8
    return wrong / total


def test_gallery_at_output_scale_1_5_is_drawn_crisp_at_the_output_pixels(scaled: Session, runtime_dir: Path) -> None:
    client = _start_gallery(scaled, runtime_dir)
    window = scaled.wait_for_window("org.orrery.Gallery")
    assert (window["width"], window["height"]) == SIZE  # logical pixels
    wait_until(lambda: _buffer(scaled) == [1500, 1140], what="a 1500x1140 buffer (1.5 x 1000x760)")
    expected = render(Gallery(), *SIZE, scale=1.5)
    x0, y0 = round(window["x"] * 1.5), round(window["y"] * 1.5)

    def crisp() -> bool:
        shot = scaled.screenshot()
        assert (shot.width, shot.height) == (1920, 1200)  # screenshots are in the output's physical pixels
        return _mismatch(shot, x0, y0, expected) < 0.005  # a blurred (scaled up) rendering is ~4 %
    wait_until(crisp, timeout=10, what="the screen to show the gallery as rendered at scale 1.5")

    with Simulator(Gallery(), SIZE) as sim:  # a tap opens the pick list's menu: a popup, drawn at 1.5 too
        field = sim.find("Pick one…").bounds
        sim.click("Pick one…")
        menu = sim.runtime.overlay_node.bounds  # type: ignore[union-attr]
    scaled.msg("touch", "down", "0", str(int(window["x"] + field.center.x)), str(int(window["y"] + field.center.y)))
    scaled.msg("touch", "up", "0")
    popup = wait_until(lambda: scaled.wait_for_window("org.orrery.Gallery")["popups"], what="the menu")[0]
    assert (popup["x"], popup["y"]) == (window["x"] + int(menu.x), window["y"] + int(menu.y))
    assert popup["width"] == int(menu.width + 0.999) and popup["height"] >= 4 * 20  # logical pixels

    scaled.msg("output", "scale", "HEADLESS-1", "1")
    wait_until(lambda: _buffer(scaled) == [1000, 760], what="a 1:1 buffer back at scale 1")
    assert client.poll() is None
    assert "Traceback" not in (runtime_dir / "gallery.log").read_text()


def test_a_tap_clicks_a_button(session: Session, runtime_dir: Path) -> None:
    client = _start_gallery(session, runtime_dir)
    window = session.wait_for_window("org.orrery.Gallery")
    with Simulator(Gallery(), SIZE) as sim:
        button = sim.find("Click me").bounds
    x, y = str(int(window["x"] + button.center.x)), str(int(window["y"] + button.center.y))
    session.msg("touch", "down", "0", x, y)
    session.msg("touch", "up", "0")
    wait_until(lambda: session.windows()[0]["title"] == "Widget gallery — 1 clicks", what="the title to count 1")
    with Simulator(Gallery(), SIZE) as sim:
        sim.click("Click me")
        expected = sim.render()
        label = sim.find("Clicked 1 times").bounds
    wait_until(lambda: _shows(session, window["x"], window["y"], expected, label), what="the new label on screen")
    assert client.poll() is None
    assert "Traceback" not in (runtime_dir / "gallery.log").read_text()


def test_the_pointer_shows_the_text_shape_over_a_text_input(session: Session, runtime_dir: Path) -> None:
    client = _start_gallery(session, runtime_dir)
    window = session.wait_for_window("org.orrery.Gallery")
    with Simulator(Gallery(), SIZE) as sim:
        field, button = sim.find("Your name").bounds, sim.find("Click me").bounds

    def cursor_at(x: float, y: float) -> str:
        session.msg("pointer", "move", str(int(window["x"] + x)), str(int(window["y"] + y)))
        return session.msg("seat")["cursor"]  # type: ignore[no-any-return]

    wait_until(lambda: cursor_at(field.x + 20, field.center.y) == "text", what="the text cursor over the field")
    wait_until(lambda: cursor_at(button.center.x, button.center.y) == "pointer", what="the hand over the button")
    assert session.msg("seat")["focus"] == window["id"]
    assert client.poll() is None


def test_a_tap_on_the_panels_launcher_button_opens_the_launcher(runtime_dir: Path, tmp_path: Path) -> None:
    """Touch on a layer surface: Orrery's own panel (a widgets LayerHost)."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime_dir, extra_env=env, shell=True)
    try:
        def layers(namespace: str) -> list[dict[str, Any]]:
            return [s for s in session.msg("layers") if s["namespace"] == namespace]
        panel = wait_until(lambda: layers("panel"), timeout=20, what="the panel")[0]
        assert not layers("launcher")
        launcher = control.socket_path(session.name, "launcher", str(runtime_dir))  # the launcher listens for the panel
        wait_until(launcher.exists, timeout=20, what="the launcher process to listen")
        x, y = str(panel["x"] + 20), str(panel["y"] + panel["height"] // 2)  # the launcher button, leftmost
        session.msg("touch", "down", "0", x, y)
        session.msg("touch", "up", "0")
        wait_until(lambda: layers("launcher"), what="the launcher to open")
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")
