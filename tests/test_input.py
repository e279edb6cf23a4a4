"""Input from virtual devices: wtype types into a terminal, a virtual pointer clicks and drags windows."""

from __future__ import annotations

from pathlib import Path

from compositor import ipc
from tests.harness import Session, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"



def _two_simple_shm_windows(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    session.spawn(["weston-simple-shm"])
    first = session.wait_for_window(SIMPLE_SHM)
    session.spawn(["weston-simple-shm"])
    second = session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["id"] != first["id"])
    return first, second


def test_wtype_types_a_command_into_foot(session: Session, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "out" / "file"
    target.parent.mkdir()
    env = {"HOME": str(home), "SHELL": "/bin/sh", "LANG": "C.UTF-8"}
    session.spawn(["foot", "--app-id", "foot", "/bin/sh"], env=env)
    assert session.wait_for_window("foot")["focused"]
    # Each wtype run brings a keymap of its own (the second maps Return where the first had "e"), and
    # the "é" exists in no keymap but wtype's: the text arrives intact only if foot gets each keymap.
    assert session.run(["wtype", f"echo typé > {target}"], env=env).returncode == 0
    assert session.run(["wtype", "-k", "Return"], env=env).returncode == 0
    wait_until(lambda: target.exists() and target.read_text() == "typé\n", timeout=10,
               what="the shell in foot to run the typed command")


def _modifiers_held(session: Session) -> list[str]:
    # asked directly, not through `orrery msg`: its start-up would eat into the time wtype holds Super
    return ipc.request(session.name, "seat", [])["modifiers"]  # type: ignore[no-any-return]


def test_virtual_pointer_click_focuses_and_raises_the_window_below(session: Session) -> None:
    first, second = _two_simple_shm_windows(session)
    windows = session.windows()
    assert [w["id"] for w in windows if w["focused"]] == [second["id"]]
    # a point of the first window that the second (placed beside it) does not cover
    session.pointer("move", str(first["x"] + 10), str(first["y"] + 10), "click", "left")
    windows = wait_until(lambda: (ws := session.windows()) and ws[-1]["id"] == first["id"] and ws,
                         timeout=5, what="the clicked window to be raised")
    assert [w["id"] for w in windows if w["focused"]] == [first["id"]]
    assert windows[-1]["id"] == first["id"], "the focused window is on top"


def test_super_drag_with_wtype_and_virtual_pointer_moves_the_window(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    start_x, start_y = window["x"] + 100, window["y"] + 100
    # wtype holds Super for two seconds (as a user would while dragging); the drag happens meanwhile
    holder = session.spawn(["wtype", "-M", "logo", "-s", "2000", "-m", "logo"])
    wait_until(lambda: _modifiers_held(session) == ["Mod4"], timeout=5, interval=0.01, what="Super to be held")
    session.pointer("move", str(start_x), str(start_y), "press", "left",
              "move", str(start_x + 150), str(start_y - 60), "move", str(start_x + 200), str(start_y - 100),
              "release", "left")
    held_throughout = holder.poll() is None
    moved = session.wait_for_window(SIMPLE_SHM)
    assert (moved["x"], moved["y"]) == (window["x"] + 200, window["y"] - 100), \
        "a Super-drag moves the window" + ("" if held_throughout else " (wtype let go of Super before it ended)")
    holder.wait(timeout=10)
    wait_until(lambda: _modifiers_held(session) == [], timeout=5, what="Super to be released")
    # Super is up again: a plain press-and-drag goes to the client and leaves the window where it is
    session.pointer("move", str(start_x + 200), str(start_y - 100), "press", "left",
              "move", str(start_x + 260), str(start_y), "release", "left")
    still = session.wait_for_window(SIMPLE_SHM)
    assert (still["x"], still["y"]) == (moved["x"], moved["y"])



def test_virtual_pointer_mapped_to_one_output_clicks_there(runtime_dir: Path) -> None:
    session = Session(runtime_dir, outputs=("800x600@60", "640x480@60"))
    try:
        left, right = session.msg("outputs")
        session.spawn(["weston-simple-shm"])
        first = session.wait_for_window(SIMPLE_SHM)
        session.pointer("move", str(right["x"] + 320), str(right["y"] + 240))  # new windows open here
        session.spawn(["weston-simple-shm"])
        second = session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["id"] != first["id"])
        assert second["x"] >= right["x"] and second["focused"]
        # the centre of the left output in its own coordinates (scaled to the whole layout, it would be
        # a point right of the window)
        x, y = left["width"] // 2, left["height"] // 2
        assert first["x"] < x < first["x"] + first["width"] and first["y"] < y < first["y"] + first["height"]
        session.pointer("--output", left["name"], "move", str(x), str(y), "click")
        wait_until(lambda: [w["id"] for w in session.windows() if w["focused"]] == [first["id"]], timeout=5,
                   what="the window on the left output to take focus")
    finally:
        assert session.stop() == 0
