"""Text that handles any language: fallback fonts for Arabic, Hebrew, CJK and emoji; RTL; ellipsis; markup;
and crisp rendering at scale 1, 2 and fractional scales (snapshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from widgets import Element, Ellipsis, Fill, FunctionApp, column, container, text
from widgets.core.text_engine import TextEngine, TextSpec
from widgets.gallery import Gallery
from widgets.testing import Simulator

SAMPLES = {
    "arabic": "مرحبا بالعالم",
    "hebrew": "שלום עולם",
    "chinese": "你好，世界",
    "japanese": "こんにちは世界",
    "emoji": "🎉🚀😀",
}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_script_has_a_font(name: str) -> None:
    engine = TextEngine()
    spec = TextSpec(SAMPLES[name], 16, "DejaVu Sans")
    assert engine.unknown_glyphs(spec) == 0
    assert engine.measure(spec).width > 10


def one_text(widget: Element[Any]) -> FunctionApp[None, Any]:
    return FunctionApp(lambda: None, lambda s, m: None, lambda s: container(widget).padding(10).width(Fill))


def ink_columns(sim: Simulator[Any, Any], y0: int, y1: int) -> list[int]:
    background = sim.pixel(1, 1)
    width = int(sim.runtime.size.width)
    return [x for x in range(width) if any(sim.pixel(x, y) != background for y in range(y0, y1, 2))]


def test_rtl_paragraph_is_right_aligned_ltr_left_aligned() -> None:
    with Simulator(one_text(text(SAMPLES["hebrew"]).width(Fill)), (400, 60)) as sim:
        ink = ink_columns(sim, 10, 30)
        assert min(ink) > 250 and max(ink) > 370
    with Simulator(one_text(text("Hello world").width(Fill)), (400, 60)) as sim:
        ink = ink_columns(sim, 10, 30)
        assert min(ink) < 20 and max(ink) < 150


def test_emoji_draw_in_colour() -> None:
    with Simulator(one_text(text(SAMPLES["emoji"]).size(32)), (200, 70)) as sim:
        colours = sim.colours(sim.find(SAMPLES["emoji"]).bounds, step=1)
        assert any(max(c) - min(c) > 120 for c in colours), "emoji should be coloured, not monochrome"


def test_long_label_ellipsizes_within_its_width() -> None:
    long = "A label much too long for the narrow space it is given " * 3
    app = one_text(text(long).ellipsize(Ellipsis.END).width(Fill))
    with Simulator(app, (240, 60)) as sim:
        found = sim.find(long)
        assert found.bounds.right <= 230
        ink = ink_columns(sim, 10, 30)
        assert max(ink) <= 231
        engine = sim.runtime.text
        widget = found.widget
        assert widget is not None and engine.is_ellipsized(sim.runtime.root.children[0].data)  # type: ignore[union-attr]


def test_wrapping_grows_height() -> None:
    words = "word " * 60
    app = FunctionApp(lambda: None, lambda s, m: None,
                      lambda s: column([text(words).width(Fill), text("below")]).width(Fill))
    with Simulator(app, (200, 400)) as sim:
        assert sim.find(words).bounds.height > 100
        assert sim.find("below").bounds.y >= sim.find(words).bounds.bottom


def test_markup_bold_is_wider() -> None:
    engine = TextEngine()
    plain = engine.measure(TextSpec("Heading", 16, "DejaVu Sans"))
    bold = engine.measure(TextSpec("<b>Heading</b>", 16, "DejaVu Sans", markup=True))
    assert bold.width > plain.width


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_gallery_snapshot(scale: float) -> None:
    with Simulator(Gallery(), (1000, 760), scale) as sim:
        image = sim.render()
        assert (image.get_width(), image.get_height()) == (int(1000 * scale), int(760 * scale))
        sim.assert_snapshot(f"gallery@{scale:g}x")


def test_a_missing_snapshot_fails_and_only_the_update_command_writes_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIDGETS_UPDATE_SNAPSHOTS", raising=False)  # also under `make snapshots`
    with Simulator(Gallery(), (1000, 760)) as sim:
        with pytest.raises(AssertionError, match="no snapshot"):
            sim.assert_snapshot("gallery", directory=tmp_path)
        assert not (tmp_path / "gallery.png").exists(), "a failing test writes no reference"
        assert (tmp_path / "gallery.actual.png").exists(), "what it drew is there to look at"
        monkeypatch.setenv("WIDGETS_UPDATE_SNAPSHOTS", "1")  # what `make snapshots` runs the tests with
        sim.assert_snapshot("gallery", directory=tmp_path)
        assert (tmp_path / "gallery.png").exists()
        monkeypatch.delenv("WIDGETS_UPDATE_SNAPSHOTS")
        sim.assert_snapshot("gallery", directory=tmp_path)  # compared now, and equal


def test_snapshot_comparison_catches_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIDGETS_UPDATE_SNAPSHOTS", raising=False)
    with Simulator(Gallery(), (1000, 760)) as sim:
        sim.render().write_to_png(str(tmp_path / "gallery.png"))
        sim.move("Reset")
        sim.assert_snapshot("gallery", directory=tmp_path)  # a hover is within the tolerance
        sim.click("Dark mode")
        with pytest.raises(AssertionError, match="differ"):
            sim.assert_snapshot("gallery", directory=tmp_path)
