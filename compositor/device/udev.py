"""libudev (cffi, ABI mode): the context libinput needs, and a monitor of GPU events (monitors plugged in or
out, a GPU going away)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .. import preparsed

CDEF = r"""
struct udev; struct udev_monitor; struct udev_device;
struct udev *udev_new(void);
struct udev *udev_unref(struct udev *udev);
struct udev_monitor *udev_monitor_new_from_netlink(struct udev *udev, const char *name);
int udev_monitor_filter_add_match_subsystem_devtype(struct udev_monitor *monitor, const char *subsystem,
                                                    const char *devtype);
int udev_monitor_enable_receiving(struct udev_monitor *monitor);
int udev_monitor_get_fd(struct udev_monitor *monitor);
struct udev_device *udev_monitor_receive_device(struct udev_monitor *monitor);
struct udev_monitor *udev_monitor_unref(struct udev_monitor *monitor);
const char *udev_device_get_action(struct udev_device *device);
const char *udev_device_get_devnode(struct udev_device *device);
const char *udev_device_get_property_value(struct udev_device *device, const char *key);
struct udev_device *udev_device_unref(struct udev_device *device);
"""
PREPARSED = "compositor.device.udev_ffi"
ffi = preparsed.ffi(PREPARSED, CDEF)


class UdevError(RuntimeError):
    pass


@functools.cache
def library() -> Any:
    try:
        return ffi.dlopen("libudev.so.1")
    except OSError as error:
        raise UdevError(f"cannot load libudev ({error}): install the Debian package libudev1") from None


@dataclass(frozen=True)
class DeviceEvent:
    action: str  # "add", "remove", "change"
    devnode: str
    hotplug: bool  # a connector changed (HOTPLUG=1)


class Udev:
    """A udev context, and a monitor of the ``drm`` subsystem once :meth:`watch_gpus` was called."""

    def __init__(self) -> None:
        self.lib = library()
        self.handle = self.lib.udev_new()
        if self.handle == ffi.NULL:
            raise UdevError("udev_new failed")
        self.monitor: Any = ffi.NULL

    def watch_gpus(self) -> int:
        """Start receiving GPU events; returns the fd to watch."""
        monitor = self.lib.udev_monitor_new_from_netlink(self.handle, b"udev")
        if monitor == ffi.NULL:
            raise UdevError("cannot listen to udev (is udevd running?)")
        self.lib.udev_monitor_filter_add_match_subsystem_devtype(monitor, b"drm", ffi.NULL)
        self.lib.udev_monitor_enable_receiving(monitor)
        self.monitor = monitor
        return int(self.lib.udev_monitor_get_fd(monitor))

    def receive(self) -> DeviceEvent | None:
        device = self.lib.udev_monitor_receive_device(self.monitor)
        if device == ffi.NULL:
            return None
        try:
            return DeviceEvent(_text(self.lib.udev_device_get_action(device)),
                               _text(self.lib.udev_device_get_devnode(device)),
                               _text(self.lib.udev_device_get_property_value(device, b"HOTPLUG")) == "1")
        finally:
            self.lib.udev_device_unref(device)

    def close(self) -> None:
        if self.monitor != ffi.NULL:
            self.lib.udev_monitor_unref(self.monitor)
            self.monitor = ffi.NULL
        if self.handle != ffi.NULL:
            self.lib.udev_unref(self.handle)
            self.handle = ffi.NULL


def _text(value: Any) -> str:
    return "" if value == ffi.NULL else ffi.string(value).decode(errors="replace")
