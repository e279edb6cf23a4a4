"""Key bindings and the actions they run, as pure data and functions (``[bindings]`` in orrery.toml).

A binding is ``"Super+Shift+Escape" = "quit"``: modifiers (Super/Logo, Shift, Ctrl/Control, Alt) and one key
named as an XKB keysym, matched on the key's symbol in the first layout without modifiers, so bindings work
with any layout and whatever Shift does to the key. An action is written as one string, its name and then its
argument (``"workspace 3"``, ``"spawn foot --title x"``), the same in orrery.toml and ``orrery msg action``.
:data:`ACTIONS` lists them with their arguments, :data:`DEFAULT_BINDINGS` the bindings a user starts with;
docs/keybindings.md describes both. What an action does is in ``actions.py``.

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
# Action name -> its argument: "" none, COMMAND a shell command, DIR a direction, WORKSPACE a number or prev/next,
# VT a terminal number, STEP? nothing, prev or next. The order is the order of docs/keybindings.md and of error
# messages.
ACTIONS: dict[str, str] = {
    "close": "", "maximize": "", "fullscreen": "", "minimize": "", "toggle-floating": "", "toggle-tiling": "",
    "focus": "DIR", "move": "DIR", "workspace": "WORKSPACE", "move-to-workspace": "WORKSPACE", "switcher": "STEP?",
    "launcher": "", "spawn": "COMMAND", "reload": "", "quit": "", "exit": "", "lock": "", "vt": "VT", "grab": "",
}
DIRECTIONS = ("left", "right", "up", "down")
WORKSPACE_STEPS = ("prev", "next")
MAX_WORKSPACE = 99
UNBIND = "none"  # as a binding's action: remove the default binding of those keys
_VT_KEYSYM = re.compile(r"XF86Switch_VT_(\d+)$")
MAX_VT = 63


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
    """``"workspace 3"`` -> Action("workspace", "3"); ValueError saying what is wrong. Directions and
    ``prev``/``next`` are made lower case; a command is kept as written."""
    name, argument = [*text.split(None, 1), "", ""][:2]
    argument = argument.strip()
    kind = ACTIONS.get(name)
    if kind is None:
        raise ValueError(f'unknown action "{name}"{did_you_mean(name, ACTIONS)} (actions: {", ".join(ACTIONS)})')
    if kind == "STEP?":
        if argument.lower() not in ("", *WORKSPACE_STEPS):
            raise ValueError(f'"{name} {argument}": expected nothing, prev or next')
        return Action(name, argument.lower())
    if not kind:
        if argument:
            raise ValueError(f'"{name}" takes no argument')
        return Action(name)
    if not argument:
        raise ValueError(f'"{name}" needs {_EXPECTED[name]}, e.g. "{_EXAMPLES[name]}"')
    if kind == "COMMAND":
        return Action(name, argument)
    if kind == "DIR":
        if argument.lower() not in DIRECTIONS:
            raise ValueError(f'"{name} {argument}": expected {_EXPECTED[name]}')
        return Action(name, argument.lower())
    limit = MAX_VT if kind == "VT" else MAX_WORKSPACE
    if kind == "WORKSPACE" and argument.lower() in WORKSPACE_STEPS:
        return Action(name, argument.lower())
    if not (argument.isdecimal() and 1 <= int(argument) <= limit):
        raise ValueError(f'"{name} {argument}": expected {_EXPECTED[name]}')
    return Action(name, str(int(argument)))


_WORKSPACE = f"a workspace number from 1 to {MAX_WORKSPACE}, or prev or next"
_EXPECTED = {"spawn": "a command", "focus": "a direction (left, right, up, down)",
             "move": "a direction (left, right, up, down)", "workspace": _WORKSPACE, "move-to-workspace": _WORKSPACE,
             "vt": f"a terminal number from 1 to {MAX_VT}"}
_EXAMPLES = {"spawn": "spawn foot", "focus": "focus left", "move": "move left", "workspace": "workspace 2",
             "move-to-workspace": "move-to-workspace 2", "vt": "vt 2"}
_ARROWS = {"Left": "left", "Right": "right", "Up": "up", "Down": "down"}
# Close to COSMIC's defaults. A user's [bindings] entry for the same keys replaces one, "none" removes it.
DEFAULT_BINDINGS: dict[str, str] = {
    "Super+Return": "spawn foot",
    "Super+Q": "close",
    "Super+M": "maximize",
    "Super+F11": "fullscreen",
    "Super+Y": "toggle-tiling",
    "Super+G": "toggle-floating",
    **{f"Super+{key}": f"focus {direction}" for key, direction in _ARROWS.items()},
    **{f"Super+Shift+{key}": f"move {direction}" for key, direction in _ARROWS.items()},
    **{f"Super+{n}": f"workspace {n}" for n in range(1, 10)},
    **{f"Super+Shift+{n}": f"move-to-workspace {n}" for n in range(1, 10)},
    "Super+Ctrl+Left": "workspace prev",
    "Super+Ctrl+Right": "workspace next",
    "Ctrl+Alt+G": "grab",
    "Alt+Tab": "switcher",
    "Super+Tab": "switcher",
    "Alt+Shift+Tab": "switcher prev",
    "Super+Shift+Tab": "switcher prev",
    "Super+Shift+Escape": "quit",
    "Super+Escape": "lock",
}
DEFAULTS: dict[Combo, Action] = {parse_combo(keys): parse_action(action) for keys, action in DEFAULT_BINDINGS.items()}


def match(table: Mapping[Combo, Action], modifiers: frozenset[str], keysym: int) -> Action | None:
    """The action bound to ``keysym`` (the key's unmodified symbol) with exactly ``modifiers`` held."""
    return table.get(Combo(modifiers, xkb.keysym_to_lower(keysym)))


def vt_switch(keysym_name: str) -> int | None:
    """Ctrl+Alt+F``n`` in XKB keymaps gives ``XF86Switch_VT_n``: the terminal to switch to."""
    found = _VT_KEYSYM.match(keysym_name)
    return int(found[1]) if found else None
