"""Key bindings and the actions they run, as pure data and functions (``[bindings]`` in orrery.toml).

A binding is ``"Super+Shift+Escape" = "exit"``: modifiers (Super/Logo, Shift, Ctrl/Control, Alt) and one key
named as an XKB keysym, matched on the key's symbol in the first layout without modifiers, so bindings work
with any layout and whatever Shift does to the key. Actions are what ``orrery msg action`` runs too:

==========================  =============================================================================
``exit``                    end the session: ask every window to close, then stop (``[session] exit_timeout``)
``spawn COMMAND``           run ``/bin/sh -c COMMAND`` in the session's environment
``launcher``                open or close the launcher
``vt N``                    show virtual terminal N (a login session on the DRM backend)
``workspace N``             show workspace N (``next``, ``prev``: the neighbour) of the output under the pointer
``move-to-workspace N``     move the focused window to workspace N of its output, and follow it there
==========================  =============================================================================

Ctrl+Alt+F1…F12 always switch virtual terminals where there are some (the keymap's ``XF86Switch_VT_N``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from xkbcommon import xkb

from themes.diagnostics import did_you_mean

# Modifier names as written in bindings -> the XKB modifier they mean
MODIFIERS = {"super": "Mod4", "logo": "Mod4", "mod4": "Mod4", "shift": "Shift", "ctrl": "Control",
             "control": "Control", "alt": "Mod1", "mod1": "Mod1"}
ACTIONS = ("exit", "spawn", "launcher", "vt", "workspace", "move-to-workspace")
_VT_KEYSYM = re.compile(r"XF86Switch_VT_(\d+)$")
MAX_VT = 63
MAX_WORKSPACE = 99


@dataclass(frozen=True)
class Combo:
    modifiers: frozenset[str]  # XKB modifier names: Shift, Control, Mod1, Mod4
    keysym: int  # lower case


@dataclass(frozen=True)
class Action:
    name: str
    argument: str = ""

    def __str__(self) -> str:
        return f"{self.name} {self.argument}".strip()


def parse_combo(text: str) -> Combo:
    """``"Super+Shift+E"`` -> Combo; ValueError saying what is wrong."""
    parts = [part.strip() for part in text.split("+")]
    if not text.strip() or any(not part for part in parts):
        raise ValueError(f'"{text}" is not a key combination (e.g. "Super+Shift+E")')
    *modifiers, key = parts
    names = set()
    for modifier in modifiers:
        name = MODIFIERS.get(modifier.lower())
        if name is None:
            raise ValueError(f'unknown modifier "{modifier}" in "{text}" (Super, Shift, Ctrl, Alt)')
        names.add(name)
    keysym = xkb.keysym_from_name(key) or xkb.keysym_from_name(key, case_insensitive=True)
    if not keysym:
        raise ValueError(f'unknown key "{key}" in "{text}" (an XKB key name such as E, Return, F1, Left)')
    return Combo(frozenset(names), xkb.keysym_to_lower(keysym))


def parse_action(text: str) -> Action:
    name, _, argument = text.strip().partition(" ")
    argument = argument.strip()
    if name not in ACTIONS:
        raise ValueError(f'unknown action "{name}"{did_you_mean(name, ACTIONS)} (actions: {", ".join(ACTIONS)})')
    if name == "spawn" and not argument:
        raise ValueError('"spawn" needs a command, e.g. "spawn foot"')
    if name == "vt" and not (argument.isdigit() and 1 <= int(argument) <= MAX_VT):
        raise ValueError(f'"vt" needs a terminal number from 1 to {MAX_VT}, e.g. "vt 2"')
    if name == "workspace" and argument not in ("next", "prev") and not _workspace_number(argument):
        raise ValueError(f'"workspace" needs a workspace number from 1 to {MAX_WORKSPACE}, "next" or "prev", '
                         'e.g. "workspace 2"')
    if name == "move-to-workspace" and not _workspace_number(argument):
        raise ValueError(f'"move-to-workspace" needs a workspace number from 1 to {MAX_WORKSPACE}, '
                         'e.g. "move-to-workspace 2"')
    if name in ("exit", "launcher") and argument:
        raise ValueError(f'"{name}" takes no argument')
    return Action(name, argument)


def _workspace_number(argument: str) -> bool:
    return argument.isdigit() and 1 <= int(argument) <= MAX_WORKSPACE


DEFAULTS: dict[Combo, Action] = {
    parse_combo("Super+Shift+Escape"): Action("exit"),
    **{parse_combo(f"Super+{n}"): Action("workspace", str(n)) for n in range(1, 10)},
    **{parse_combo(f"Super+Shift+{n}"): Action("move-to-workspace", str(n)) for n in range(1, 10)},
    parse_combo("Super+Ctrl+Left"): Action("workspace", "prev"),
    parse_combo("Super+Ctrl+Right"): Action("workspace", "next"),
}


def match(table: Mapping[Combo, Action], modifiers: frozenset[str], keysym: int) -> Action | None:
    """The action bound to ``keysym`` (the key's unmodified symbol) with exactly ``modifiers`` held."""
    return table.get(Combo(modifiers, xkb.keysym_to_lower(keysym)))


def vt_switch(keysym_name: str) -> int | None:
    """Ctrl+Alt+F``n`` in XKB keymaps gives ``XF86Switch_VT_n``: the terminal to switch to."""
    found = _VT_KEYSYM.match(keysym_name)
    return int(found[1]) if found else None
