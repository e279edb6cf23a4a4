"""The panel's session menu, driven with the Simulator: its entries with and without logind (python-dbusmock's
logind on a private system bus, the real Gio calls), what choosing one does, and what closes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from shell.config import load_config
from shell.panel import Panel, PanelState, SessionChosen, SessionDone
from shell.session import SessionAction
from tests.logind_mock import calls, fail, logind, no_system_bus
from widgets.testing import Found, Simulator

Sim = Simulator[PanelState, Any]
ALL = ["Log out", "Suspend", "Reboot", "Power off"]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)  # no compositor to log out of
    return tmp_path


@contextmanager
def _started() -> Iterator[Sim]:
    """The panel as on a 1280 px wide output, once its start-up probe of logind has answered."""
    with Simulator(Panel(None, None, "wayland-test"), (1280, 32)) as sim:
        sim.settle()
        yield sim


@pytest.fixture
def panel(home: Path) -> Iterator[Sim]:
    """Without a system bus."""
    with no_system_bus(home), _started() as sim:
        yield sim


def _button(sim: Sim) -> Found | None:
    return next((f for f in sim.all() if f.tree is not None and f.tree.key == "session"), None)


def _menu(sim: Sim) -> list[str]:
    """Click the session button; the menu's entries."""
    button = _button(sim)
    assert button is not None, "the session button is on the panel"
    assert sim.click(button) == [], "opening the menu is no message"
    overlay, node = sim.runtime.overlay, sim.runtime.overlay_node
    assert overlay is not None and node is not None, "the menu is open"
    return [label for label, _rect in overlay.texts(node)]


def test_without_logind_the_menu_offers_log_out_which_reports_failing(panel: Sim) -> None:
    assert _menu(panel) == ["Log out"]
    messages = panel.click("Log out")
    assert messages[0] == SessionChosen(SessionAction.LOG_OUT)
    assert panel.runtime.overlay is None, "choosing closes the menu"
    # No compositor to talk to here: `orrery msg action exit` fails, and the panel says so.
    done = panel.messages[-1]
    assert isinstance(done, SessionDone) and done.problem and done.problem.startswith("Log out failed: ")
    assert panel.find("⚠ Log out failed: ").text == f"⚠ {done.problem}"


@pytest.mark.parametrize(("answers", "shown"), [
    ({}, ALL),
    ({"CanSuspend": "na", "CanReboot": "challenge", "CanPowerOff": "yes"}, ["Log out", "Reboot", "Power off"]),
    ({"CanSuspend": "no", "CanReboot": "no", "CanPowerOff": "challenge"}, ["Log out", "Power off"]),
])
def test_with_logind_the_menu_offers_what_logind_allows(answers: dict[str, str], shown: list[str]) -> None:
    with logind(answers), _started() as sim:
        assert _menu(sim) == shown


def test_power_off_and_reboot_call_logind_and_a_refusal_shows_on_the_panel() -> None:
    with logind() as mock, _started() as sim:
        assert _menu(sim) == ALL
        assert sim.click("Power off") == [SessionChosen(SessionAction.POWER_OFF),
                                          SessionDone(SessionAction.POWER_OFF, None)]
        assert calls(mock, "PowerOff") == [[True]], "PowerOff(interactive=true)"
        assert sim.state.session_problem is None
        fail(mock, "Reboot", "Interactive authentication required.")
        _menu(sim)
        problem = "Reboot failed: Interactive authentication required."
        assert sim.click("Reboot") == [SessionChosen(SessionAction.REBOOT), SessionDone(SessionAction.REBOOT, problem)]
        assert sim.find(f"⚠ {problem}")


def test_escape_a_click_elsewhere_or_on_the_button_close_the_menu(panel: Sim) -> None:
    button = _button(panel)
    assert button is not None
    for close in (lambda: panel.key("Escape"), lambda: panel.click((600, 16)), lambda: panel.click(button)):
        _menu(panel)
        assert close() == []
        assert panel.runtime.overlay is None
    _menu(panel)  # and the keyboard chooses too
    assert panel.key("Down") == []
    assert panel.key("Return")[0] == SessionChosen(SessionAction.LOG_OUT)


def test_a_bottom_panel_opens_the_menu_upwards_and_shell_toml_can_hide_it(home: Path) -> None:
    config = home / "config" / "orrery" / "shell.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[panel]\nposition = "bottom"\n')
    with no_system_bus(home), _started() as sim:
        _menu(sim)
        button, node = _button(sim), sim.runtime.overlay_node
        assert button is not None and node is not None and node.bounds.bottom <= button.bounds.y
    config.write_text("[panel]\nsession_menu = false\n")
    with no_system_bus(home), _started() as sim:
        assert _button(sim) is None
    config.write_text('[panel]\nsession_menu = "no"\n')
    [problem] = load_config(config).diagnostics
    assert (problem.line, problem.column, problem.message) == (2, 16, "expected true or false, found a string")


def test_without_the_icon_the_button_says_session(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(home / "no-icons"))  # an icon theme-less system
    with no_system_bus(home), _started() as sim:
        assert not sim.state.session_icon
        sim.click("Session")
        assert sim.runtime.overlay is not None and sim.find("Log out")
