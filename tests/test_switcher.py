"""The window switcher on a headless `orrery run` with the real shell and real clients (weston-simple-shm):
Alt+Tab typed with wtype goes through the compositor's binding to the switcher client, which activates a window
through foreign-toplevel management when Alt is let go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Session, wait_until
from tests.test_shell import ACTIVE_TASK_RGB, _layers, _runs

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"
PADDING, ROW_HEIGHT = 12, 44  # shell/switcher.py's layout: entries from the top, one per row


@pytest.fixture
def desktop(runtime_dir: Path, tmp_path: Path) -> Iterator[Session]:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime_dir, extra_env=env, shell=True)
    try:
        wait_until(lambda: (runtime_dir / f"{session.name}.switcher").exists(), timeout=30,
                   what="the switcher to listen")
        yield session
    finally:
        code = session.stop()
        assert code == 0, session.log_path.read_text(errors="replace")


def focused(session: Session) -> int | None:
    return next((w["id"] for w in session.windows() if w["focused"]), None)


def open_windows(session: Session, count: int) -> list[int]:
    """``count`` weston-simple-shm windows, opened (and so focused) one after the other."""
    ids: list[int] = []
    for _ in range(count):
        session.spawn(["weston-simple-shm"])
        window = session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["id"] not in ids and w["focused"])
        ids.append(window["id"])
    return ids


def alt_tab(tabs: int = 1, shift: bool = False, then: tuple[str, ...] = ()) -> list[str]:
    """wtype's arguments for Alt (and Shift) held, Tab pressed ``tabs`` times, then ``then``, then let go; with
    pauses, as a user's hands take, so each Tab reaches the switcher before Alt is let go."""
    held = ["alt", "shift"] if shift else ["alt"]
    argv = [arg for modifier in held for arg in ("-M", modifier)]
    for _ in range(tabs):
        argv += ["-s", "150", "-k", "Tab"]
    argv += [*then, "-s", "300"]
    return argv + [arg for modifier in reversed(held) for arg in ("-m", modifier)]


def type_keys(session: Session, argv: list[str]) -> None:
    assert session.run(["wtype", *argv]).returncode == 0


def test_alt_tab_focuses_the_previous_window_and_again_goes_back(desktop: Session) -> None:
    first, second, third = open_windows(desktop, 3)
    type_keys(desktop, alt_tab())
    wait_until(lambda: focused(desktop) == second, what="the previously focused window to be focused")
    wait_until(lambda: not _layers(desktop, "switcher"), what="the switcher to close")
    # as quick as wtype types: Alt is let go before the switcher has the keyboard, which it then notices at once
    type_keys(desktop, ["-M", "alt", "-k", "Tab", "-m", "alt"])
    wait_until(lambda: focused(desktop) == third, what="Alt+Tab again to go back: the order is most recent first")
    assert desktop.windows()[-1]["id"] == third, "and raised"
    assert first in [w["id"] for w in desktop.windows()]


def test_alt_tab_tab_goes_one_further_and_shift_goes_the_other_way(desktop: Session) -> None:
    first, second, third = open_windows(desktop, 3)
    type_keys(desktop, alt_tab(tabs=2))
    wait_until(lambda: focused(desktop) == first, what="Alt+Tab+Tab to focus the window used before the previous")
    # most recent first is now first, third, second: Alt+Shift+Tab picks the least recent
    type_keys(desktop, alt_tab(shift=True))
    wait_until(lambda: focused(desktop) == second, what="Alt+Shift+Tab to focus the least recently used window")
    # now second, first, third: three Tabs go round to the window in use
    type_keys(desktop, alt_tab(tabs=3))
    wait_until(lambda: not _layers(desktop, "switcher"), what="the switcher to close")
    assert focused(desktop) == second


def test_the_overlay_lists_the_windows_with_the_selected_one_highlighted_and_escape_cancels(
        desktop: Session) -> None:
    _, _, third = open_windows(desktop, 3)
    desktop.msg("pointer", "move", "5", "795")  # not over the overlay: no entry is hovered
    holder = desktop.spawn(["wtype", *alt_tab(then=("-s", "4000", "-k", "Escape"))])
    try:
        switcher = wait_until(lambda: _layers(desktop, "switcher"), timeout=10, what="the switcher to open")[0]
        assert switcher["layer"] == "overlay" and switcher["keyboard_interactivity"] == 1
        assert switcher["height"] == 2 * PADDING + 3 * ROW_HEIGHT, "one row per window"

        def highlighted_rows() -> list[int]:
            shot = desktop.screenshot()
            return [i for i in range(3)
                    if _runs(shot, switcher["y"] + PADDING + i * ROW_HEIGHT + ROW_HEIGHT // 2, switcher["x"],
                             switcher["x"] + switcher["width"], ACTIVE_TASK_RGB)]

        assert wait_until(highlighted_rows, what="the selected entry drawn highlighted") == [1]
        shot = desktop.screenshot()
        icon_area = shot.region_colours(switcher["x"] + PADDING + 10, switcher["y"] + PADDING + 8, 28, 28, step=2)
        assert len(icon_area) > 4, "each entry has an icon"
        assert holder.wait(timeout=15) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    wait_until(lambda: not _layers(desktop, "switcher"), what="Escape to close the switcher")
    assert focused(desktop) == third, "Escape leaves the focus where it was"


def test_a_click_on_an_entry_activates_its_window(desktop: Session) -> None:
    first, _, _ = open_windows(desktop, 3)
    holder = desktop.spawn(["wtype", *alt_tab(then=("-s", "6000"))])
    try:
        switcher = wait_until(lambda: _layers(desktop, "switcher"), timeout=10, what="the switcher to open")[0]
        x = switcher["x"] + switcher["width"] // 2
        y = switcher["y"] + PADDING + 2 * ROW_HEIGHT + ROW_HEIGHT // 2  # the third entry: the first window
        desktop.pointer("move", str(x), str(y), "click", "left")
        wait_until(lambda: focused(desktop) == first, what="the clicked entry's window to be focused")
        assert not _layers(desktop, "switcher")
    finally:
        holder.kill()
        holder.wait()


def test_a_window_on_another_workspace_is_reached_and_its_workspace_shown(desktop: Session) -> None:
    first, second = open_windows(desktop, 2)
    desktop.msg("action", "move-to-workspace", "2")  # the focused window (second), followed there
    wait_until(lambda: _window(desktop, second)["workspace"] == "2" and _active(desktop) == "2",
               what="the second window on workspace 2, shown")
    desktop.msg("action", "workspace", "1")
    wait_until(lambda: _active(desktop) == "1" and focused(desktop) == first, what="workspace 1 and its window")
    type_keys(desktop, alt_tab())
    wait_until(lambda: focused(desktop) == second and _active(desktop) == "2",
               what="Alt+Tab to focus the window on workspace 2 and show workspace 2")


def _window(session: Session, window_id: int) -> dict[str, Any]:
    return next(w for w in session.windows() if w["id"] == window_id)


def _active(session: Session) -> str | None:
    return next((ws["name"] for ws in session.msg("workspaces")[0]["workspaces"] if ws["active"]), None)



def test_the_switcher_lists_the_windows_of_the_output_under_the_pointer(runtime_dir: Path, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime_dir, outputs=("1280x800@60", "1280x800@60"), extra_env=env, shell=True)
    try:
        wait_until(lambda: (runtime_dir / f"{session.name}.switcher").exists(), timeout=30,
                   what="the switcher to listen")
        session.msg("pointer", "move", "1900", "400")  # new windows open on the output under the pointer
        open_windows(session, 1)
        session.msg("pointer", "move", "600", "400")
        open_windows(session, 2)
        assert sorted(w["output"] for w in session.windows()) == ["HEADLESS-1", "HEADLESS-1", "HEADLESS-2"]

        for pointer_x, rows in ((600, 2), (1900, 1)):
            session.msg("pointer", "move", str(pointer_x), "790")
            holder = session.spawn(["wtype", *alt_tab(then=("-s", "3000", "-k", "Escape"))])
            try:
                switcher = wait_until(lambda: _layers(session, "switcher"), timeout=10, what="the switcher to open")[0]
                assert switcher["height"] == 2 * PADDING + rows * ROW_HEIGHT, f"{rows} windows on that output"
                assert holder.wait(timeout=15) == 0
            finally:
                if holder.poll() is None:
                    holder.kill()
            wait_until(lambda: not _layers(session, "switcher"), what="Escape to close the switcher")
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")
