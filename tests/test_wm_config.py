"""Key bindings, window actions, window rules and live reload of orrery.toml, on a headless compositor with real
files and real clients (foot, weston-simple-shm, wtype)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Session, keyboard_of, wait_until
from tests.test_session_actions import first_symbol

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"
SUPER_SHIFT_T = ["wtype", "-M", "logo", "-M", "shift", "-k", "t", "-m", "shift", "-m", "logo"]


class Desktop:
    """A compositor whose $XDG_CONFIG_HOME/orrery/orrery.toml the test writes before it starts and edits while
    it runs."""

    def __init__(self, tmp_path: Path, text: str, outputs: tuple[str, ...] = ("1280x800@60",)) -> None:
        self.tmp_path = tmp_path
        self.config = tmp_path / "config" / "orrery" / "orrery.toml"
        self.config.parent.mkdir(parents=True)
        self.config.write_text(text)
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        self.session = Session(runtime, outputs, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})

    def save(self, text: str) -> None:
        """Save as editors do: a new file renamed over the old one."""
        temporary = self.config.with_name(".orrery.toml.swp")
        temporary.write_text(text)
        os.replace(temporary, self.config)

    def config_error(self) -> str | None:
        return self.session.request("config")["error"]  # type: ignore[no-any-return]

    def press(self, keys: list[str]) -> None:
        assert self.session.run(keys).returncode == 0

    def foot(self, app_id: str) -> dict[str, Any]:
        home = self.tmp_path / "home"
        home.mkdir(exist_ok=True)
        self.session.spawn(["foot", "--app-id", app_id, "/bin/sh"], env={"HOME": str(home), "SHELL": "/bin/sh"})
        return self.session.wait_for_window(app_id)


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Any]:
    desktops: list[Desktop] = []

    def start(text: str, outputs: tuple[str, ...] = ("1280x800@60",)) -> Desktop:
        desktops.append(Desktop(tmp_path, text, outputs))
        return desktops[-1]

    yield start
    for started in desktops:
        started.session.stop()


def test_a_binding_saved_while_running_works(desktop: Any, tmp_path: Path) -> None:
    made = tmp_path / "made"
    running = desktop("[bindings]\n")
    running.press(SUPER_SHIFT_T)
    assert not made.exists()
    running.save(f'[bindings]\n"Super+Shift+T" = "spawn touch {made}"\n')

    def pressed_and_made() -> bool:
        running.press(SUPER_SHIFT_T)  # until the reload has been seen
        return wait_until_quietly(made.exists, 1.0)

    wait_until(pressed_and_made, timeout=20, interval=0.2, what="the new binding to run")
    assert running.session.msg("config") == {"path": str(running.config), "error": None}


def test_a_save_made_as_the_compositor_starts_is_read(desktop: Any, tmp_path: Path) -> None:
    """The file is watched from a second after start-up (not on the way to the first client's frame): what was
    saved before then is read then."""
    made = tmp_path / "made"
    running = desktop("[bindings]\n")
    running.save(f'[bindings]\n"Super+Shift+T" = "spawn touch {made}"\n')  # just announced: not watched yet

    def pressed_and_made() -> bool:
        running.press(SUPER_SHIFT_T)
        return wait_until_quietly(made.exists, 1.0)

    wait_until(pressed_and_made, timeout=20, interval=0.2, what="the binding saved at start-up to run")


def wait_until_quietly(predicate: Any, timeout: float) -> bool:
    try:
        return bool(wait_until(predicate, timeout))
    except TimeoutError:
        return False


def test_a_broken_save_is_reported_at_its_line_and_column_and_the_previous_bindings_stay(
        desktop: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    running = desktop(f'[bindings]\n"Super+Shift+T" = "spawn touch {first}"\n')
    running.config.write_text(  # saved in place this time
        f'[keyboard]\nrepeat_rate = 30\n[bindings]\n"Super+Shift+T" = "spwan touch {second}"\n')
    error = wait_until(running.config_error, timeout=20, what="the error to be reported")
    assert error == (f'{running.config}:4:19: error: bindings."Super+Shift+T": unknown action "spwan" '
                     '(did you mean "spawn"?) (actions: close, maximize, fullscreen, minimize, toggle-floating, '
                     'toggle-tiling, focus, move, workspace, move-to-workspace, switcher, launcher, spawn, reload, '
                     'quit, exit, lock, vt, grab)')
    assert running.session.msg("config")["error"] == error  # the same through orrery msg
    assert f"{error} (keeping the previous settings)" in running.session.log_text(10_000)  # and on stderr
    running.press(SUPER_SHIFT_T)
    wait_until(first.exists, timeout=10, what="the previous binding to run")
    assert not second.exists()

    running.save('[bindings]\n"Super+Shift+T" = "spawn true"\n"Super+Shift+T" = "close"\n')  # not TOML
    wait_until(lambda: (running.config_error() or "").startswith(f"{running.config}:3:"), timeout=20,
               what="the TOML error")
    running.save("[[rules]]\napp_id = 'foot('\n")
    wait_until(lambda: running.config_error() == (
        f"{running.config}:2:10: error: rules[0].app_id: bad regular expression \"foot(\": missing ), "
        "unterminated subpattern at position 4"), timeout=20, what="the regular expression's error")
    running.save("")
    wait_until(lambda: running.config_error() is None, timeout=20, what="the error to go once fixed")


def test_super_q_closes_the_focused_window(desktop: Any) -> None:
    running = desktop("")
    shm = running.session.spawn(["weston-simple-shm"])
    running.session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["focused"])
    running.press(["wtype", "-M", "logo", "-k", "q", "-m", "logo"])
    assert shm.wait(timeout=20) == 0  # it was asked to close (xdg_toplevel.close), and did
    assert running.session.windows() == []


def test_super_m_and_the_maximize_action_toggle_maximized(desktop: Any, tmp_path: Path) -> None:
    running = desktop("")
    before = running.foot("foot")
    running.press(["wtype", "-M", "logo", "-k", "m", "-m", "logo"])
    usable = {"x": 0, "y": 0, "width": 1280, "height": 800}  # no panel: the whole output
    running.session.wait_for_window(  # foot asks for server-side decorations: its frame fills the area
        "foot", predicate=lambda w: w["maximized"] and {k: w["frame"][k] for k in usable} == usable)
    running.session.msg("action", "maximize")  # the action as written in [bindings], one argument
    running.session.wait_for_window("foot", predicate=lambda w: not w["maximized"] and all(
        w[k] == before[k] for k in usable))
    made = tmp_path / "made by orrery msg"
    running.session.msg("action", f"spawn touch '{made}'")
    wait_until(made.exists, timeout=10, what="the spawned command's file")


def test_a_rule_sizes_and_places_a_window_on_its_output(desktop: Any) -> None:
    running = desktop('[[rules]]\napp_id = "sized"\nsize = [640, 480]\nposition = [100, 50]\noutput = "HEADLESS-2"\n'
                      '[[rules]]\napp_id = "size"\nsize = [300, 300]\n'  # does not match "sized": a full match
                      '[[rules]]\napp_id = "elsewhere"\noutput = "HEADLESS-2"\n',
                      outputs=("1280x800@60", "1024x768@60"))
    second = next(o for o in running.session.msg("outputs") if o["name"] == "HEADLESS-2")
    window = running.foot("sized")
    assert (window["x"], window["y"], window["width"], window["height"]) == (
        second["x"] + 100, second["y"] + 50, 640, 480)
    other = running.foot("other")  # no rule: on the output under the pointer, at its own size
    assert other["x"] + other["width"] <= second["x"]
    assert (other["width"], other["height"]) not in ((640, 480), (300, 300))
    elsewhere = running.foot("elsewhere")  # on the rule's output, wherever it fits there
    assert second["x"] <= elsewhere["x"] and elsewhere["x"] + elsewhere["width"] <= second["x"] + second["width"]
    assert second["y"] <= elsewhere["y"] and elsewhere["y"] + elsewhere["height"] <= second["y"] + second["height"]


def test_the_keyboard_settings_reach_clients_when_saved(desktop: Any) -> None:
    running = desktop('[keyboard]\nlayout = "us"\nrepeat_rate = 25\nrepeat_delay = 600\n')
    display, latest = keyboard_of(running.session)

    def settings() -> tuple[tuple[int, int], str]:
        repeat, keymap = latest()
        return repeat, first_symbol(keymap, "AD06")

    try:
        assert settings() == ((25, 600), "y")
        running.save('[keyboard]\nlayout = "de"\nrepeat_rate = 40\nrepeat_delay = 250\n')
        wait_until(lambda: settings() == ((40, 250), "z"), timeout=20, what="the new repeat rate, delay and layout")
    finally:
        display.disconnect()


def test_a_rule_chooses_the_decorations_whatever_the_client_prefers(desktop: Any, tmp_path: Path) -> None:
    running = desktop('[[rules]]\napp_id = "plain"\ndecorations = "client"\n'
                      '[[rules]]\napp_id = "framed"\ndecorations = "server"\n')
    plain = running.foot("plain")  # foot asks for server-side decorations
    assert (plain["decorations"], plain["frame"]) == ("client", None)
    home = tmp_path / "home"
    for app_id in ("framed", "own"):  # these ask for client-side decorations
        running.session.spawn(["foot", "-o", "csd.preferred=client", "--app-id", app_id, "/bin/sh"],
                              env={"HOME": str(home), "SHELL": "/bin/sh"})
    framed = running.session.wait_for_window("framed")
    assert framed["decorations"] == "server" and framed["frame"] is not None
    own = running.session.wait_for_window("own")  # no rule: what the client asks for
    assert (own["decorations"], own["frame"]) == ("client", None)
    other = running.foot("other")
    assert other["decorations"] == "server" and other["frame"] is not None


def test_a_decorations_rule_applies_to_an_app_id_set_after_the_client_asked(desktop: Any) -> None:
    """The client asks for server-side decorations before it has an app_id; the rule for the app_id it sets
    before mapping is answered when it maps."""
    running = desktop('[[rules]]\napp_id = "late"\ndecorations = "client"\n')
    tool = running.session.spawn([sys.executable, "-m", "tests.tools.late_app_id", "late"], stdout=subprocess.PIPE,
                                 text=True)
    late = running.session.wait_for_window("late")
    assert (late["decorations"], late["frame"]) == ("client", None)
    assert tool.stdout is not None
    # when it got its decoration object, when it set a mode, when it mapped with its app_id
    modes = [tool.stdout.readline().strip() for _ in range(3)]
    assert modes == ["mode server_side", "mode server_side", "mode client_side"]
