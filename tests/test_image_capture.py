"""The capture protocol newer tools use (ext_image_copy_capture_v1 with output and window sources): an output's
frame is the one Orrery shows, a window alone is its own pixels whatever covers it, and misuse gets the
protocol's answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.harness import Session, wait_until
from tests.test_screencopy import colours, load, show_windows

PROBE = [sys.executable, "-m", "tests.tools.image_capture_probe"]


def probe(session: Session, *args: str) -> tuple[list[dict[str, Any]], str]:
    result = session.run([*PROBE, *args])
    lines = [json.loads(line) for line in result.stdout.decode().splitlines() if line.startswith("{")]
    return lines, result.stderr.decode()


def test_an_output_capture_matches_the_screenshot(session: Session, tmp_path: Path) -> None:
    show_windows(session)
    lines, stderr = probe(session, "output", "HEADLESS-1", str(tmp_path / "output.png"))
    assert lines == [{"size": [1280, 800], "formats": [1]}, {"damage": [[0, 0, 1280, 800]], "ready": True}], stderr
    assert colours(load(tmp_path / "output.png")) == colours(session.screenshot().image)


def test_a_window_capture_is_the_window_alone(session: Session, tmp_path: Path) -> None:
    show_windows(session)  # red at (560, 100), 300×200; the bands window at (100, 150), 240×120, above it
    session.msg("window", "move", str(session.wait_for_window("red")["id"]), "100", "100")
    shot = session.screenshot().image
    assert colours(shot, (110, 160, 1, 1)) == bytes((0xff, 0, 0)), "on screen the bands window covers red there"
    lines, stderr = probe(session, "window", "red", str(tmp_path / "red.png"))
    assert lines[0] == {"size": [300, 200], "formats": [0, 1]} and lines[1]["ready"], stderr
    red = load(tmp_path / "red.png")
    assert colours(red) == bytes((0x20, 0x20, 0xd0)) * 300 * 200, "all of the window, nothing over it"
    assert colours(red, (0, 0, 300, 50)) == colours(shot, (100, 100, 300, 50)), "what shows matches the screenshot"
    lines, _ = probe(session, "window", "bands", str(tmp_path / "bands.png"))
    bands = load(tmp_path / "bands.png")
    data = bytes(bands.get_data())
    assert data[0:4] == b"\xff\x00\x00\xff", "opaque blue"
    assert data[130 * 4 + 3] == 0, "the transparent band stays transparent: nothing under the window is in it"


def test_a_window_session_stops_when_the_window_closes(session: Session) -> None:
    window = session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "2040d0", "blue"],
                           stdout=subprocess.PIPE)
    session.wait_for_window("blue")
    watcher = session.spawn([*PROBE, "closing", "blue"], stdout=subprocess.PIPE)
    assert watcher.stdout is not None
    assert json.loads(watcher.stdout.readline()) == {"size": [300, 200], "formats": [0, 1]}
    assert json.loads(watcher.stdout.readline()) == {"waiting": True}
    window.kill()
    assert json.loads(watcher.stdout.readline()) == {"stopped": True}


def test_bad_capture_requests_get_the_protocol_answers(session: Session, tmp_path: Path) -> None:
    assert probe(session, "wrong-size", "HEADLESS-1")[0][1] == {"damage": [], "failed": 1}, "buffer_constraints"
    for mode, message in (("no-buffer", "without a buffer"), ("twice", "already captured"),
                          ("bad-option", "unknown options")):
        lines, stderr = probe(session, mode, "HEADLESS-1")
        assert lines[-1] == {"disconnected": True} and message in stderr, f"{mode}: {lines} {stderr}"
    wait_until(lambda: session.msg("outputs"), what="the compositor to answer")
    lines, _ = probe(session, "output", "HEADLESS-1", str(tmp_path / "after.png"))
    assert lines[-1]["ready"], "and capturing still works"
