"""Autotiling as pure data: a binary split tree per workspace, its layout, and the geometry of directional focus
and edge snapping.

Nothing here knows about windows or Wayland: a tree holds hashable keys (the window manager uses its windows),
and every function maps rectangles to rectangles. Trees grow as deep as the user makes them (a new window splits
the focused one), so every walk is a loop with an explicit stack or a parent chain, never recursion: a tree of
thousands of windows must not exhaust Python's stack.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from .geometry import Box

K = TypeVar("K", bound=Hashable)

MIN_RATIO, MAX_RATIO = 0.05, 0.95  # a split never hides one side entirely
DIRECTIONS = ("left", "right", "up", "down")


@dataclass(eq=False)
class Leaf(Generic[K]):
    key: K
    parent: Split[K] | None = None


@dataclass(eq=False)
class Split(Generic[K]):
    """Two children, ``first`` left of (``side_by_side``) or above ``second``; ``ratio`` is first's share."""

    side_by_side: bool
    first: Leaf[K] | Split[K]
    second: Leaf[K] | Split[K]
    ratio: float = 0.5
    parent: Split[K] | None = None


Node = Leaf[K] | Split[K]


MIN_SPLIT = 160  # the smallest half a split makes of a focused tile (logical pixels)


def split_box(box: Box, side_by_side: bool, ratio: float, gap: int) -> tuple[Box, Box]:
    """The two halves of ``box`` with ``gap`` between them; each keeps at least one pixel."""
    length = box.width if side_by_side else box.height
    room = max(2, length - gap)
    first = min(max(1, round(room * ratio)), room - 1)
    second = max(1, length - gap - first)
    if side_by_side:
        return (Box(box.x, box.y, first, box.height),
                Box(box.x + first + gap, box.y, second, box.height))
    return (Box(box.x, box.y, box.width, first),
            Box(box.x, box.y + first + gap, box.width, second))


def inner_area(area: Box, gap: int) -> Box:
    """The usable area less the outer gap on every side."""
    return Box(area.x + gap, area.y + gap, max(1, area.width - 2 * gap), max(1, area.height - 2 * gap))


class TilingTree(Generic[K]):
    def __init__(self) -> None:
        self.root: Node[K] | None = None
        self._leaves: dict[K, Leaf[K]] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._leaves

    def __len__(self) -> int:
        return len(self._leaves)

    def order(self) -> list[K]:
        """The keys left to right, top to bottom (the tree's order)."""
        found: list[K] = []
        stack: list[Node[K]] = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, Leaf):
                found.append(node.key)
            else:
                stack.extend((node.second, node.first))
        return found

    def depth(self, key: K) -> int:
        node: Node[K] = self._leaves[key]
        depth = 0
        while node.parent is not None:
            node, depth = node.parent, depth + 1
        return depth

    def parent_of(self, key: K) -> Split[K] | None:
        return self._leaves[key].parent

    # -- changes -------------------------------------------------------------------------------------
    def insert(self, key: K, target: K | None, area: Box, gap: int, min_split: int = MIN_SPLIT) -> None:
        """Add ``key`` by splitting ``target``'s tile (the last tile when ``target`` is not in the tree) along its
        longer side: side by side when it is wider than tall. The new tile is the second half. A tile whose
        longer side is under twice ``min_split`` is not halved: the largest tile is, instead."""
        if key in self._leaves:
            return
        leaf: Leaf[K] = Leaf(key)
        self._leaves[key] = leaf
        if self.root is None:
            self.root = leaf
            return
        # The new leaf is not attached yet, so the tree's last key is another one.
        old = self._leaves[target] if target is not None and target != key and target in self._leaves else None
        if old is None:
            old = self._leaves[self.order()[-1]]
        rect = self.rect_of(old, area, gap)
        if max(rect.width, rect.height) < 2 * min_split + gap:  # too small to halve: the largest tile is split
            tiles = self.layout(area, gap)
            tiles.pop(key, None)
            largest = max(tiles, key=lambda k: tiles[k].width * tiles[k].height)
            old, rect = self._leaves[largest], tiles[largest]
        split: Split[K] = Split(rect.width > rect.height, old, leaf, parent=old.parent)
        self._replace(old, split)
        old.parent = leaf.parent = split

    def remove(self, key: K) -> None:
        """Take ``key`` out; its sibling takes the whole of their parent's space."""
        leaf = self._leaves.pop(key, None)
        if leaf is None:
            return
        parent = leaf.parent
        if parent is None:
            self.root = None
            return
        sibling = parent.second if parent.first is leaf else parent.first
        sibling.parent = parent.parent
        self._replace(parent, sibling)

    def swap(self, a: K, b: K) -> None:
        """Exchange the tiles of ``a`` and ``b``."""
        if a == b or a not in self._leaves or b not in self._leaves:
            return
        leaf_a, leaf_b = self._leaves[a], self._leaves[b]
        leaf_a.key, leaf_b.key = b, a
        self._leaves[a], self._leaves[b] = leaf_b, leaf_a

    def split_for(self, key: K, side_by_side: bool) -> Split[K] | None:
        """The nearest split above ``key`` that divides space side by side (or one above the other): the one whose
        border a resize of ``key``'s tile along that axis moves. None when the tile spans that axis."""
        node: Node[K] = self._leaves[key]
        while node.parent is not None:
            if node.parent.side_by_side == side_by_side:
                return node.parent
            node = node.parent
        return None

    def set_ratio(self, split: Split[K], ratio: float, delta: int, area: Box, gap: int) -> None:
        """Put ``split``'s border ``delta`` pixels from where ``ratio`` put it (kept within the split)."""
        box = self.rect_of(split, area, gap)
        room = max(1, (box.width if split.side_by_side else box.height) - gap)
        split.ratio = min(max(ratio + delta / room, MIN_RATIO), MAX_RATIO)

    def _replace(self, old: Node[K], new: Node[K]) -> None:
        parent = old.parent
        if parent is None:
            self.root = new
        elif parent.first is old:
            parent.first = new
        else:
            parent.second = new

    # -- geometry ------------------------------------------------------------------------------------
    def rect_of(self, node: Node[K], area: Box, gap: int) -> Box:
        """Where ``node`` is laid out, from the path to the root alone (a loop as long as its depth)."""
        path: list[Node[K]] = []
        walk: Node[K] = node
        while walk.parent is not None:
            path.append(walk)
            walk = walk.parent
        box = inner_area(area, gap)
        for child in reversed(path):
            parent = child.parent
            assert parent is not None
            first, second = split_box(box, parent.side_by_side, parent.ratio, gap)
            box = first if parent.first is child else second
        return box

    def layout(self, area: Box, gap: int) -> dict[K, Box]:
        """Every key's tile: together they fill ``area`` less ``gap`` around and between them."""
        tiles: dict[K, Box] = {}
        stack: list[tuple[Node[K], Box]] = [(self.root, inner_area(area, gap))] if self.root is not None else []
        while stack:
            node, box = stack.pop()
            if isinstance(node, Leaf):
                tiles[node.key] = box
                continue
            first, second = split_box(box, node.side_by_side, node.ratio, gap)
            stack.append((node.second, second))
            stack.append((node.first, first))
        return tiles

    def leaves(self) -> Iterator[tuple[K, Leaf[K]]]:
        return iter(self._leaves.items())


def centre(box: Box) -> tuple[float, float]:
    return box.x + box.width / 2, box.y + box.height / 2


def neighbour(rects: Mapping[K, Box], origin: Box, direction: str) -> K | None:
    """The key whose rectangle's centre is nearest ``origin``'s among those strictly in ``direction`` (the half-plane
    beyond origin's centre); ties go to the one most in line with that direction."""
    ox, oy = centre(origin)
    best: tuple[float, float] | None = None
    found: K | None = None
    for key, box in rects.items():
        x, y = centre(box)
        dx, dy = x - ox, y - oy
        along, across = {"left": (-dx, dy), "right": (dx, dy), "up": (-dy, dx), "down": (dy, dx)}[direction]
        if along <= 0:
            continue
        score = (along * along + across * across, abs(across))
        if best is None or score < best:
            best, found = score, key
    return found


def snap_zone(x: float, y: float, output: Box, area: Box, margin: int = 4) -> Box | None:
    """Where a window dropped with the pointer at (x, y) snaps: within ``margin`` pixels of the output's left or
    right edge, that half of the usable ``area``; near a corner (the pointer also in the top or bottom eighth of
    the output), that quarter. None elsewhere."""
    left = x < output.x + margin
    right = x >= output.right - margin
    if not (left or right):
        return None
    corner = max(margin, output.height // 8)
    top, bottom = y < output.y + corner, y >= output.bottom - corner
    half_w = area.width // 2
    box_x = area.x if left else area.x + half_w
    width = half_w if left else area.width - half_w
    if not (top or bottom):
        return Box(box_x, area.y, width, area.height)
    half_h = area.height // 2
    return Box(box_x, area.y if top else area.y + half_h, width, half_h if top else area.height - half_h)


def half(area: Box, direction: str) -> Box:
    """The left or right half of ``area`` (snapping by key)."""
    half_w = area.width // 2
    if direction == "left":
        return Box(area.x, area.y, half_w, area.height)
    return Box(area.x + half_w, area.y, area.width - half_w, area.height)
