"""wl_shm buffers for our own pywayland clients (tests/tools, bench): pixels in a memfd shared with the compositor.

    buffer = shm_buffer(wl_shm, 64, 64, rgb_pixel((255, 0, 0)))    # one buffer, one colour
    pool = ShmPool(wl_shm, 3 * size, "frames")                       # several buffers in one pool, redrawn
    buffers = [pool.buffer(i * size, width, height, XRGB8888) for i in range(3)]
    pool.write(i * size, pixels)

Pixels are 4 bytes each, little-endian: B, G, R, A (premultiplied) or B, G, R, X.
"""

from __future__ import annotations

import mmap
import os
from typing import Any

ARGB8888, XRGB8888 = 0, 1  # wl_shm.format
PLAIN = b"\x40\x80\xc0\xff"  # one opaque pixel, rgb(192, 128, 64): for when any picture will do


def rgb_pixel(rgb: tuple[int, int, int], alpha: int = 0xFF) -> bytes:
    """One pixel's bytes (B, G, R, A) of the colour ``rgb`` (not premultiplied: give opaque colours)."""
    red, green, blue = rgb
    return bytes((blue, green, red, alpha))


def solid(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A ``width``×``height`` picture of one opaque colour."""
    return rgb_pixel(rgb) * (width * height)


class ShmPool:
    """``size`` bytes of a memfd, mapped here (``memory``) and shared with the compositor as one wl_shm_pool
    (``proxy``) of the connection ``shm`` (a bound wl_shm) belongs to. Its buffers show what is written here."""

    def __init__(self, shm: Any, size: int, name: str = "orrery-testing") -> None:
        self.size = size
        self.fd = os.memfd_create(name)  # close-on-exec
        os.ftruncate(self.fd, size)
        self.memory = mmap.mmap(self.fd, size)
        self.proxy = shm.create_pool(self.fd, size)  # libwayland sends a duplicate of the fd

    def buffer(self, offset: int, width: int, height: int, shm_format: int = ARGB8888,
               stride: int | None = None) -> Any:
        """A wl_buffer of the pool's bytes from ``offset`` (rows ``stride`` bytes apart, by default tight)."""
        return self.proxy.create_buffer(offset, width, height, width * 4 if stride is None else stride, shm_format)

    def write(self, offset: int, data: bytes) -> None:
        self.memory[offset:offset + len(data)] = data

    def close(self) -> None:
        """Unmap the memory and close the memfd here. The compositor keeps its own mapping as long as the pool or
        one of its buffers lives."""
        self.memory.close()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def shm_buffer(shm: Any, width: int, height: int, pattern: bytes = PLAIN, shm_format: int = ARGB8888,
               name: str = "orrery-testing") -> Any:
    """A wl_buffer of ``width``×``height`` in a pool of its own, ``pattern`` repeated to fill it (one pixel, one
    row or the whole picture). Written once: the memfd is closed here, the wl_shm_pool stays."""
    size = width * height * 4
    if not pattern or size % len(pattern):
        raise ValueError(f"{len(pattern)} bytes do not tile a {width}x{height} buffer")
    pool = ShmPool(shm, size, name)
    pool.write(0, pattern * (size // len(pattern)))
    buffer = pool.buffer(0, width, height, shm_format)
    pool.close()
    return buffer
