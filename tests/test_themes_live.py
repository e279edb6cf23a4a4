"""Apps restyle live from TOML themes: real theme files in a temporary XDG_CONFIG_HOME, a toolkit app on the
headless runtime, edits in place and by rename-over, and what the next frame shows."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, Session, wait_until
from themes import builtin
from widgets import Element, FunctionApp, Status, button, column, container, text_input
from widgets.gallery import Gallery
from widgets.style_adapter import WIDGET_CLASSES, builtin_theme
from widgets.testing import Simulator
from widgets.themed import Restyle, Themed, ThemedState
from widgets.widget.button import Button

Pixel = tuple[int, int, int]
DARK = builtin("orrery-dark").tokens


def rgb(hex_colour: str) -> Pixel:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def theme_text(accent: str) -> str:
    return f'[meta]\ninherits = "orrery-dark"\n\n[tokens]\naccent = "{accent}"\n'


@pytest.fixture
def themes_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "data"))
    directory = tmp_path / "config" / "orrery" / "themes"
    directory.mkdir(parents=True)
    return directory


@dataclass
class Note:
    text: str = ""


def note_app() -> FunctionApp[Note, Any]:
    def update(state: Note, message: Any) -> None:
        state.text = message

    def view(state: Note) -> Element[Any]:
        return container(column([button("Save").on_press(state.text),
                                 text_input("Note", state.text).on_input(lambda v: v)]).spacing(12)).padding(
            (90, 20, 20, 20))
    return FunctionApp(Note, update, view, title="Notes")


Sim = Simulator[ThemedState[Note], Any]


def until(sim: Sim, predicate: Callable[[], Any], what: str, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        sim.wait(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def started(sim: Sim) -> None:
    """Wait for the watch to be running (it reports the theme it found first)."""
    until(sim, lambda: any(isinstance(m, Restyle) for m in sim.messages), "the theme watch to start")


def in_button(sim: Simulator[Any, Any]) -> tuple[float, float]:
    """A point inside the Save button's fill, left of its label."""
    bounds = sim.find_all(Button)[0].bounds
    return bounds.x + 4, bounds.center.y


def shows(sim: Sim, needle: str) -> bool:
    return any(f.text is not None and needle in f.text for f in sim.all())


def test_app_restyles_on_save_and_keeps_its_theme_on_a_broken_save(themes_dir: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    path = themes_dir / "live.toml"
    path.write_text(theme_text("#ff0000"))
    with Simulator(Themed(note_app(), "live"), (420, 260)) as sim:
        accent = in_button(sim)  # the primary button is filled with the accent
        corner = (3, 3)
        assert sim.pixel(*accent) == (255, 0, 0)
        assert sim.pixel(*corner) == rgb(DARK.background.hex())
        started(sim)

        path.write_text(theme_text("#00ff00"))  # saved in place
        until(sim, lambda: sim.pixel(*accent) == (0, 255, 0), "the in-place save to show")

        swap = themes_dir / ".live.toml.swp"  # saved by writing a temporary file and renaming it over
        swap.write_text(theme_text("#0000ff"))
        os.replace(swap, path)
        until(sim, lambda: sim.pixel(*accent) == (0, 0, 255), "the rename-over save to show")

        sim.click("Note")
        sim.type("draft")
        caplog.set_level(logging.ERROR)
        path.write_text(theme_text("#12345"))  # broken: the old colours stay, and a banner says why
        message = 'live.toml:5:10: tokens.accent: bad colour "#12345": expected #rgb, #rrggbb or #rrggbbaa'
        until(sim, lambda: shows(sim, message), "the notice")
        assert shows(sim, 'Theme "live" has 1 error: still showing live')
        assert sim.pixel(*accent) == (0, 0, 255)
        assert sim.pixel(*corner) == rgb(DARK.danger.hex())  # the banner, in the danger colour
        banner = sim.find(message).bounds
        ink = sim.colours(banner, step=1)
        assert rgb(DARK.on_danger.hex()) in ink or any(sum(c) < 150 for c in ink)  # its text is drawn
        assert f"{path}:5:10: error: tokens.accent: bad colour" in caplog.text  # and logged with the full path
        sim.type("ed")  # the app kept its state under the banner
        assert sim.state.app.text == "drafted"

        path.write_text(theme_text("#ffff00"))  # fixed: restyled, banner gone
        until(sim, lambda: sim.pixel(*accent) == (255, 255, 0), "the fixed save to show")
        assert not shows(sim, message)
        assert sim.pixel(*corner) == rgb(DARK.background.hex())


def test_a_theme_broken_from_the_start_shows_the_fallback_and_the_notice(themes_dir: Path) -> None:
    (themes_dir / "bad.toml").write_text("[tokens]\naccent = 12\n")
    with Simulator(Themed(note_app(), "bad"), (420, 260)) as sim:
        sim.find("bad.toml:2:10: tokens.accent: expected a colour")
        assert sim.runtime.theme.name == "Orrery Dark"
        assert sim.pixel(*in_button(sim)) == rgb(DARK.accent.hex())


def test_a_missing_theme_is_named_in_the_notice(themes_dir: Path) -> None:
    with Simulator(Themed(note_app(), "orrery-drak"), (600, 200)) as sim:
        sim.find('no theme named "orrery-drak" (did you mean "orrery-dark"?)')


def test_every_widget_class_and_status_has_a_style() -> None:
    for name in ("orrery-dark", "orrery-light", "orrery-high-contrast-dark", "orrery-high-contrast-light"):
        theme = builtin_theme(name)
        for cls in WIDGET_CLASSES:
            for status in Status:
                style = theme.style(cls, status)
                assert style.text.a == 1.0, (name, cls, status)
        assert theme.style("button.unknown-variant", Status.ACTIVE) == theme.style("button", Status.ACTIVE)


def test_the_default_look_is_the_builtin_orrery_light() -> None:
    light = builtin("orrery-light")
    with Simulator(note_app(), (420, 260)) as sim:
        assert sim.pixel(3, 3) == rgb(light.tokens.background.hex())
        assert sim.pixel(*in_button(sim)) == rgb(light.button_primary.active.background.hex())
        assert sim.runtime.theme.font_size == light.fonts.ui.size * 96 / 72


def test_a_wayland_client_on_orrery_restyles_on_save(themes_dir: Path, session: Session, runtime_dir: Path) -> None:
    path = themes_dir / "live.toml"
    path.write_text(theme_text("#ff0000"))
    with Simulator(Gallery(), (1000, 760)) as sim:
        bx, by = (int(v) for v in in_button(sim))  # "Click me", a primary button
    log = open(runtime_dir / "gallery.log", "wb")  # noqa: SIM115 - closed below
    session.spawn([sys.executable, "-m", "widgets.gallery", "--size", "1000x760", "--theme", "live"],
                  env={"XDG_CONFIG_HOME": str(themes_dir.parent.parent)}, stderr=log, cwd=ROOT)
    window = session.wait_for_window("org.orrery.Gallery")
    wx, wy = window["x"], window["y"]

    def on_screen(colour: Pixel, x: int = bx, y: int = by) -> bool:
        return session.screenshot().pixel(wx + x, wy + y) == colour
    wait_until(lambda: on_screen((255, 0, 0)), what="the red accent on screen")
    wait_until(lambda: on_screen(rgb(DARK.background.hex()), 990, 5), what="the dark background")

    swap = themes_dir / ".live.toml.swp"
    swap.write_text(theme_text("#00ff00"))
    os.replace(swap, path)
    wait_until(lambda: on_screen((0, 255, 0)), what="the green accent after the save")

    path.write_text(theme_text("#12345"))
    wait_until(lambda: on_screen(rgb(DARK.danger.hex()), 990, 5), what="the notice banner")
    assert on_screen((0, 255, 0))
    log.close()
    assert f"{path}:5:10: error: tokens.accent" in (runtime_dir / "gallery.log").read_text()
