"""The ``quit`` action: ask before ending the session.

A banner in the theme's colours in the middle of every output asks "Log out of Orrery?"; Return (or the ``quit``
binding pressed again) ends the session as ``exit`` does, Escape or :data:`TIMEOUT_S` seconds without an answer
keep it. While it shows, keys are the banner's (bindings still run) so that nothing typed reaches a window.
The compositor draws it itself, as it draws window frames: asking must work with no shell running.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import cairo
import gi

gi.require_version("Pango", "1.0")
gi.require_version("PangoCairo", "1.0")
from gi.repository import Pango, PangoCairo  # noqa: E402

from .geometry import Box  # noqa: E402
from .ssd import FramePiece  # noqa: E402

if TYPE_CHECKING:
    from .occlusion import Drawable
    from .server import Compositor

TIMEOUT_S = 10.0
WIDTH, HEIGHT = 420, 96
QUESTION = "Log out of Orrery?"
ANSWERS = "Return: log out      Escape: stay"
CONFIRM_KEYS = frozenset({"Return", "KP_Enter"})


class QuitPrompt:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self._pieces: list[tuple[Drawable, int, int]] = []
        self._timeout: asyncio.TimerHandle | None = None
        compositor.scene.overlay = self.pieces

    @property
    def shown(self) -> bool:
        return self._timeout is not None

    def pieces(self) -> list[tuple[Drawable, int, int]]:
        return self._pieces

    def ask(self) -> None:
        """The ``quit`` action: show the question, or, asked again while it shows, take that as the answer."""
        if self.shown:
            self.answer(True)
            return
        decorations = self.compositor.decorations
        style, scale = decorations.theme.decorations.active, decorations.image_scale()
        image = cairo.ImageSurface(cairo.FORMAT_ARGB32, WIDTH * scale, HEIGHT * scale)
        ctx = cairo.Context(image)
        ctx.scale(scale, scale)
        _draw(ctx, style.title_background.floats(), style.title_text.floats(), style.border.floats(),
              decorations.theme.fonts.ui.family, decorations.theme.fonts.ui.size)
        piece = FramePiece(image, None, scale)
        self._pieces = [(piece, output.x + (output.width - WIDTH) // 2, output.y + (output.height - HEIGHT) // 2)
                        for output in self.compositor.scene.outputs]
        self._damage()
        self._timeout = self.compositor.loop.call_later(TIMEOUT_S, self.answer, False)

    def key(self, keysym_name: str) -> None:
        """A key pressed while the question shows (every key is the banner's then)."""
        if keysym_name in CONFIRM_KEYS:
            self.answer(True)
        elif keysym_name == "Escape":
            self.answer(False)

    def answer(self, leave: bool) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self._damage()
        self._pieces = []
        if leave:
            self.compositor.exit_session()

    def _damage(self) -> None:
        for piece, x, y in self._pieces:
            self.compositor.scene.damage(Box(x, y, piece.width, piece.height))


def _draw(ctx: cairo.Context, background: tuple[float, ...], text: tuple[float, ...], border: tuple[float, ...],
          family: str, size: float) -> None:
    red, green, blue = background[:3]
    ctx.set_source_rgba(red, green, blue, 1.0)  # opaque, whatever alpha the title bars use: it must be readable
    ctx.rectangle(0, 0, WIDTH, HEIGHT)
    ctx.fill_preserve()
    ctx.set_source_rgba(*border)
    ctx.set_line_width(2)
    ctx.stroke()
    ctx.set_source_rgba(*text)
    for line, points, y in ((QUESTION, size * 1.5, 18), (ANSWERS, size, 58)):
        layout: Any = PangoCairo.create_layout(ctx)
        description = Pango.FontDescription.from_string(family)
        description.set_size(round(points * Pango.SCALE))
        if line is QUESTION:
            description.set_weight(Pango.Weight.BOLD)
        layout.set_font_description(description)
        layout.set_text(line, -1)
        width = layout.get_pixel_size()[0]
        ctx.move_to((WIDTH - width) / 2, y)
        PangoCairo.show_layout(ctx, layout)
