"""Inside the test VM, as root: a touchpad made with the kernel's uinput, tapped once.

    python3 touchpad.py --by PID [--wait SECONDS]

Creates a two-finger-capable touchpad (100 x 70 mm, multitouch protocol B), waits until process PID (the
compositor, whose libinput opens it; udev opens it first for a moment to probe it) has its event device open,
taps once with one finger near its middle, waits for
libinput's tap timeout to pass, and removes it. With tapping enabled (orrery.toml's ``[touchpad] tap``, on by
default) libinput turns the tap into a left click where the pointer is. Standard library only: Debian's
/usr/bin/python3 runs it.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import struct
import subprocess
import time
from pathlib import Path

EV_SYN, EV_KEY, EV_ABS = 0x00, 0x01, 0x03
SYN_REPORT = 0
BTN_LEFT, BTN_TOOL_FINGER, BTN_TOUCH, BTN_TOOL_DOUBLETAP = 0x110, 0x145, 0x14A, 0x14D
ABS_X, ABS_Y, ABS_MT_SLOT, ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TRACKING_ID = 0x00, 0x01, 0x2F, 0x35, 0x36, 0x39
INPUT_PROP_POINTER = 0x00
BUS_VIRTUAL = 0x06


def _iow(number: int, size: int) -> int:
    return (1 << 30) | (size << 16) | (ord("U") << 8) | number


UI_SET_EVBIT, UI_SET_KEYBIT, UI_SET_ABSBIT, UI_SET_PROPBIT = (_iow(n, 4) for n in (100, 101, 103, 110))
UI_DEV_SETUP, UI_ABS_SETUP = _iow(3, 92), _iow(4, 28)
UI_DEV_CREATE, UI_DEV_DESTROY = (ord("U") << 8) | 1, (ord("U") << 8) | 2
UI_GET_SYSNAME = (2 << 30) | (64 << 16) | (ord("U") << 8) | 44  # _IOC(_IOC_READ, 'U', 44, 64)
# axis: (maximum, resolution in units per mm)
AXES = {ABS_X: (1000, 10), ABS_Y: (700, 10), ABS_MT_POSITION_X: (1000, 10), ABS_MT_POSITION_Y: (700, 10),
        ABS_MT_SLOT: (1, 0), ABS_MT_TRACKING_ID: (65535, 0)}


def opened_by(pid: int, node: str) -> bool:
    try:
        return any(os.readlink(link) == node for link in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False  # a descriptor closed while we looked


def emit(fd: int, kind: int, code: int, value: int) -> None:
    now = time.time()
    os.write(fd, struct.pack("llHHi", int(now), int(now % 1 * 1e6), kind, code, value))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--by", type=int, required=True, help="the process whose libinput opens it")
    parser.add_argument("--wait", type=float, default=60.0, help="at most this long for it to open it")
    args = parser.parse_args()
    subprocess.run(["modprobe", "uinput"], check=False)
    fd = os.open("/dev/uinput", os.O_WRONLY | os.O_NONBLOCK)
    for kind in (EV_SYN, EV_KEY, EV_ABS):
        fcntl.ioctl(fd, UI_SET_EVBIT, kind)
    for key in (BTN_LEFT, BTN_TOOL_FINGER, BTN_TOUCH, BTN_TOOL_DOUBLETAP):
        fcntl.ioctl(fd, UI_SET_KEYBIT, key)
    fcntl.ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_POINTER)
    for axis, (maximum, resolution) in AXES.items():
        fcntl.ioctl(fd, UI_SET_ABSBIT, axis)
        # struct uinput_abs_setup: u16 code (+2 padding), input_absinfo {value, min, max, fuzz, flat, resolution}
        fcntl.ioctl(fd, UI_ABS_SETUP, struct.pack("HxxiiiiII", axis, 0, 0, maximum, 0, 0, resolution)[:28])
    # struct uinput_setup: input_id {bustype, vendor, product, version}, name[80], ff_effects_max
    fcntl.ioctl(fd, UI_DEV_SETUP, struct.pack("HHHH80sI", BUS_VIRTUAL, 0x1234, 0x5678, 1, b"Orrery Test Touchpad", 0))
    fcntl.ioctl(fd, UI_DEV_CREATE)
    name = fcntl.ioctl(fd, UI_GET_SYSNAME, bytes(64)).rstrip(b"\0").decode()
    node = "/dev/input/" + next(Path(f"/sys/devices/virtual/input/{name}").glob("event*")).name
    print(f"TOUCHPAD: created {node}", flush=True)
    deadline = time.monotonic() + args.wait
    while not opened_by(args.by, node) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)  # what libinput does once it has the device open (the first events)
    for code, value in ((ABS_MT_SLOT, 0), (ABS_MT_TRACKING_ID, 1), (ABS_MT_POSITION_X, 500), (ABS_MT_POSITION_Y, 350)):
        emit(fd, EV_ABS, code, value)
    for key in (BTN_TOUCH, BTN_TOOL_FINGER):
        emit(fd, EV_KEY, key, 1)
    emit(fd, EV_ABS, ABS_X, 500)
    emit(fd, EV_ABS, ABS_Y, 350)
    emit(fd, EV_SYN, SYN_REPORT, 0)
    time.sleep(0.05)
    emit(fd, EV_ABS, ABS_MT_TRACKING_ID, -1)
    for key in (BTN_TOUCH, BTN_TOOL_FINGER):
        emit(fd, EV_KEY, key, 0)
    emit(fd, EV_SYN, SYN_REPORT, 0)
    print("TOUCHPAD: tapped", flush=True)
    time.sleep(1.5)  # libinput clicks after its tap timeout
    fcntl.ioctl(fd, UI_DEV_DESTROY)
    os.close(fd)
    print("TOUCHPAD: removed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
