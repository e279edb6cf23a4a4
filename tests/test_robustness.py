"""Bad clients lose their connection; the compositor and every other client carry on."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from tests.harness import Session, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"


def _frames_keep_coming(session: Session, window: dict[str, object]) -> bool:
    """simple-shm redraws on every frame callback, so its pixels change only while callbacks arrive."""
    x, y = int(window["x"]) + 30, int(window["y"]) + 30  # type: ignore[call-overload]
    first = session.screenshot("a.png").region_colours(x, y, 180, 180)
    return bool(wait_until(lambda: session.screenshot("b.png").region_colours(x, y, 180, 180) != first,
                           timeout=5, what="simple-shm to draw a new frame"))


def _misbehave(session: Session, mode: str, *args: str) -> tuple[str, str]:
    """Run ``tests.tools.misbehave MODE ARGS``: what it printed on stdout and on stderr."""
    result = session.run([sys.executable, "-m", "tests.tools.misbehave", mode, *args], timeout=180)
    return result.stdout.decode(), result.stderr.decode()


def test_protocol_violation_disconnects_only_that_client(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    out, err = _misbehave(session, "bad-scale")
    assert "disconnected" in out
    assert "wl_surface" in err and "invalid scale 0" in err  # libwayland prints the error we posted
    assert session.alive()
    assert [w["app_id"] for w in session.windows()] == [SIMPLE_SHM]
    assert _frames_keep_coming(session, window)


def _only_the_misbehaving_client_is_cut_off(session: Session, mode: str, error: str, *args: str) -> str:
    """A weston-simple-shm draws while ``tests.tools.misbehave MODE`` runs: that client is disconnected with
    ``error`` (libwayland prints the protocol error we posted), the compositor lives and simple-shm draws on."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    out, err = _misbehave(session, mode, *args)
    assert "disconnected" in out, out + err
    assert error in err, err
    assert session.alive()
    assert _frames_keep_coming(session, window)
    return err


def test_client_that_truncates_its_pool_is_disconnected_not_the_compositor(session: Session) -> None:
    _only_the_misbehaving_client_is_cut_off(session, "truncate", "error accessing SHM buffer")


def test_popups_nested_a_thousand_deep_are_a_protocol_error(session: Session) -> None:
    """Every walk of a popup chain (drawing, placing, dismissing) is bounded by refusing deep chains."""
    _only_the_misbehaving_client_is_cut_off(session, "deep-popups", "popups nested deeper than 32")


def test_a_window_moved_by_huge_offsets_stays_in_reach_and_everyone_else_is_drawn(session: Session) -> None:
    """wl_surface.offset is legal with any int32: fifty of (2^31-1, 2^31-1) must not carry a window to places
    the renderer cannot address (beyond cairo's 32-bit regions), nor stop the other clients' frames."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    out, err = _misbehave(session, "far-offsets")
    assert out.startswith("offsets sent ["), out + err
    x, y = json.loads(out.removeprefix("offsets sent"))
    assert abs(x) <= 1 << 20 and abs(y) <= 1 << 20, (x, y)
    assert session.alive()
    assert _frames_keep_coming(session, window)


def test_client_killed_mid_stream_leaves_compositor_running(session: Session) -> None:
    victim = session.spawn(["weston-simple-shm"])
    session.wait_for_window(SIMPLE_SHM)
    survivor = session.spawn(["weston-simple-shm"])
    wait_until(lambda: len(session.windows()) == 2, what="two windows")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    wait_until(lambda: len(session.windows()) == 1, what="the killed client's window to go")
    assert session.alive()
    assert survivor.poll() is None
    assert _frames_keep_coming(session, session.windows()[0])


# -- what an attacker tried ---------------------------------------------------------------------------------------
def test_keymap_file_shrinking_while_read_does_not_kill_the_compositor(session: Session) -> None:
    """A virtual keyboard's keymap file is the client's: another thread of it truncates the file between 1 MiB
    and nothing while the compositor reads it (a mapped read would die of SIGBUS)."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    for _ in range(2):
        out, err = _misbehave(session, "keymap-shrink")
        assert session.alive(), session.log_text()
    assert _frames_keep_coming(session, window)


def _open_fds(session: Session) -> int:
    return len(os.listdir(f"/proc/{session.pid}/fd"))


def test_keymaps_of_an_unknown_format_leave_no_file_open(session: Session) -> None:
    before = _open_fds(session)
    out, err = _misbehave(session, "keymap-format")
    assert "keymaps sent" in out, out + err
    # the client has gone: what it left open would stay open (its connection's own descriptor closes soon)
    wait_until(lambda: _open_fds(session) < before + 50, timeout=5,
               what=f"the fds to fall back near the {before} there were before")


def test_viewport_source_outside_the_buffer_is_out_of_buffer_and_drawing_goes_on(session: Session) -> None:
    """wp_viewport.set_source(0, 0, 8388607, 8388607) on a 16x16 buffer: the protocol's out_of_buffer error, and
    the outputs are drawn (and screenshots taken) as before."""
    _only_the_misbehaving_client_is_cut_off(session, "huge-viewport", "outside the 16x16 buffer")
    shot = session.screenshot("after.png")
    assert shot.width == 1280


def test_buffer_wider_than_cairo_draws_is_refused_and_others_get_frames(session: Session) -> None:
    _only_the_misbehaving_client_is_cut_off(session, "wide-buffer", "larger than 32767")


def _took(out: str, err: str) -> float:
    """The seconds the misbehaving client's requests took (its ``took`` line), and its IPC answer was prompt."""
    lines = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    assert "took" in lines and "ipc" in lines, out + err
    assert float(lines["ipc"]) < 1.0, out
    return float(lines["took"])


def test_a_300_deep_subsurface_chain_costs_little(session: Session) -> None:
    """Creating and applying a chain of 300 subsurfaces (each the parent of the next) ten times over: every
    walk up or down the chain is linear, so the compositor answers within a second or two."""
    assert _took(*_misbehave(session, "subsurface-chain", "300")) < 2.5
    assert session.alive()


def test_a_subsurface_chain_deeper_than_python_recursion_is_no_error(session: Session) -> None:
    out, err = _misbehave(session, "subsurface-chain", "1200")
    _took(out, err)
    assert "error" not in err, err
    assert "RecursionError" not in session.log_text(100_000)


def test_a_thousand_desynchronized_sibling_subsurfaces_cost_little(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    assert _took(*_misbehave(session, "subsurface-siblings", "1000")) < 4
    assert _frames_keep_coming(session, window)


def test_restacking_and_moving_subsurfaces_redraws_only_them(session: Session) -> None:
    """2,000 commits, each restacking one of 200 sibling subsurfaces and moving another: the damage is theirs,
    not the whole tree's (which cost every such commit as much as the surface has subsurfaces)."""
    assert _took(*_misbehave(session, "restack", "2000")) < 3
    assert session.alive()


def test_a_region_of_forty_thousand_rectangles_is_cut_off_at_its_cap(session: Session) -> None:
    """pixman's work on a region of scattered rectangles grows faster than their number: a wl_region takes 4096
    add/subtract requests, each in constant time; the 4097th disconnects the client, naming the cap."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    started = time.monotonic()
    out, err = _misbehave(session, "region-ops", "40000")
    assert "disconnected" in out, out + err
    assert time.monotonic() - started < 10
    assert "the cap on rectangles per region" in session.log_text(100_000)
    assert _took(*_misbehave(session, "region-ops", "4000")) < 1.5
    assert _frames_keep_coming(session, window)


def test_a_client_over_its_object_cap_is_disconnected_naming_it(session: Session) -> None:
    _only_the_misbehaving_client_is_cut_off(session, "object-flood", "the cap on objects per client", "25000")


def test_a_client_that_never_reads_is_dropped_once_its_queue_is_full(session: Session) -> None:
    """Events for a client that does not read pile up only to libwayland's connection buffer (beyond the
    socket's): then libwayland drops the client; no protocol error can reach a client that does not read."""
    out, err = _misbehave(session, "never-read", "2000")
    assert "disconnected" in out, out + err
    assert "Data too big for buffer" in session.log_text(100_000)
    assert session.alive()


def test_a_client_over_its_commit_cap_is_disconnected_naming_it(session: Session) -> None:
    """Commits as fast as the client can send them (the compositor handles about 90,000 a second): far more than
    the cap of 250 per frame, counted over a second."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    out, err = _misbehave(session, "commit-flood", "200000")
    assert "disconnected" in out, out + err
    assert "the cap on commits per frame" in session.log_text(100_000)
    assert _frames_keep_coming(session, window)


def test_popup_that_is_its_own_parent_is_invalid_popup_parent(session: Session) -> None:
    err = _only_the_misbehaving_client_is_cut_off(session, "popup-self", "cannot be its own ancestor")
    assert "error 3" in err  # xdg_wm_base.error.invalid_popup_parent


def test_popups_that_are_each_others_parent_are_invalid_popup_parent(session: Session) -> None:
    err = _only_the_misbehaving_client_is_cut_off(session, "popup-mutual", "xdg_wm_base")
    assert "error 3" in err


def test_a_popup_chain_made_from_its_end_is_refused_too(session: Session) -> None:
    """Made child first, a chain would pass the check of each popup's ancestors; the parent must have its role."""
    err = _only_the_misbehaving_client_is_cut_off(session, "popups-bottom-up", "xdg_wm_base", "300")
    assert "error 3" in err
    assert "RecursionError" not in session.log_text(100_000)


def test_a_foreign_toplevel_list_stopped_then_destroyed_is_no_error(session: Session) -> None:
    out, err = _misbehave(session, "foreign-list-stop")
    assert "stopped" in out, out + err
    assert "failed" not in session.log_text(100_000)
