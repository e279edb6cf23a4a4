"""Bad clients lose their connection; the compositor and every other client carry on."""

from __future__ import annotations

import json
import signal
import sys

from tests.harness import Session, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"


def _frames_keep_coming(session: Session, window: dict[str, object]) -> bool:
    """simple-shm redraws on every frame callback, so its pixels change only while callbacks arrive."""
    x, y = int(window["x"]) + 30, int(window["y"]) + 30  # type: ignore[call-overload]
    first = session.screenshot("a.png").region_colours(x, y, 180, 180)
    return bool(wait_until(lambda: session.screenshot("b.png").region_colours(x, y, 180, 180) != first,
                           timeout=5, what="simple-shm to draw a new frame"))


def _misbehave(session: Session, mode: str) -> tuple[str, str]:
    result = session.run([sys.executable, "-m", "tests.tools.misbehave", mode])
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


def _only_the_misbehaving_client_is_cut_off(session: Session, mode: str, error: str) -> None:
    """A weston-simple-shm draws while ``tests.tools.misbehave MODE`` runs: that client is disconnected with
    ``error`` (libwayland prints the protocol error we posted), the compositor lives and simple-shm draws on."""
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    out, err = _misbehave(session, mode)
    assert "disconnected" in out
    assert error in err
    assert session.alive()
    assert _frames_keep_coming(session, window)


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
