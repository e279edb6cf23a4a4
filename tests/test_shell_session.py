"""The panel's session menu on a headless `orrery run` with the shell, used with the pointer and keyboard:
the power button at the panel's right end opens a menu (an xdg_popup of the panel's layer surface) that
Escape or a click outside closes; Log out ends the session; with logind (python-dbusmock on a private system
bus) the menu also offers Suspend, Reboot and Power off, and Power off reaches logind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Screenshot, Session, wait_until
from tests.logind_mock import calls, logind, no_system_bus

# The default theme's text colour, "snow" in themes/builtin/orrery-dark.toml: the panel's icons and the menu's
# labels are drawn in it (written out here, not asked of the theme code the shell draws with).
SNOW = (0xE4, 0xE6, 0xEB)
ICON_RGB = MENU_TEXT_RGB = SNOW
WIDTH, HEIGHT = 1280, 800


def _close(a: tuple[int, ...], b: tuple[int, ...], slack: int = 60) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}


def _start(runtime_dir: Path, env: dict[str, str]) -> Session:
    session = Session(runtime_dir, outputs=(f"{WIDTH}x{HEIGHT}@60",), extra_env=env, shell=True)
    wait_until(lambda: _panel(session), timeout=20, what="the panel")
    return session


def _panel(session: Session) -> dict[str, Any] | None:
    return next((s for s in session.msg("layers") if s["namespace"] == "panel"), None)


def _power_button(session: Session) -> tuple[int, int]:
    """The centre of the rightmost thing drawn along the middle of the panel: the power icon."""
    panel = _panel(session)
    assert panel is not None
    y = panel["y"] + panel["height"] // 2

    def icon() -> list[int]:
        shot = session.screenshot("panel.png")
        xs = [x for x in range(WIDTH - 1, WIDTH - 200, -1) if _close(shot.pixel(x, y), ICON_RGB)]
        for i in range(1, len(xs)):
            if xs[i - 1] - xs[i] > 12:  # a gap: the clock's digits begin
                return xs[:i]
        return xs

    xs = wait_until(icon, what="the power icon at the panel's right end")
    return (xs[0] + xs[-1]) // 2, y


def _click(session: Session, x: int, y: int) -> None:
    session.msg("pointer", "move", str(x), str(y))
    session.msg("pointer", "button", "left", "press")
    session.msg("pointer", "button", "left", "release")


def _popups(session: Session) -> list[dict[str, int]]:
    panel = _panel(session)
    return panel["popups"] if panel is not None else []


def _open_menu(session: Session) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Click the power button; the menu's rectangle and its lines of text (top and bottom rows) as shown."""
    _click(session, *_power_button(session))
    menu = wait_until(lambda: _popups(session), what="the session menu's popup")[0]
    lines = wait_until(lambda: _text_lines(session.screenshot("menu.png"), menu), what="the menu drawn")
    return menu, lines


def _text_lines(shot: Screenshot, rect: dict[str, int]) -> list[tuple[int, int]]:
    """Runs of pixel rows inside ``rect`` that hold text-coloured pixels: one per menu entry."""
    lines: list[tuple[int, int]] = []
    start = None
    for y in range(rect["y"] + 2, rect["y"] + rect["height"] - 2):
        inked = any(_close(shot.pixel(x, y), MENU_TEXT_RGB, 40)
                    for x in range(rect["x"] + 4, rect["x"] + rect["width"] - 4))
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            lines.append((start, y))
            start = None
    return lines


@pytest.fixture
def without_logind(runtime_dir: Path, env: dict[str, str], tmp_path: Path) -> Iterator[Session]:
    with no_system_bus(tmp_path):
        session = _start(runtime_dir, env)
    try:
        yield session
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")


def test_menu_opens_below_the_button_and_escape_or_a_click_outside_closes_it(without_logind: Session) -> None:
    session = without_logind
    x, y = _power_button(session)
    menu, lines = _open_menu(session)
    assert len(lines) == 1, "without logind: Log out alone"
    assert menu["y"] >= y and menu["x"] + menu["width"] <= WIDTH and menu["x"] <= x, "below the button, on screen"
    assert session.run(["wtype", "-k", "Escape"]).returncode == 0
    wait_until(lambda: not _popups(session), what="Escape to close the menu")
    _open_menu(session)
    _click(session, WIDTH // 2, HEIGHT // 2)  # the desktop
    wait_until(lambda: not _popups(session), what="a click outside to close the menu")
    assert session.alive()


def test_log_out_ends_the_session(without_logind: Session) -> None:
    session = without_logind
    menu, [(top, bottom)] = _open_menu(session)
    _click(session, menu["x"] + menu["width"] // 2, (top + bottom) // 2)

    def failed() -> list[str]:  # the panel logs (and shows) a refused `orrery msg action exit`
        return [line for line in session.log_path.read_text().splitlines() if "Log out failed" in line]

    wait_until(lambda: not session.alive() or failed(), timeout=20, what="the compositor to exit")
    assert not failed(), f"the compositor refused to exit: {failed()}"
    assert session.process.wait(timeout=5) == 0


def test_with_logind_the_menu_offers_power_off_which_calls_logind(runtime_dir: Path, env: dict[str, str]) -> None:
    with logind() as mock:
        session = _start(runtime_dir, env)
        try:
            menu, lines = _open_menu(session)
            assert len(lines) == 4, "Log out, Suspend, Reboot, Power off"
            top, bottom = lines[-1]  # Power off
            _click(session, menu["x"] + menu["width"] // 2, (top + bottom) // 2)
            wait_until(lambda: calls(mock, "PowerOff"), what="logind's PowerOff to be called")
            assert calls(mock, "PowerOff") == [[True]], "once, interactive"
            assert calls(mock, "Suspend") == calls(mock, "Reboot") == []
            wait_until(lambda: not _popups(session), what="the menu to close")
            assert session.alive()
        finally:
            assert session.stop() == 0, session.log_path.read_text(errors="replace")
