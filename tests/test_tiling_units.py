"""The tiling tree and its layout (``compositor/tiling.py``), as pure data: insert, remove, swap, split ratios,
gaps, directional neighbours, edge snapping, and trees deep enough that recursion would overflow the stack."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

from compositor import config
from compositor.geometry import Box
from compositor.tiling import TilingTree, neighbour, snap_zone
from themes.tomlpos import index_toml

AREA = Box(0, 30, 1280, 770)  # a usable area below a 30 px panel
GAP = 8


def overlaps(a: Box, b: Box) -> bool:
    return not a.intersect(b).empty


def covered(tiles: dict[str, Box]) -> int:
    return sum(box.width * box.height for box in tiles.values())


def test_one_window_fills_the_area_less_the_outer_gap() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, GAP)
    assert tree.layout(AREA, GAP) == {"a": Box(8, 38, 1264, 754)}


def test_a_new_window_splits_the_target_along_its_longer_side() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, GAP)
    tree.insert("b", "a", AREA, GAP)  # a is wider than tall: side by side
    tiles = tree.layout(AREA, GAP)
    assert tiles == {"a": Box(8, 38, 628, 754), "b": Box(644, 38, 628, 754)}
    tree.insert("c", "b", AREA, GAP)  # b is taller than wide: c goes below it
    tiles = tree.layout(AREA, GAP)
    assert tiles["a"] == Box(8, 38, 628, 754)
    assert tiles["b"] == Box(644, 38, 628, 373) and tiles["c"] == Box(644, 419, 628, 373)
    assert tree.order() == ["a", "b", "c"]


def test_tiles_never_overlap_and_fill_the_area_less_the_gaps() -> None:
    tree: TilingTree[str] = TilingTree()
    for index, key in enumerate("abcdefg"):
        tree.insert(key, "abcdefg"[index // 2] if index else None, AREA, GAP)
    tiles = tree.layout(AREA, GAP)
    inner = Box(8, 38, 1264, 754)
    for a, b in itertools.combinations(tiles.values(), 2):
        assert not overlaps(a, b)
    assert all(inner.intersect(box) == box for box in tiles.values())
    # Every pixel of the inner area is a tile's or a gap's: no more than a gap's width is left between tiles.
    assert covered(tiles) > inner.width * inner.height * 0.85


def test_removing_a_window_gives_its_space_to_its_sibling() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, GAP)
    tree.insert("b", "a", AREA, GAP)
    tree.insert("c", "b", AREA, GAP)
    tree.remove("b")
    assert tree.layout(AREA, GAP) == {"a": Box(8, 38, 628, 754), "c": Box(644, 38, 628, 754)}
    tree.remove("a")
    assert tree.layout(AREA, GAP) == {"c": Box(8, 38, 1264, 754)}
    tree.remove("c")
    assert tree.layout(AREA, GAP) == {} and len(tree) == 0


def test_swap_exchanges_tiles() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, GAP)
    tree.insert("b", "a", AREA, GAP)
    before = tree.layout(AREA, GAP)
    tree.swap("a", "b")
    after = tree.layout(AREA, GAP)
    assert after["a"] == before["b"] and after["b"] == before["a"]
    tree.remove("a")  # the swapped leaves are still the tree's
    assert tree.layout(AREA, GAP) == {"b": Box(8, 38, 1264, 754)}


def test_split_ratio_moves_the_border() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, GAP)
    tree.insert("b", "a", AREA, GAP)
    split = tree.split_for("a", side_by_side=True)
    assert split is not None and tree.split_for("a", side_by_side=False) is None
    tree.set_ratio(split, split.ratio, 200, AREA, GAP)
    tiles = tree.layout(AREA, GAP)
    assert tiles["a"].width == 828 and tiles["b"].x == 8 + 828 + 8 and tiles["b"].right == 1272
    tree.set_ratio(split, 0.5, -5000, AREA, GAP)  # never below the minimum share
    assert tree.layout(AREA, GAP)["a"].width > 0


def test_no_gap_tiles_touch() -> None:
    tree: TilingTree[str] = TilingTree()
    tree.insert("a", None, AREA, 0)
    tree.insert("b", "a", AREA, 0)
    assert tree.layout(AREA, 0) == {"a": Box(0, 30, 640, 770), "b": Box(640, 30, 640, 770)}


def test_twenty_windows_each_opened_from_the_last_keep_usable_tiles() -> None:
    """Each new window splits the focused one, the one opened last: halving it twenty times would leave tiles of
    a pixel. A tile too small to halve is left alone and the largest tile is split instead."""
    area = Box(0, 0, 1920, 1080)
    tree: TilingTree[int] = TilingTree()
    for key in range(20):
        tree.insert(key, key - 1 if key else None, area, GAP)
    tiles = tree.layout(area, GAP)
    assert len(tiles) == 20
    assert min(min(box.width, box.height) for box in tiles.values()) >= 150
    for a, b in itertools.combinations(tiles.values(), 2):
        assert a.intersect(b).empty


def test_a_thousand_windows_deep_tree_needs_no_recursion() -> None:
    tree: TilingTree[int] = TilingTree()
    big = Box(0, 0, 100_000, 100_000)
    for key in range(2000):  # each splits the one before: a chain 2000 deep, beyond Python's recursion limit
        tree.insert(key, key - 1 if key else None, big, 0, min_split=0)
    assert tree.depth(1999) == 1999
    tiles = tree.layout(big, 0)
    assert len(tiles) == 2000 and all(box.width >= 1 and box.height >= 1 for box in tiles.values())
    tree.swap(0, 1999)
    assert tree.order()[0] == 1999
    for key in range(0, 2000, 2):
        tree.remove(key)
    assert len(tree.layout(big, 0)) == 1000
    assert tree.order() == [1999, *range(1, 1999, 2)]  # 1999 kept the first tile it took by the swap


def test_neighbour_is_the_nearest_centre_in_that_half_plane() -> None:
    rects = {"left": Box(0, 0, 100, 200), "top-right": Box(110, 0, 100, 95), "bottom-right": Box(110, 105, 100, 95)}
    origin = rects.pop("left")
    assert neighbour(rects, origin, "right") in ("top-right", "bottom-right")
    assert neighbour(rects, origin, "left") is None
    assert neighbour(rects, rects["top-right"], "down") == "bottom-right"
    assert neighbour({"far": Box(900, 0, 10, 10), "near": Box(300, 0, 10, 10)}, Box(0, 0, 10, 10), "right") == "near"


def test_snap_zones_at_the_output_edges() -> None:
    output = Box(0, 0, 1280, 800)
    assert snap_zone(0, 400, output, AREA) == Box(0, 30, 640, 770)
    assert snap_zone(1279, 400, output, AREA) == Box(640, 30, 640, 770)
    assert snap_zone(0, 5, output, AREA) == Box(0, 30, 640, 385)
    assert snap_zone(1279, 799, output, AREA) == Box(640, 415, 640, 385)
    assert snap_zone(600, 400, output, AREA) is None


def check(text: str) -> config.ConfigResult:
    return config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))


def test_the_tiling_section_is_read_and_checked_at_its_line_and_column() -> None:
    result = check('[tiling]\ndefault = true\noutputs = ["HDMI-A-1"]\ngap = 12\n')
    assert result.config is not None
    assert result.config.get("tiling", "default") is True
    assert result.config.get("tiling", "outputs") == ("HDMI-A-1",)
    assert result.config.get("tiling", "gap") == 12
    assert config.Config().get("tiling", "gap") is None and config.Config().get("tiling", "default") is False
    bad = check('[tiling]\ndefault = "yes"\noutputs = "HDMI-A-1"\ngap = -3\ngaps = 4\n')
    assert bad.config is None
    found = {(d.line, d.column): d.message for d in bad.diagnostics}
    assert found[(2, 11)] == "expected true or false, found a string"
    assert found[(3, 11)] == "expected a list of strings, found a string"
    assert found[(4, 7)].startswith("expected a number from 0 to 200")
    assert found[(5, 1)].startswith('unknown key "gaps" (did you mean "gap"?)')
