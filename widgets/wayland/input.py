"""Keyboard (xkbcommon keymap from the compositor, key repeat) and pointer translation to toolkit events."""

from __future__ import annotations

import mmap
from typing import Any

from xkbcommon import xkb

from ..core.event import Modifiers

EVDEV_OFFSET = 8
BUTTONS = {0x110: 1, 0x112: 2, 0x111: 3}


class Keyboard:
    def __init__(self) -> None:
        self.context = xkb.Context()
        self.state: Any = None
        self.repeat_rate, self.repeat_delay = 25, 600

    def keymap(self, fd: int, size: int) -> None:
        with mmap.mmap(fd, size, prot=mmap.PROT_READ) as data:
            text = bytes(data).rstrip(b"\0")
        self.state = self.context.keymap_new_from_buffer(text).state_new()

    def modifiers(self, depressed: int, latched: int, locked: int, group: int) -> None:
        if self.state is not None:
            self.state.update_mask(depressed, latched, locked, 0, 0, group)

    def translate(self, key: int) -> tuple[str, str, Modifiers]:
        if self.state is None:
            return "", "", Modifiers()
        code = key + EVDEV_OFFSET
        name = xkb.keysym_get_name(self.state.key_get_one_sym(code))
        text = self.state.key_get_string(code)
        return name, text, self.current_modifiers()

    def current_modifiers(self) -> Modifiers:
        def active(mod: str) -> bool:
            try:
                return bool(self.state.mod_name_is_active(mod, xkb.XKB_STATE_MODS_EFFECTIVE))
            except Exception:  # noqa: BLE001 - a keymap without that modifier
                return False
        return Modifiers(shift=active("Shift"), ctrl=active("Control"), alt=active("Mod1"), logo=active("Mod4"))
