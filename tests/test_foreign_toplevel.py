"""Taskbars see and control every window: waybar's wlr/taskbar over zwlr_foreign_toplevel_management_v1."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.harness import ROOT, Session, wait_until
from tests.layer_clients import BAR_HEIGHT, start_waybar, wait_for_buttons

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"


def _window(session: Session, app_id: str) -> dict:
    return next(w for w in session.windows() if w["app_id"] == app_id)


def test_waybar_taskbar_shows_a_button_per_window(session: Session, tmp_path: Path) -> None:
    start_waybar(session, tmp_path)
    wait_for_buttons(session, 0)
    shm = session.spawn(["weston-simple-shm"])
    session.wait_for_window(SIMPLE_SHM)
    [(_left, _right, active)] = wait_for_buttons(session, 1)
    assert active, "the new window is focused, and its button says so"
    session.spawn(["foot", "sh"], env={"SHELL": "/bin/sh"})
    session.wait_for_window("foot")
    first, second = wait_for_buttons(session, 2)
    assert (first[2], second[2]) == (False, True), "focus moved to the second window"
    shm.kill()
    wait_for_buttons(session, 1)


def test_clicking_taskbar_buttons_activates_minimizes_and_closes(session: Session, tmp_path: Path) -> None:
    start_waybar(session, tmp_path)
    session.spawn(["weston-simple-shm"])
    session.wait_for_window(SIMPLE_SHM)
    session.spawn(["foot", "sh"], env={"SHELL": "/bin/sh"})
    session.wait_for_window("foot", predicate=lambda w: w["focused"])
    shm_button, foot_button = wait_for_buttons(session, 2)
    y = str(BAR_HEIGHT // 2)

    session.pointer("move", str((shm_button[0] + shm_button[1]) // 2), y, "click", "left")
    wait_until(lambda: _window(session, SIMPLE_SHM)["focused"], what="simple-shm to be activated")
    assert session.windows()[-1]["app_id"] == SIMPLE_SHM, "and raised"

    session.pointer("move", str((shm_button[0] + shm_button[1]) // 2), y, "click", "left")  # active: minimize
    wait_until(lambda: _window(session, SIMPLE_SHM)["minimized"], what="simple-shm to be minimized")
    assert _window(session, "foot")["focused"]

    session.pointer("move", str((shm_button[0] + shm_button[1]) // 2), y, "click", "left")  # restore
    wait_until(lambda: not _window(session, SIMPLE_SHM)["minimized"] and _window(session, SIMPLE_SHM)["focused"],
               what="simple-shm to come back")

    session.pointer("move", str((foot_button[0] + foot_button[1]) // 2), y, "click", "middle")  # close
    wait_until(lambda: [w["app_id"] for w in session.windows()] == [SIMPLE_SHM], what="foot to close")
    wait_for_buttons(session, 1)


def _probe(session: Session, scenario: str) -> dict:
    result = session.run([sys.executable, "-m", "tests.tools.shell_probe", scenario, session.name], cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_ext_lists_show_windows_and_the_workspaces_of_each_output(session: Session) -> None:
    seen = _probe(session, "lists")
    first, second = seen["toplevels"]
    assert (first["app_id"], second["app_id"]) == ("probe-a", "probe-b")
    assert first["identifier"] != second["identifier"]
    assert second.get("closed") and not first.get("closed"), "the window whose client quit is closed"
    assert seen["groups"] == [{"outputs": 1, "workspaces": 2}]
    # workspace 1 shown, with the probe's window; workspace 2 the empty one dynamic workspaces keep at the end
    assert seen["workspaces"] == [{"name": "1", "active": True}, {"name": "2", "active": False}]


def test_xdg_activation_focuses_only_with_a_token_from_a_focused_client(session: Session) -> None:
    seen = _probe(session, "activation")
    assert seen == {"focused_at_start": True, "after_unfocused_token": False, "after_token": True}


def test_taskbars_see_unmaximize_and_maximizing_a_minimized_window_shows_it(session: Session) -> None:
    result = session.run([sys.executable, "-m", "tests.tools.layer_probe", "taskbar-states", session.name],
                         cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    seen = json.loads(result.stdout)
    maximized, minimized, activated = 0, 1, 2
    assert seen["mapped_maximized"] == [maximized, activated]
    assert seen["unmaximized"] == [activated], "the client's unset_maximized reaches the taskbar"
    assert seen["minimized"] == [minimized]
    assert seen["maximized_by_taskbar"] == [maximized, activated], "shown and focused again"
