"""Idle: swayidle runs its timeout command after a second without input and its resume command on the next input;
a window holding an idle inhibitor, or a fullscreen window, holds that off while it shows. Output power: an
output switched off (`orrery msg output power`, or a wlopm-style client) shows black until it is on again."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.harness import Session, wait_until

RED = (0xFF, 0x00, 0x00)


def _swayidle(session: Session, tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("swayidle") is None:
        pytest.fail("swayidle is not installed (make setup installs it)")
    idle, resumed = tmp_path / "idle", tmp_path / "resumed"
    session.spawn(["swayidle", "-w", "timeout", "1", f"touch {idle}", "resume", f"touch {resumed}"])
    return idle, resumed


def test_swayidle_runs_its_timeout_command_and_input_resumes(session: Session, tmp_path: Path) -> None:
    idle, resumed = _swayidle(session, tmp_path)
    wait_until(idle.exists, timeout=10, what="swayidle's timeout command")
    assert not resumed.exists()
    session.msg("pointer", "move", "20", "20")
    wait_until(resumed.exists, timeout=10, what="swayidle's resume command")


def _held_off(session: Session, tmp_path: Path, seconds: float = 3.0) -> bool:
    idle, _resumed = _swayidle(session, tmp_path)
    time.sleep(seconds)
    return not idle.exists()


def test_a_visible_idle_inhibitor_holds_idle_off_until_it_goes(session: Session, tmp_path: Path) -> None:
    inhibitor = session.spawn([sys.executable, "-m", "tests.tools.idle_inhibitor", "inhibitor"])
    session.wait_for_window("inhibitor")
    assert _held_off(session, tmp_path)
    inhibitor.kill()
    wait_until((tmp_path / "idle").exists, timeout=10, what="the timeout once the inhibitor is gone")


def test_an_inhibitor_whose_window_is_minimized_holds_nothing_off(session: Session, tmp_path: Path) -> None:
    session.spawn([sys.executable, "-m", "tests.tools.idle_inhibitor", "inhibitor"])
    session.wait_for_window("inhibitor")
    session.msg("action", "minimize")
    session.wait_for_window("inhibitor", predicate=lambda window: window["minimized"])
    assert not _held_off(session, tmp_path)


def test_a_fullscreen_window_holds_idle_off(session: Session, tmp_path: Path) -> None:
    session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "ff0000", "movie"])
    session.wait_for_window("movie")
    session.msg("action", "fullscreen")
    session.wait_for_window("movie", predicate=lambda window: window["fullscreen"])
    assert _held_off(session, tmp_path)


def _power(session: Session, name: str) -> str:
    return next(output["power"] for output in session.msg("outputs") if output["name"] == name)


def test_an_output_switched_off_shows_black_until_switched_on(runtime_dir: Path) -> None:
    session = Session(runtime_dir, outputs=("640x480", "640x480"))
    try:
        session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "ff0000", "red"])
        window = session.wait_for_window("red")
        assert window["x"] < 640, "on the first output"
        inside = (window["x"] + 10, window["y"] + 10)
        wait_until(lambda: session.screenshot().pixel(*inside) == RED, timeout=10, what="the window to show")
        background = session.screenshot().pixel(700, 10)
        assert session.msg("output", "power", "HEADLESS-1", "off") == {"name": "HEADLESS-1", "power": "off"}
        assert _power(session, "HEADLESS-1") == "off" and _power(session, "HEADLESS-2") == "on"
        wait_until(lambda: session.screenshot().region_colours(0, 0, 640, 480) == {(0, 0, 0)}, timeout=10,
                   what="the output to go black")
        assert session.screenshot().pixel(700, 10) == background, "the other output is untouched"
        session.msg("output", "power", "HEADLESS-1", "on")
        wait_until(lambda: session.screenshot().pixel(*inside) == RED, timeout=10, what="the window to come back")

        # The same through zwlr_output_power_v1, as wlopm does.
        tool = [sys.executable, "-m", "tests.tools.output_power", "HEADLESS-2"]
        assert session.run([*tool, "off"]).stdout.decode().split("\n")[:2] == ["mode on", "mode off"]
        assert _power(session, "HEADLESS-2") == "off"
        wait_until(lambda: session.screenshot().region_colours(640, 0, 640, 480) == {(0, 0, 0)}, timeout=10,
                   what="the second output to go black")
        assert "mode on" in session.run([*tool, "on"]).stdout.decode().split("\n")[1]
        assert _power(session, "HEADLESS-2") == "on"
        wait_until(lambda: session.screenshot().pixel(700, 10) == background, timeout=10, what="it to show again")
        misuse = session.run([*tool, "7"])
        assert "disconnected" in misuse.stdout.decode() and "no power mode 7" in misuse.stderr.decode()
    finally:
        code = session.stop()
    assert code == 0, session.log_text()
