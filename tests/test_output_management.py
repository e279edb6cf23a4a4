"""Arranging monitors with wlr-randr over zwlr_output_manager_v1: what it changes is what Orrery shows and
reports, every manager client hears of it, and a configuration takes effect as a whole or not at all."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Session, wait_until

PROBE = [sys.executable, "-m", "tests.tools.outputman_probe"]


@pytest.fixture
def two_outputs(runtime_dir: Path) -> Iterator[Session]:
    compositor = Session(runtime_dir, outputs=("640x480@60", "800x600@60"))
    yield compositor
    assert compositor.stop() == 0, compositor.log_text()


def randr(session: Session, *args: str) -> str:
    result = session.run(["wlr-randr", *args])
    assert result.returncode == 0, f"wlr-randr {' '.join(args)}: {result.stderr.decode()}"
    return result.stdout.decode()


def outputs(session: Session) -> dict[str, dict[str, Any]]:
    return {output["name"]: output for output in session.msg("outputs")}


def probe(session: Session, mode: str) -> tuple[list[dict[str, Any]], str]:
    result = session.run([*PROBE, mode])
    return [json.loads(line) for line in result.stdout.decode().splitlines()], result.stderr.decode()


def test_wlr_randr_lists_the_outputs(two_outputs: Session) -> None:
    listing = randr(two_outputs)
    assert "HEADLESS-1" in listing and "HEADLESS-2" in listing
    assert "800x600 px, 60.000000 Hz (preferred, current)" in listing
    assert "Position: 640,0" in listing


def test_wlr_randr_changes_scale_position_and_mode(two_outputs: Session) -> None:
    session = two_outputs
    randr(session, "--output", "HEADLESS-2", "--scale", "2", "--pos", "700,40")
    second = outputs(session)["HEADLESS-2"]
    assert (second["x"], second["y"], second["scale"], second["width"], second["height"]) == (700, 40, 2.0, 400, 300)
    randr(session, "--output", "HEADLESS-1", "--mode", "1024x768")
    assert outputs(session)["HEADLESS-1"]["mode"] == "1024x768@60"
    listing = randr(session)
    assert "Position: 700,40" in listing and "Scale: 2.000000" in listing
    assert "1024x768 px, 60.000000 Hz (current)" in listing


def test_wlr_randr_switches_an_output_off_and_on(two_outputs: Session) -> None:
    session = two_outputs
    window = session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "2040d0", "blue"])
    placed = session.wait_for_window("blue")
    session.msg("window", "move", str(placed["id"]), "700", "100")  # on HEADLESS-2
    randr(session, "--output", "HEADLESS-2", "--off")
    assert list(outputs(session)) == ["HEADLESS-1"]
    assert "Enabled: no" in randr(session)
    moved = session.wait_for_window("blue")
    assert moved["x"] + moved["width"] <= 640, f"the window came to the remaining output: {moved}"
    randr(session, "--output", "HEADLESS-2", "--on", "--pos", "640,0")
    assert outputs(session)["HEADLESS-2"]["x"] == 640, "back in the layout"
    assert "Enabled: no" not in randr(session)
    window.kill()


def test_every_manager_client_hears_of_changes(two_outputs: Session) -> None:
    session = two_outputs
    watcher = session.spawn([*PROBE, "watch"], stdout=subprocess.PIPE)
    assert watcher.stdout is not None
    first = json.loads(watcher.stdout.readline())
    assert first["HEADLESS-2"]["position"] == [640, 0]
    randr(session, "--output", "HEADLESS-2", "--pos", "0,480", "--scale", "1.5")
    changed = json.loads(watcher.stdout.readline())
    assert changed["HEADLESS-2"]["position"] == [0, 480] and changed["HEADLESS-2"]["scale"] == 1.5
    session.msg("output", "scale", "HEADLESS-1", "2")  # not through the protocol: heard all the same
    by_ipc = json.loads(watcher.stdout.readline())
    assert by_ipc["HEADLESS-1"]["scale"] == 2.0
    randr(session, "--output", "HEADLESS-1", "--off")
    assert json.loads(watcher.stdout.readline())["HEADLESS-1"]["enabled"] == 0
    watcher.kill()


def test_configurations_apply_as_a_whole(two_outputs: Session) -> None:
    session = two_outputs
    before = outputs(session)
    lines, _ = probe(session, "half-bad")
    assert lines[0] == {"result": "failed"}, "a mode HEADLESS-2 does not offer"
    assert outputs(session) == before, "and the valid half did not happen either"
    lines, _ = probe(session, "test-only")
    assert lines[0] == {"result": "succeeded"}
    assert outputs(session) == before, "a test changes nothing"
    lines, _ = probe(session, "all-off")
    assert lines[0] == {"result": "failed"}, "no output would be left"
    lines, _ = probe(session, "stale")
    assert lines[0] == {"result": "cancelled"}, "the state changed since the configuration's serial"
    lines, _ = probe(session, "far")
    assert lines[0] == {"result": "failed"}, "a position out of reach"
    for mode, message in (("left-out", "leaves out HEADLESS-2"), ("twice", "already in the configuration"),
                          ("zero-scale", "scale 0 is not positive"), ("bad-mode", "invalid mode -1x-1@0")):
        lines, stderr = probe(session, mode)
        assert lines == [{"disconnected": True}] and message in stderr, f"{mode}: {lines} {stderr}"
    wait_until(lambda: outputs(session)["HEADLESS-1"]["y"] == 2000, what="the compositor to answer")


KANSHI_PROFILES = """
profile docked {
  output HEADLESS-1 position 0,0 scale 1
  output HEADLESS-2 scale 2 position 1280,100
}
profile alone {
  output HEADLESS-1 scale 1.5
}
"""


def test_kanshi_applies_its_profiles_on_hot_plug(session: Session, tmp_path: Path) -> None:
    config = tmp_path / "kanshi.conf"
    config.write_text(KANSHI_PROFILES)
    session.spawn(["kanshi", "-c", str(config)])

    def arrangement() -> dict[str, tuple[int, int, float]]:
        return {name: (o["x"], o["y"], o["scale"]) for name, o in outputs(session).items()}

    wait_until(lambda: arrangement() == {"HEADLESS-1": (0, 0, 1.5)}, what="kanshi's profile for one monitor")
    added = session.msg("output", "add", "1600x900")
    assert added["name"] == "HEADLESS-2"
    wait_until(lambda: arrangement() == {"HEADLESS-1": (0, 0, 1.0), "HEADLESS-2": (1280, 100, 2.0)},
               what="kanshi's profile for two monitors")
    session.msg("output", "remove", "HEADLESS-2")
    wait_until(lambda: arrangement() == {"HEADLESS-1": (0, 0, 1.5)}, what="kanshi's profile for one monitor again")


def test_wlr_randr_turns_an_output(two_outputs: Session) -> None:
    session = two_outputs
    randr(session, "--output", "HEADLESS-2", "--transform", "90")
    second = outputs(session)["HEADLESS-2"]
    assert (second["width"], second["height"], second["transform"], second["mode"]) == (600, 800, 1, "800x600@60")
    assert "Transform: 90" in randr(session)
    randr(session, "--output", "HEADLESS-2", "--transform", "normal")
    assert (outputs(session)["HEADLESS-2"]["width"], outputs(session)["HEADLESS-2"]["transform"]) == (800, 0)
