"""Headless backend: outputs that exist only in memory (tests, screenshots, benchmarks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import OutputSpec

if TYPE_CHECKING:
    from ..geometry import Rect
    from ..scene import Output
    from ..server import Compositor


class HeadlessBackend:
    name = "headless"

    def __init__(self, outputs: list[OutputSpec]) -> None:
        self.specs = outputs or [OutputSpec(1280, 800, 60.0)]

    def start(self, compositor: Compositor) -> None:
        x = 0
        for index, spec in enumerate(self.specs, start=1):
            compositor.add_output(f"HEADLESS-{index}", x, 0, spec.width, spec.height,
                                  int(spec.refresh_hz * 1000))
            x += spec.width

    def present(self, output: Output, damage: list[Rect]) -> None:
        pass  # the framebuffer is the picture

    def cursor_changed(self) -> None:
        pass

    def stop(self) -> None:
        pass
