"""The keymap and modifier state (xkbcommon), and the sealed memfd clients map the keymap from."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass

from xkbcommon import xkb

KEYMAP_FORMAT_XKB_V1 = 1
EVDEV_OFFSET = 8  # xkb keycodes are evdev codes + 8


@dataclass(frozen=True)
class ModifierState:
    """xkb's serialized modifier masks and layout group, as ``wl_keyboard.modifiers`` sends them."""

    depressed: int = 0
    latched: int = 0
    locked: int = 0
    group: int = 0


BINDING_MODIFIERS = ("Shift", "Control", "Mod1", "Mod4")


@dataclass(frozen=True)
class KeymapNames:
    """XKB rule names; "" takes ``XKB_DEFAULT_RULES`` … ``XKB_DEFAULT_OPTIONS`` from the environment, else
    xkbcommon's default (a US keyboard)."""

    layout: str = ""
    variant: str = ""
    options: str = ""
    model: str = ""
    rules: str = ""


class Keyboard:
    """Keymap, xkb state and the keymap file shared by every wl_keyboard."""

    def __init__(self, names: KeymapNames | None = None) -> None:
        names = names or KeymapNames()
        self.context = xkb.Context()
        try:
            keymap = self.context.keymap_new_from_names(
                rules=names.rules or None, model=names.model or None, layout=names.layout or None,
                variant=names.variant or None, options=names.options or None)
        except xkb.XKBKeymapCreationFailure:
            raise ValueError(f"no keymap for layout {names.layout or '(default)'!r} variant {names.variant!r} "
                             f"options {names.options!r}: check [keyboard] in orrery.toml and XKB_DEFAULT_*") from None
        self._use_keymap(keymap)

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

    def update(self, evdev_code: int, pressed: bool) -> ModifierState | None:
        """Feed a key; returns the new modifiers when they changed."""
        before = self.modifiers()
        if pressed:
            self.pressed.add(evdev_code)
        else:
            self.pressed.discard(evdev_code)
        self.state.update_key(evdev_code + EVDEV_OFFSET, xkb.XKB_KEY_DOWN if pressed else xkb.XKB_KEY_UP)
        after = self.modifiers()
        return after if after != before else None

    def set_modifiers(self, mods: ModifierState) -> ModifierState | None:
        """Replace the modifier state (a virtual keyboard's request); returns it when it changed."""
        before = self.modifiers()
        self.state.update_mask(mods.depressed, mods.latched, mods.locked, 0, 0, mods.group)
        after = self.modifiers()
        return after if after != before else None

    def modifiers(self) -> ModifierState:
        return ModifierState(self.state.serialize_mods(xkb.XKB_STATE_MODS_DEPRESSED),
                             self.state.serialize_mods(xkb.XKB_STATE_MODS_LATCHED),
                             self.state.serialize_mods(xkb.XKB_STATE_MODS_LOCKED),
                             self.state.serialize_layout(xkb.XKB_STATE_LAYOUT_EFFECTIVE))

    @property
    def super_held(self) -> bool:
        return bool(self.state.serialize_mods(xkb.XKB_STATE_MODS_DEPRESSED) & self.super_mask)

    def keysym_name(self, evdev_code: int) -> str:
        return xkb.keysym_get_name(self.state.key_get_one_sym(evdev_code + EVDEV_OFFSET))

    def base_keysym(self, evdev_code: int) -> int:
        """The key's symbol in the first layout with no modifier (what bindings match on)."""
        syms = self.keymap.key_get_syms_by_level(evdev_code + EVDEV_OFFSET, 0, 0)
        return syms[0] if syms else 0

    def held_modifiers(self) -> frozenset[str]:
        """The binding modifiers (Shift, Control, Mod1, Mod4) held down now."""
        held = set()
        for name in BINDING_MODIFIERS:
            try:
                if self.state.mod_name_is_active(name, xkb.XKB_STATE_MODS_DEPRESSED):
                    held.add(name)
            except xkb.XKBModifierDoesNotExist:  # a client's keymap (virtual keyboard) may lack it
                pass
        return frozenset(held)

    def close(self) -> None:
        os.close(self.keymap_fd)


def _sealed_memfd(data: bytes) -> int:
    fd = os.memfd_create("orrery-keymap", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, data)
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
    return fd
