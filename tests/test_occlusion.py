"""Opaque windows hide what is under them: the compositor does not draw it, and a client nothing of whose
window shows gets no frame callbacks (wl_surface.frame) until it shows again. Real clients, real
compositor; what weston-simple-shm is told is read from its own protocol log (WAYLAND_DEBUG)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, Session, wait_until

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"
DONE = re.compile(rb"wl_callback[@#]\d+\.done\(")


class Frames:
    """A weston-simple-shm (it draws on every frame callback) whose frame callbacks we count."""

    def __init__(self, session: Session, log: Path) -> None:
        self.log = log
        taken = {window["id"] for window in session.windows()}
        with open(log, "wb") as stderr:
            self.process = session.spawn(["weston-simple-shm"], env={"WAYLAND_DEBUG": "1"}, stderr=stderr)
        self.window = session.wait_for_window(SIMPLE_SHM, predicate=lambda w: w["id"] not in taken)
        self.id = str(self.window["id"])

    def count(self) -> int:
        return len(DONE.findall(self.log.read_bytes()))

    def wait_advancing(self) -> None:
        start = self.count()
        wait_until(lambda: self.count() >= start + 3, timeout=10, what="frame callbacks to be answered")

    def wait_stopped(self, others: tuple[Frames, ...] = ()) -> None:
        """Until a whole second passes without a frame callback for this client, while each of ``others``
        keeps getting them."""
        def quiet_second() -> bool:
            before, others_before = self.count(), [other.count() for other in others]
            time.sleep(1.0)  # callbacks that stop can only be seen as none coming for a while
            if self.count() != before:
                return False
            assert all(other.count() > count for other, count in zip(others, others_before, strict=True)), \
                "another client's callbacks were held back"
            return True

        wait_until(quiet_second, timeout=15, interval=0, what="the covered client's frame callbacks to stop")


def centre_over(session: Session, window_id: str, under: dict[str, Any]) -> None:
    """Move a window so that its centre is over the centre of ``under``."""
    window = next(w for w in session.windows() if str(w["id"]) == window_id)
    x = under["x"] + under["width"] // 2 - window["width"] // 2
    y = under["y"] + under["height"] // 2 - window["height"] // 2
    session.msg("window", "move", window_id, str(x), str(y))


def test_a_covered_window_gets_no_frame_callbacks_until_it_shows_again(session: Session, tmp_path: Path) -> None:
    below = Frames(session, tmp_path / "below.log")
    cover = Frames(session, tmp_path / "cover.log")  # XRGB, 250×250: opaque by its format
    a = below.window
    below.wait_advancing()

    session.msg("window", "move", cover.id, str(a["x"] + 100), str(a["y"] + 100))
    below.wait_advancing()  # partly covered: still shown, still drawing

    session.msg("window", "move", cover.id, str(a["x"]), str(a["y"]))
    below.wait_stopped(others=(cover,))

    session.msg("window", "move", cover.id, str(a["x"] + 250), str(a["y"]))
    below.wait_advancing()  # shown again: the held callback is answered, and it draws on

    session.msg("window", "move", cover.id, str(a["x"]), str(a["y"]))
    below.wait_stopped(others=(cover,))
    session.msg("window", "move", below.id, "-400", "-400")  # off every output: nothing shows either
    below.wait_stopped(others=(cover,))
    session.msg("window", "move", below.id, str(a["x"]), str(a["y"]))
    below.wait_stopped(others=(cover,))  # back under the cover
    cover.process.kill()
    below.wait_advancing()  # its cover went away


@pytest.mark.parametrize(
    ("argv", "app_id", "env"),
    [
        (["foot", "sh"], "foot", {"SHELL": "/bin/sh"}),  # ARGB; declares all of its surface opaque
        (["gtk3-demo"], "gtk3-demo", {"GDK_BACKEND": "wayland"}),  # ARGB; opaque but for shadow and corners
    ],
    ids=["foot", "gtk3-demo"],
)
def test_an_argb_window_hides_what_is_under_its_opaque_region(session: Session, tmp_path: Path, argv: list[str],
                                                              app_id: str, env: dict[str, str]) -> None:
    below = Frames(session, tmp_path / "below.log")
    below.wait_advancing()
    session.spawn(argv, env=env)
    cover = session.wait_for_window(app_id, timeout=30)
    centre_over(session, str(cover["id"]), below.window)
    below.wait_stopped()
    session.msg("window", "move", str(cover["id"]), "0", str(below.window["y"] + below.window["height"] + 20))
    below.wait_advancing()


def test_only_the_declared_opaque_part_of_an_argb_window_hides_what_is_under_it(session: Session) -> None:
    """Where the window is transparent, or translucent, what is under it shows (blended); where it
    declares itself opaque, what is under it is not drawn at all: even where the window lies about its
    pixels (its last band is transparent but declared opaque), which shows their colour, black."""
    tool = [sys.executable, "-m", "tests.tools.opaque_window"]
    session.spawn([*tool, "solid", "ff0000", "red"], cwd=ROOT)
    red = session.wait_for_window("red")
    session.msg("window", "move", str(red["id"]), "100", "100")
    session.spawn([*tool, "bands", "bands"], cwd=ROOT)
    bands = session.wait_for_window("bands")
    session.msg("window", "move", str(bands["id"]), "130", "150")
    expected = {"opaque blue": (160, (0, 0, 255)), "half green over red": (220, (127, 128, 0)),
                "transparent": (280, (255, 0, 0)), "declared opaque, transparent pixels": (340, (0, 0, 0)),
                "red beside the bands": (385, (255, 0, 0))}

    def shown() -> dict[str, tuple[int, int, int]]:
        shot = session.screenshot()
        return {name: shot.pixel(x, 210) for name, (x, _colour) in expected.items()}

    def close(seen: dict[str, tuple[int, int, int]]) -> bool:
        return all(max(abs(a - b) for a, b in zip(seen[name], colour, strict=True)) <= 1
                   for name, (_x, colour) in expected.items())

    try:
        wait_until(lambda: close(shown()), timeout=10, what="the bands over the red window")
    except TimeoutError:
        assert shown() == {name: colour for name, (_x, colour) in expected.items()}
        raise


def test_a_window_that_stops_declaring_its_opaque_region_uncovers_what_is_under_it(session: Session,
                                                                                    tmp_path: Path) -> None:
    below = Frames(session, tmp_path / "below.log")
    below.wait_advancing()
    cover = session.spawn([sys.executable, "-m", "bench.client", "cover"], cwd=ROOT, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE)  # maximized, opaque ARGB pixels, their region declared
    assert cover.stdin is not None and cover.stdout is not None
    assert cover.stdout.readline() == b"mapped\n"
    below.wait_stopped()
    cover.stdin.write(b"no-region\n")  # the same pixels, but the compositor can no longer rely on them
    cover.stdin.flush()
    assert cover.stdout.readline() == b"ok\n"
    below.wait_advancing()
