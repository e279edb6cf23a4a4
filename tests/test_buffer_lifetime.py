"""The compositor draws straight from a client's shm buffer (docs/performance.md): it keeps the buffer until
a later commit replaces it, and keeps the picture when the client destroys a buffer still on screen."""

from __future__ import annotations

from tests.harness import Session
from tests.test_conformance import probe


def test_a_buffer_is_released_only_once_a_newer_one_replaced_it(session: Session) -> None:
    seen = probe(session, "buffer-lifetime")
    assert seen["red"] == [["commit"], ["drawn"]], "the buffer on screen stays the compositor's"
    assert seen["green"] == [["commit"], ["release", "red"], ["drawn"]], \
        "replaced: released, and before the frame callback, so the client can draw into it at once"


def test_destroying_the_buffer_on_screen_keeps_the_window_picture(session: Session) -> None:
    seen = probe(session, "buffer-lifetime")
    assert seen["after_destroy"] == [0, 255, 0], "the window still shows the green buffer"
    assert seen["late"] == [], "a destroyed buffer gets no release"
