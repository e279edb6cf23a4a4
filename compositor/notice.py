"""Messages the compositor draws itself, in the theme's colours, where no client could: what a locked screen
shows once its locker is gone (the session stays locked, as ext-session-lock asks; the notice tells the user to
start a new locker from a text console, which then unlocks as usual), and the ``quit`` action's question.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import cairo

from .gi_modules import library
from .ssd import FramePiece

if TYPE_CHECKING:
    from themes.model import ThemeModel

MARGIN = 24


def locker_gone(socket_name: str) -> str:
    return ("The screen locker has stopped. The session stays locked.\n"
            "To unlock it, switch to a text console (Ctrl+Alt+F2), log in and run\n"
            f"    orrery msg --socket {socket_name} lock\n"
            "then come back here (Ctrl+Alt+F1 or your session's console) and unlock.")


def fill_rgb(theme: ThemeModel) -> tuple[float, float, float]:
    """The locked screen's colour: the theme's background, without any transparency."""
    r, g, b, _a = theme.tokens.background.floats()
    return r, g, b


def draw(theme: ThemeModel, text: str, width: int, scale: float) -> FramePiece:
    """``text`` on the theme's background, an opaque piece at most ``width`` logical pixels wide, drawn at
    ``ceil(scale)``."""
    pixels = max(1, math.ceil(scale))
    font = theme.fonts.ui
    measure = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, 1, 1))
    layout = _layout(measure, font.family, font.size, text, max(1, width - 2 * MARGIN))
    text_width, text_height = layout.get_pixel_size()
    box_width, box_height = min(width, text_width + 2 * MARGIN), text_height + 2 * MARGIN
    image = cairo.ImageSurface(cairo.FORMAT_RGB24, box_width * pixels, box_height * pixels)
    ctx = cairo.Context(image)
    ctx.scale(pixels, pixels)
    ctx.set_source_rgb(*fill_rgb(theme))
    ctx.paint()
    ctx.set_source_rgba(*theme.tokens.text.floats())
    ctx.move_to(MARGIN, MARGIN)
    layout = _layout(ctx, font.family, font.size, text, max(1, width - 2 * MARGIN))
    library("PangoCairo", "1.0").show_layout(ctx, layout)
    return FramePiece(image, None, pixels)


def _layout(ctx: cairo.Context, family: str, size: float, text: str, width: int) -> Any:
    Pango, PangoCairo = library("Pango", "1.0"), library("PangoCairo", "1.0")
    layout = PangoCairo.create_layout(ctx)
    description = Pango.FontDescription.from_string(family)
    description.set_size(round(size * 1.2 * Pango.SCALE))
    layout.set_font_description(description)
    layout.set_width(width * Pango.SCALE)
    layout.set_wrap(Pango.WrapMode.WORD_CHAR)
    layout.set_text(text, -1)
    return layout
