"""orrery.toml's problems on the panel: the compositor publishes them next to its socket
(protocols/config_problems.py), the panel shows the first in its problem area, and both go when the file is fixed.
A headless `orrery run` with the shell, and real files saved as editors save them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from protocols.config_problems import problems_path, publish, read
from shell.panel import Panel
from tests.harness import Session, wait_until
from widgets.testing import Simulator

WIDTH = 1280
CORAL = (0xE5, 0x53, 0x4B)  # the default theme's danger colour (themes/builtin/orrery-dark.toml), the problem text
GOOD = '[bindings]\n"Super+Q" = "close"\n'
BAD = '[bindings]\n"Super+Q" = "close"\n"Super+W" = "clsoe"\n'
EXPECTED = 'orrery.toml:3:13: bindings."Super+W": unknown action "clsoe" (did you mean "close"?)'


def _close(a: tuple[int, ...], b: tuple[int, ...], slack: int = 40) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def _save(path: Path, text: str) -> None:
    aside = path.with_name(".orrery.toml.swp")
    aside.write_text(text)
    os.replace(aside, path)


def test_the_file_holds_the_problems_and_goes_when_there_are_none(tmp_path: Path) -> None:
    path = problems_path("wayland-x", str(tmp_path))
    assert path == tmp_path / "wayland-x.config-errors" and read(path) == ()
    publish(path, ["orrery.toml:1:2: a", "orrery.toml:3:4: b\nc"])
    assert read(path) == ("orrery.toml:1:2: a", "orrery.toml:3:4: b c")
    publish(path, [])
    assert not path.exists() and os.listdir(tmp_path) == []


def test_the_panel_shows_the_compositors_problems_first(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    publish(problems_path("wayland-test"), [EXPECTED, "orrery.toml:4:1: other"])
    with Simulator(Panel(None, None, "wayland-test"), (WIDTH, 32)) as sim:
        sim.settle()
        assert sim.find(f"⚠ {EXPECTED}") and sim.find("(+1)")
        publish(problems_path("wayland-test"), [])  # the file was fixed: the compositor removes its problems
        sim.wait_until(lambda: sim.state.compositor_problems == (), what="the panel reading the removal")
        assert not [f for f in sim.all() if f.tree is not None and f.tree.key == "problems"]


def _panel_rect(session: Session) -> dict[str, Any] | None:
    return next((s for s in session.msg("layers") if s["namespace"] == "panel"), None)


def _problem_pixels(session: Session, panel: dict[str, Any]) -> int:
    shot = session.screenshot("panel.png")
    colours = shot.region_colours(panel["x"], panel["y"], panel["width"], panel["height"], step=1)
    return sum(1 for colour in colours if _close(colour, CORAL))


def test_a_bad_orrery_toml_shows_on_the_panel_until_fixed(tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text(GOOD)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime, outputs=(f"{WIDTH}x800@60",), extra_env=env, shell=True)
    try:
        panel = wait_until(lambda: _panel_rect(session), timeout=20, what="the panel")
        wait_until(lambda: session.screenshot("panel.png").pixel(panel["x"] + 20, panel["y"] + 2) != (0, 0, 0),
                   what="the panel drawn")
        assert list(runtime.glob("*.config-errors")) == []
        assert _problem_pixels(session, panel) == 0

        _save(config, BAD)
        published = wait_until(lambda: list(runtime.glob("*.config-errors")), what="the problems published")
        [line] = read(published[0])
        assert line.startswith(f"{EXPECTED} (actions: close, ")
        wait_until(lambda: _problem_pixels(session, panel) > 0, what="the problem in the danger colour")

        _save(config, GOOD)
        wait_until(lambda: not published[0].exists(), what="the problems file removed")
        wait_until(lambda: _problem_pixels(session, panel) == 0, what="the problem area cleared")
    finally:
        session.stop()


def test_the_problems_of_the_start_up_read_are_published_and_removed_at_exit(tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text(BAD)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    session = Session(runtime, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        published = wait_until(lambda: list(runtime.glob("*.config-errors")), what="the problems published")
        assert [line.split(" (actions:")[0] for line in read(published[0])] == [EXPECTED]
    finally:
        assert session.stop() == 0
    assert not published[0].exists()
