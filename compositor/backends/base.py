"""The small interface every backend implements (headless, nested in Wayland or X11, DRM/KMS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..config import Config
    from ..geometry import Box
    from ..scene import Mode, Output
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

    def prepare(self, output: Output) -> None:
        """A repaint of ``output`` is about to start: make ``output.framebuffer`` the image to draw into, and
        add to ``output.damage`` what that image lacks (a backend that scans out several images in turn)."""

    def present(self, output: Output, damage: list[Box]) -> bool:
        """Show the output's framebuffer; ``damage`` is what changed, in output coordinates. True when the frame
        is shown later (a page flip) and the backend will call ``compositor.frames.presented`` then."""

    def cursor_changed(self) -> None:
        """The pointer moved or its image changed."""

    def set_mode(self, output: Output, mode: Mode) -> None:
        """Switch ``output`` to one of its modes; ValueError with the reason when it cannot."""

    def set_power(self, output: Output, on: bool) -> None:
        """Power the monitor of ``output`` down or up again (it shows black meanwhile); ValueError when it
        cannot."""
    def plug(self, spec: OutputSpec) -> Output:
        """Connect a new virtual monitor of that mode (hot-plug); ValueError where monitors are real."""

    def unplug(self, output: Output) -> None:
        """Disconnect a virtual monitor; ValueError where monitors are real."""

    def switch_vt(self, vt: int) -> bool:
        """Show virtual terminal ``vt`` (Ctrl+Alt+F``vt``); False where there are none (nested, headless)."""

    def config_changed(self, config: Config) -> None:
        """orrery.toml was saved: what the backend itself applies (input devices' settings) follows."""
    def toggle_grab(self) -> bool:
        """Nested in a desktop: take its pointer and keyboard shortcuts for Orrery, or give them back; False where
        there is nothing to grab."""

    def stop(self) -> None: ...
