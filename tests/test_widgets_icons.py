"""Icons by freedesktop name: an app's icons share one look-up of the icon theme, whose index is read once."""

from __future__ import annotations

from pathlib import Path

import cairo
import pytest

from widgets import Element, FunctionApp, button, column, row
from widgets.testing import Simulator
from widgets.widget.icon import icon

BLUE = (0, 0, 255)


def _theme(base: Path) -> Path:
    """A hicolor theme with 16 px icons ``red`` and ``blue`` under ``base``/icons; returns its index file."""
    apps = base / "icons" / "hicolor" / "16x16" / "apps"
    apps.mkdir(parents=True)
    for name, (r, g, b) in (("red", (1.0, 0.0, 0.0)), ("blue", (0.0, 0.0, 1.0))):
        image = cairo.ImageSurface(cairo.FORMAT_ARGB32, 16, 16)
        context = cairo.Context(image)
        context.set_source_rgb(r, g, b)
        context.paint()
        image.write_to_png(str(apps / f"{name}.png"))
    index = base / "icons" / "hicolor" / "index.theme"
    index.write_text("[Icon Theme]\nName=Hicolor\nDirectories=16x16/apps\n\n"
                     "[16x16/apps]\nSize=16\nContext=Applications\nType=Fixed\n")
    return index


def _has_colour(image: cairo.ImageSurface, rgb: tuple[int, int, int]) -> bool:
    image.flush()
    data, stride = bytes(image.get_data()), image.get_stride()
    for y in range(image.get_height()):
        for x in range(image.get_width()):
            b, g, r = data[y * stride + 4 * x: y * stride + 4 * x + 3]
            if (r, g, b) == rgb:
                return True
    return False


def test_icons_added_later_are_found_through_the_index_read_at_the_first(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A launcher lists many icons and its list changes with every key: each new icon must not read the
    theme's index again (under a slow file system that made the launcher take seconds to open). Here the
    index is gone once the first icon was shown: the second is still found, because it is not read again."""
    index = _theme(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "nothing-else"))

    def view(names: list[str]) -> Element[str]:
        return column([button("More").on_press("more"), row([icon(name, 16) for name in names]).spacing(4)])

    def update(names: list[str], message: str) -> None:
        names.append("blue")

    with Simulator(FunctionApp(lambda: ["red"], update, view), (200, 100)) as sim:
        assert _has_colour(sim.render(), (255, 0, 0))
        index.unlink()
        sim.click("More")
        assert _has_colour(sim.render(), BLUE), "the icon added after the index went away was not found"
