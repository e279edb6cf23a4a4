"""Headless backend: outputs that exist only in memory (tests, screenshots, benchmarks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..scene import Mode, Output
from .base import OutputSpec

if TYPE_CHECKING:
    from ..config import Config
    from ..geometry import Box
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
        for spec in self.specs:
            self.plug(spec)

    def plug(self, spec: OutputSpec) -> Output:
        """A new monitor, named after the highest number in use, right of every monitor switched on."""
        compositor = self._compositor
        assert compositor is not None
        known = [*compositor.scene.outputs, *compositor.disabled_outputs]
        numbers = [int(o.name.rpartition("-")[2]) for o in known if o.name.rpartition("-")[2].isdigit()]
        x = max((o.rect.right for o in compositor.scene.outputs), default=0)
        refresh = int(spec.refresh_hz * 1000)
        modes = [Mode(spec.width, spec.height, refresh, preferred=True)]
        modes += [Mode(w, h, 60000) for w, h in COMMON_MODES if (w, h, 60000) != (spec.width, spec.height, refresh)]
        return compositor.add_output(f"HEADLESS-{max(numbers, default=0) + 1}", x, 0, spec.width, spec.height,
                                     refresh, modes=modes)

    def unplug(self, output: Output) -> None:
        assert self._compositor is not None
        self._compositor.remove_output(output)

    def prepare(self, output: Output) -> None:
        pass  # one framebuffer, drawn in place

    def present(self, output: Output, damage: list[Box]) -> bool:
        return False  # the framebuffer is the picture

    def cursor_changed(self) -> None:
        pass

    def set_mode(self, output: Output, mode: Mode) -> None:
        assert self._compositor is not None
        self._compositor.set_output_mode(output, mode.width, mode.height, refresh_mhz=mode.refresh_mhz)

    def set_power(self, output: Output, on: bool) -> None:
        pass  # an output switched off shows black (the renderer's part): nothing more to do here
    def toggle_grab(self) -> bool:
        return False  # nothing around Orrery to take input from

    def switch_vt(self, vt: int) -> bool:
        return False

    def config_changed(self, config: Config) -> None:
        pass

    def stop(self) -> None:
        pass
