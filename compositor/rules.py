"""Window rules (``[[rules]]`` in orrery.toml): what a new window gets, chosen by its app_id and title.

    [[rules]]
    app_id = "org\\.gnome\\..*"    # a Python regular expression that must match the whole app_id
    title = ".*Preferences"       # the same for the title
    floating = true
    workspace = 2
    output = "HDMI-A-1"
    size = [800, 600]
    position = [100, 100]         # from the top-left corner of the window's output
    decorations = "server"        # or "client"

A rule matches a window when each pattern it has matches in full; a rule with neither matches every window.
Every matching rule applies, in the order of the file, a later one's setting replacing an earlier one's for
the same key. This module is pure: the file's checks (:func:`check_rules`) and the matching (:func:`match`);
the window manager applies the result when a toplevel maps.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from themes.diagnostics import did_you_mean, kind
from themes.tomlpos import KeyPath

from .bindings import MAX_WORKSPACE

DECORATIONS = ("server", "client")
PATTERNS = ("app_id", "title")
SETTINGS = ("floating", "workspace", "output", "size", "position", "decorations")
MAX_SIZE = 32767  # a window edge, in logical pixels (what fits the protocol's int32 with room to add)


@dataclass(frozen=True)
class WindowRule:
    """What rules give one window; None where no rule says anything."""

    floating: bool | None = None
    workspace: int | None = None
    output: str | None = None
    size: tuple[int, int] | None = None
    position: tuple[int, int] | None = None
    decorations: str | None = None

    def updated(self, later: WindowRule) -> WindowRule:
        """This, with what ``later`` sets replacing it."""
        changes = {f.name: getattr(later, f.name) for f in dataclasses.fields(later)
                   if getattr(later, f.name) is not None}
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Rule:
    app_id: re.Pattern[str] | None
    title: re.Pattern[str] | None
    settings: WindowRule

    def matches(self, app_id: str, title: str) -> bool:
        return ((self.app_id is None or self.app_id.fullmatch(app_id) is not None)
                and (self.title is None or self.title.fullmatch(title) is not None))


def match(rules: Sequence[Rule], app_id: str, title: str) -> WindowRule:
    """What the rules that match a window with this app_id and title give it, merged in order."""
    result = WindowRule()
    for rule in rules:
        if rule.matches(app_id, title):
            result = result.updated(rule.settings)
    return result


# error(where, message, at_key): report a problem at a key path (its value's position unless at_key)
Report = Callable[[KeyPath, str, bool], None]


def check_rules(value: Any, error: Report) -> tuple[Rule, ...]:
    """The rules of orrery.toml's ``rules`` (an array of tables); each problem goes to ``error``."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        error(("rules",), "expected an array of tables: write each rule as [[rules]]", False)
        return ()
    found = []
    for number, table in enumerate(value):
        rule = _check_rule(table, ("rules", number), error)
        if rule is not None:
            found.append(rule)
    return tuple(found)


def _check_rule(table: dict[str, Any], where: KeyPath, error: Report) -> Rule | None:
    ok = True
    patterns: dict[str, re.Pattern[str]] = {}
    settings: dict[str, Any] = {}
    for key, value in table.items():
        at: KeyPath = (*where, key)
        problem: str | None
        if key in PATTERNS:
            problem, compiled = _pattern(value)
            if compiled is not None:
                patterns[key] = compiled
        elif key in SETTINGS:
            problem, settings[key] = _setting(key, value)
        else:
            problem = f'unknown key "{key}"{did_you_mean(key, [*PATTERNS, *SETTINGS])}'
            error(at, problem, True)
            ok = False
            continue
        if problem is not None:
            error(at, problem, False)
            ok = False
    if not ok:
        return None
    return Rule(patterns.get("app_id"), patterns.get("title"), WindowRule(**settings))


def _pattern(value: Any) -> tuple[str | None, re.Pattern[str] | None]:
    if not isinstance(value, str):
        return f"expected a regular expression (a string), found {kind(value)}", None
    try:
        return None, re.compile(value)
    except re.error as problem:
        where = f" at position {problem.pos}" if problem.pos is not None else ""
        return f'bad regular expression "{value}": {problem.msg}{where}', None


def _setting(key: str, value: Any) -> tuple[str | None, Any]:
    """(problem, the setting as a WindowRule holds it)."""
    if key == "floating":
        return (None, value) if isinstance(value, bool) else (f"expected true or false, found {kind(value)}", None)
    if key == "workspace":
        if _integer(value) and 1 <= value <= MAX_WORKSPACE:
            return None, value
        return f"expected a workspace number from 1 to {MAX_WORKSPACE}, found {_shown(value)}", None
    if key == "output":
        if isinstance(value, str) and value:
            return None, value
        return f'expected an output name such as "HDMI-A-1", found {_shown(value)}', None
    if key == "decorations":
        if value in DECORATIONS:
            return None, value
        hint = did_you_mean(value, DECORATIONS) if isinstance(value, str) else ""
        return f'expected "server" or "client", found {_shown(value)}{hint}', None
    low = 1 if key == "size" else -MAX_SIZE
    if (isinstance(value, list) and len(value) == 2 and all(_integer(n) and low <= n <= MAX_SIZE for n in value)):
        return None, (value[0], value[1])
    what = "width and height" if key == "size" else "x and y"
    return f"expected [{what.replace(' and ', ', ')}], two whole numbers from {low} to {MAX_SIZE}, " \
           f"found {_shown(value)}", None


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float | list) else kind(value)

