"""Autotiling per workspace, with real clients (foot, a fixed-size dialog, wtype, the virtual pointer) on a headless
compositor: Super+Y tiles, tiles fill the output less the gaps and clients draw at their tile's size, closing a
window gives its space back, dialogs float, Super+Arrows focus and Super+Shift+Arrows swap, toggling off puts
windows back, and a floating window dragged to an output's edge snaps to that half."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

from compositor import ipc
from tests.harness import ROOT, Session, wait_until
from tests.test_wm_config import Desktop
from tests.test_workspaces import keys

GAP = 8
WIDTH, HEIGHT = 1280, 800  # the test output; no panel, so the usable area is all of it


def foot(session: Session, home: Path, app_id: str) -> dict[str, Any]:
    home.mkdir(exist_ok=True)
    session.spawn(["foot", "--app-id", app_id, "/bin/sh"], env={"HOME": str(home), "SHELL": "/bin/sh"})
    return session.wait_for_window(app_id, predicate=lambda w: w["focused"])


def rect(window: dict[str, Any]) -> tuple[int, int, int, int]:
    """The window's outer rectangle: its server-side frame where it has one (foot asks for one), else its
    geometry. Tiles, snapping and maximizing place that."""
    outer = window["frame"] or window
    return outer["x"], outer["y"], outer["width"], outer["height"]


def by_app(session: Session) -> dict[str, dict[str, Any]]:
    return {window["app_id"]: window for window in session.windows()}


def tiles_settled(session: Session, expected: dict[str, tuple[int, int, int, int]]) -> bool:
    """Every window at its expected tile (its frame fills it), tiled, and its client drawing at the size the
    tile leaves it: the buffer is the window geometry's size."""
    windows = by_app(session)
    return all(app_id in windows and rect(windows[app_id]) == box and windows[app_id]["tiled"]
               and windows[app_id]["buffer"] == [windows[app_id]["width"], windows[app_id]["height"]]
               for app_id, box in expected.items())


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def focused(session: Session) -> str:
    return next(w["app_id"] for w in session.windows() if w["focused"])


def test_super_y_tiles_three_foots_and_they_follow_focus_swap_close_and_toggle_off(
        session: Session, tmp_path: Path) -> None:
    home = tmp_path / "home"
    for app_id in ("one", "two", "three"):
        foot(session, home, app_id)
    floating = {app_id: rect(window) for app_id, window in by_app(session).items()}
    assert not any(w["tiled"] for w in session.windows()) and all(w["floating"] for w in session.windows())
    assert [ws["tiling"] for ws in session.msg("workspaces")[0]["workspaces"]] == [False, False]

    keys(session, "logo", key="y")
    inner_height = HEIGHT - 2 * GAP
    half_width = (WIDTH - 3 * GAP) // 2
    half_height = (inner_height - GAP) // 2
    # In stacking order: one fills the area, two splits it side by side, three splits two (taller than wide).
    expected = {"one": (GAP, GAP, half_width, inner_height),
                "two": (2 * GAP + half_width, GAP, half_width, half_height),
                "three": (2 * GAP + half_width, 2 * GAP + half_height, half_width, half_height)}
    wait_until(lambda: tiles_settled(session, expected), timeout=15, what="three tiles drawn at their size")
    assert session.msg("workspaces")[0]["workspaces"][0]["tiling"] is True
    for a, b in itertools.combinations(expected.values(), 2):
        assert not overlap(a, b)
    covered = sum(box[2] * box[3] for box in expected.values())
    assert covered == (WIDTH - 2 * GAP) * inner_height - GAP * inner_height - GAP * half_width  # all but gaps

    assert focused(session) == "three"
    keys(session, "logo", key="Left")
    wait_until(lambda: focused(session) == "one", what="Super+Left to focus the left tile")
    keys(session, "logo", key="Right")
    wait_until(lambda: focused(session) in ("two", "three"), what="Super+Right to focus a right tile")
    keys(session, "logo", key="Left")
    wait_until(lambda: focused(session) == "one", what="Super+Left again")

    keys(session, "logo", "shift", key="Right")  # one swaps with its neighbour on the right
    neighbour = "two" if rect(by_app(session)["two"])[1] == GAP else "three"
    swapped = dict(expected)
    swapped["one"], swapped[neighbour] = expected[neighbour], expected["one"]
    wait_until(lambda: tiles_settled(session, swapped), timeout=15, what="Super+Shift+Right to swap two tiles")
    assert focused(session) == "one", "the focus stays with the moved window"

    keys(session, "logo", key="m")  # maximized, a tile covers the area; restored, it is back in its tile
    wait_until(lambda: (w := by_app(session)["one"])["maximized"] and rect(w) == (0, 0, WIDTH, HEIGHT), timeout=15,
               what="Super+M to maximize the tile")
    keys(session, "logo", key="m")
    wait_until(lambda: tiles_settled(session, swapped), timeout=15, what="Super+M again to restore it into its tile")

    keys(session, "logo", key="q")  # closes one: its sibling takes its space
    remaining = [app_id for app_id in ("two", "three") if app_id != neighbour]
    left_alone = {neighbour: expected["one"], remaining[0]: (2 * GAP + half_width, GAP, half_width, inner_height)}
    wait_until(lambda: "one" not in by_app(session) and tiles_settled(session, left_alone), timeout=15,
               what="the two others to cover the area")

    keys(session, "logo", key="y")  # off: back where they floated, at their size
    wait_until(lambda: all(rect(w) == floating[w["app_id"]] and not w["tiled"] and w["floating"]
                           for w in session.windows()), timeout=15, what="floating geometry restored")
    assert session.msg("workspaces")[0]["workspaces"][0]["tiling"] is False


def test_dialogs_float_and_super_g_moves_a_window_out_of_and_into_the_tree(tmp_path: Path) -> None:
    desktop = Desktop(tmp_path, "[tiling]\ndefault = true\ngap = 8\n")
    session = desktop.session
    try:
        foot(session, tmp_path / "home", "first")
        full = (GAP, GAP, WIDTH - 2 * GAP, HEIGHT - 2 * GAP)
        wait_until(lambda: tiles_settled(session, {"first": full}), timeout=15, what="one tile filling the output")
        assert session.request("workspaces")[0]["workspaces"][0]["tiling"] is True
        foot(session, tmp_path / "home", "second")
        halves = {"first": (GAP, GAP, (WIDTH - 3 * GAP) // 2, HEIGHT - 2 * GAP),
                  "second": (2 * GAP + (WIDTH - 3 * GAP) // 2, GAP, (WIDTH - 3 * GAP) // 2, HEIGHT - 2 * GAP)}
        wait_until(lambda: tiles_settled(session, halves), timeout=15, what="a new window to split the first")

        keys(session, "logo", key="g")  # the focused window (second) floats; first takes the whole area again
        wait_until(lambda: by_app(session)["second"]["floating"] and tiles_settled(session, {"first": full}),
                   timeout=15, what="Super+G to float the second window")
        # It opened tiled: floating, it gets the place and size it had when it mapped, before its first tile.
        assert rect(by_app(session)["second"]) != halves["second"]
        keys(session, "logo", key="g")
        wait_until(lambda: tiles_settled(session, halves), timeout=15, what="Super+G to tile it again")

        tool = [sys.executable, "-m", "tests.tools.dialog_window"]
        session.spawn([*tool, "fixed", "fixed-dialog"], cwd=str(ROOT))
        fixed = session.wait_for_window("fixed-dialog")
        session.spawn([*tool, "child", "parent"], cwd=str(ROOT))
        child = session.wait_for_window("parent-dialog")
        assert fixed["floating"] and not fixed["tiled"], "min size == max size: a dialog"
        assert child["floating"] and not child["tiled"], "a toplevel with a parent: a dialog"
        assert (fixed["width"], fixed["height"]) == (300, 200) and (child["width"], child["height"]) == (300, 200)
        windows = by_app(session)
        assert windows["parent"]["tiled"], "the dialog's parent is an ordinary window"
        stacking = [w["tiled"] for w in session.windows()]  # bottom to top
        assert stacking == sorted(stacking, reverse=True), "the dialogs stay above the tiles raised after them"
        tiled = [rect(w) for w in windows.values() if w["tiled"]]
        assert len(tiled) == 3 and not any(overlap(a, b) for a, b in itertools.combinations(tiled, 2))

        # A window whose minimum size (900 wide) does not fit the tile it would get floats instead.
        before = {app_id: rect(w) for app_id, w in windows.items() if w["tiled"]}
        session.spawn([*tool, "big", "big"], cwd=str(ROOT))
        big = session.wait_for_window("big")
        assert big["floating"] and not big["tiled"] and big["width"] == 900
        assert {app_id: rect(w) for app_id, w in by_app(session).items() if w["tiled"]} == before

        desktop.save("[tiling]\ndefault = true\ngap = 0\n")  # the new gap applies at once
        wait_until(lambda: {rect(w)[:2] for w in session.windows() if w["tiled"] and w["app_id"] == "first"}
                   == {(0, 0)}, timeout=15, what="the first tile in the output's corner, without a gap")
        desktop.save("[tiling]\ndefault = true\noutputs = [\"HDMI-A-1\"]\n")  # not this output: it floats
        wait_until(lambda: not any(w["tiled"] for w in session.windows()), timeout=15, what="tiling to stop")
        assert session.request("workspaces")[0]["workspaces"][0]["tiling"] is False
    finally:
        session.stop()


def test_a_floating_window_dragged_to_the_left_edge_snaps_to_that_half(session: Session, tmp_path: Path) -> None:
    window = foot(session, tmp_path / "home", "snapped")
    start_x, start_y = window["x"] + window["width"] // 2, window["y"] + 20
    holder = session.spawn(["wtype", "-M", "logo", "-s", "2000", "-m", "logo"])
    wait_until(lambda: ipc.request(session.name, "seat", [])["modifiers"] == ["Mod4"], timeout=5, interval=0.01,
               what="Super to be held")
    session.pointer("move", str(start_x), str(start_y), "press", "left", "move", "200", "400",
                    "move", "0", "400", "release", "left")
    held_throughout = holder.poll() is None
    snapped = wait_until(lambda: (w := rect(by_app(session)["snapped"])) and w[:2] == (0, 0)
                         and abs(w[2] - WIDTH // 2) < 20 and w, timeout=15,
                         what="the window snapped to the left half"
                         + ("" if held_throughout else " (wtype let go of Super before the drop)"))
    assert snapped[2] <= WIDTH // 2 and abs(snapped[3] - HEIGHT) < 20
    holder.wait(timeout=10)


def test_move_left_and_up_snap_a_floating_window_and_down_restores_it(session: Session, tmp_path: Path) -> None:
    window = foot(session, tmp_path / "home", "keys")
    before = rect(window)
    session.msg("action", "move", "right")
    wait_until(lambda: (w := rect(by_app(session)["keys"])) and w[:2] == (WIDTH // 2, 0)
               and abs(w[2] - WIDTH // 2) < 20, timeout=15, what="move right to snap to the right half")
    session.msg("action", "move", "up")
    wait_until(lambda: by_app(session)["keys"]["maximized"], timeout=15, what="move up to maximize")
    session.msg("action", "move", "down")  # restores the geometry from before the snap
    wait_until(lambda: (w := by_app(session)["keys"]) and not w["maximized"] and rect(w) == before, timeout=15,
               what="move down to restore the window")
    session.msg("action", "move", "left")
    wait_until(lambda: rect(by_app(session)["keys"])[:2] == (0, 0), timeout=15,
               what="move left to snap to the left half")
    session.msg("action", "move", "down")
    wait_until(lambda: rect(by_app(session)["keys"]) == before, timeout=15, what="move down to unsnap it")


def hold_super(session: Session) -> Any:
    """wtype holds Super for three seconds, as a user would while dragging."""
    holder = session.spawn(["wtype", "-M", "logo", "-s", "3000", "-m", "logo"])
    wait_until(lambda: ipc.request(session.name, "seat", [])["modifiers"] == ["Mod4"], timeout=5, interval=0.01,
               what="Super to be held")
    return holder


def test_super_drag_swaps_tiles_and_super_right_drag_moves_their_split(session: Session, tmp_path: Path) -> None:
    for app_id in ("one", "two"):
        foot(session, tmp_path / "home", app_id)
    keys(session, "logo", key="y")
    half_width = (WIDTH - 3 * GAP) // 2
    left, right = (GAP, GAP, half_width, HEIGHT - 2 * GAP), (2 * GAP + half_width, GAP, half_width, HEIGHT - 2 * GAP)
    wait_until(lambda: tiles_settled(session, {"one": left, "two": right}), timeout=15, what="two tiles")

    holder = hold_super(session)
    session.pointer("move", "300", "400", "press", "left", "move", "600", "400", "move", "900", "400",
                    "release", "left")
    wait_until(lambda: tiles_settled(session, {"one": right, "two": left}), timeout=15,
               what="one dropped on two to swap them")
    holder.wait(timeout=10)

    holder = hold_super(session)  # the split between them follows a Super+right-drag
    session.pointer("move", "900", "400", "press", "right", "move", "850", "400", "move", "800", "400",
                    "release", "right")
    narrower = (GAP, GAP, half_width - 100, HEIGHT - 2 * GAP)
    wider = (2 * GAP + half_width - 100, GAP, half_width + 100, HEIGHT - 2 * GAP)
    wait_until(lambda: tiles_settled(session, {"one": wider, "two": narrower}), timeout=15,
               what="the split to move 100 px left")
    holder.wait(timeout=10)


def test_a_minimized_tile_gives_its_space_away_and_floats_back_to_where_it_was(
        session: Session, tmp_path: Path) -> None:
    for app_id in ("stays", "hides"):
        foot(session, tmp_path / "home", app_id)
    floating = {app_id: rect(window) for app_id, window in by_app(session).items()}
    keys(session, "logo", key="y")
    wait_until(lambda: all(w["tiled"] for w in session.windows()), timeout=15, what="two tiles")
    session.msg("action", "minimize")  # the focused one, "hides"
    full = (GAP, GAP, WIDTH - 2 * GAP, HEIGHT - 2 * GAP)
    wait_until(lambda: by_app(session)["hides"]["minimized"] and tiles_settled(session, {"stays": full}),
               timeout=15, what="the other tile to take the whole area")
    keys(session, "logo", key="y")
    # A minimized client draws nothing (no frame callbacks), so its size shows only once it is shown again.
    wait_until(lambda: rect(by_app(session)["stays"]) == floating["stays"]
               and rect(by_app(session)["hides"])[:2] == floating["hides"][:2], timeout=15,
               what="both windows back at their floating places, the minimized one too")
