"""Orrery's own shell on a headless `orrery run`: the panel, the launcher and their supervision."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compositor import ipc
from tests.harness import Screenshot, Session, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"

# What the default theme should look like, worked out here from themes/builtin/orrery-dark.toml and the rules
# docs/themes.md states, not through the theme code the shell draws with. The TOML sets the background "night"
# and the text "snow"; surface_N lies 5 N % of the way from the one to the other (both read well enough for
# the pull-back not to apply). The panel is on surface_1, buttons (the active window's taskbar entry is a
# secondary button) on surface_2, and the panel is 8 spacing units high ("comfortable": 4 px each).
NIGHT, SNOW = (0x1B, 0x1D, 0x23), (0xE4, 0xE6, 0xEB)


def _towards(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    red, green, blue = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return red, green, blue


PANEL_RGB = _towards(NIGHT, SNOW, 0.05)  # #25272d
ACTIVE_TASK_RGB = _towards(NIGHT, SNOW, 0.10)  # #2f3137
PANEL_HEIGHT = 8 * 4


@pytest.fixture
def desktop(runtime_dir: Path, tmp_path: Path) -> Iterator[Session]:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "SHELL": "/bin/sh"}
    session = Session(runtime_dir, outputs=("1280x800@60", "1024x768@60"), extra_env=env, shell=True)
    try:
        wait_until(lambda: len(_layers(session, "panel")) == 2, timeout=20, what="a panel on each output")
        yield session
    finally:
        code = session.stop()
        assert code == 0, session.log_path.read_text(errors="replace")


def _layers(session: Session, namespace: str) -> list[dict[str, Any]]:
    return [s for s in session.msg("layers") if s["namespace"] == namespace]


def _close(a: tuple[int, int, int], b: tuple[int, int, int], slack: int = 2) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def _runs(shot: Screenshot, y: int, x0: int, x1: int, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """Horizontal runs of ``colour`` (at least 40 px long) along row ``y``."""
    runs, start = [], None
    for x in range(x0, x1):
        inside = _close(shot.pixel(x, y), colour)
        if inside and start is None:
            start = x
        elif not inside and start is not None:
            if x - start >= 40:
                runs.append((start, x))
            start = None
    return runs


def test_panel_along_the_top_of_every_output_and_windows_below_it(desktop: Session) -> None:
    panels = sorted(_layers(desktop, "panel"), key=lambda p: p["x"])
    height = PANEL_HEIGHT
    assert [(p["x"], p["y"], p["width"], p["height"]) for p in panels] == [(0, 0, 1280, height),
                                                                           (1280, 0, 1024, height)]
    assert all(p["exclusive_zone"] == height and p["layer"] == "top" for p in panels)

    def drawn() -> bool:
        shot = desktop.screenshot()
        return all(_close(shot.pixel(x, height // 2), PANEL_RGB) for x in (700, 900, 1280 + 600, 1280 + 800))

    wait_until(drawn, timeout=10, what="the panel's colour along the top of both outputs")
    shot = desktop.screenshot()
    assert not _close(shot.pixel(700, height + 40), PANEL_RGB), "the desktop below the panel is the background"
    desktop.spawn(["weston-simple-shm"])
    window = desktop.wait_for_window(SIMPLE_SHM)
    assert window["y"] >= height, "new windows are placed below the panel"
    desktop.spawn(["foot", "--maximized", "sh"])
    foot = desktop.wait_for_window("foot", predicate=lambda w: w["maximized"] and w["y"] + w["height"] == 800)
    assert foot["frame"]["y"] == height and foot["frame"]["height"] == 800 - height  # its title bar included


def test_super_typing_foot_and_enter_opens_foot_which_the_taskbar_lists_and_focuses(desktop: Session) -> None:
    wait_until(lambda: (desktop.runtime_dir / f"{desktop.name}.launcher").exists(), timeout=20,
               what="the launcher to listen")
    assert desktop.run(["wtype", "-M", "logo", "-m", "logo"]).returncode == 0  # a Super tap
    launcher = wait_until(lambda: _layers(desktop, "launcher"), what="the launcher to open")[0]
    assert launcher["keyboard_interactivity"] == 1 and launcher["layer"] == "overlay"
    assert desktop.run(["wtype", "foot"]).returncode == 0
    assert desktop.run(["wtype", "-k", "Return"]).returncode == 0
    foot = desktop.wait_for_window("foot")
    wait_until(lambda: not _layers(desktop, "launcher"), what="the launcher to close after launching")
    height = PANEL_HEIGHT
    y = height // 2

    def foot_entry() -> list[tuple[int, int]]:
        return _runs(desktop.screenshot(), y, 0, 1280, ACTIVE_TASK_RGB)

    [(x0, x1)] = wait_until(foot_entry, what="foot's taskbar entry, drawn as the active one")
    assert foot["focused"]
    desktop.spawn(["weston-simple-shm"])
    desktop.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["focused"])
    wait_until(lambda: foot_entry() and foot_entry()[0][0] > x1, what="the new window's entry to be the active one")
    desktop.pointer("move", str((x0 + x1) // 2), str(y), "click", "left")
    wait_until(lambda: any(w["app_id"] == "foot" and w["focused"] for w in desktop.windows()),
               what="foot to be focused from its taskbar entry")
    assert desktop.windows()[-1]["app_id"] == "foot", "and raised"


def test_a_killed_panel_comes_back_within_two_seconds(desktop: Session) -> None:
    # a desktop that has finished starting; the panel's process is the whole shell's (docs/shell.md), started
    # again by the supervisor, the panel's surfaces first
    wait_until(lambda: len(_layers(desktop, "background")) == 2 and (desktop.runtime_dir / f"{desktop.name}.launcher")
               .exists(), timeout=20, what="the background on each output and the launcher listening")
    before = _layers(desktop, "panel")
    pid = before[0]["pid"]

    def panels() -> list[dict[str, Any]]:  # asked directly: `orrery msg` would add its own start-up to the time
        return [s for s in ipc.request(desktop.name, "layers", []) if s["namespace"] == "panel" and s["pid"] != pid]

    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    back = wait_until(panels, timeout=5, interval=0.02, what="the panel to come back")
    elapsed = time.monotonic() - killed
    assert elapsed < 2.0, f"the panel came back after {elapsed:.2f} s"
    assert back[0]["y"] == 0
    assert desktop.alive()
    wait_until(lambda: len(_layers(desktop, "panel")) == 2, what="a panel on both outputs again")
