"""What a surface shows: a client's wl_shm buffer read in place, or our own copy of one.

Like weston's pixman renderer, we composite straight from the client's shared memory and hold the
buffer until a newer commit replaces it; only then does the client get ``wl_buffer.release`` and may
draw into it again. Copying every commit would read each pixel twice (a third of the compositor's CPU
under load, see docs/performance.md). If a client destroys a buffer we still show, we copy it at that
moment, as the protocol asks the content to stay until the next commit.

    content = ClientShmBuffer.of(buffer_resource, surface_resource)  # checked once per wl_buffer
    content.hold(surface)                        # shown by this surface now
    with content as image:                       # a cairo.ImageSurface, valid inside the block only
        ctx.set_source_surface(image); ctx.paint()
    content.unhold(surface)                      # replaced: returns it for wl_buffer.release if unused
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import cairo
from pywayland.protocol.wayland import WlSurface

from .wl.native import NULL, ffi, lib
from .wl.resource import ClientLimit, ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from .surface import Surface

log = logging.getLogger(__name__)

SHM_ARGB8888, SHM_XRGB8888 = 0, 1
MAX_SIDE = 32767  # cairo's (and pixman's) largest image: a wider or taller buffer cannot be drawn
CAIRO_FORMATS = {SHM_ARGB8888: cairo.FORMAT_ARGB32, SHM_XRGB8888: cairo.FORMAT_RGB24}


class OwnedPixels:
    """Pixels that belong to us (a buffer's last content, copied when its client destroyed it)."""

    def __init__(self, image: cairo.ImageSurface) -> None:
        self.image = image
        self.width, self.height = image.get_width(), image.get_height()
        self.format = image.get_format()

    def hold(self, surface: Surface) -> None:
        """Nothing to release later: the pixels are ours."""

    def unhold(self, surface: Surface) -> None:
        """Nothing to release: the pixels are ours."""
        return None

    def __enter__(self) -> cairo.ImageSurface:
        return self.image

    def __exit__(self, *_exc: object) -> None:
        pass

    def snapshot(self) -> cairo.ImageSurface:
        return self.image


class ClientShmBuffer:
    """One client wl_shm buffer, checked once and read in place whenever a surface showing it is drawn."""

    def __init__(self, buffer: ForeignResource, shm: Any, width: int, height: int, stride: int,
                 cairo_format: cairo.Format) -> None:
        self.buffer = buffer
        self._shm = shm
        self.width, self.height, self.stride, self.format = width, height, stride, cairo_format
        self.holders: list[Surface] = []
        self._image: cairo.ImageSurface | None = None
        self._image_address = 0
        buffer.destroy_listeners.append(self._destroyed)

    @classmethod
    def of(cls, buffer: ForeignResource, surface: Resource) -> ClientShmBuffer:
        """The buffer's pixels, checked the first time it is attached; a protocol error on ``surface``
        if it is not an shm buffer we can draw."""
        if isinstance(buffer.user_data, ClientShmBuffer):
            return buffer.user_data
        shm = lib.wl_shm_buffer_get(buffer.ptr)
        if shm == NULL:
            raise ProtocolError(0, "only wl_shm buffers are supported", surface)
        width, height = int(lib.wl_shm_buffer_get_width(shm)), int(lib.wl_shm_buffer_get_height(shm))
        stride, fmt = int(lib.wl_shm_buffer_get_stride(shm)), int(lib.wl_shm_buffer_get_format(shm))
        cairo_format = CAIRO_FORMATS.get(fmt)
        if cairo_format is None:
            raise ProtocolError(0, f"unsupported shm format {fmt:#x}", surface)
        if stride % 4 or stride < width * 4:
            raise ProtocolError(0, f"stride {stride} does not fit width {width}", surface)
        if width > MAX_SIDE or height > MAX_SIDE:
            raise ClientLimit(f"buffer {width}x{height} is larger than {MAX_SIDE} pixels wide or tall "
                              "(the cap on buffer size)")
        content = buffer.user_data = cls(buffer, shm, width, height, stride, cairo_format)
        return content

    def check_scale(self, scale: int, surface: Resource) -> None:
        if self.width % scale or self.height % scale:
            raise ProtocolError(WlSurface.error.invalid_size,
                                f"buffer {self.width}x{self.height} is not a multiple of scale {scale}", surface)

    def hold(self, surface: Surface) -> None:
        self.holders.append(surface)

    def unhold(self, surface: Surface) -> ClientShmBuffer | None:
        """This surface no longer shows the buffer; returns it if nobody does (it is to be released)."""
        self.holders.remove(surface)
        return None if self.holders else self

    def release_if_unused(self) -> None:
        """wl_buffer.release, unless a surface took the buffer up again meanwhile."""
        if not self.holders:
            self.buffer.post_opcode(0)

    # `with content as image:` (a class, not @contextmanager: it runs for every surface in every frame)
    def __enter__(self) -> cairo.ImageSurface:
        # Between begin and end access libwayland guards the mapping: if the client truncated its pool,
        # reads see zeros instead of killing us, and the client gets an error afterwards.
        lib.wl_shm_buffer_begin_access(self._shm)
        try:
            data = lib.wl_shm_buffer_get_data(self._shm)
            address = int(ffi.cast("uintptr_t", data))
            if self._image is None or address != self._image_address:  # new, or its pool was remapped
                memory = ffi.buffer(data, self.stride * self.height)
                self._image = cairo.ImageSurface.create_for_data(memory, self.format, self.width, self.height,
                                                                 self.stride)
                self._image_address = address
            else:
                self._image.mark_dirty()  # the client drew into it since: forget anything cairo derived
        except BaseException:
            lib.wl_shm_buffer_end_access(self._shm)  # `with` calls __exit__ only after a successful __enter__
            raise
        return self._image

    def __exit__(self, *_exc: object) -> None:
        lib.wl_shm_buffer_end_access(self._shm)

    def snapshot(self) -> cairo.ImageSurface:
        """A copy of the pixels as they are now, ours to keep."""
        return self.copy().image

    def copy(self) -> OwnedPixels:
        image = cairo.ImageSurface(self.format, self.width, self.height)
        with self as source:
            ctx = cairo.Context(image)
            ctx.set_operator(cairo.OPERATOR_SOURCE)
            ctx.set_source_surface(source, 0, 0)
            ctx.paint()
        image.flush()
        return OwnedPixels(image)

    def _destroyed(self) -> None:
        # libwayland tells us before it unmaps the pool, so the pixels can still be copied.
        if self.holders:
            owned: OwnedPixels | None
            try:
                owned = self.copy()
            except (MemoryError, cairo.Error):  # (cairo.MemoryError is both) shown no more, rather than freed
                log.exception("copying a destroyed %dx%d buffer failed", self.width, self.height)
                owned = None
            for surface in list(self.holders):
                surface.content_replaced(self, owned)
        self.holders.clear()
        self._image = None


Content = ClientShmBuffer | OwnedPixels
