"""``orrery theme preview``: a mock desktop drawn from a theme, without a compositor; its colours where a user
would look for them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cairo
import pytest

from themes import builtin, load
from themes.model import ThemeModel
from themes.preview import desktop_layout, preview_app, render_preview
from widgets.testing import Simulator, compare
from widgets.widget.button import Button

ORRERY = Path(sys.executable).with_name("orrery")
MINE = """[meta]
inherits = "orrery-dark"

[tokens]
accent = "#ff8800"

[panel]
background = "#123456"

[decorations]
title_background = "#00aa55"

[decorations.inactive]
title_background = "#aa0055"

[background]
color = "#402040"
"""


def pixel(image: cairo.ImageSurface, x: float, y: float) -> tuple[int, int, int]:
    data, offset = image.get_data(), int(y) * image.get_stride() + int(x) * 4
    return data[offset + 2], data[offset + 1], data[offset]


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_DIRS": str(tmp_path / "data")}


def test_preview_command_draws_the_themes_panel_title_bars_accent_and_background(tmp_path: Path,
                                                                                 xdg: dict[str, str]) -> None:
    (tmp_path / "mine.toml").write_text(MINE)
    out = tmp_path / "out.png"
    done = subprocess.run([str(ORRERY), "theme", "preview", "mine.toml", "-o", str(out), "--size", "960x600"],
                          env=xdg, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    image = cairo.ImageSurface.create_from_png(str(out))
    assert (image.get_width(), image.get_height()) == (960, 600)

    theme = load(tmp_path / "mine.toml").theme
    assert theme is not None
    at = desktop_layout(theme, 960, 600)
    assert pixel(image, at.panel.width * 0.3, at.panel.y + 3) == (0x12, 0x34, 0x56)
    assert pixel(image, at.active.center.x, at.active.y + 5) == (0x00, 0xaa, 0x55)
    assert pixel(image, at.inactive.center.x, at.inactive.y + 5) == (0xaa, 0x00, 0x55)
    assert pixel(image, 957, 597) == (0x40, 0x20, 0x40)  # the desktop, below the windows
    with Simulator(preview_app(theme, 960, 600), (960, 600)) as sim:
        open_button = sim.find_all(Button)[0].bounds  # the gallery's primary button
        sim.find("Open")
    assert pixel(image, open_button.x + 4, open_button.center.y) == (0xff, 0x88, 0x00)


def test_size_and_scale_set_the_image_size() -> None:
    image = render_preview(builtin("orrery-light"), 640, 400, scale=1.5)
    assert (image.get_width(), image.get_height()) == (960, 600)
    with pytest.raises(ValueError, match="at least 320x240"):
        render_preview(builtin("orrery-light"), 100, 100)


def test_two_themes_give_different_pictures() -> None:
    dark, light = (render_preview(builtin(name), 640, 400) for name in ("orrery-dark", "orrery-light"))
    assert compare(dark, light) > 0.5
    themes: list[ThemeModel] = [builtin("orrery-dark"), builtin("orrery-light")]
    at = desktop_layout(themes[0], 640, 400)
    for theme, image in zip(themes, (dark, light), strict=True):
        assert pixel(image, at.active.center.x, at.active.y + 5) == rgb(theme.decorations.active.title_background.hex())


def test_a_broken_theme_is_reported_and_nothing_is_written(tmp_path: Path, xdg: dict[str, str]) -> None:
    (tmp_path / "bad.toml").write_text('[tokens]\naccent = "#12g"\n')
    done = subprocess.run([str(ORRERY), "theme", "preview", "bad.toml", "-o", "out.png"], env=xdg, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'bad.toml:2:10: error: tokens.accent: bad colour "#12g": only the hexadecimal digits 0-9 and a-f may follow #']
    assert not (tmp_path / "out.png").exists()
