"""Headless backend: outputs that exist only in memory (tests, screenshots, benchmarks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..scene import Mode
from .base import OutputSpec

if TYPE_CHECKING:
    from ..geometry import Box
    from ..scene import Output
    from ..server import Compositor

# Besides the mode it was started with, a virtual monitor offers these, as QEMU's virtual GPUs do.
COMMON_MODES = ((1920, 1080), (1600, 900), (1280, 1024), (1280, 800), (1280, 720), (1024, 768), (800, 600))


class HeadlessBackend:
    name = "headless"

    def __init__(self, outputs: list[OutputSpec]) -> None:
        self.specs = outputs or [OutputSpec(1280, 800, 60.0)]
        self._compositor: Compositor | None = None

    def start(self, compositor: Compositor) -> None:
        self._compositor = compositor
        x = 0
        for index, spec in enumerate(self.specs, start=1):
            refresh = int(spec.refresh_hz * 1000)
            modes = [Mode(spec.width, spec.height, refresh, preferred=True)]
            modes += [Mode(w, h, 60000) for w, h in COMMON_MODES if (w, h, 60000) != (spec.width, spec.height, refresh)]
            compositor.add_output(f"HEADLESS-{index}", x, 0, spec.width, spec.height, refresh, modes=modes)
            x += spec.width

    def prepare(self, output: Output) -> None:
        pass  # one framebuffer, drawn in place

    def present(self, output: Output, damage: list[Box]) -> bool:
        return False  # the framebuffer is the picture

    def cursor_changed(self) -> None:
        pass

    def set_mode(self, output: Output, mode: Mode) -> None:
        assert self._compositor is not None
        self._compositor.set_output_mode(output, mode.width, mode.height, refresh_mhz=mode.refresh_mhz)

    def toggle_grab(self) -> bool:
        return False  # nothing around Orrery to take input from

    def switch_vt(self, vt: int) -> bool:
        return False

    def stop(self) -> None:
        pass
