"""Most-recently-used order of windows and the switcher's selection, as pure functions over window keys.

The order is learnt from foreign-toplevel ``activated`` states only: the compositor activates the window that
gets the keyboard focus, so the activated window of each snapshot is the most recently used one. Losing the
activated state (a layer surface such as the switcher itself taking the keyboard) says nothing about use and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NEXT, PREV = "next", "prev"


@dataclass(frozen=True)
class Window:
    """What the order needs of a window: its key and whether it is the activated one."""

    key: int
    activated: bool = False


def track(order: tuple[int, ...], windows: Iterable[Window]) -> tuple[int, ...]:
    """The order after a snapshot of the open ``windows``: the activated one first, then the others as they were;
    closed windows dropped, windows never seen before after those known (oldest key first, as they opened)."""
    present = {window.key: window for window in windows}
    known = [key for key in order if key in present]
    new = sorted(key for key in present if key not in order)
    ordered = known + new
    activated = [key for key in ordered if present[key].activated]
    if activated:
        ordered.remove(activated[0])
        ordered.insert(0, activated[0])
    return tuple(ordered)


def first_selection(count: int, command: str) -> int:
    """The entry selected when the switcher opens with ``command``: ``next`` the second most recently used
    window (the first is the one in use), ``prev`` the least recently used; 0 when there is only one."""
    if count <= 1:
        return 0
    return 1 if command == NEXT else count - 1


def step(selected: int, count: int, command: str) -> int:
    """The selection after one more ``next`` / ``prev`` while the switcher is open, wrapping around."""
    if count <= 0:
        return 0
    return (selected + (1 if command == NEXT else -1)) % count


def window_of_rows(count: int, selected: int, rows: int) -> range:
    """The entries shown when there are more than ``rows``: a run of ``rows`` that keeps ``selected`` in view."""
    if count <= rows:
        return range(count)
    start = min(max(0, selected - rows // 2), count - rows)
    return range(start, start + rows)
