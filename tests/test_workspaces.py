"""Workspaces per output: switched and filled with the default key bindings (typed with wtype), dynamic by
default, fixed by orrery.toml, listed by ``orrery msg workspaces`` and ext_workspace_v1, shown and switched by the
panel's indicator. Real clients (weston-simple-shm, foot) on a real compositor; what shows is read from
screenshots."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compositor import bindings, config, ipc
from compositor.backends.base import OutputSpec
from compositor.backends.headless import HeadlessBackend
from compositor.server import Compositor
from tests.harness import ROOT, Screenshot, Session, wait_until
from tests.test_occlusion import Frames
from themes.tomlpos import index_toml

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"
FOOT_ENV = {"SHELL": "/bin/sh"}


def keys(session: Session, *modifiers: str, key: str) -> None:
    """Press ``key`` with ``modifiers`` (wtype's names: logo, shift, ctrl) held, as a user would."""
    held = [arg for modifier in modifiers for arg in ("-M", modifier)]
    released = [arg for modifier in reversed(modifiers) for arg in ("-m", modifier)]
    assert session.run(["wtype", *held, "-k", key, *released]).returncode == 0


def workspaces(session: Session, output: int = 0) -> list[dict[str, Any]]:
    return session.msg("workspaces")[output]["workspaces"]  # type: ignore[no-any-return]


def names_and_active(session: Session) -> list[tuple[str, bool]]:
    return [(ws["name"], ws["active"]) for ws in workspaces(session)]


def window(session: Session, window_id: int) -> dict[str, Any]:
    return next(w for w in session.windows() if w["id"] == window_id)


def background(shot: Screenshot) -> set[tuple[int, int, int]]:
    """The desktop's colour (the compositor's, or the shell's background), from the bottom-right corner, where the
    tests put no window."""
    return {shot.pixel(shot.width - 5, shot.height - 5)}


def shows_window(shot: Screenshot, rect: dict[str, Any]) -> bool:
    """Something other than the bare background inside the window's rectangle."""
    inner = (rect["x"] + 10, rect["y"] + 10, rect["width"] - 20, rect["height"] - 20)
    return shot.region_colours(*inner, step=8) != background(shot)


def shows_background(shot: Screenshot, rect: dict[str, Any]) -> bool:
    return shot.region_colours(rect["x"], rect["y"], rect["width"], rect["height"], step=8) == background(shot)


def test_super_number_shows_that_workspace_only(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    shm = session.wait_for_window(SIMPLE_SHM)
    assert (shm["workspace"], shm["output"]) == ("1", "HEADLESS-1")
    wait_until(lambda: shows_window(session.screenshot(), shm), what="weston-simple-shm drawn")

    keys(session, "logo", key="2")
    wait_until(lambda: names_and_active(session) == [("1", False), ("2", True)], what="workspace 2 shown")
    wait_until(lambda: shows_background(session.screenshot(), shm), what="weston-simple-shm's window hidden")
    assert not window(session, shm["id"])["focused"], "the keyboard focus left with it"
    session.msg("pointer", "move", str(shm["x"] + 20), str(shm["y"] + 20))
    assert session.msg("seat")["focus"] is None, "a hidden window takes no pointer input"

    session.spawn(["foot", "sh"], env=FOOT_ENV)
    foot = session.wait_for_window("foot", predicate=lambda w: w["focused"])
    assert foot["workspace"] == "2", "a new window opens on the workspace shown"
    wait_until(lambda: shows_window(session.screenshot(), foot), what="foot drawn")

    keys(session, "logo", key="1")
    wait_until(lambda: window(session, shm["id"])["focused"], what="the focus back on weston-simple-shm")
    assert names_and_active(session)[0] == ("1", True)
    shot = session.screenshot()
    assert shows_window(shot, shm)
    assert not window(session, foot["id"])["focused"]

    keys(session, "logo", "ctrl", key="Right")
    wait_until(lambda: window(session, foot["id"])["focused"], what="Super+Ctrl+Right to show workspace 2")
    keys(session, "logo", "ctrl", key="Left")
    wait_until(lambda: window(session, shm["id"])["focused"], what="Super+Ctrl+Left to show workspace 1")


def test_super_shift_number_moves_the_focused_window_there_and_follows_it(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    shm = session.wait_for_window(SIMPLE_SHM)
    session.spawn(["foot", "sh"], env=FOOT_ENV)
    foot = session.wait_for_window("foot", predicate=lambda w: w["focused"])
    session.msg("window", "move", str(shm["id"]), "950", "500")  # clear of foot, which is large
    shm = window(session, shm["id"])
    wait_until(lambda: shows_window(session.screenshot(), shm) and shows_window(session.screenshot(), foot),
               what="both windows drawn")

    keys(session, "logo", "shift", key="2")
    wait_until(lambda: window(session, foot["id"])["workspace"] == "2", what="foot moved to workspace 2")
    assert names_and_active(session) == [("1", False), ("2", True), ("3", False)]
    assert window(session, foot["id"])["focused"], "it keeps the focus"
    assert [ws["windows"] for ws in workspaces(session)] == [[shm["id"]], [foot["id"]], []]
    wait_until(lambda: shows_background(session.screenshot(), shm), what="weston-simple-shm hidden")
    assert shows_window(session.screenshot(), foot)


def test_dynamic_workspaces_keep_one_empty_workspace_at_the_end(session: Session) -> None:
    assert names_and_active(session) == [("1", True)]
    session.spawn(["weston-simple-shm"])
    first = session.wait_for_window(SIMPLE_SHM)
    wait_until(lambda: names_and_active(session) == [("1", True), ("2", False)],
               what="an empty workspace after the one that got a window")

    keys(session, "logo", key="2")
    second_process = session.spawn(["weston-simple-shm"])
    second = session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["id"] != first["id"])
    assert second["workspace"] == "2"
    wait_until(lambda: names_and_active(session) == [("1", False), ("2", True), ("3", False)],
               what="a new empty workspace at the end")

    second_process.kill()
    wait_until(lambda: len(session.windows()) == 1, what="the second window to close")
    assert names_and_active(session) == [("1", False), ("2", True), ("3", False)], \
        "the emptied workspace stays while it is shown"
    keys(session, "logo", key="1")
    wait_until(lambda: names_and_active(session) == [("1", True), ("2", False)], what="the emptied workspace gone")

    keys(session, "logo", key="2")
    third_process = session.spawn(["foot", "sh"], env=FOOT_ENV)
    third = session.wait_for_window("foot")
    assert third["workspace"] == "2"
    session.msg("action", "workspace", "1")
    session.msg("action", "move-to-workspace", "3")  # weston-simple-shm: workspace 1 empties, and is left
    wait_until(lambda: [ws["windows"] for ws in workspaces(session)] == [[third["id"]], [first["id"]], []],
               what="the workspace emptied in the middle gone, and the others renumbered")
    assert (window(session, third["id"])["workspace"], window(session, first["id"])["workspace"]) == ("1", "2")
    third_process.kill()


def test_fixed_workspaces_from_orrery_toml(runtime_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery"
    config.mkdir(parents=True)
    (config / "orrery.toml").write_text('[workspaces]\nmode = "fixed"\ncount = 3\n')
    session = Session(runtime_dir, outputs=("800x600@60", "640x480@60"),
                      extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        expected = [("1", True), ("2", False), ("3", False)]
        assert [[(ws["name"], ws["active"]) for ws in output["workspaces"]] for output in session.msg("workspaces")] \
            == [expected, expected]
        session.spawn(["weston-simple-shm"])
        session.wait_for_window(SIMPLE_SHM)
        session.msg("action", "move-to-workspace", "3")
        assert names_and_active(session) == [("1", False), ("2", False), ("3", True)], "none added or removed"
        session.msg("action", "workspace", "next")
        assert names_and_active(session)[2] == ("3", True), "the last has no next"
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")


def test_a_rule_sends_foot_to_workspace_2(runtime_dir: Path, tmp_path: Path) -> None:
    """``[[rules]] app_id = "foot", workspace = 2``: foot opens there, not on the workspace shown, and waits
    there (urgent) without taking the focus; another client opens where the user is."""
    config = tmp_path / "config" / "orrery"
    config.mkdir(parents=True)
    (config / "orrery.toml").write_text('[workspaces]\nmode = "fixed"\ncount = 3\n\n'
                                        '[[rules]]\napp_id = "foot"\nworkspace = 2\n')
    session = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        session.spawn(["weston-simple-shm"])
        shm = session.wait_for_window(SIMPLE_SHM)
        session.spawn(["foot", "sh"], env=FOOT_ENV)
        foot = session.wait_for_window("foot")
        assert foot["workspace"] == "2" and shm["workspace"] == "1"
        assert [ws["windows"] for ws in workspaces(session)] == [[shm["id"]], [foot["id"]], []]
        assert names_and_active(session)[0] == ("1", True), "the rule does not switch workspaces"
        assert workspaces(session)[1]["urgent"]
        assert window(session, shm["id"])["focused"]
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")


def test_the_workspaces_of_a_removed_output_go_to_the_remaining_one(runtime_dir: Path) -> None:
    """Output 2 shows workspace 2 (window b) and hides workspace 1 (window a) when it goes away: b joins the
    workspace output 1 shows, a's workspace is appended to output 1's list, both inside output 1."""

    async def scenario() -> tuple[list[list[Any]], dict[str, Any], dict[str, Any]]:
        backend = HeadlessBackend([OutputSpec(640, 480, 60.0), OutputSpec(640, 480, 60.0)])
        compositor = Compositor(asyncio.get_running_loop(), backend)
        socket = compositor.display.add_socket(f"workspace-unplug-{os.getpid()}")
        env = {**os.environ, "WAYLAND_DISPLAY": socket}
        clients = []
        try:
            first, second = compositor.scene.outputs
            compositor.seat.pointer_motion(second.x + 320, 240)  # new windows go to the output under the pointer
            for count in (1, 2):
                clients.append(await asyncio.create_subprocess_exec("weston-simple-shm", env=env))
                await _wait_windows(compositor, count)
                compositor.wm.workspaces.switch_to(second, 1)
            compositor.remove_output(second)
            listed = ipc.workspaces(compositor, [])
            a, b = ({w["id"]: w for w in ipc.windows(compositor, [])}[window.id] for window in compositor.wm.windows)
            return listed, a, b
        finally:
            for client in clients:
                client.kill()
                await client.wait()
            compositor.shutdown()

    listed, a, b = asyncio.run(scenario())
    assert listed == [{"output": "HEADLESS-1", "workspaces": [
        {"index": 1, "name": "1", "active": True, "urgent": False, "tiling": False, "windows": [b["id"]]},
        {"index": 2, "name": "2", "active": False, "urgent": False, "tiling": False, "windows": [a["id"]]},
        {"index": 3, "name": "3", "active": False, "urgent": False, "tiling": False, "windows": []}]}]
    for window in (a, b):
        assert window["output"] == "HEADLESS-1"
        assert window["x"] >= 0 and window["x"] + window["width"] <= 640 and 0 <= window["y"] < 480


@pytest.mark.parametrize("mode", ["dynamic", "fixed"])
def test_an_output_that_comes_back_gets_its_workspaces_back(runtime_dir: Path, tmp_path: Path, mode: str) -> None:
    """Output 2 has a on workspace 1 (tiling, as Super+Y made it) and b and c on workspace 2, which it shows, when
    it goes away; meanwhile c is moved to output 1's last workspace. When an output of that name comes back, a and
    b go back to their places there (workspace 1 tiling again, workspace 2 shown, b at its place inside the
    output), c stays where it was put."""
    settings = tmp_path / "orrery.toml"
    settings.write_text(f'[workspaces]\nmode = "{mode}"\ncount = 3\n')
    loaded = config.load(settings).config

    async def scenario() -> tuple[list[list[Any]], dict[int, dict[str, Any]], list[int]]:
        backend = HeadlessBackend([OutputSpec(640, 480, 60.0), OutputSpec(640, 480, 60.0)])
        compositor = Compositor(asyncio.get_running_loop(), backend, loaded)
        socket = compositor.display.add_socket(f"workspace-replug-{os.getpid()}")
        env = {**os.environ, "WAYLAND_DISPLAY": socket}
        clients = []
        try:
            first, second = compositor.scene.outputs
            compositor.seat.pointer_motion(second.x + 320, 240)  # new windows go to the output under the pointer
            for count in (1, 2, 3):
                clients.append(await asyncio.create_subprocess_exec("weston-simple-shm", env=env))
                await _wait_windows(compositor, count)
                compositor.wm.workspaces.switch_to(second, 1)
            a, b, c = compositor.wm.windows
            compositor.wm.move_to(b, second.x + 100, 60)  # it comes back to this place on its output
            compositor.wm.tiler.toggle(a.workspace)  # Super+Y there
            compositor.remove_output(second)
            workspaces = compositor.wm.workspaces
            assert (a.workspace.output, b.workspace.output) == ("HEADLESS-1", "HEADLESS-1")  # type: ignore[union-attr]
            workspaces.move_window(c, workspaces.groups["HEADLESS-1"].workspaces[-1])
            compositor.add_output("HEADLESS-2", 640, 0, 640, 480, 60000)
            listed = ipc.workspaces(compositor, [])
            windows = {w["id"]: w for w in ipc.windows(compositor, [])}
            return listed, windows, [a.id, b.id, c.id]
        finally:
            for client in clients:
                client.kill()
                await client.wait()
            compositor.shutdown()

    listed, windows, (a, b, c) = asyncio.run(scenario())
    # dynamic: c's workspace was appended (then the empty ones between tidied away); fixed: it is the third
    left = [[], [c], []] if mode == "dynamic" else [[], [], [c]]
    assert listed == [
        {"output": "HEADLESS-1", "workspaces": [
            {"index": i + 1, "name": str(i + 1), "active": i == 0, "urgent": False, "tiling": False, "windows": ids}
            for i, ids in enumerate(left)]},
        {"output": "HEADLESS-2", "workspaces": [
            {"index": 1, "name": "1", "active": False, "urgent": False, "tiling": True, "windows": [a]},
            {"index": 2, "name": "2", "active": True, "urgent": False, "tiling": False, "windows": [b]},
            {"index": 3, "name": "3", "active": False, "urgent": False, "tiling": False, "windows": []}]}]
    assert [windows[w]["output"] for w in (a, b, c)] == ["HEADLESS-2", "HEADLESS-2", "HEADLESS-1"]
    assert (windows[b]["x"], windows[b]["y"]) == (740, 60)
    assert windows[a]["tiled"] and not windows[b]["tiled"]
    assert windows[a]["x"] >= 640 and windows[c]["x"] + windows[c]["width"] <= 640


async def _wait_windows(compositor: Compositor, count: int) -> None:
    for _ in range(200):
        if len(compositor.wm.windows) == count:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"expected {count} windows, have {len(compositor.wm.windows)}")


def test_workspace_settings_and_bindings_are_checked_with_their_place_in_the_file() -> None:
    text = ('[workspaces]\nmode = "dinamic"\ncount = 2.5\n[bindings]\n"Super+W" = "workspace 0"\n'
            '"Super+M" = "move-to-workspace x"\n')
    result = config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))
    found = {(d.line, d.column): d.message for d in result.diagnostics}
    assert found == {
        (2, 8): 'expected "dynamic" or "fixed", found "dinamic" (did you mean "dynamic"?)',
        (3, 9): "expected a whole number, found 2.5",
        (5, 13): '"workspace 0": expected a workspace number from 1 to 99, or prev or next',
        (6, 13): '"move-to-workspace x": expected a workspace number from 1 to 99, or prev or next'}
    fine = config.check({"workspaces": {"mode": "fixed", "count": 6}}, Path("orrery.toml"), index_toml(""))
    assert fine.config is not None and fine.config.get("workspaces", "count") == 6
    defaults = config.Config()
    assert (defaults.get("workspaces", "mode"), defaults.bindings[bindings.parse_combo("Super+Shift+3")]) == \
        ("dynamic", bindings.Action("move-to-workspace", "3"))


def test_a_window_on_a_hidden_workspace_gets_no_frame_callbacks(session: Session, tmp_path: Path) -> None:
    hidden = Frames(session, tmp_path / "hidden.log")
    hidden.wait_advancing()
    session.msg("action", "workspace", "2")
    shown = Frames(session, tmp_path / "shown.log")
    hidden.wait_stopped(others=(shown,))
    session.msg("action", "workspace", "1")
    hidden.wait_advancing()  # shown again: the held callback is answered, and it draws on
    shown.wait_stopped(others=(hidden,))


def _probe(session: Session, scenario: str) -> dict[str, Any]:
    result = session.run([sys.executable, "-m", "tests.tools.workspace_probe", scenario, session.name], cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_ext_workspace_lists_workspaces_and_activates_and_deactivates_them_at_commit(session: Session) -> None:
    seen = _probe(session, "requests")
    # per workspace, as announced: [name, state (1: active), in its output's group, removed]
    assert seen["start"] == [["1", 1, True, False], ["2", 0, True, False]], \
        "the empty workspace announced after the first window"
    assert seen["capabilities"] == 3, "activate and deactivate"
    assert seen["uncommitted"] == [[["1", True], ["2", False]]], "nothing happens before commit"
    assert seen["activated"] == [["1", 0, True, False], ["2", 1, True, False]]
    assert seen["activated_shown"] == [[["1", False], ["2", True]]]
    assert seen["deactivated"] == [["1", 1, True, False], ["2", 0, True, False]], "back to the one shown before"
    assert seen["deactivated_shown"] == [[["1", True], ["2", False]]]
    assert seen["moved"] == [["1", 0, False, True], ["1", 1, True, False], ["2", 0, True, False]], \
        "workspace 1 left its group and was removed, workspace 2 renamed 1, a new empty one announced"
    assert seen["moved_shown"] == [[["1", True], ["2", False]]]


def test_a_launched_window_lands_on_the_workspace_of_its_activation_token(session: Session) -> None:
    seen = _probe(session, "launch")
    assert seen["late_mapped_on"] == "2", "mapped where the user is now"
    assert seen["windows"] == {"probe-launcher": ["1", False], "probe-early": ["1", False],
                               "probe-late": ["1", False]}, "both apps went to the launch's workspace, unfocused"
    assert seen["shown"] == [[["1", False], ["2", True], ["3", False]]], "the user stays where they went"
    assert seen["urgent"] == [["1", True], ["2", False], ["3", False]], "workspace 1 asks for attention"


# -- the panel's indicator -------------------------------------------------------------------------------------
PANEL_HEIGHT = 8 * 4  # as tests/test_shell.py works it out from the default theme
ACCENT = (0x52, 0x94, 0xE2)  # "sky", the default theme's accent: the background of the shown workspace's button


@pytest.fixture
def desktop(runtime_dir: Path, tmp_path: Path) -> Iterator[Session]:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime_dir, outputs=("1280x800@60",), extra_env=env, shell=True)
    try:
        wait_until(lambda: any(s["namespace"] == "panel" for s in session.msg("layers")), timeout=30,
                   what="the panel")
        yield session
    finally:
        code = session.stop()
        assert code == 0, session.log_path.read_text(errors="replace")


def _accent_runs(shot: Screenshot) -> list[tuple[int, int]]:
    """Where the accent colour runs (at least 10 px) along a row of the panel above the buttons' labels: the
    shown workspace's button."""
    y, runs, start = 7, [], None
    for x in range(0, 600):
        inside = all(abs(a - b) <= 2 for a, b in zip(shot.pixel(x, y), ACCENT, strict=True))
        if inside and start is None:
            start = x
        elif not inside and start is not None:
            if x - start >= 10:
                runs.append((start, x))
            start = None
    return runs


def test_clicking_the_panels_workspace_indicator_switches_workspaces(desktop: Session) -> None:
    desktop.spawn(["weston-simple-shm"])
    shm = desktop.wait_for_window(SIMPLE_SHM)
    wait_until(lambda: len(workspaces(desktop)) == 2, what="a second, empty workspace")
    desktop.msg("pointer", "move", "640", "700")  # away from the panel: its buttons are not hovered
    [(x0, x1)] = wait_until(lambda: _accent_runs(desktop.screenshot()), timeout=20,
                            what="the indicator, workspace 1 highlighted")
    second = x1 + 4 + (x1 - x0) // 2  # the next button, as wide, 4 px (the panel's spacing) further on
    wait_until(lambda: len(desktop.screenshot().region_colours(x1 + 4, 8, x1 - x0, 16, step=1)) > 1,
               what="the second workspace's button drawn")

    desktop.pointer("move", str(second), str(PANEL_HEIGHT // 2), "click", "left")
    wait_until(lambda: names_and_active(desktop) == [("1", False), ("2", True)], what="workspace 2 shown")
    wait_until(lambda: shows_background(desktop.screenshot(), shm), what="weston-simple-shm hidden")
    desktop.msg("pointer", "move", "640", "700")
    wait_until(lambda: [run[0] > x1 for run in _accent_runs(desktop.screenshot())] == [True],
               what="the indicator to highlight workspace 2")

    desktop.pointer("move", str((x0 + x1) // 2), str(PANEL_HEIGHT // 2), "click", "left")
    wait_until(lambda: window(desktop, shm["id"])["focused"], what="workspace 1 shown, its window focused")
    assert names_and_active(desktop) == [("1", True), ("2", False)]
