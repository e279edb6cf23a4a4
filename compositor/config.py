"""``orrery.toml``: the compositor's settings (keyboard, touchpad and mouse, the display device, key bindings,
window rules, which programs may use the privileged protocols).

``$XDG_CONFIG_HOME/orrery/orrery.toml`` unless ``orrery run --config PATH`` names another file. Every key is
optional; :data:`DEFAULTS` lists them. Problems are reported as ``file:line:col`` with the themes' TOML
position index, and a file with errors leaves the defaults (or the previous settings) in force:

    orrery.toml:3:8: error: touchpad.tap: expected true or false, found a string
    orrery.toml:9:1: error: bindings."Super+Shift+Q": unknown action "clsoe" (did you mean "close"?)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themes.diagnostics import Diagnostic, Severity, did_you_mean, dotted, kind
from themes.tomlpos import KeyPath, PositionIndex, read_toml

from . import bindings, rules

log = logging.getLogger(__name__)

DEFAULTS: dict[str, dict[str, Any]] = {
    # "" = XKB_DEFAULT_LAYOUT etc. from the environment, else xkbcommon's default (us)
    "keyboard": {"layout": "", "variant": "", "options": "", "model": "", "rules": "",
                 "repeat_rate": 25, "repeat_delay": 600},
    "touchpad": {"tap": True, "natural_scroll": False, "disable_while_typing": True},
    "mouse": {"natural_scroll": False, "accel_speed": 0.0},
    "drm": {"device": "", "hardware_cursor": True},  # device "" = the first GPU with a monitor connected
    "session": {"exit_timeout": 5.0},  # seconds the exit action waits for windows to close
    "workspaces": {"mode": "dynamic", "count": 4},  # count: per output, in fixed mode
    # default: new workspaces tile; outputs: only those of these outputs (() = every output); gap in pixels,
    # None = the theme's decorations.gaps
    "tiling": {"default": False, "outputs": (), "gap": None},
    "lock": {"command": "swaylock"},  # the screen locker the lock action and `orrery msg lock` start
    # who may bind the privileged globals (compositor/access.py): "all" unsandboxed clients, or a tuple of the
    # executables (absolute paths) that may
    "security": {"privileged": "all"},
}
LIMITS: dict[tuple[str, str], tuple[float, float]] = {
    ("keyboard", "repeat_rate"): (0, 1000), ("keyboard", "repeat_delay"): (0, 10_000),
    ("mouse", "accel_speed"): (-1.0, 1.0), ("session", "exit_timeout"): (0, 600),
    ("workspaces", "count"): (1, bindings.MAX_WORKSPACE), ("tiling", "gap"): (0, 200)}
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {("workspaces", "mode"): ("dynamic", "fixed")}
TOP_LEVEL = ("bindings", "rules", "xwayland")  # besides the sections of DEFAULTS
WHOLE_NUMBERS = {("workspaces", "count"), ("tiling", "gap")}


@dataclass(frozen=True)
class Config:
    values: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    bindings: Mapping[bindings.Combo, bindings.Action] = field(default_factory=lambda: dict(bindings.DEFAULTS))
    path: Path | None = None
    rules: tuple[rules.Rule, ...] = ()  # [[rules]], in the order of the file
    # X11 support (top-level ``xwayland``): True = Xwayland on the first X11 connection, "startup" = at once,
    # False = none (no DISPLAY)
    xwayland: bool | str = True

    def get(self, section: str, key: str) -> Any:
        return self.values.get((section, key), DEFAULTS[section][key])


@dataclass(frozen=True)
class ConfigResult:
    config: Config | None  # None when the file has errors
    diagnostics: tuple[Diagnostic, ...]


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "orrery" / "orrery.toml"


def load(path: Path) -> ConfigResult:
    """Read and check ``path``; a missing file is the defaults."""
    try:
        read = read_toml(path)
    except FileNotFoundError:
        return ConfigResult(Config(path=path), ())
    if isinstance(read, Diagnostic):
        return ConfigResult(None, (read,))
    data, index = read
    return check(data, path, index)


def load_or_defaults(path: Path) -> tuple[Config, tuple[Diagnostic, ...]]:
    """The settings of ``path``, or the defaults when it has errors (each logged as file:line:col), and the
    problems found."""
    result = load(path)
    for problem in result.diagnostics:
        log.error("%s (using the defaults)", problem)
    return result.config or Config(path=path), result.diagnostics


def check(data: dict[str, Any], path: Path, index: PositionIndex) -> ConfigResult:
    problems: list[Diagnostic] = []
    values: dict[tuple[str, str], Any] = {}
    combos: dict[bindings.Combo, bindings.Action] = dict(bindings.DEFAULTS)
    window_rules: tuple[rules.Rule, ...] = ()
    xwayland: bool | str = True

    def error(where: KeyPath, message: str, at_key: bool = False) -> None:
        span = index.key(where) if at_key else index.value(where)
        line, column = (span.line, span.column) if span is not None else (0, 0)
        problems.append(Diagnostic(Severity.ERROR, path, line, column, dotted(where), message))

    for name, table in data.items():
        if name not in DEFAULTS and name not in TOP_LEVEL:
            error((name,), f'unknown section "{name}"{did_you_mean(name, [*DEFAULTS, *TOP_LEVEL])}',
                  at_key=True)
        elif name == "xwayland":
            if isinstance(table, bool) or table == "startup":
                xwayland = table
            else:
                error((name,), f'expected true, false or "startup", found {kind(table)}')
        elif name == "rules":
            window_rules = rules.check_rules(table, error)
        elif not isinstance(table, dict):
            error((name,), f"expected a table, found {kind(table)}")
        elif name == "bindings":
            _check_bindings(table, combos, error)
        else:
            for key, value in table.items():
                _check_value(name, key, value, values, error)
    return ConfigResult(None if problems else Config(values, combos, path, window_rules, xwayland), tuple(problems))


def _check_value(section: str, key: str, value: Any, values: dict[tuple[str, str], Any],
                 error: Callable[..., None]) -> None:
    where = (section, key)
    known = DEFAULTS[section]
    if key not in known:
        error(where, f'unknown key "{key}"{did_you_mean(key, known)}', at_key=True)
        return
    if where == ("security", "privileged"):
        _check_privileged(value, values, error)
        return
    default = known[key]
    if isinstance(default, tuple):  # a list of names
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            error(where, f"expected a list of strings, found {kind(value)}")
        else:
            values[where] = tuple(value)
        return
    number = default is None or isinstance(default, int | float)  # None: a number that is optional
    expected = bool if isinstance(default, bool) else (int, float) if number else str
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
        error(where, f"expected {'a number' if default is None else kind(default)}, found {kind(value)}")
        return
    if where in WHOLE_NUMBERS and not isinstance(value, int):
        error(where, f"expected a whole number, found {value}")
        return
    choices = CHOICES.get(where)
    if choices is not None and value not in choices:
        named = " or ".join(f'"{choice}"' for choice in choices)
        error(where, f'expected {named}, found "{value}"{did_you_mean(str(value), choices)}')
        return
    limits = LIMITS.get(where)
    if limits is not None and isinstance(value, int | float) and not limits[0] <= value <= limits[1]:
        error(where, f"expected a number from {limits[0]:g} to {limits[1]:g}, found {value}")
        return
    values[where] = value


def _check_privileged(value: Any, values: dict[tuple[str, str], Any], error: Callable[..., None]) -> None:
    """``"all"``, or a list of executables by absolute path (a bare name would depend on a search path, and any
    program could be called that)."""
    where = ("security", "privileged")
    if value == "all":
        values[where] = value
        return
    if not isinstance(value, list):
        shown = f'"{value}"' if isinstance(value, str) else kind(value)
        error(where, f'expected "all" or a list of executables (absolute paths), found {shown}')
        return
    good = True
    for position, item in enumerate(value):
        if not isinstance(item, str):
            error((*where, position), f"expected an executable's absolute path, found {kind(item)}")
            good = False
        elif not os.path.isabs(item):
            error((*where, position), f'expected an absolute path such as "/usr/bin/{item or "wtype"}", found '
                                      f'"{item}"')
            good = False
    if good:
        values[where] = tuple(value)


def _check_bindings(table: dict[str, Any], combos: dict[bindings.Combo, bindings.Action],
                    error: Callable[..., None]) -> None:
    seen: dict[bindings.Combo, str] = {}
    for text, action in table.items():
        where: KeyPath = ("bindings", text)
        try:
            combo = bindings.parse_combo(text)
        except ValueError as problem:
            error(where, str(problem), at_key=True)
            continue
        if combo in seen:
            error(where, f'"{text}" is the same keys as "{seen[combo]}"', at_key=True)
            continue
        seen[combo] = text
        if not isinstance(action, str):
            error(where, f"expected an action (a string), found {kind(action)}")
            continue
        if action == bindings.UNBIND:
            combos.pop(combo, None)
            continue
        try:
            combos[combo] = bindings.parse_action(action)
        except ValueError as problem:
            error(where, str(problem))
