"""zwp_virtual_keyboard_manager_v1 (version 1): keyboards driven by clients, such as wtype.

Each virtual keyboard brings its own keymap. Its keys go to the seat's keyboard focus like real ones;
the seat first switches its active keyboard, so the focused client gets this keyboard's keymap (and the
real keymap again once the real keyboard is used). Who may create one is up to compositor/access.py.
"""

from __future__ import annotations

import logging
import os
import stat
from typing import TYPE_CHECKING

from protocols.virtual_keyboard_unstable_v1 import (
    ZwpVirtualKeyboardManagerV1,
    ZwpVirtualKeyboardV1,
)

from ..keyboard import KEYMAP_FORMAT_XKB_V1, Keyboard, ModifierState
from ..seat import Seat
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

log = logging.getLogger(__name__)

VERSION = 1
MAX_KEYMAP_SIZE = 1 << 20


def read_keymap(fd: int, size: int) -> bytes:
    """The first ``size`` bytes of a client's keymap file, read with pread into our own memory: the file is
    the client's, which may shrink it at any moment, and a mapping read past its new end would kill us with
    SIGBUS. A file shorter than ``size`` is an error (ValueError)."""
    if not 0 < size <= MAX_KEYMAP_SIZE:
        raise ValueError(f"keymap size {size} is out of range")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or a device could make the read wait
        raise ValueError("the keymap is not a file")
    data = bytearray()
    while len(data) < size:
        chunk = os.pread(fd, size - len(data), len(data))
        if not chunk:
            raise ValueError(f"keymap file ends after {len(data)} of {size} bytes")
        data += chunk
    return bytes(data)


class VirtualKeyboard:
    """One client's zwp_virtual_keyboard_v1."""

    def __init__(self, seat: Seat, res: Resource) -> None:
        self.seat = seat
        self.keyboard: Keyboard | None = None
        res.destroy_listeners.append(self._destroyed)

    def keymap(self, res: Resource, format: int, fd: int, size: int) -> None:
        try:
            if format != KEYMAP_FORMAT_XKB_V1:
                raise ValueError(f"keymap format {format} is not xkb_v1")
            keyboard = Keyboard.from_keymap_text(read_keymap(fd, size))
        except (OSError, ValueError) as error:
            log.warning("ignoring a virtual keyboard's keymap from client %s: %s", res.client.pid, error)
            return
        finally:
            os.close(fd)  # ours since the request arrived, whatever its format or content
        old = self.keyboard
        self.keyboard = keyboard
        if old is not None:
            self.seat.keyboard_gone(old)
            old.close()

    def _require_keyboard(self) -> Keyboard:
        if self.keyboard is None:
            raise ProtocolError(ZwpVirtualKeyboardV1.error.no_keymap, "no keymap was set")
        return self.keyboard

    def key(self, res: Resource, time: int, key: int, state: int) -> None:
        self.seat.key(key, bool(state), time, keyboard=self._require_keyboard())

    def modifiers(self, res: Resource, depressed: int, latched: int, locked: int, group: int) -> None:
        self.seat.set_modifiers(self._require_keyboard(), ModifierState(depressed, latched, locked, group))

    def _destroyed(self, res: Resource) -> None:
        if self.keyboard is not None:
            self.seat.keyboard_gone(self.keyboard)
            self.keyboard.close()
            self.keyboard = None


class VirtualKeyboardManager:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat

    def create_virtual_keyboard(self, res: Resource, seat_res: Resource, new: Resource) -> None:
        new.impl = VirtualKeyboard(self.seat, new)


def register(compositor: Compositor) -> None:
    manager = VirtualKeyboardManager(compositor.seat)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZwpVirtualKeyboardManagerV1, VERSION, bind)
