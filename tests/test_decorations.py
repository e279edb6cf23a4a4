"""Server-side decorations with real clients: foot asks for them through xdg-decoration and gets a title bar
drawn from the theme; GTK keeps its own; the title bar's buttons, drag, double click and border work; a saved
theme restyles the frame of the same window."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compositor.decorations import insets_for
from tests.harness import ROOT, Screenshot, Session, require, wait_until
from themes import builtin, load_file

TITLE, BORDER, SHADOW = 30, 2, 6
COLOURS = {"title_background": "#3366cc", "title_text": "#ffee00", "border": "#ff00ff", "close_hover": "#00ff00",
           "inactive": "#556677", "shadow": "#00ffff"}
QT_CLOCK = "/usr/lib/x86_64-linux-gnu/qt5/examples/widgets/widgets/analogclock/analogclock"


def theme_text(title_background: str, gaps: int = 14) -> str:
    c = COLOURS
    return (f'[meta]\ninherits = "orrery-dark"\n\n[decorations]\ntitle_background = "{title_background}"\n'
            f'title_text = "{c["title_text"]}"\nbutton = "{c["title_text"]}"\nborder = "{c["border"]}"\n'
            f'close_hover = "{c["close_hover"]}"\nborder_width = {BORDER}\nheight = {TITLE}\nradius = 0\n'
            f'gaps = {gaps}\ntitle_align = "left"\nbuttons = ["minimize", "maximize", "close"]\n'
            f'shadow = {{ color = "{c["shadow"]}", x = 0, y = 0, blur = 0, spread = {SHADOW} }}\n\n'
            f'[decorations.inactive]\ntitle_background = "{c["inactive"]}"\n')


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def off_blend(pixel: tuple[int, int, int], a: str, b: str) -> bool:
    """``pixel`` is far from every mix of colours ``a`` and ``b`` (antialiased text is such a mix)."""
    start, end = rgb(a), rgb(b)
    return all(sum((p - (s + (e - s) * t / 20)) ** 2 for p, s, e in zip(pixel, start, end, strict=True)) > 40 ** 2
               for t in range(21))


def near(pixel: tuple[int, int, int], colour: str, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb(colour), strict=True))


@pytest.fixture
def theme_file(tmp_path: Path) -> Path:
    """A theme with unmistakable decoration colours, named as the desktop's theme in shell.toml."""
    config = tmp_path / "config"
    (config / "orrery" / "themes").mkdir(parents=True)
    (config / "orrery" / "shell.toml").write_text('theme = "ssd-test"\n')
    path = config / "orrery" / "themes" / "ssd-test.toml"
    path.write_text(theme_text(COLOURS["title_background"]))
    result = load_file(path)
    assert result.theme is not None, result.diagnostics
    assert insets_for(result.theme.decorations.active, False).top == TITLE + BORDER
    return path


@pytest.fixture
def session(runtime_dir: Path, theme_file: Path) -> Iterator[Session]:
    config = theme_file.parent.parent.parent
    compositor = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(config)})
    yield compositor
    assert compositor.stop() == 0, compositor.log_path.read_text(errors="replace")


def open_foot(session: Session, title: str = "Decorated window") -> dict[str, Any]:
    session.spawn(["foot", "--title", title, "/bin/sh"], env={"SHELL": "/bin/sh"})
    return session.wait_for_window("foot", predicate=lambda w: w["title"] == title)


def screenshot(session: Session, name: str = "shot.png") -> Screenshot:
    path = session.runtime_dir / name
    session.request("screenshot", str(path))  # over the socket: no `orrery msg` start-up in the timings
    return Screenshot(path)


def title_point(window: dict[str, Any]) -> tuple[int, int]:
    """A point of the title bar away from the (left-aligned) title text and the buttons."""
    return window["x"] + window["width"] - 3 * TITLE - 20, window["y"] - 4


def close_button(window: dict[str, Any]) -> tuple[int, int]:
    return window["x"] + window["width"] - TITLE // 2, window["y"] - TITLE // 2


def test_foot_gets_a_title_bar_from_the_theme_and_gtk_keeps_its_own(session: Session) -> None:
    window = open_foot(session)
    assert window["decorations"] == "server"
    assert window["frame"] == {"x": window["x"] - BORDER, "y": window["y"] - TITLE - BORDER,
                               "width": window["width"] + 2 * BORDER, "height": window["height"] + TITLE + 2 * BORDER}
    shot = screenshot(session)
    assert shot.pixel(*title_point(window)) == rgb(COLOURS["title_background"])  # focused: the active colours
    assert shot.pixel(window["x"] - 1, window["y"] + 20) == rgb(COLOURS["border"])
    assert shot.pixel(window["x"] + 20, window["y"] - TITLE - 1) == rgb(COLOURS["border"])
    text = [(x, y) for x in range(window["x"], window["x"] + window["width"] // 2)
            for y in range(window["y"] - TITLE, window["y"]) if near(shot.pixel(x, y), COLOURS["title_text"])]
    assert len(text) > 30, "the title is drawn in the theme's title colour"
    icon_side = round(TITLE * 0.6)
    assert min(x for x, _ in text) < window["x"] + 8 + icon_side + 20, "left-aligned, as the theme says"
    icon = shot.region_colours(window["x"] + 8, window["y"] - TITLE // 2 - icon_side // 2, icon_side, icon_side, 1)
    assert len([c for c in icon if off_blend(c, COLOURS["title_background"], COLOURS["title_text"])]) > 10, (
        "foot's icon before it: colours that are no mix of the bar's and the title's")

    session.spawn(["gtk3-demo"])
    gtk = session.wait_for_window("gtk3-demo")
    assert gtk["decorations"] in ("none", "client") and gtk["frame"] is None
    shot = screenshot(session, "gtk.png")
    foot = next(w for w in session.windows() if w["id"] == window["id"])
    assert shot.pixel(*title_point(foot)) == rgb(COLOURS["inactive"]), "foot lost the focus: inactive colours"
    top = max(0, gtk["y"] - TITLE - BORDER)
    above = shot.region_colours(gtk["x"] + 20, top, gtk["width"] - 40, gtk["y"] + 10 - top, step=2)
    assert not {rgb(c) for c in COLOURS.values()} & above, "no bar of ours above GTK's own"


def test_title_bar_buttons_hover_and_close(session: Session) -> None:
    window = open_foot(session)
    x, y = close_button(window)
    session.pointer("move", str(x), str(y))
    assert session.msg("seat")["focus"] is None, "the title bar is the compositor's, not foot's"
    wait_until(lambda: near(screenshot(session).pixel(x - TITLE // 4, y - TITLE // 4), COLOURS["close_hover"], 8),
               timeout=5, what="the close button to show hovered")
    session.pointer("click", "left")
    wait_until(lambda: not session.windows(), timeout=10, what="foot to close")


def test_drag_the_title_bar_moves_and_double_click_maximizes(session: Session) -> None:
    window = open_foot(session)
    x, y = title_point(window)
    session.pointer("move", str(x), str(y), "press", "left", "move", str(x + 60), str(y + 30),
                    "move", str(x - 150), str(y + 80), "release", "left")
    moved = session.windows()[0]
    assert (moved["x"], moved["y"]) == (window["x"] - 150, window["y"] + 80)
    assert (moved["width"], moved["height"]) == (window["width"], window["height"])

    x, y = title_point(moved)
    session.request("pointer", "move", str(x), str(y))
    for _ in range(2):  # a double click, sent directly so that it is quick
        session.request("pointer", "button", "left", "press")
        session.request("pointer", "button", "left", "release")
    maximized = wait_until(lambda: (w := session.windows()[0])["maximized"] and w["height"] == 800 - TITLE and w,
                           timeout=10, what="foot to fill the screen below its title bar")
    assert (maximized["x"], maximized["y"], maximized["width"]) == (0, TITLE, 1280)
    assert maximized["frame"] == {"x": 0, "y": 0, "width": 1280, "height": 800}
    shot = screenshot(session)
    assert shot.pixel(640, TITLE // 2 - 10) == rgb(COLOURS["title_background"])


def test_drag_the_border_resizes_with_the_edge_cursor(session: Session) -> None:
    window = open_foot(session)
    corner_x, corner_y = window["x"] + window["width"] + BORDER + 2, window["y"] + window["height"] + BORDER + 2
    session.pointer("move", str(corner_x), str(corner_y))
    assert session.msg("seat")["cursor"] == "se-resize"
    session.pointer("move", str(window["x"] - BORDER - 2), str(window["y"] + 100))
    assert session.msg("seat")["cursor"] == "w-resize"
    session.pointer("move", str(corner_x), str(corner_y), "press", "left",
                    "move", str(corner_x + 120), str(corner_y + 90), "release", "left")
    resized = wait_until(lambda: (w := session.windows()[0])["width"] > window["width"] + 60 and w, timeout=10,
                         what="foot to take the new size")
    assert resized["height"] > window["height"] + 40
    assert (resized["x"], resized["y"]) == (window["x"], window["y"]), "the top-left corner stays"


def test_saving_the_theme_restyles_the_frame_of_the_same_window(session: Session, theme_file: Path) -> None:
    window = open_foot(session)
    point = title_point(window)
    assert screenshot(session).pixel(*point) == rgb(COLOURS["title_background"])
    theme_file.write_text(theme_text("#aa3311"))
    saved = time.monotonic()
    wait_until(lambda: screenshot(session).pixel(*point) == rgb("#aa3311"), timeout=5,
               what="the title bar in the saved colour")
    assert time.monotonic() - saved < 1.0, "restyled within a second"
    assert [w["id"] for w in session.windows()] == [window["id"]], "the same window, not a new one"


def test_floating_windows_cast_the_themes_shadow_and_tiles_do_not(session: Session) -> None:
    window = open_foot(session)
    frame = window["frame"]
    below = (frame["x"] + frame["width"] // 2, frame["y"] + frame["height"] + SHADOW // 2)
    beside = (frame["x"] + frame["width"] + SHADOW // 2, frame["y"] + frame["height"] // 2)
    shot = screenshot(session)
    assert shot.pixel(*below) == rgb(COLOURS["shadow"]) and shot.pixel(*beside) == rgb(COLOURS["shadow"])
    assert shot.pixel(frame["x"] + frame["width"] // 2, frame["y"] + frame["height"] + SHADOW + 2) != rgb(
        COLOURS["shadow"]), "as far as the theme's spread, no further"

    session.msg("action", "toggle-tiling")
    tiled = wait_until(lambda: (w := session.windows()[0])["tiled"] and w, timeout=10, what="foot to tile")
    frame = tiled["frame"]
    shot = screenshot(session, "tiled.png")
    assert shot.pixel(frame["x"] + frame["width"] // 2, frame["y"] + frame["height"] + 2) != rgb(COLOURS["shadow"])
    assert rgb(COLOURS["shadow"]) not in shot.region_colours(0, 0, shot.width, shot.height, step=2)


def test_kitty_and_qt_get_the_themes_title_bar_and_weston_terminal_keeps_its_own(session: Session) -> None:
    """kitty (OpenGL, drawn by Mesa's software renderer here) and a Qt 5 widget app ask for server-side
    decorations like foot; weston-terminal knows no xdg-decoration and draws its own frame, so it gets none of ours."""
    require({"kitty": "kitty", QT_CLOCK: "qtbase5-examples", "weston-terminal": "weston"})
    session.spawn(["kitty", "-o", "confirm_os_window_close=0", "--title", "Kitty window", "sh"],
                  env={"LIBGL_ALWAYS_SOFTWARE": "1", "SHELL": "/bin/sh"})
    kitty = session.wait_for_window("kitty", predicate=lambda w: w["title"] == "Kitty window")
    assert kitty["decorations"] == "server"
    assert screenshot(session).pixel(*title_point(kitty)) == rgb(COLOURS["title_background"])
    session.pointer("move", *map(str, close_button(kitty)), "click", "left")
    wait_until(lambda: not session.windows(), timeout=10, what="kitty to close through its close button")

    session.spawn([QT_CLOCK], env={"QT_QPA_PLATFORM": "wayland"})
    clock = session.wait_for_window("analogclock")
    assert clock["decorations"] == "server"
    assert clock["frame"] == {"x": clock["x"] - BORDER, "y": clock["y"] - TITLE - BORDER,
                              "width": clock["width"] + 2 * BORDER, "height": clock["height"] + TITLE + 2 * BORDER}
    x, y = clock["x"] + 8, clock["y"] - TITLE + 2  # the bar's left end, above the app icon (narrow: few buttons)
    assert screenshot(session, "qt.png").pixel(x, y) == rgb(COLOURS["title_background"])
    session.pointer("move", str(x), str(y), "press", "left", "move", str(x + 40), str(y + 20),
                    "move", str(x - 200), str(y + 100), "release", "left")
    moved = session.windows()[0]
    assert (moved["x"], moved["y"]) == (clock["x"] - 200, clock["y"] + 100), "dragged by its title bar"

    session.spawn(["weston-terminal"])
    terminal = session.wait_for_window("org.freedesktop.weston.wayland-terminal")
    assert terminal["decorations"] in ("none", "client") and terminal["frame"] is None


def test_tiles_keep_the_themes_gaps_and_follow_a_saved_change(session: Session, theme_file: Path) -> None:
    for title in ("left", "right"):
        open_foot(session, title)
    session.msg("action", "toggle-tiling")

    def tiled_with(gap: int) -> bool:
        frames = sorted((w["frame"] for w in session.windows() if w["tiled"]), key=lambda f: f["x"])
        return (len(frames) == 2 and frames[0]["x"] == gap and frames[0]["y"] == gap
                and frames[1]["x"] == frames[0]["x"] + frames[0]["width"] + gap
                and frames[1]["x"] + frames[1]["width"] == 1280 - gap)

    wait_until(lambda: tiled_with(14), timeout=10, what="two tiles 14 px apart, as the theme's gaps say")
    theme_file.write_text(theme_text(COLOURS["title_background"], gaps=4))
    wait_until(lambda: tiled_with(4), timeout=10, what="the tiles to take the saved gaps")


def test_naming_another_theme_in_shell_toml_restyles_the_frames(session: Session, theme_file: Path) -> None:
    window = open_foot(session)
    point = title_point(window)
    assert screenshot(session).pixel(*point) == rgb(COLOURS["title_background"])
    light = builtin("orrery-light").decorations.active.title_background
    (theme_file.parent.parent / "shell.toml").write_text('theme = "orrery-light"\n')
    wait_until(lambda: near(screenshot(session).pixel(*point), str(light)[:7], 2), timeout=5,
               what="the title bar in orrery-light's colour")


def test_configure_bounds_leave_room_for_the_frame(session: Session) -> None:
    """A client sizing itself to its bounds (xdg_toplevel.configure_bounds) fits the output frame included."""
    result = session.run([sys.executable, "-m", "tests.tools.bounds_probe"], cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    seen = json.loads(result.stdout)
    assert seen == {"mode": 2, "bounds": [1280 - 2 * BORDER, 800 - TITLE - 2 * BORDER]}
