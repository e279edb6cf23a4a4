"""Real third-party clients map windows whose pixels show up where `orrery msg windows` says."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ROOT, Screenshot, Session, wait_until


def test_weston_simple_shm_maps_and_its_pixels_are_on_screen(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window("org.freedesktop.weston.simple-shm")
    assert (window["width"], window["height"]) == (250, 250)
    assert window["focused"]
    shot = session.screenshot()
    background = shot.pixel(5, 5)
    inside = shot.region_colours(window["x"] + 30, window["y"] + 30, 190, 190)
    assert len(inside) > 20, "simple-shm draws a colourful pattern"
    assert shot.pixel(window["x"] + 5, window["y"] + 5) == (255, 255, 255)  # its white border
    assert shot.pixel(window["x"] - 3, window["y"] - 3) == background


def _assert_window_shows_client_pixels(session: Session, window: dict[str, int],
                                       background: tuple[int, int, int], min_colours: int = 8) -> None:
    shot = session.screenshot()
    x, y = max(0, window["x"]), max(0, window["y"])
    width = min(window["width"], shot.width - x)
    height = min(window["height"], shot.height - y)
    samples = [shot.pixel(px, py) for px in range(x + 2, x + width - 2, 7) for py in range(y + 2, y + height - 2, 7)]
    covered = sum(1 for colour in samples if colour != background) / len(samples)
    assert covered > 0.9, f"only {covered:.0%} of the window rectangle shows the client"
    assert len(set(samples)) > min_colours, "a real UI has text and widgets, not one flat colour"


@pytest.mark.parametrize(
    ("argv", "app_id", "env", "min_colours"),
    [
        (["weston-terminal"], "org.freedesktop.weston.wayland-terminal", {}, 8),
        (["gtk3-demo"], "gtk3-demo", {"GDK_BACKEND": "wayland"}, 8),
        (["dbus-run-session", "--", "gtk4-widget-factory"], "org.gtk.WidgetFactory4",
         {"GSK_RENDERER": "cairo", "GDK_BACKEND": "wayland"}, 8),
    ],
    ids=["weston-terminal", "gtk3-demo", "gtk4-widget-factory"],
)
def test_real_client_maps_a_window_with_its_pixels(session: Session, argv: list[str], app_id: str,
                                                   env: dict[str, str], min_colours: int) -> None:
    background = session.screenshot("empty.png").pixel(0, 0)
    session.spawn(argv, env=env)
    window = session.wait_for_window(app_id, timeout=30)
    assert window["width"] > 100 and window["height"] > 100
    # give the client a moment to draw its first full frame after mapping
    wait_until(lambda: _covered(session, window, background, min_colours), timeout=10, what=f"{app_id} to draw")
    _assert_window_shows_client_pixels(session, window, background, min_colours)


def _covered(session: Session, window: dict[str, int], background: tuple[int, int, int], min_colours: int) -> bool:
    try:
        _assert_window_shows_client_pixels(session, window, background, min_colours)
    except AssertionError:
        return False
    return True


FOOT_FG, FOOT_BG = (0xF0, 0xC0, 0x00), (0x10, 0x20, 0x40)
FOOT_PAD = 12
PROMPT = "orrery$ "


def _on_foot_line(colour: tuple[int, int, int]) -> bool:
    """Whether ``colour`` is foot's foreground laid over its background at some coverage (antialiased text)."""
    span = [f - b for f, b in zip(FOOT_FG, FOOT_BG, strict=True)]
    t = sum((c - b) * d for c, b, d in zip(colour, FOOT_BG, span, strict=True)) / sum(d * d for d in span)
    return 0 <= t <= 1 and all(abs(c - (b + t * d)) <= 3 for c, b, d in zip(colour, FOOT_BG, span, strict=True))


def _foot_prompt_problem(shot: Screenshot, window: dict[str, int]) -> str | None:
    """What is wrong with foot's window, or None when it shows the shell's prompt in the top-left corner in foot's
    colours, followed by the cursor (a block of the foreground colour, one cell), on a plain background."""
    x0, y0 = window["x"] + FOOT_PAD, window["y"] + FOOT_PAD
    solid = [(x, y) for y in range(window["y"], window["y"] + window["height"])
             for x in range(window["x"], window["x"] + window["width"]) if shot.pixel(x, y) == FOOT_FG]
    if not solid:
        return "no cursor"
    left, top = min(x for x, _ in solid), min(y for _, y in solid)
    right, bottom = max(x for x, _ in solid) + 1, max(y for _, y in solid) + 1
    cell_width, cell_height = right - left, bottom - top
    if len(solid) != cell_width * cell_height or not (4 <= cell_width < cell_height <= 4 * cell_width):
        return f"no cursor-shaped block but {len(solid)} pixels of the foreground in {left, top, right, bottom}"
    if (left, top) != (x0 + len(PROMPT) * cell_width, y0):
        return f"the cursor is at {left - window['x'], top - window['y']}, not after the prompt on the first line"
    ink, glyphs = {}, {}
    for cell in range(len(PROMPT)):
        pixels = [shot.pixel(x, y) for x in range(x0 + cell * cell_width, x0 + (cell + 1) * cell_width)
                  for y in range(y0, bottom)]
        drawn = [p for p in pixels if p != FOOT_BG]
        if not all(_on_foot_line(p) for p in drawn):
            return f"cell {cell} of the prompt has colours other than foot's: {set(drawn)}"
        ink[cell] = len(drawn)
        glyphs.setdefault(PROMPT[cell], set()).add(tuple(pixels))
    if [cell for cell, count in ink.items() if count < 5] != [PROMPT.index(" ")]:
        return f"the prompt's cells do not look like {PROMPT!r} (ink pixels per cell: {ink})"
    if any(len(images) != 1 for images in glyphs.values()) or len(set().union(*glyphs.values())) != len(glyphs):
        return f"the prompt's cells are not {PROMPT!r}: the same letter drawn differently, or two letters alike"
    rest = {shot.pixel(x, y) for x in range(window["x"], window["x"] + window["width"], 3)
            for y in range(bottom + 1, window["y"] + window["height"], 3)}
    if rest != {FOOT_BG}:
        return f"below the prompt the window is not plain background: {sorted(rest)[:5]}..."
    return None


def test_foot_shows_the_shells_prompt_in_its_colours_followed_by_the_cursor(session: Session, tmp_path: Path) -> None:
    config = tmp_path / "foot.ini"  # its own colours and padding, no title bar of its own, no user config
    config.write_text(f"[main]\npad={FOOT_PAD}x{FOOT_PAD}\n[csd]\npreferred=none\n"
                      f"[colors]\nforeground={bytes(FOOT_FG).hex()}\nbackground={bytes(FOOT_BG).hex()}\n")
    session.spawn(["foot", "-c", str(config), "sh"], env={"SHELL": "/bin/sh", "PS1": PROMPT, "HOME": str(tmp_path)})
    session.wait_for_window("foot", timeout=30)
    problems: list[str | None] = []

    def shown() -> bool:
        problems.append(_foot_prompt_problem(session.screenshot(), session.wait_for_window("foot")))
        return problems[-1] is None
    try:
        wait_until(shown, timeout=15, what="foot to show the prompt")
    except TimeoutError:
        pytest.fail(f"foot does not show its prompt: {problems[-1]}")
    assert session.wait_for_window("foot")["focused"], "the block cursor is the focused terminal's"


def test_a_client_committing_in_a_loop_gets_one_frame_callback_per_refresh(session: Session) -> None:
    result = session.run([sys.executable, "-m", "tests.tools.frame_counter", "2"], cwd=ROOT)
    counts = dict(part.split("=") for part in result.stdout.decode().split())
    commits, answers = int(counts["commits"]), int(counts["answers"])
    assert commits > 200, "the client really did commit in a loop"
    refresh = int(counts["refresh_mhz"]) / 1000  # the current mode the output advertises to the client
    assert refresh == 60.0, "the harness's default output"
    refreshes = refresh * float(counts["elapsed"])
    # At most one answer per refresh (one more for the refreshes cut at either end of the loop), and no more
    # than a tenth of the refreshes missed: a compositor pacing at half the rate, or answering every commit,
    # fails.
    assert 0.9 * refreshes <= answers <= refreshes + 2, \
        f"callbacks answered at {answers} distinct frames in {counts['elapsed']} s at {refresh:g} Hz"


def test_subsurfaces_are_composited_inside_their_window(session: Session) -> None:
    """weston-subsurfaces draws a green main surface with a red and a dark green subsurface on it."""
    session.spawn(["weston-subsurfaces"])
    window = session.wait_for_window("org.freedesktop.weston.wayland-sub-surface-demo")

    def colours() -> set[tuple[int, int, int]]:
        return session.screenshot().region_colours(window["x"], window["y"], window["width"], window["height"], 3)

    def has_both(found: set[tuple[int, int, int]]) -> bool:
        red = any(r > 140 and g < 60 and b < 60 for r, g, b in found)
        green = any(g > 140 and r < 40 and b < 40 for r, g, b in found)
        return red and green

    wait_until(lambda: has_both(colours()), timeout=10, what="the red subsurface over the green surface")


def test_a_client_asking_to_start_maximized_fills_the_output_and_stays_so(session: Session) -> None:
    # foot asks for server-side decorations: its title bar and the window under it fill the output
    def fills_output(w: dict[str, Any]) -> bool:
        return bool(w["maximized"] and w["frame"] == {"x": 0, "y": 0, "width": 1280, "height": 800}
                    and (w["x"], w["y"] + w["height"], w["width"]) == (0, 800, 1280))

    session.spawn(["foot", "--maximized", "sh"], env={"SHELL": "/bin/sh"})
    session.wait_for_window("foot", predicate=fills_output)
    # focus changes send new configures; they must keep the maximized size
    session.spawn(["weston-simple-shm"])
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    foot = next(w for w in session.windows() if w["app_id"] == "foot")
    assert fills_output(foot) and not foot["focused"]
