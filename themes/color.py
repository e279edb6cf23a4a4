"""Colours as 8-bit RGBA values, the functions theme authors use on them, and WCAG contrast.

Colours are quantised to 8 bits per channel at every step, so a contrast ratio checked here is the ratio
of the colour that is actually drawn (and exported): no rounding can push a checked pair below 4.5:1.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

AA_TEXT = 4.5
"""WCAG 2 AA minimum contrast for body text."""
AA_NON_TEXT = 3.0
"""WCAG 2 AA minimum contrast for focus indicators, icons and other graphical objects."""


@dataclass(frozen=True, repr=False)
class ThemeColor:
    """An sRGB colour of a theme with straight (not premultiplied) alpha, each channel 0-255 (the toolkit's
    :class:`widgets.Color` has channels 0.0-1.0; ``widgets.style_adapter.rgba`` converts)."""

    r: int
    g: int
    b: int
    a: int = 255

    def __post_init__(self) -> None:
        for channel in (self.r, self.g, self.b, self.a):
            if not isinstance(channel, int) or not 0 <= channel <= 255:
                raise ValueError(f"colour channel out of range 0-255: {channel!r}")

    @classmethod
    def from_hex(cls, text: str) -> ThemeColor:
        """Parse ``#rgb``, ``#rrggbb`` or ``#rrggbbaa``; raises ValueError with an author-facing reason."""
        if not text.startswith("#"):
            raise ValueError("a colour starts with #")
        digits = text[1:]
        if any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise ValueError("only the hexadecimal digits 0-9 and a-f may follow #")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        if len(digits) not in (6, 8):
            raise ValueError("expected #rgb, #rrggbb or #rrggbbaa")
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        a = int(digits[6:8], 16) if len(digits) == 8 else 255
        return cls(r, g, b, a)

    @classmethod
    def from_floats(cls, r: float, g: float, b: float, a: float = 1.0) -> ThemeColor:
        return cls(*(_byte(v) for v in (r, g, b, a)))

    def hex(self) -> str:
        """``#rrggbb``, or ``#rrggbbaa`` when the colour is not opaque."""
        text = f"#{self.r:02x}{self.g:02x}{self.b:02x}"
        return text if self.a == 255 else f"{text}{self.a:02x}"

    def floats(self) -> tuple[float, float, float, float]:
        """Channels as 0.0-1.0 floats (what Cairo's ``set_source_rgba`` takes)."""
        return (self.r / 255, self.g / 255, self.b / 255, self.a / 255)

    def with_alpha(self, alpha: float) -> ThemeColor:
        return ThemeColor(self.r, self.g, self.b, _byte(alpha))

    @property
    def opaque(self) -> bool:
        return self.a == 255

    def __str__(self) -> str:
        return self.hex()

    def __repr__(self) -> str:
        return f"ThemeColor({self.hex()!r})"


WHITE = ThemeColor(255, 255, 255)
BLACK = ThemeColor(0, 0, 0)
TRANSPARENT = ThemeColor(0, 0, 0, 0)


def _byte(value: float) -> int:
    return max(0, min(255, round(value * 255)))


def mix(a: ThemeColor, b: ThemeColor, t: float) -> ThemeColor:
    """``a`` moved ``t`` (0-1) of the way towards ``b``, alpha included."""
    return ThemeColor(*(round(x + (y - x) * t) for x, y in zip(
        (a.r, a.g, a.b, a.a), (b.r, b.g, b.b, b.a), strict=True)))


def _shift_lightness(c: ThemeColor, amount: float) -> ThemeColor:
    h, lightness, s = colorsys.rgb_to_hls(c.r / 255, c.g / 255, c.b / 255)
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness + amount)), s)
    return ThemeColor(_byte(r), _byte(g), _byte(b), c.a)


def lighten(c: ThemeColor, amount: float) -> ThemeColor:
    """Raise the HSL lightness by ``amount`` (0-1), like Sass's ``lighten``."""
    return _shift_lightness(c, amount)


def darken(c: ThemeColor, amount: float) -> ThemeColor:
    """Lower the HSL lightness by ``amount`` (0-1)."""
    return _shift_lightness(c, -amount)


def over(fg: ThemeColor, bg: ThemeColor) -> ThemeColor:
    """``fg`` composited over ``bg`` (source-over); opaque when ``bg`` is."""
    fa, ba = fg.a / 255, bg.a / 255
    out = fa + ba * (1 - fa)
    if out == 0:
        return TRANSPARENT

    def channel(f: int, b: int) -> float:
        return (f / 255 * fa + b / 255 * ba * (1 - fa)) / out

    return ThemeColor.from_floats(channel(fg.r, bg.r), channel(fg.g, bg.g), channel(fg.b, bg.b), out)


def _linear(channel: int) -> float:
    v = channel / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def luminance(c: ThemeColor) -> float:
    """WCAG relative luminance of the colour's RGB (alpha ignored)."""
    return 0.2126 * _linear(c.r) + 0.7152 * _linear(c.g) + 0.0722 * _linear(c.b)


def contrast(fg: ThemeColor, bg: ThemeColor) -> float:
    """WCAG contrast ratio of ``fg`` drawn on ``bg`` (``fg`` composited first; ``bg`` taken as opaque)."""
    solid_bg = ThemeColor(bg.r, bg.g, bg.b)
    a, b = luminance(over(fg, solid_bg)), luminance(solid_bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def min_contrast(fg: ThemeColor, bgs: Iterable[ThemeColor]) -> float:
    return min(contrast(fg, bg) for bg in bgs)


def ensure_contrast(fg: ThemeColor, bgs: Sequence[ThemeColor], ratio: float = AA_TEXT) -> ThemeColor | None:
    """The colour nearest ``fg`` along a line to white or to black that has ``ratio`` on every ``bgs``.

    Returns ``fg`` (made opaque if needed) when it already passes, None when neither direction can reach
    the ratio on all backgrounds at once (only possible with backgrounds of very different lightness).
    """
    start = over(fg, ThemeColor(bgs[0].r, bgs[0].g, bgs[0].b)) if not fg.opaque else fg
    if min_contrast(start, bgs) >= ratio:
        return start
    best: tuple[float, ThemeColor] | None = None
    for end in (WHITE, BLACK):
        if min_contrast(end, bgs) < ratio:
            continue
        lo, hi = 0.0, 1.0
        for _ in range(24):
            mid = (lo + hi) / 2
            if min_contrast(mix(start, end, mid), bgs) >= ratio:
                hi = mid
            else:
                lo = mid
        if best is None or hi < best[0]:
            best = (hi, mix(start, end, hi))
    return None if best is None else best[1]


def readable(fg: ThemeColor, bgs: Sequence[ThemeColor], ratio: float = AA_TEXT) -> ThemeColor:
    """:func:`ensure_contrast`, falling back to whichever of white and black reads best on all ``bgs``."""
    adjusted = ensure_contrast(fg, bgs, ratio)
    if adjusted is not None:
        return adjusted
    return max((WHITE, BLACK), key=lambda end: min_contrast(end, bgs))


def on_colour(bg: ThemeColor, candidates: Sequence[ThemeColor], ratio: float = AA_TEXT) -> ThemeColor:
    """A text colour for ``bg``: the candidate with most contrast, adjusted until it reaches ``ratio``."""
    preferred = max(candidates, key=lambda c: contrast(c, bg))
    return readable(preferred, [bg], ratio)
