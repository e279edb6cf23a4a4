"""Styles by widget class and status, asked of the active theme (an iced-style catalog).

Every widget asks ``theme.style("button.primary", Status.HOVERED)`` for a :class:`Style`. Any object with
that method, a ``palette`` and ``font_family``/``font_size`` is a :class:`Theme`. The TOML themes of ``themes/``
plug in through :class:`widgets.style_adapter.ThemeAdapter`; the default look is the built-in ``orrery-light``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Color:
    """Straight-alpha sRGB, channels 0.0-1.0 (a theme file's colours are :class:`themes.ThemeColor`, 0-255)."""

    r: float
    g: float
    b: float
    a: float = 1.0

    @classmethod
    def hex(cls, text: str) -> Color:
        digits = text.lstrip("#")
        values = [int(digits[i:i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return cls(*values)

    def with_alpha(self, alpha: float) -> Color:
        return Color(self.r, self.g, self.b, alpha)

    def mix(self, other: Color, t: float) -> Color:
        return Color(*(a + (b - a) * t for a, b in zip(self.rgba, other.rgba, strict=True)))

    @property
    def rgba(self) -> tuple[float, float, float, float]:
        return self.r, self.g, self.b, self.a


TRANSPARENT = Color(0, 0, 0, 0)


class Status(Enum):
    ACTIVE = "active"
    HOVERED = "hovered"
    PRESSED = "pressed"
    FOCUSED = "focused"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Palette:
    """The named colour tokens; ``on_*`` is for text drawn on the colour it names."""

    background: Color
    surface: Color
    surface_alt: Color
    text: Color
    muted_text: Color
    accent: Color
    on_accent: Color
    border: Color
    focus_ring: Color
    selection: Color
    danger: Color
    on_danger: Color
    success: Color
    shadow: Color


@dataclass(frozen=True)
class Style:
    """What a widget needs to draw itself; widgets use the fields that apply to them."""

    text: Color
    background: Color | None = None
    border: Color | None = None
    border_width: float = 0.0
    radius: float = 0.0
    accent: Color | None = None
    """Filled parts: a checked box, a slider's track to the handle, a progress bar's bar."""
    foreground: Color | None = None
    """Marks and handles drawn over the accent or background: a check mark, a toggler's knob."""
    placeholder: Color | None = None
    selection: Color | None = None
    focus_ring: Color | None = None


@runtime_checkable
class Theme(Protocol):
    name: str
    palette: Palette
    font_family: str
    font_size: float

    def style(self, widget_class: str, status: Status) -> Style: ...


class DefaultTheme:
    """The built-in TOML themes ``orrery-light`` and ``orrery-dark`` (``themes/builtin``), the toolkit's default.

    Kept as a name for ``DefaultTheme.light()``/``.dark()``; the colours live only in the TOML files, and the
    catalog is :class:`widgets.style_adapter.ThemeAdapter`.
    """

    @staticmethod
    def light() -> Theme:
        from .style_adapter import default_theme
        return default_theme(dark=False)

    @staticmethod
    def dark() -> Theme:
        from .style_adapter import default_theme
        return default_theme(dark=True)
