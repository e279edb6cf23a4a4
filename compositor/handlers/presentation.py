"""wp_presentation: when a commit reached the screen, with real CLOCK_MONOTONIC timestamps."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pywayland.protocol.presentation_time import WpPresentation

from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..scene import Output
    from ..server import Compositor
    from ..surface import Surface


class PresentationHandler:
    def feedback(self, res: Resource, surface_res: Resource, new: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        new.impl = self
        surface.pending.add_feedback(new)


def make_sender(compositor: Compositor):  # type: ignore[no-untyped-def]
    def send(feedback: Resource, surface: Surface, output: Output | None, timestamp_ns: int, seq: int,
             flags: int) -> None:
        if not feedback.alive:
            return
        if output is None:
            feedback.post("discarded")
        else:
            for wl_output in compositor.output_resources(output, feedback.client):
                feedback.post("sync_output", wl_output)
            seconds, nanos = divmod(timestamp_ns, 1_000_000_000)
            feedback.post("presented", seconds >> 32, seconds & 0xFFFFFFFF, nanos,
                          int(1e9 / (output.refresh_mhz / 1000)), seq >> 32, seq & 0xFFFFFFFF, flags)
        feedback.destroy()

    return send


def register(compositor: Compositor) -> None:
    handler = PresentationHandler()

    def bind(res: Resource) -> None:
        res.impl = handler
        res.post("clock_id", time.CLOCK_MONOTONIC)

    compositor.display.add_global(WpPresentation, 1, bind)
