"""Empty space: ``Space(width=Fill)`` pushes siblings apart; ``horizontal_space()`` / ``vertical_space()``.

    row([text("left"), horizontal_space(), text("right")])
"""

from __future__ import annotations

from typing import Any

from ..core.element import Widget
from ..core.layout import Fill, LengthLike, Shrink, length


class Space(Widget[Any]):
    def __init__(self, width: LengthLike = Shrink, height: LengthLike = Shrink) -> None:
        self._width, self._height = length(width), length(height)


def horizontal_space() -> Space:
    return Space(Fill, Shrink)


def vertical_space() -> Space:
    return Space(Shrink, Fill)
