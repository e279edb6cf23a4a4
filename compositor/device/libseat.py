"""The seat through libseat (cffi, ABI mode): seatd, logind or libseat's own choice (``LIBSEAT_BACKEND``).

The seat hands out device fds (GPU, input) so the compositor never opens them by path or runs as root, and
switches virtual terminals: when the user switches away, ``disable_seat`` arrives, the session stops using
its devices and acknowledges; when the user comes back, ``enable_seat`` arrives. If the compositor dies, the
seat manager gives the VT back to the text console.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from .. import preparsed

CDEF = r"""
struct libseat;
typedef void (*libseat_seat_fn)(struct libseat *seat, void *userdata);
struct libseat_seat_listener { libseat_seat_fn enable_seat; libseat_seat_fn disable_seat; };
struct libseat *libseat_open_seat(const struct libseat_seat_listener *listener, void *userdata);
int libseat_disable_seat(struct libseat *seat);
int libseat_close_seat(struct libseat *seat);
int libseat_open_device(struct libseat *seat, const char *path, int *fd);
int libseat_close_device(struct libseat *seat, int device_id);
const char *libseat_seat_name(struct libseat *seat);
int libseat_switch_session(struct libseat *seat, int session);
int libseat_get_fd(struct libseat *seat);
int libseat_dispatch(struct libseat *seat, int timeout);
void libseat_set_log_level(int level);
"""
PREPARSED = "compositor.device.libseat_ffi"
ffi = preparsed.ffi(PREPARSED, CDEF)

LOG_SILENT = 0


class SeatError(RuntimeError):
    pass


@functools.cache
def library() -> Any:
    try:
        lib = ffi.dlopen("libseat.so.1")
    except OSError as error:
        raise SeatError(f"cannot load libseat ({error}): install the Debian package libseat1") from None
    lib.libseat_set_log_level(LOG_SILENT)  # its failures become our one-line errors (SeatError)
    return lib


class Libseat:
    """An open seat. ``enabled`` is True while our VT is the active one and devices may be used."""

    def __init__(self, on_enable: Callable[[], None], on_disable: Callable[[], None]) -> None:
        self.lib = library()
        self.on_enable, self.on_disable = on_enable, on_disable
        self.enabled = False
        self.devices: dict[int, int] = {}  # fd -> libseat device id
        self._callbacks = (ffi.callback("libseat_seat_fn", self._enabled),
                           ffi.callback("libseat_seat_fn", self._disabled))
        self._listener = ffi.new("struct libseat_seat_listener *",
                                 {"enable_seat": self._callbacks[0], "disable_seat": self._callbacks[1]})
        self.handle = self.lib.libseat_open_seat(self._listener, ffi.NULL)
        if self.handle == ffi.NULL:
            raise SeatError("no seat to run on: start seatd (as root: seatd -g video) or log in through a "
                            "display manager with logind, and make sure your user may use it")
        self.name = ffi.string(self.lib.libseat_seat_name(self.handle)).decode()

    def fileno(self) -> int:
        return int(self.lib.libseat_get_fd(self.handle))

    def wait_enabled(self, timeout_ms: int) -> None:
        """Block until the seat is ours (start-up: nothing can be drawn before)."""
        remaining = timeout_ms
        while not self.enabled and remaining > 0:
            if self.lib.libseat_dispatch(self.handle, min(remaining, 250)) < 0:
                raise SeatError(f"seat {self.name}: lost the seat manager ({os.strerror(ffi.errno)})")
            remaining -= 250
        if not self.enabled:
            raise SeatError(f"seat {self.name} was never made active: is this session's VT in the foreground?")

    def dispatch(self) -> None:
        if self.lib.libseat_dispatch(self.handle, 0) < 0:
            raise SeatError(f"seat {self.name}: lost the seat manager ({os.strerror(ffi.errno)})")

    def _enabled(self, _seat: Any, _data: Any) -> None:
        self.enabled = True
        self.on_enable()

    def _disabled(self, _seat: Any, _data: Any) -> None:
        self.enabled = False
        self.on_disable()
        self.lib.libseat_disable_seat(self.handle)  # acknowledged: the devices are released now

    def open_device(self, path: str) -> int:
        """An fd for ``path`` (a GPU or an input device), opened by the seat manager."""
        fd = ffi.new("int *")
        device = self.lib.libseat_open_device(self.handle, path.encode(), fd)
        if device < 0:
            raise SeatError(f"seat {self.name} refused {path}: {os.strerror(ffi.errno)}")
        self.devices[fd[0]] = device
        return int(fd[0])

    def close_device(self, fd: int) -> None:
        device = self.devices.pop(fd, None)
        if device is not None:
            self.lib.libseat_close_device(self.handle, device)
        os.close(fd)

    def switch_session(self, vt: int) -> None:
        self.lib.libseat_switch_session(self.handle, vt)

    def close(self) -> None:
        for fd in list(self.devices):
            self.close_device(fd)
        if self.handle != ffi.NULL:
            self.lib.libseat_close_seat(self.handle)
            self.handle = ffi.NULL
