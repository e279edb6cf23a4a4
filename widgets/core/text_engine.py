"""Text shaping, measuring and drawing with Pango (through PyGObject), one engine per running app.

Pango does the hard parts: HarfBuzz shaping, fontconfig fallback for scripts the chosen font lacks (Arabic,
Hebrew, CJK, colour emoji), bidirectional text, wrapping, ellipsis and markup. Metrics are unhinted so a
layout measured once draws the same at every output scale.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import Any

import cairo
import gi

gi.require_version("Pango", "1.0")
gi.require_version("PangoCairo", "1.0")
from gi.repository import Pango, PangoCairo  # noqa: E402

from .geometry import Size  # noqa: E402


class Wrap(Enum):
    NONE = "none"
    WORD = "word"
    CHAR = "char"


class Ellipsis(Enum):
    NONE = "none"
    START = "start"
    MIDDLE = "middle"
    END = "end"


class TextAlign(Enum):
    START = "start"
    CENTER = "center"
    END = "end"


@dataclass(frozen=True)
class TextSpec:
    """Everything that decides a text layout; equal specs share one cached layout."""

    text: str
    size: float
    family: str
    weight: int = 400
    markup: bool = False
    wrap: Wrap = Wrap.WORD
    ellipsis: Ellipsis = Ellipsis.NONE
    align: TextAlign = TextAlign.START
    width: float | None = None
    """Wrap or ellipsize at this width (logical pixels); None for one unbounded line per paragraph."""
    max_lines: int = 0


_ELLIPSIZE = {Ellipsis.NONE: Pango.EllipsizeMode.NONE, Ellipsis.START: Pango.EllipsizeMode.START,
              Ellipsis.MIDDLE: Pango.EllipsizeMode.MIDDLE, Ellipsis.END: Pango.EllipsizeMode.END}
_WRAP = {Wrap.WORD: Pango.WrapMode.WORD_CHAR, Wrap.CHAR: Pango.WrapMode.CHAR, Wrap.NONE: Pango.WrapMode.WORD}
_ALIGN = {TextAlign.START: Pango.Alignment.LEFT, TextAlign.CENTER: Pango.Alignment.CENTER,
          TextAlign.END: Pango.Alignment.RIGHT}


class TextEngine:
    def __init__(self, cache_size: int = 2048) -> None:
        self._font_map: Any = PangoCairo.FontMap.new()
        self._context: Any = self._font_map.create_context()
        options = cairo.FontOptions()
        options.set_hint_metrics(cairo.HINT_METRICS_OFF)
        options.set_hint_style(cairo.HINT_STYLE_NONE)
        options.set_antialias(cairo.ANTIALIAS_GRAY)
        PangoCairo.context_set_font_options(self._context, options)
        PangoCairo.context_set_resolution(self._context, 96.0)
        self._cache: OrderedDict[TextSpec, Any] = OrderedDict()
        self._cache_size = cache_size

    def layout(self, spec: TextSpec) -> Any:
        """The Pango layout for ``spec`` (cached)."""
        cached = self._cache.get(spec)
        if cached is not None:
            self._cache.move_to_end(spec)
            return cached
        layout = Pango.Layout.new(self._context)
        font = Pango.FontDescription.from_string(spec.family)
        font.set_absolute_size(spec.size * Pango.SCALE)
        font.set_weight(Pango.Weight(spec.weight))
        layout.set_font_description(font)
        if spec.markup:
            layout.set_markup(spec.text, -1)
        else:
            layout.set_text(spec.text, -1)
        layout.set_alignment(_ALIGN[spec.align])  # with auto-dir, Pango mirrors it for right-to-left paragraphs
        layout.set_auto_dir(True)
        if spec.width is not None and spec.width != float("inf"):
            layout.set_width(max(1, int(spec.width * Pango.SCALE)))
            if spec.ellipsis is not Ellipsis.NONE:
                layout.set_ellipsize(_ELLIPSIZE[spec.ellipsis])
                layout.set_height(-max(1, spec.max_lines) if spec.wrap is not Wrap.NONE else -1)
            if spec.wrap is not Wrap.NONE:
                layout.set_wrap(_WRAP[spec.wrap])
            elif spec.ellipsis is Ellipsis.NONE:
                layout.set_width(-1)
        self._cache[spec] = layout
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return layout

    def measure(self, spec: TextSpec) -> Size:
        _ink, logical = self.layout(spec).get_extents()
        return Size(logical.width / Pango.SCALE, logical.height / Pango.SCALE)

    def draw(self, cr: cairo.Context, spec: TextSpec, x: float, y: float,
             color: tuple[float, float, float, float]) -> None:
        layout = self.layout(spec)
        cr.save()
        cr.set_source_rgba(*color)
        cr.move_to(x, y)
        PangoCairo.show_layout(cr, layout)
        cr.restore()

    def unknown_glyphs(self, spec: TextSpec) -> int:
        """How many characters no installed font could show (drawn as boxes)."""
        return int(self.layout(spec).get_unknown_glyphs_count())

    def is_ellipsized(self, spec: TextSpec) -> bool:
        return bool(self.layout(spec).is_ellipsized())

    # -- cursor positions for text input (byte offsets are Pango's; we convert to str indices) --------------
    def index_to_x(self, spec: TextSpec, index: int) -> float:
        layout = self.layout(spec)
        byte = len(spec.text[:index].encode())
        pos = layout.index_to_pos(byte)
        return float(pos.x) / Pango.SCALE

    def x_to_index(self, spec: TextSpec, x: float) -> int:
        layout = self.layout(spec)
        _inside, byte, trailing = layout.xy_to_index(int(x * Pango.SCALE), 0)
        encoded = spec.text.encode()
        index = len(encoded[:byte].decode(errors="ignore"))
        if trailing:
            index += trailing
        return max(0, min(len(spec.text), index))

    def line_height(self, size: float, family: str) -> float:
        return self.measure(TextSpec("Ag", size, family)).height
