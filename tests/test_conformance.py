"""Protocol behaviour the Wayland conformance suite (WLCS, ``make wlcs``) found missing, or does not test, checked
with a small scripted client (tests/tools/wl_probe.py) that connects and drives the seat through the IPC commands
WLCS uses."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.harness import ROOT, Session


def probe(session: Session, scenario: str) -> Any:
    result = subprocess.run([sys.executable, "-m", "tests.tools.wl_probe", scenario, session.name],
                            env=session.env, cwd=ROOT, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def test_surfaces_enter_and_leave_outputs_as_windows_move(session: Session) -> None:
    seen = probe(session, "surface-outputs")
    assert ["surface", "enter"] in seen["on_screen"]
    assert ["surface", "leave"] in seen["off_screen"], "moved off every output"
    assert seen["back"] == [["surface", "enter"]]
    assert seen["xdg_output_names"] == ["HEADLESS-1"], "xdg_output v3 still sends its name"


def test_pointer_focus_follows_windows_that_move_or_grow_under_a_still_pointer(session: Session) -> None:
    seen = probe(session, "pointer-follows-layout")
    assert ["pointer", "enter", 50.0, 50.0] in seen["entered"]
    assert seen["moved"] == [["pointer", "motion", 30.0, 40.0]], "the surface-local position changed"
    assert seen["new_pointer"] == [["second", "enter", 30.0, 40.0]], "a new wl_pointer learns the focus"
    assert seen["left"] == [["pointer", "leave"], ["second", "leave"]]
    assert seen["grown"] == [["pointer", "enter", 250.0, 250.0], ["second", "enter", 250.0, 250.0]]


def test_xdg_surfaces_are_configured_on_role_creation_and_buffers_before_that_are_errors(
        session: Session) -> None:
    seen = probe(session, "xdg-configure")
    assert seen["before_commit"] == [["configure"]]
    assert seen["mapped_without_initial_commit"]
    assert seen["attach_unconfigured"] == ["xdg_surface", 3], "xdg_surface.error.unconfigured_buffer"
    assert seen["pending_buffer"] == ["xdg_wm_base", 4], "xdg_wm_base.error.invalid_surface_state"


def test_interactive_move_takes_the_pointer_from_the_window_until_it_ends(session: Session) -> None:
    seen = probe(session, "interactive-move-leaves")
    assert seen["during"] == [["pointer", "leave"]]
    assert seen["after"] == [["pointer", "enter", 50.0, 50.0]]
    assert seen["position"] == [130, 120]


def test_relative_pointer_lock_and_confinement(session: Session) -> None:
    seen = probe(session, "relative-and-constraints")
    assert seen["free"] == [["relative", 10.0, 5.0], ["pointer", "motion", 160.0, 155.0]]
    assert seen["locked"] == [["locked"], ["relative", 10.0, 5.0]], "locked: deltas, but no motion"
    assert seen["confined"] == [["confined"], ["relative", 1000.0, 1000.0], ["pointer", "motion", 299.0, 299.0]]


def test_touch_points_are_lifted_when_their_surface_is_destroyed(session: Session) -> None:
    seen = probe(session, "touch-up-on-destroy")
    assert seen["down"] == [["down", 3, 20.0, 30.0]]
    assert seen["destroyed"] == [["up", 3]]


def test_ipc_input_commands_report_usage_errors(session: Session) -> None:
    assert session.msg("pointer", "move", "10", "20") == {"x": 10.0, "y": 20.0}
    for bad in (["pointer", "jump"], ["touch", "down", "1"], ["window", "move", "99", "0", "0"],
                ["window-for-surface", "1", "2"]):
        result = subprocess.run([sys.executable, "-m", "compositor", "msg", "--socket", session.name, *bad],
                                env=session.env, cwd=ROOT, capture_output=True, timeout=20)
        assert result.returncode == 1 and result.stderr, bad


def test_a_grabbing_popup_is_dismissed_when_another_window_takes_the_focus(session: Session) -> None:
    result = subprocess.run([sys.executable, "-m", "tests.tools.layer_probe", "grab-new-window", session.name],
                            env=session.env, cwd=ROOT, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["after_new_window"] == [["popup_done"]]


def test_surface_move_reports_surfaces_it_cannot_place(session: Session) -> None:
    result = subprocess.run([sys.executable, "-m", "compositor", "msg", "--socket", session.name, "surface", "move",
                             "99", "1", "0", "0"], env=session.env, cwd=ROOT, capture_output=True, timeout=20)
    assert result.returncode == 1 and b"no client 99" in result.stderr




def test_surface_offset_moves_a_window_and_a_cursor_hotspot(session: Session) -> None:
    seen = probe(session, "surface-offset")
    assert seen["window"] == [180, 190], "the buffer grew by 20 x 10 to the left and up: the window follows"
    assert seen["pixel"] == [255, 0, 0], "the new buffer is shown at its new place"
    assert seen["hotspot"] == [4, 5]
    assert seen["hotspot_after_offset"] == [3, 2], "the image moved by (1, 3) under a still pointer"
    assert seen["hotspot_after_plain_commit"] == [3, 2], "an offset applies to its own commit only"


def test_subsurface_order_is_the_parents_double_buffered_state(session: Session) -> None:
    seen = probe(session, "subsurface-order")  # which surface is on top: the one the pointer is on
    assert seen["initial"] == "green", "the newest subsurface is on top"
    assert seen["before_parent_commit"] == "green", "place_above waits for the parent's commit"
    assert seen["after_parent_commit"] == "red"
    assert seen["below_before_parent_commit"] == "red", "the subsurface's own commit does not apply it"
    assert seen["below_after_parent_commit"] == "green", "red is under its parent now"
    assert seen["place_above_itself"] == ["wl_subsurface", 0], "wl_subsurface.error.bad_surface"
    assert seen["place_below_stranger"] == ["wl_subsurface", 0], "not a sibling: bad_surface"


def test_subsurfaces_nested_deeper_than_the_recursion_limit_work(session: Session) -> None:
    seen = probe(session, "deep-subsurfaces")
    assert seen == {"error": None, "pixel": [255, 0, 0], "pointer_on_deepest": True}


def test_virtual_pointer_events_wait_for_their_frame(session: Session) -> None:
    seen = probe(session, "virtual-pointer-frame")
    assert seen["before_frame"] == [], "zwlr_virtual_pointer_v1.motion_absolute without a frame yet"
    assert seen["after_frame"] == [["pointer", "enter", 50.0, 40.0]]
