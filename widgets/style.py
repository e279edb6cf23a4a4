"""Styles by widget class and status, asked of the active theme (an iced-style catalog).

Every widget asks ``theme.style("button.primary", Status.HOVERED)`` for a :class:`Style`. Any object with
that method, a ``palette`` and ``font_family``/``font_size`` is a :class:`Theme`, so the TOML theme model in
``themes/`` can plug in by adapting its tokens; :class:`DefaultTheme` is the built-in catalog until then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Color:
    """Straight-alpha sRGB, channels 0.0-1.0."""

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


LIGHT = Palette(
    background=Color.hex("#f6f6f7"), surface=Color.hex("#ffffff"), surface_alt=Color.hex("#e8e8ec"),
    text=Color.hex("#1d1d22"), muted_text=Color.hex("#5c5c66"), accent=Color.hex("#2f62d8"),
    on_accent=Color.hex("#ffffff"), border=Color.hex("#c4c4cc"), focus_ring=Color.hex("#2f62d8"),
    selection=Color.hex("#2f62d8").with_alpha(0.30), danger=Color.hex("#c4302b"), on_danger=Color.hex("#ffffff"),
    success=Color.hex("#2e8540"), shadow=Color(0, 0, 0, 0.25))
DARK = Palette(
    background=Color.hex("#1e1f24"), surface=Color.hex("#2a2b31"), surface_alt=Color.hex("#383a42"),
    text=Color.hex("#ececf1"), muted_text=Color.hex("#a4a6b0"), accent=Color.hex("#6d9bff"),
    on_accent=Color.hex("#0b1020"), border=Color.hex("#4a4c56"), focus_ring=Color.hex("#8fb2ff"),
    selection=Color.hex("#6d9bff").with_alpha(0.35), danger=Color.hex("#ff6b63"), on_danger=Color.hex("#1a0705"),
    success=Color.hex("#5cc97a"), shadow=Color(0, 0, 0, 0.5))


class DefaultTheme:
    """The built-in catalog over a :class:`Palette`; ``DefaultTheme.dark()`` and ``.light()``."""

    def __init__(self, name: str, palette: Palette, font_family: str = "DejaVu Sans", font_size: float = 14.0) -> None:
        self.name, self.palette, self.font_family, self.font_size = name, palette, font_family, font_size

    @classmethod
    def light(cls) -> DefaultTheme:
        return cls("light", LIGHT)

    @classmethod
    def dark(cls) -> DefaultTheme:
        return cls("dark", DARK)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultTheme) and (self.name, self.palette, self.font_family, self.font_size) == (
            other.name, other.palette, other.font_family, other.font_size)

    def __hash__(self) -> int:
        return hash((self.name, self.palette))

    def style(self, widget_class: str, status: Status) -> Style:
        p = self.palette
        base, _, variant = widget_class.partition(".")
        hovered, pressed = status is Status.HOVERED, status is Status.PRESSED
        disabled = status is Status.DISABLED
        if base == "button":
            if variant in ("", "primary"):
                bg, fg = p.accent, p.on_accent
            elif variant == "danger":
                bg, fg = p.danger, p.on_danger
            elif variant == "text":
                bg, fg = TRANSPARENT, p.accent
            else:  # secondary
                bg, fg = p.surface_alt, p.text
            if hovered:
                bg = bg.mix(p.text, 0.12) if bg.a else p.surface_alt
            elif pressed:
                bg = bg.mix(p.text, 0.25) if bg.a else p.border
            style = Style(text=fg, background=bg, radius=6.0, focus_ring=p.focus_ring,
                          border=p.focus_ring if status is Status.FOCUSED else None,
                          border_width=2.0 if status is Status.FOCUSED else 0.0)
            return _disabled(style, p) if disabled else style
        if base in ("text_input", "pick_list"):
            focused = status is Status.FOCUSED
            style = Style(text=p.text, background=p.surface, border=p.accent if focused or hovered else p.border,
                          border_width=2.0 if focused else 1.0, radius=5.0, placeholder=p.muted_text,
                          selection=p.selection, accent=p.accent, foreground=p.muted_text, focus_ring=p.focus_ring)
            return _disabled(style, p) if disabled else style
        if base in ("checkbox", "radio", "toggler"):
            style = Style(text=p.text, background=p.surface if base != "toggler" else p.border,
                          border=p.accent if hovered else p.border, border_width=1.5, radius=4.0 if base == "checkbox"
                          else 999.0, accent=p.accent.mix(p.text, 0.12) if hovered else p.accent,
                          foreground=p.on_accent if base != "toggler" else p.surface, focus_ring=p.focus_ring)
            return _disabled(style, p) if disabled else style
        if base == "slider":
            return Style(text=p.text, background=p.surface_alt, accent=p.accent, radius=3.0,
                         foreground=p.accent.mix(p.text, 0.2) if hovered or pressed else p.accent,
                         border=p.surface, border_width=2.0, focus_ring=p.focus_ring)
        if base == "progress_bar":
            return Style(text=p.text, background=p.surface_alt, accent=p.success if variant == "success" else p.accent,
                         radius=4.0)
        if base == "scrollable":
            thumb = p.muted_text if hovered or pressed else p.border
            return Style(text=p.text, background=TRANSPARENT, accent=thumb, radius=4.0)
        if base in ("menu", "tooltip"):
            return Style(text=p.text, background=p.surface if base == "menu" else p.text.mix(p.background, 0.1),
                         border=p.border, border_width=1.0, radius=6.0, selection=p.selection, accent=p.accent)\
                if base == "menu" else Style(text=p.background, background=p.text.mix(p.background, 0.15), radius=4.0)
        if base == "list_row":
            row_bg: Color | None = p.surface_alt if hovered else (p.selection if pressed else None)
            return Style(text=p.text, background=row_bg, foreground=p.muted_text)
        if base == "container":
            if variant == "box":
                return Style(text=p.text, background=p.surface, border=p.border, border_width=1.0, radius=8.0)
            if variant == "window":
                return Style(text=p.text, background=p.background)
            return Style(text=p.text)
        if base == "text":
            color = {"muted": p.muted_text, "accent": p.accent, "danger": p.danger, "success": p.success}
            return Style(text=color.get(variant, p.text))
        return Style(text=p.text, accent=p.accent, foreground=p.muted_text)


def _disabled(style: Style, p: Palette) -> Style:
    return replace(style, text=p.muted_text, background=p.surface_alt if style.background else None,
                   accent=p.border, border=p.border if style.border else None)
