"""The small interface every backend implements (headless, x11; later nested Wayland and DRM/KMS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..geometry import Rect
    from ..scene import Output
    from ..server import Compositor


@dataclass(frozen=True)
class OutputSpec:
    width: int
    height: int
    refresh_hz: float = 60.0

    @classmethod
    def parse(cls, text: str) -> OutputSpec:
        """``WxH`` or ``WxH@HZ``, e.g. ``1280x800@60``."""
        size, _, rate = text.partition("@")
        try:
            width, height = (int(part) for part in size.lower().split("x"))
            refresh = float(rate) if rate else 60.0
        except ValueError:
            raise ValueError(f"invalid output {text!r}: expected WxH or WxH@HZ, e.g. 1280x800@60") from None
        if width <= 0 or height <= 0 or refresh <= 0:
            raise ValueError(f"invalid output {text!r}: sizes and rate must be positive")
        return cls(width, height, refresh)


class Backend(Protocol):
    name: str

    def start(self, compositor: Compositor) -> None:
        """Create the outputs (``compositor.add_output``) and start feeding input."""

    def present(self, output: Output, damage: list[Rect]) -> None:
        """Show the output's framebuffer; ``damage`` is what changed, in output coordinates."""

    def cursor_changed(self) -> None:
        """The pointer moved or its image changed."""

    def stop(self) -> None: ...
