"""The ``quit`` action: ask before ending the session.

A banner in the theme's colours in the middle of every output asks "Log out of Orrery?"; Return (or the ``quit``
binding pressed again) ends the session as ``exit`` does, Escape or :data:`TIMEOUT_S` seconds without an answer
keep it. While it shows, keys are the banner's (bindings still run) so that nothing typed reaches a window.
The compositor draws it itself, as it draws window frames: asking must work with no shell running.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from . import notice
from .geometry import Box

if TYPE_CHECKING:
    from .occlusion import Drawable
    from .server import Compositor

TIMEOUT_S = 10.0
WIDTH = 480  # logical pixels, at most
QUESTION = "Log out of Orrery?\n\nReturn: log out        Escape: stay"
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
        decorations, outputs = self.compositor.decorations, self.compositor.scene.outputs
        scale = max((output.scale for output in outputs), default=1.0)
        piece = notice.draw(decorations.theme, QUESTION, WIDTH, scale)
        self._pieces = [(piece, output.x + (output.width - piece.width) // 2,
                         output.y + (output.height - piece.height) // 2) for output in outputs]
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

