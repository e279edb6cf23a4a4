"""New windows go where they overlap the windows already shown least, on the output under the pointer."""

from __future__ import annotations

from itertools import combinations

from compositor.geometry import Box
from compositor.placement import CONSIDERED, place
from tests.harness import Session

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"


def _rect(window: dict[str, int]) -> Box:
    return Box(window["x"], window["y"], window["width"], window["height"])


def test_five_windows_opened_in_a_row_do_not_cover_each_other(session: Session) -> None:
    for count in range(1, 6):
        session.spawn(["weston-simple-shm"])
        session.wait_for_window(SIMPLE_SHM, predicate=lambda _w, count=count: len(session.windows()) == count)
    rects = [_rect(window) for window in session.windows()]
    assert len(rects) == 5
    output = Box(0, 0, 1280, 800)
    assert all(output.contains_rect(rect) for rect in rects)
    overlapping = [(a, b) for a, b in combinations(rects, 2) if a.intersects(b)]
    assert not overlapping, f"windows overlap: {overlapping}"


AREA = Box(0, 0, 1000, 600)


def test_the_first_window_is_centred() -> None:
    assert place(AREA, 200, 100, []) == (400, 250)


def test_a_window_goes_beside_the_others_while_there_is_room() -> None:
    taken: list[Box] = []
    for _ in range(8):
        taken.append(Box(*place(AREA, 240, 200, taken), 240, 200))
    assert not any(a.intersects(b) for a, b in combinations(taken, 2))
    assert all(AREA.contains_rect(rect) for rect in taken)


def test_without_room_the_least_covered_place_wins() -> None:
    big = Box(0, 0, 700, 600)  # leaves a 300 px column on the right
    x, y = place(AREA, 400, 300, [big])
    assert (x, y) == (600, 150), "overlaps 100 px of the big window, the least possible; centred in height"


def test_windows_elsewhere_do_not_count_and_a_window_larger_than_the_area_starts_at_its_corner() -> None:
    elsewhere = Box(1000, 0, 1000, 600)  # on the next output
    assert place(AREA, 200, 100, [elsewhere]) == (400, 250)
    assert place(Box(50, 30, 1000, 600), 1200, 700, []) == (50, 30)


def test_with_a_margin_windows_keep_clear_of_each_others_shadows_where_there_is_room() -> None:
    taken: list[Box] = []
    for _ in range(3):  # side by side: the first is centred, the others beside it, a shadow's reach away
        taken.append(Box(*place(AREA, 240, 200, taken, margin=20), 240, 200))
    grown = [Box(r.x - 20, r.y - 20, r.width + 40, r.height + 40) for r in taken]
    assert not any(a.intersects(b) for a, b in combinations(taken, 2))
    for i, rect in enumerate(taken):
        assert not any(grown[j].intersects(rect) for j in range(len(taken)) if j != i), "a shadow's reach apart"


def test_only_the_topmost_windows_count_so_thousands_cannot_stall_a_map() -> None:
    # Low in the stack, a window over the centre; above it, the considered number of tiny windows in a corner:
    # the new window is centred, as if the low one were not there.
    low = Box(300, 200, 400, 200)
    corner = [Box(0, 0, 1, 1)] * CONSIDERED
    assert place(AREA, 200, 100, [low, *corner]) == (400, 250)
    assert place(AREA, 200, 100, [low]) != (400, 250), "(one window over the centre alone does count)"
    many = [Box(x % 800, (x * 7) % 500, 200, 100) for x in range(10_000)]  # a client mapping 10,000 windows
    x, y = place(AREA, 200, 100, many)
    assert AREA.contains_rect(Box(x, y, 200, 100))
