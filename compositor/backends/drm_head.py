"""What the DRM backend keeps per monitor: a connector driven by a CRTC, its dumb buffers shown in turn and
what each of them lacks (buffer age), its flips and its cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cairo

from ..device import libdrm
from ..device.libdrm import Card, DrmError, DumbBuffer
from ..geometry import Box
from .buffer_ages import BufferAges

if TYPE_CHECKING:
    from ..scene import Output

BUFFERS = 2


class Head:
    """One connector driven by one CRTC: its buffers, flips and cursor."""

    def __init__(self, card: Card, connector: libdrm.Connector, crtc: int, mode: libdrm.ModeInfo) -> None:
        self.card, self.connector, self.crtc, self.mode = card, connector, crtc, mode
        self.output: Output | None = None
        self.scanouts: list[DumbBuffer] = []
        self.ages = BufferAges(0, Box(0, 0, 0, 0))
        self.back = 0  # the buffer the next frame is drawn into
        self.frame_damage: list[Box] = []
        self.flip_pending = False
        self.cursor: DumbBuffer | None = None
        self.cursor_key: object = None
        self.cursor_hotspot = (0, 0)
        self.software_cursor: Box | None = None  # where the pointer was drawn into the last frame

    def allocate(self, mode: libdrm.ModeInfo) -> list[DumbBuffer]:
        buffers: list[DumbBuffer] = []
        try:
            for _ in range(BUFFERS):
                buffers.append(DumbBuffer(self.card, mode.width, mode.height))
        except DrmError:
            self.release(buffers)
            raise
        return buffers

    def show(self, buffers: list[DumbBuffer], mode: libdrm.ModeInfo) -> None:
        """Mode set with the first buffer cleared to black (the first frame follows at once)."""
        first = buffers[0].image
        ctx = cairo.Context(first)
        ctx.set_source_rgb(0, 0, 0)
        ctx.paint()
        first.flush()
        self.card.set_crtc(self.crtc, buffers[0].fb, self.connector.id, mode)

    def use(self, buffers: list[DumbBuffer], mode: libdrm.ModeInfo, everything: Box) -> None:
        self.scanouts, self.mode, self.back = buffers, mode, 1  # buffer 0 is shown: draw into the next
        self.ages = BufferAges(len(buffers), everything)

    @staticmethod
    def release(buffers: list[DumbBuffer]) -> None:
        for buffer in buffers:
            buffer.destroy()
