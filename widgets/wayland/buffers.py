"""Double-buffered wl_shm buffers backed by memfd, each wrapped in a Cairo image surface."""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from typing import Any

import cairo
from pywayland.protocol.wayland import WlShm


class ShmBuffer:
    def __init__(self, shm: Any, width: int, height: int, released: Callable[[], None] | None = None,
                 opaque: bool = False) -> None:
        """``opaque``: xrgb8888 pixels (Cairo's RGB24): the compositor ignores the padding byte."""
        self.width, self.height = width, height
        pixel_format = cairo.FORMAT_RGB24 if opaque else cairo.FORMAT_ARGB32
        self.stride = cairo.ImageSurface.format_stride_for_width(pixel_format, width)
        size = self.stride * height
        self.fd = os.memfd_create("orrery-widgets", os.MFD_CLOEXEC)
        os.ftruncate(self.fd, size)
        self.data = mmap.mmap(self.fd, size)
        pool = shm.create_pool(self.fd, size)
        shm_format = WlShm.format.xrgb8888 if opaque else WlShm.format.argb8888
        self.buffer = pool.create_buffer(0, width, height, self.stride, shm_format.value)
        pool.destroy()
        self.surface = cairo.ImageSurface.create_for_data(memoryview(self.data), pixel_format, width, height,
                                                          self.stride)
        self.busy = False
        self.released = released
        self.buffer.dispatcher["release"] = self._released

    def _released(self, _buffer: Any) -> None:
        self.busy = False
        if self.released is not None:
            self.released()

    def destroy(self) -> None:
        self.buffer.destroy()
        self.surface.finish()
        self.data.close()
        os.close(self.fd)


class SwapChain:
    """Two buffers; the app draws into a canvas and the damaged part is copied into a free buffer.
    ``released()`` runs when the compositor gives one back (a frame that found both busy can be drawn then)."""

    def __init__(self, shm: Any, released: Callable[[], None] | None = None) -> None:
        self.shm, self.released = shm, released
        self.buffers: list[ShmBuffer] = []

    def acquire(self, width: int, height: int) -> ShmBuffer | None:
        if self.buffers and (self.buffers[0].width, self.buffers[0].height) != (width, height):
            self.destroy()
        while len(self.buffers) < 2:
            self.buffers.append(ShmBuffer(self.shm, width, height, self.released))
        return next((b for b in self.buffers if not b.busy), None)

    def trim(self) -> None:
        """Free the buffers the compositor is not holding (the next :meth:`acquire` makes them again)."""
        for buffer in [b for b in self.buffers if not b.busy]:
            buffer.destroy()
            self.buffers.remove(buffer)

    def destroy(self) -> None:
        for buffer in self.buffers:
            buffer.destroy()
        self.buffers = []
