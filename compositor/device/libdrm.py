"""Kernel mode setting through libdrm (cffi, ABI mode): connectors and their modes, CRTCs, dumb buffers that
Cairo draws into directly, page flips with their completion events, and the legacy cursor.

Struct layouts are libdrm 2.4's ``xf86drmMode.h`` on a 64-bit Linux (checked with ``offsetof``); enums are
declared as ``int``. Dumb buffers are XRGB8888, which is Cairo's ``FORMAT_RGB24`` on little-endian machines,
so a frame is drawn straight into the memory the display scans out.
"""

from __future__ import annotations

import errno
import functools
import mmap
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cairo

from .. import preparsed

CDEF = r"""
typedef struct { int count_fbs; uint32_t *fbs; int count_crtcs; uint32_t *crtcs;
    int count_connectors; uint32_t *connectors; int count_encoders; uint32_t *encoders;
    uint32_t min_width, max_width, min_height, max_height; } drmModeRes;
typedef struct { uint32_t clock; uint16_t hdisplay, hsync_start, hsync_end, htotal, hskew;
    uint16_t vdisplay, vsync_start, vsync_end, vtotal, vscan; uint32_t vrefresh, flags, type;
    char name[32]; } drmModeModeInfo;
typedef struct { uint32_t connector_id, encoder_id, connector_type, connector_type_id; int connection;
    uint32_t mmWidth, mmHeight; int subpixel; int count_modes; drmModeModeInfo *modes;
    int count_props; uint32_t *props; uint64_t *prop_values; int count_encoders; uint32_t *encoders;
} drmModeConnector;
typedef struct { uint32_t encoder_id, encoder_type, crtc_id, possible_crtcs, possible_clones; } drmModeEncoder;
typedef struct { uint32_t crtc_id, buffer_id, x, y, width, height; int mode_valid; drmModeModeInfo mode;
    int gamma_size; } drmModeCrtc;
typedef struct { uint32_t count_props; uint32_t *props; uint64_t *prop_values; } drmModeObjectProperties;
typedef struct { uint32_t prop_id; uint32_t flags; char name[32]; int count_values; uint64_t *values;
    int count_enums; void *enums; int count_blobs; uint32_t *blob_ids; } drmModePropertyRes;
typedef struct { uint32_t id; uint32_t length; void *data; } drmModePropertyBlobRes;
typedef void (*drm_vblank_fn)(int fd, unsigned int sequence, unsigned int tv_sec, unsigned int tv_usec, void *data);
typedef struct { int version; drm_vblank_fn vblank_handler; drm_vblank_fn page_flip_handler;
    void *page_flip_handler2; void *sequence_handler; } drmEventContext;
struct drm_mode_create_dumb { uint32_t height, width, bpp, flags, handle, pitch; uint64_t size; };
struct drm_mode_map_dumb { uint32_t handle, pad; uint64_t offset; };
struct drm_mode_destroy_dumb { uint32_t handle; };

int drmIoctl(int fd, unsigned long request, void *arg);
int drmGetCap(int fd, uint64_t capability, uint64_t *value);
int drmIsMaster(int fd);
drmModeRes *drmModeGetResources(int fd);
void drmModeFreeResources(drmModeRes *ptr);
drmModeConnector *drmModeGetConnector(int fd, uint32_t connector_id);
void drmModeFreeConnector(drmModeConnector *ptr);
drmModeEncoder *drmModeGetEncoder(int fd, uint32_t encoder_id);
void drmModeFreeEncoder(drmModeEncoder *ptr);
drmModeCrtc *drmModeGetCrtc(int fd, uint32_t crtc_id);
void drmModeFreeCrtc(drmModeCrtc *ptr);
drmModeObjectProperties *drmModeObjectGetProperties(int fd, uint32_t object_id, uint32_t object_type);
void drmModeFreeObjectProperties(drmModeObjectProperties *ptr);
drmModePropertyRes *drmModeGetProperty(int fd, uint32_t property_id);
void drmModeFreeProperty(drmModePropertyRes *ptr);
drmModePropertyBlobRes *drmModeGetPropertyBlob(int fd, uint32_t blob_id);
void drmModeFreePropertyBlob(drmModePropertyBlobRes *ptr);
int drmModeAddFB(int fd, uint32_t width, uint32_t height, uint8_t depth, uint8_t bpp, uint32_t pitch,
                 uint32_t bo_handle, uint32_t *buf_id);
int drmModeRmFB(int fd, uint32_t buffer_id);
int drmModeSetCrtc(int fd, uint32_t crtc_id, uint32_t buffer_id, uint32_t x, uint32_t y, uint32_t *connectors,
                   int count, drmModeModeInfo *mode);
int drmModePageFlip(int fd, uint32_t crtc_id, uint32_t fb_id, uint32_t flags, void *user_data);
int drmHandleEvent(int fd, drmEventContext *evctx);
int drmModeSetCursor2(int fd, uint32_t crtc_id, uint32_t bo_handle, uint32_t width, uint32_t height,
                      int32_t hot_x, int32_t hot_y);
int drmModeMoveCursor(int fd, uint32_t crtc_id, int x, int y);
"""
PREPARSED = "compositor.device.libdrm_ffi"
ffi = preparsed.ffi(PREPARSED, CDEF)

CONNECTED = 1
MODE_TYPE_PREFERRED = 1 << 3
MODE_FLAG_INTERLACE, MODE_FLAG_DBLSCAN = 1 << 4, 1 << 5
PAGE_FLIP_EVENT = 0x01
OBJECT_CONNECTOR = 0xC0C0C0C0
CAP_DUMB_BUFFER, CAP_TIMESTAMP_MONOTONIC, CAP_CURSOR_WIDTH, CAP_CURSOR_HEIGHT = 0x1, 0x6, 0x8, 0x9
# The kernel's connector type names (drm_connector.c), so outputs are named as in /sys/class/drm: "HDMI-A-1"
CONNECTOR_TYPES = ("Unknown", "VGA", "DVI-I", "DVI-D", "DVI-A", "Composite", "SVIDEO", "LVDS", "Component", "DIN",
                   "DP", "HDMI-A", "HDMI-B", "TV", "eDP", "Virtual", "DSI", "DPI", "Writeback", "SPI", "USB")


def _iowr(number: int, ctype: str) -> int:
    return (3 << 30) | (ffi.sizeof(ctype) << 16) | (ord("d") << 8) | number


IOCTL_CREATE_DUMB = _iowr(0xB2, "struct drm_mode_create_dumb")
IOCTL_MAP_DUMB = _iowr(0xB3, "struct drm_mode_map_dumb")
IOCTL_DESTROY_DUMB = _iowr(0xB4, "struct drm_mode_destroy_dumb")


@functools.cache
def library() -> Any:
    """libdrm, loaded once (a handle on a shared library, not state)."""
    try:
        return ffi.dlopen("libdrm.so.2")
    except OSError as error:
        raise DrmError(f"cannot load libdrm ({error}): install the Debian package libdrm2") from None


class DrmError(RuntimeError):
    """A KMS call failed; the message names the device and the call."""


@dataclass(frozen=True)
class ModeInfo:
    """A mode a connector offers, as KMS describes it (the scene keeps its own :class:`~compositor.scene.Mode`)."""

    width: int
    height: int
    refresh_mhz: int
    preferred: bool
    info: bytes  # the drmModeModeInfo, handed back to drmModeSetCrtc as is

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.refresh_mhz / 1000:.3f}"


@dataclass(frozen=True)
class Connector:
    id: int
    name: str
    connected: bool
    modes: tuple[ModeInfo, ...]
    mm_width: int
    mm_height: int
    edid: bytes | None
    crtc: int  # the CRTC driving it now (0: none)
    possible_crtcs: tuple[int, ...]

    @property
    def preferred(self) -> ModeInfo | None:
        return next((m for m in self.modes if m.preferred), self.modes[0] if self.modes else None)


def refresh_mhz(info: Any) -> int:
    """A mode's exact refresh rate in mHz from its timings (``vrefresh`` is rounded to whole hertz)."""
    total = info.htotal * info.vtotal
    if not total:
        return info.vrefresh * 1000
    rate = (info.clock * 1_000_000 + total // 2) // total
    if info.flags & MODE_FLAG_INTERLACE:
        rate *= 2
    if info.flags & MODE_FLAG_DBLSCAN:
        rate //= 2
    if info.vscan > 1:
        rate //= info.vscan
    return int(rate)


class Card:
    """An open KMS device (the fd comes from the seat, which makes us DRM master while the session is active)."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd, self.path = fd, path
        self.lib = library()
        self._flip_handler: Any = None
        self._event_context: Any = None
        resources = self.lib.drmModeGetResources(fd)
        if resources == ffi.NULL:
            raise DrmError(f"{path} is not a display device with mode setting (drmModeGetResources failed)")
        try:
            self.crtcs = tuple(resources.crtcs[i] for i in range(resources.count_crtcs))
            self.max_size = (resources.max_width, resources.max_height)
        finally:
            self.lib.drmModeFreeResources(resources)
        if not self.cap(CAP_DUMB_BUFFER):
            raise DrmError(f"{path} has no dumb buffers to draw into")

    def fail(self, call: str) -> DrmError:
        code = ffi.errno
        return DrmError(f"{self.path}: {call} failed: {os.strerror(code) if code else 'error'}")

    def cap(self, capability: int) -> int:
        value = ffi.new("uint64_t *")
        return int(value[0]) if self.lib.drmGetCap(self.fd, capability, value) == 0 else 0

    def connectors(self) -> list[Connector]:
        resources = self.lib.drmModeGetResources(self.fd)
        if resources == ffi.NULL:
            raise self.fail("drmModeGetResources")
        try:
            ids = [resources.connectors[i] for i in range(resources.count_connectors)]
        finally:
            self.lib.drmModeFreeResources(resources)
        found = []
        for connector_id in ids:
            connector = self._connector(connector_id)
            if connector is not None:
                found.append(connector)
        return found

    def _connector(self, connector_id: int) -> Connector | None:
        raw = self.lib.drmModeGetConnector(self.fd, connector_id)
        if raw == ffi.NULL:
            return None
        try:
            kind = raw.connector_type
            name = f"{CONNECTOR_TYPES[kind] if kind < len(CONNECTOR_TYPES) else 'Unknown'}-{raw.connector_type_id}"
            modes = tuple(ModeInfo(m.hdisplay, m.vdisplay, refresh_mhz(m), bool(m.type & MODE_TYPE_PREFERRED),
                                   bytes(ffi.buffer(ffi.addressof(m), ffi.sizeof("drmModeModeInfo"))))
                          for m in (raw.modes[i] for i in range(raw.count_modes)))
            encoders = [raw.encoders[i] for i in range(raw.count_encoders)]
            current = self._encoder_crtc(raw.encoder_id)[0] if raw.encoder_id else 0
            possible: list[int] = []
            for encoder_id in encoders:
                for crtc in self._encoder_crtc(encoder_id)[1]:
                    if crtc not in possible:
                        possible.append(crtc)
            return Connector(connector_id, name, raw.connection == CONNECTED, modes, raw.mmWidth, raw.mmHeight,
                             self._blob_property(connector_id, b"EDID"), current, tuple(possible))
        finally:
            self.lib.drmModeFreeConnector(raw)

    def _encoder_crtc(self, encoder_id: int) -> tuple[int, list[int]]:
        """The encoder's current CRTC and the CRTCs it can drive."""
        encoder = self.lib.drmModeGetEncoder(self.fd, encoder_id)
        if encoder == ffi.NULL:
            return 0, []
        try:
            return encoder.crtc_id, [c for i, c in enumerate(self.crtcs) if encoder.possible_crtcs & (1 << i)]
        finally:
            self.lib.drmModeFreeEncoder(encoder)

    def _blob_property(self, object_id: int, name: bytes) -> bytes | None:
        props = self.lib.drmModeObjectGetProperties(self.fd, object_id, OBJECT_CONNECTOR)
        if props == ffi.NULL:
            return None
        try:
            for i in range(props.count_props):
                prop = self.lib.drmModeGetProperty(self.fd, props.props[i])
                if prop == ffi.NULL:
                    continue
                try:
                    if ffi.string(prop.name) != name:
                        continue
                finally:
                    self.lib.drmModeFreeProperty(prop)
                blob = self.lib.drmModeGetPropertyBlob(self.fd, props.prop_values[i])
                if blob == ffi.NULL:
                    return None
                try:
                    return bytes(ffi.buffer(blob.data, blob.length))
                finally:
                    self.lib.drmModeFreePropertyBlob(blob)
        finally:
            self.lib.drmModeFreeObjectProperties(props)
        return None

    # -- scanout --------------------------------------------------------------------------------------------
    def set_crtc(self, crtc: int, fb: int, connector: int, mode: ModeInfo) -> None:
        info = ffi.new("drmModeModeInfo *")
        ffi.memmove(info, mode.info, len(mode.info))
        connectors = ffi.new("uint32_t[1]", [connector])
        if self.lib.drmModeSetCrtc(self.fd, crtc, fb, 0, 0, connectors, 1, info) != 0:
            raise self.fail(f"setting mode {mode} on CRTC {crtc}")

    def disable_crtc(self, crtc: int) -> None:
        self.lib.drmModeSetCrtc(self.fd, crtc, 0, 0, 0, ffi.NULL, 0, ffi.NULL)

    def page_flip(self, crtc: int, fb: int) -> None:
        """Show ``fb`` at the next vblank; its completion comes through :meth:`dispatch`."""
        if self.lib.drmModePageFlip(self.fd, crtc, fb, PAGE_FLIP_EVENT, ffi.cast("void *", crtc)) != 0:
            raise self.fail(f"page flip on CRTC {crtc}")

    def on_flip(self, handler: Callable[[int, int, int], None]) -> None:
        """``handler(crtc, sequence, timestamp_ns)`` for every completed page flip read by :meth:`dispatch`."""
        def flipped(_fd: int, sequence: int, seconds: int, micros: int, data: Any) -> None:
            handler(int(ffi.cast("uintptr_t", data)), sequence, seconds * 1_000_000_000 + micros * 1000)

        self._flip_handler = ffi.callback("drm_vblank_fn", flipped)
        context = ffi.new("drmEventContext *")
        context.version = 2
        context.page_flip_handler = self._flip_handler
        self._event_context = context

    def dispatch(self) -> None:
        """Read the events waiting on the fd (call when it is readable)."""
        if (self._event_context is not None and self.lib.drmHandleEvent(self.fd, self._event_context) != 0
                and ffi.errno not in (errno.EAGAIN, errno.EINTR)):
            raise self.fail("reading DRM events")

    # -- cursor ---------------------------------------------------------------------------------------------
    def cursor_size(self) -> tuple[int, int]:
        return self.cap(CAP_CURSOR_WIDTH) or 64, self.cap(CAP_CURSOR_HEIGHT) or 64

    def set_cursor(self, crtc: int, buffer: DumbBuffer | None, hotspot: tuple[int, int] = (0, 0)) -> bool:
        """Show ``buffer`` (ARGB) as the CRTC's cursor, or hide it; False when the device has no cursor plane."""
        if buffer is None:
            return self.lib.drmModeSetCursor2(self.fd, crtc, 0, 0, 0, 0, 0) == 0
        return self.lib.drmModeSetCursor2(self.fd, crtc, buffer.handle, buffer.width, buffer.height,
                                          hotspot[0], hotspot[1]) == 0

    def move_cursor(self, crtc: int, x: int, y: int) -> bool:
        return self.lib.drmModeMoveCursor(self.fd, crtc, x, y) == 0


class DumbBuffer:
    """A CPU-drawn buffer the display can scan out: created by the kernel, mapped here, drawn by Cairo."""

    def __init__(self, card: Card, width: int, height: int, alpha: bool = False) -> None:
        self.card, self.width, self.height = card, width, height
        lib, fd = card.lib, card.fd
        create = ffi.new("struct drm_mode_create_dumb *", {"width": width, "height": height, "bpp": 32})
        if lib.drmIoctl(fd, IOCTL_CREATE_DUMB, create) != 0:
            raise card.fail(f"creating a {width}x{height} buffer")
        self.handle, self.pitch, self.size = create.handle, create.pitch, create.size
        self.fb = 0
        self.map: mmap.mmap | None = None
        try:
            if not alpha:  # cursors are not framebuffers of their own; legacy SetCursor takes the handle
                fb = ffi.new("uint32_t *")
                if lib.drmModeAddFB(fd, width, height, 24, 32, self.pitch, self.handle, fb) != 0:
                    raise card.fail(f"adding a {width}x{height} framebuffer")
                self.fb = fb[0]
            request = ffi.new("struct drm_mode_map_dumb *", {"handle": self.handle})
            if lib.drmIoctl(fd, IOCTL_MAP_DUMB, request) != 0:
                raise card.fail("mapping a buffer")
            self.map = mmap.mmap(fd, self.size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE,
                                 offset=request.offset)
        except BaseException:
            self.destroy()
            raise
        self._format = cairo.FORMAT_ARGB32 if alpha else cairo.FORMAT_RGB24
        self.image = self._wrap()

    def _wrap(self) -> cairo.ImageSurface:
        assert self.map is not None
        return cairo.ImageSurface.create_for_data(memoryview(self.map), self._format, self.width, self.height,
                                                  self.pitch)

    def renew_image(self) -> None:
        """A new Cairo surface over the same memory: Cairo keeps an error of a surface for good (a drawing that
        failed), and the memory is fine."""
        self.image.finish()
        self.image = self._wrap()

    def destroy(self) -> None:
        image = getattr(self, "image", None)
        if image is not None:
            image.finish()  # drops Cairo's export of the mapping before it is closed
            del self.image
        if self.map is not None:
            try:
                self.map.close()
            except BufferError:  # a Cairo surface still exports it: unmapped when that is collected
                pass
            self.map = None
        lib, fd = self.card.lib, self.card.fd
        if self.fb:
            lib.drmModeRmFB(fd, self.fb)
            self.fb = 0
        if self.handle:
            lib.drmIoctl(fd, IOCTL_DESTROY_DUMB, ffi.new("struct drm_mode_destroy_dumb *", {"handle": self.handle}))
            self.handle = 0
