"""The window switcher's most-recently-used order and selection (shell/mru.py), as pure functions."""

from __future__ import annotations

from shell.mru import NEXT, PREV, Window, first_selection, step, track, window_of_rows


def test_the_activated_window_goes_first_and_the_others_keep_their_order() -> None:
    order = track((), [Window(1, activated=True)])
    order = track(order, [Window(1), Window(2, activated=True)])
    order = track(order, [Window(1), Window(2), Window(3, activated=True)])
    assert order == (3, 2, 1)
    assert track(order, [Window(1, activated=True), Window(2), Window(3)]) == (1, 3, 2)


def test_losing_the_activated_state_changes_nothing() -> None:
    # a layer surface (the switcher itself) taking the keyboard deactivates the window without anyone using another
    assert track((3, 2, 1), [Window(1), Window(2), Window(3)]) == (3, 2, 1)


def test_closed_windows_leave_and_unseen_ones_follow_in_the_order_they_opened() -> None:
    assert track((3, 2, 1), [Window(1), Window(3, activated=True)]) == (3, 1)
    assert track((), [Window(5), Window(2), Window(9)]) == (2, 5, 9)  # the switcher started after them
    assert track((2,), [Window(2), Window(7), Window(4, activated=True)]) == (4, 2, 7)


def test_opening_selects_the_previously_used_window_or_with_prev_the_least_recent() -> None:
    assert first_selection(3, NEXT) == 1
    assert first_selection(3, PREV) == 2
    assert first_selection(1, NEXT) == first_selection(1, PREV) == 0


def test_further_presses_move_the_selection_and_wrap_around() -> None:
    assert step(1, 3, NEXT) == 2
    assert step(2, 3, NEXT) == 0
    assert step(0, 3, PREV) == 2
    assert step(0, 0, NEXT) == 0


def test_a_long_list_shows_the_rows_around_the_selection() -> None:
    assert window_of_rows(4, 3, 10) == range(4)
    assert window_of_rows(30, 0, 10) == range(0, 10)
    assert window_of_rows(30, 15, 10) == range(10, 20)
    assert window_of_rows(30, 29, 10) == range(20, 30)
