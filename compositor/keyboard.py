"""The keymap and modifier state (xkbcommon), and the sealed memfd clients map the keymap from."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass

from xkbcommon import xkb

KEYMAP_FORMAT_XKB_V1 = 1
EVDEV_OFFSET = 8  # xkb keycodes are evdev codes + 8


@dataclass(frozen=True)
class Modifiers:
    depressed: int = 0
    latched: int = 0
    locked: int = 0
    group: int = 0


class Keyboard:
    """Keymap, xkb state and the keymap file shared by every wl_keyboard."""

    def __init__(self, layout: str = "us", variant: str = "", options: str = "") -> None:
        self.context = xkb.Context()
        self._use_keymap(self.context.keymap_new_from_names(layout=layout, variant=variant or None,
                                                            options=options or None))

    @classmethod
    def from_keymap_text(cls, text: bytes) -> Keyboard:
        """A keyboard with a client's keymap (a virtual keyboard); raises ValueError if it does not compile."""
        keyboard = cls.__new__(cls)
        keyboard.context = xkb.Context()
        try:
            keymap = keyboard.context.keymap_new_from_buffer(text.rstrip(b"\0"))
        except xkb.XKBKeymapCreationFailure as error:
            raise ValueError("the keymap does not compile") from error
        keyboard._use_keymap(keymap)
        return keyboard

    def _use_keymap(self, keymap: xkb.Keymap) -> None:
        self.keymap = keymap
        self.state = keymap.state_new()
        text = keymap.get_as_bytes()
        self.keymap_size = len(text) + 1
        self.keymap_fd = _sealed_memfd(text + b"\0")
        try:
            self.super_mask = 1 << keymap.mod_get_index("Mod4")
        except xkb.XKBModifierDoesNotExist:
            self.super_mask = 0
        self.pressed: set[int] = set()

    def update(self, evdev_code: int, pressed: bool) -> Modifiers | None:
        """Feed a key; returns the new modifiers when they changed."""
        before = self.modifiers()
        if pressed:
            self.pressed.add(evdev_code)
        else:
            self.pressed.discard(evdev_code)
        self.state.update_key(evdev_code + EVDEV_OFFSET, xkb.XKB_KEY_DOWN if pressed else xkb.XKB_KEY_UP)
        after = self.modifiers()
        return after if after != before else None

    def set_modifiers(self, mods: Modifiers) -> Modifiers | None:
        """Replace the modifier state (a virtual keyboard's request); returns it when it changed."""
        before = self.modifiers()
        self.state.update_mask(mods.depressed, mods.latched, mods.locked, 0, 0, mods.group)
        after = self.modifiers()
        return after if after != before else None

    def modifiers(self) -> Modifiers:
        return Modifiers(self.state.serialize_mods(xkb.XKB_STATE_MODS_DEPRESSED),
                         self.state.serialize_mods(xkb.XKB_STATE_MODS_LATCHED),
                         self.state.serialize_mods(xkb.XKB_STATE_MODS_LOCKED),
                         self.state.serialize_layout(xkb.XKB_STATE_LAYOUT_EFFECTIVE))

    @property
    def super_held(self) -> bool:
        return bool(self.state.serialize_mods(xkb.XKB_STATE_MODS_DEPRESSED) & self.super_mask)

    def keysym_name(self, evdev_code: int) -> str:
        return xkb.keysym_get_name(self.state.key_get_one_sym(evdev_code + EVDEV_OFFSET))

    def close(self) -> None:
        os.close(self.keymap_fd)


def _sealed_memfd(data: bytes) -> int:
    fd = os.memfd_create("orrery-keymap", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, data)
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
    return fd
