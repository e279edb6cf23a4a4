"""Ending the session, key bindings and orrery.toml, output modes: on a headless compositor with real clients
(foot, weston-simple-shm, wtype). The same code runs on the DRM backend in the VM test."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, Session, keyboard_of, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"


@pytest.fixture
def configured(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """A compositor started with $XDG_CONFIG_HOME/orrery/orrery.toml as the test writes it first."""
    config_home = tmp_path / "config"
    (config_home / "orrery").mkdir(parents=True)
    sessions: list[Session] = []

    def start(text: str) -> Session:
        (config_home / "orrery" / "orrery.toml").write_text(text)
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        session = Session(runtime, extra_env={"XDG_CONFIG_HOME": str(config_home)})
        sessions.append(session)
        return session

    yield tmp_path, start
    for session in sessions:
        session.stop()


def test_the_exit_action_closes_every_window_then_exits_0(configured: tuple[Path, Any]) -> None:
    tmp_path, start = configured
    session = start("[session]\nexit_timeout = 60\n")
    home = tmp_path / "home"
    home.mkdir()
    foot = session.spawn(["foot", "--app-id", "foot", "/bin/sh"], env={"HOME": str(home), "SHELL": "/bin/sh"})
    shm = session.spawn(["weston-simple-shm"])
    session.wait_for_window("foot")
    session.wait_for_window(SIMPLE_SHM)
    asked = time.monotonic()
    session.msg("action", "exit")
    assert session.process.wait(timeout=30) == 0
    # well before the timeout: the compositor stopped once the windows had closed on their own
    assert time.monotonic() - asked < 20
    foot.wait(timeout=10)
    shm.wait(timeout=10)


def test_a_window_that_does_not_close_is_waited_for_only_until_the_timeout(configured: tuple[Path, Any]) -> None:
    _tmp_path, start = configured
    session = start("[session]\nexit_timeout = 1.5\n")
    stubborn = session.spawn([sys.executable, "-m", "tests.tools.frame_counter", "60"], cwd=ROOT)
    session.wait_for_window("frame-counter")
    asked = time.monotonic()
    session.msg("action", "exit")
    assert session.process.wait(timeout=20) == 0
    assert 1.4 < time.monotonic() - asked < 10
    assert stubborn.poll() is None  # it never closed: the compositor gave up waiting for it


QUIT_KEYS = ["-M", "logo", "-M", "shift", "-k", "Escape", "-m", "shift", "-m", "logo"]


def asking(session: Session) -> bool:
    """The quit question shows: light text (the theme's title text) in the middle of the dark desktop."""
    shot = session.screenshot("asking.png")
    return any(sum(colour) > 3 * 170 for colour in shot.region_colours(500, 360, 280, 70, step=1))


def test_the_quit_binding_asks_first_escape_keeps_the_session_and_return_ends_it(
        session: Session, tmp_path: Path) -> None:
    """Super+Shift+Escape, the default binding of the quit action: keys go to the question, not to the window."""
    typed = tmp_path / "typed"
    session.spawn(["foot", "--app-id", "foot", "/bin/sh", "-c", f"cat > {typed}"], env={"HOME": str(tmp_path)})
    session.wait_for_window("foot", predicate=lambda w: w["focused"])
    assert not asking(session)
    assert session.run(["wtype", *QUIT_KEYS]).returncode == 0
    wait_until(lambda: asking(session), timeout=10, what="the question on screen")
    assert session.msg("seat")["asking"] is True
    assert session.run(["wtype", "typed while asked", "-k", "Escape"]).returncode == 0
    wait_until(lambda: not asking(session), timeout=10, what="Escape to take the question away")
    assert session.alive()
    assert session.run(["wtype", "after\n"]).returncode == 0
    wait_until(lambda: typed.exists() and typed.read_text() == "after\n", timeout=10, what="foot to get the typing")

    assert session.run(["wtype", *QUIT_KEYS]).returncode == 0
    wait_until(lambda: asking(session), timeout=10, what="the question on screen again")
    assert session.run(["wtype", "-k", "Return"]).returncode == 0
    assert session.process.wait(timeout=20) == 0


def test_a_binding_from_orrery_toml_runs_its_action(configured: tuple[Path, Any]) -> None:
    tmp_path, start = configured
    made = tmp_path / "made-by-binding"
    session = start(f'[bindings]\n"Super+Return" = "spawn touch {made}"\n"Super+Shift+Escape" = "none"\n')
    assert session.run(["wtype", "-M", "logo", "-k", "Return", "-m", "logo"]).returncode == 0
    wait_until(made.exists, timeout=10, what="the spawned command's file")
    # the default quit binding was unbound: the same keys now reach the client, and nothing asks
    assert session.run(["wtype", *QUIT_KEYS]).returncode == 0
    assert session.msg("outputs") and session.alive() and not asking(session)


def test_a_broken_orrery_toml_is_reported_and_the_defaults_stay(configured: tuple[Path, Any]) -> None:
    _tmp_path, start = configured
    session = start('[bindings]\n"Super+Return" = "spwan foot"\n')
    log = session.log_path.read_text()
    assert ('orrery/orrery.toml:2:18: error: bindings."Super+Return": unknown action "spwan" (did you mean "spawn"?)'
            in log)
    assert session.run(["wtype", *QUIT_KEYS]).returncode == 0
    wait_until(lambda: asking(session), timeout=10, what="the default quit binding to ask")
    assert session.run(["wtype", *QUIT_KEYS]).returncode == 0  # the same keys again answer it
    assert session.process.wait(timeout=20) == 0


def keymap_of(session: Session) -> str:
    """The keymap a client gets from the seat's keyboard."""
    display, latest = keyboard_of(session)
    try:
        return latest()[1]
    finally:
        display.disconnect()


def test_the_keyboard_layout_comes_from_orrery_toml(configured: tuple[Path, Any]) -> None:
    _tmp_path, start = configured
    session = start('[keyboard]\nlayout = "de"\nrepeat_rate = 40\n')
    assert first_symbol(keymap_of(session), "AD06") == "z"  # where a US keyboard has y


def first_symbol(keymap: str, key: str) -> str:
    """The level-1 symbol of ``<key>`` in a keymap's text (``key <AD06> { [ z, Z ] };``)."""
    line = next(line for line in keymap.splitlines() if line.strip().startswith(f"key <{key}>"))
    return line.split("[", 1)[1].split(",", 1)[0].strip()


def test_keymap_names_from_the_environment(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    session = Session(runtime, extra_env={"XKB_DEFAULT_LAYOUT": "fr", "XDG_CONFIG_HOME": str(tmp_path)})
    try:
        assert first_symbol(keymap_of(session), "AD01") == "a"  # AZERTY: where a US keyboard has q
    finally:
        session.stop()


def test_output_modes_are_listed_and_switched(session: Session) -> None:
    [output] = session.msg("outputs")
    assert output["mode"] == "1280x800@60"
    current = [m for m in output["modes"] if m["current"]]
    assert current == [{"width": 1280, "height": 800, "refresh": 60.0, "preferred": True, "current": True}]
    assert any((m["width"], m["height"]) == (1024, 768) for m in output["modes"])
    answer = session.msg("output", "mode", "HEADLESS-1", "1024x768")
    assert (answer["width"], answer["height"]) == (1024, 768)
    [output] = session.msg("outputs")
    assert (output["width"], output["height"], output["mode"]) == (1024, 768, "1024x768@60")
    shot = session.screenshot()
    assert (shot.width, shot.height) == (1024, 768)
    refused = subprocess.run([*session_msg(session), "output", "mode", "HEADLESS-1", "333x222"],
                             capture_output=True, text=True, env=session.env)
    assert refused.returncode == 1
    assert "HEADLESS-1 offers no 333x222 mode (it offers 1280x800, 1920x1080" in refused.stderr


def session_msg(session: Session) -> list[str]:
    from tests.harness import ORRERY

    return [*ORRERY, "msg", "--socket", session.name]
