"""Copy and paste between real clients (wl-copy/wl-paste: clipboard and primary selection), and
drag-and-drop between two weston-dnd windows.

Without a data-control protocol, wl-clipboard maps a tiny window to get keyboard focus: wl-copy sets the
selection from it, then forks into the background to serve the data; wl-paste receives the selection
offer when its window is focused.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import Screenshot, Session, wait_until


def _copy(session: Session, *args: str) -> None:
    copier = session.spawn(["wl-copy", *args])
    # The foreground process exits once the selection is set; its forked child keeps serving it
    # (and exits when the compositor goes away).
    assert copier.wait(timeout=15) == 0


def _paste(session: Session, *args: str) -> str:
    result = session.run(["wl-paste", "--no-newline", *args], timeout=15)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_wl_copy_then_wl_paste_prints_the_copied_text(session: Session) -> None:
    _copy(session, "hello")
    assert _paste(session) == "hello"


def test_primary_selection_is_separate_from_the_clipboard(session: Session) -> None:
    _copy(session, "on the clipboard")
    _copy(session, "--primary", "in the primary selection")
    assert _paste(session, "--primary") == "in the primary selection"
    assert _paste(session) == "on the clipboard"


def test_copying_again_replaces_the_selection(session: Session) -> None:
    _copy(session, "first")
    assert _paste(session) == "first"
    _copy(session, "second")
    assert _paste(session) == "second"
    assert _paste(session) == "second", "pasting does not consume the selection"


def test_copying_again_replaces_the_primary_selection(session: Session) -> None:
    _copy(session, "--primary", "first")
    _copy(session, "--primary", "second")
    assert _paste(session, "--primary") == "second"


def test_the_clipboard_outlives_the_focus_moving_to_another_window(session: Session) -> None:
    _copy(session, "kept")
    session.spawn(["weston-simple-shm"])
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    assert _paste(session) == "kept"
    assert session.wait_for_window("org.freedesktop.weston.simple-shm")["focused"]


# -- drag-and-drop between two weston-dnd windows, driven by a virtual pointer --------------------------

DND = "org.freedesktop.weston.wayland-drag-and-drop-demo"
GRID = 336  # weston-dnd's content: 4x4 cells of 80 px (a 64 px flower and 16 px padding) plus padding


def _cell_centre(window: dict[str, int], column: int, row: int) -> tuple[int, int]:
    """Global position of a cell's centre; the content sits in weston-dnd's frame below its title bar."""
    border = (window["width"] - GRID) // 2
    title = window["height"] - GRID - border
    return (window["x"] + border + 16 + 80 * column + 32, window["y"] + title + 16 + 80 * row + 32)


def _has_flower(shot: Screenshot, centre: tuple[int, int]) -> bool:
    return len(shot.region_colours(centre[0] - 20, centre[1] - 20, 40, 40)) > 4


def test_dragging_a_flower_to_another_client_moves_it_there(runtime_dir: Path) -> None:
    session = Session(runtime_dir, outputs=("800x600@60", "800x600@60"))
    try:
        left, right = session.msg("outputs")
        session.spawn(["weston-dnd"])
        source = session.wait_for_window(DND)
        session.pointer("move", str(right["x"] + 400), str(right["y"] + 300))  # new windows open here
        session.spawn(["weston-dnd"])
        target = session.wait_for_window(DND, predicate=lambda w: w["id"] != source["id"])
        assert target["x"] >= right["x"] + 32 and source["x"] + source["width"] <= left["width"]
        # weston-dnd fills every other cell: (1, 0) holds a flower, (0, 0) is empty
        start, end = _cell_centre(source, 1, 0), _cell_centre(target, 0, 0)
        before = session.screenshot("before.png")
        assert _has_flower(before, start) and not _has_flower(before, end)

        session.pointer("move", *map(str, start), "press", "left")
        wait_until(lambda: session.msg("seat")["drag"], timeout=5, what="weston-dnd to start dragging the flower")
        session.pointer("move", str(start[0] + 40), str(start[1]), "move", str(right["x"] + 10), str(end[1]),
                        "move", *map(str, end))

        def accepted() -> bool:
            drag = session.msg("seat")["drag"]
            return bool(drag and drag["window"] == target["id"] and drag["accepted"] and drag["action"])
        wait_until(accepted, timeout=5, what="the second weston-dnd to accept the flower over its empty cell")
        session.pointer("release", "left")

        def moved() -> bool:
            shot = session.screenshot("after.png")
            return _has_flower(shot, end) and not _has_flower(shot, start)
        wait_until(moved, timeout=5, what="the flower to leave the first window for the second")
    finally:
        assert session.stop() == 0
