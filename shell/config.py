"""``$XDG_CONFIG_HOME/orrery/shell.toml``: the shell's settings, with every problem reported as file:line:col.

Every key is optional; docs/shell.md lists them with their defaults (:data:`DEFAULTS` here). Problems are
``themes.Diagnostic``s placed with the themes' TOML position index, so they read like ``orrery theme check``:

    shell.toml:4:11: error: panel.position: expected one of "top", "bottom", found "middle"

:func:`load_config` never raises: a file with errors gives ``config=None`` and the diagnostics, and the shell
keeps what it had (:class:`LiveConfig`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from themes.color import ThemeColor
from themes.diagnostics import Diagnostic, Severity, did_you_mean, dotted, kind
from themes.tomlpos import KeyPath, PositionIndex, read_toml

if TYPE_CHECKING:
    from widgets.core.subscription import Subscription

log = logging.getLogger(__name__)

SCALES = ("fill", "fit", "stretch", "center", "tile")
DEFAULTS: dict[str, dict[str, Any]] = {
    "": {"theme": "orrery-dark"},
    "panel": {"position": "", "height": 0, "clock_format": "%H:%M", "launcher_label": "Applications",
              "workspaces": True, "task_width": 200, "session_menu": True},
    "launcher": {"width": 0, "results": 8, "placeholder": "Search applications, :command or =math",
                 "terminal": "foot"},
    "background": {"color": "", "gradient": "", "gradient_end": "", "angle": 180.0, "image": "", "scale": "fill"},
}
"""Section -> key -> default ("" and 0 mean: the theme's)."""
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("panel", "position"): ("", "top", "bottom"), ("background", "scale"): SCALES}
COLOURS = {("background", "color"), ("background", "gradient"), ("background", "gradient_end")}


@dataclass(frozen=True)
class ShellConfig:
    values: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    path: Path | None = None

    def get(self, section: str, key: str) -> Any:
        return self.values.get((section, key), DEFAULTS[section][key])

    @property
    def theme(self) -> str:
        return str(self.get("", "theme"))

    def colour(self, section: str, key: str) -> ThemeColor | None:
        text = self.get(section, key)
        return ThemeColor.from_hex(text) if text else None


@dataclass(frozen=True)
class ShellConfigResult:
    config: ShellConfig | None
    diagnostics: tuple[Diagnostic, ...]


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "orrery" / "shell.toml"


def load_config(path: Path) -> ShellConfigResult:
    """Read and check ``path``; a missing file is the defaults."""
    try:
        read = read_toml(path)
    except FileNotFoundError:
        return ShellConfigResult(ShellConfig(path=path), ())
    if isinstance(read, Diagnostic):
        return ShellConfigResult(None, (read,))
    data, index = read
    return check(data, path, index)


def check(data: dict[str, Any], path: Path, index: PositionIndex) -> ShellConfigResult:
    problems: list[Diagnostic] = []
    values: dict[tuple[str, str], Any] = {}

    def error(where: KeyPath, message: str, at_key: bool = False) -> None:
        span = index.key(where) if at_key else index.value(where)
        line, column = (span.line, span.column) if span is not None else (0, 0)
        problems.append(Diagnostic(Severity.ERROR, path, line, column, dotted(where), message))

    sections = [s for s in DEFAULTS if s]
    for name, value in data.items():
        if name in sections:
            if not isinstance(value, dict):
                error((name,), f"expected a table, found {kind(value)}")
                continue
            for key, item in value.items():
                _check_value(name, key, item, values, error)
        else:
            _check_value("", name, value, values, error, sections)
    return ShellConfigResult(None if problems else ShellConfig(values, path), tuple(problems))


def _check_value(section: str, key: str, value: Any, values: dict[tuple[str, str], Any],
                 error: Callable[..., None], extra: list[str] | None = None) -> None:
    where: KeyPath = (section, key) if section else (key,)
    known = DEFAULTS[section]
    if key not in known:
        hint = did_you_mean(key, [*known, *(extra or [])])
        error(where, f'unknown key "{key}"{hint}', at_key=True)
        return
    default = known[key]
    expected = bool if isinstance(default, bool) else (int, float) if isinstance(default, int | float) else str
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
        error(where, f"expected {kind(default)}, found {kind(value)}")
        return
    choices = CHOICES.get((section, key))
    if choices is not None and isinstance(value, str) and value not in choices:
        listed = ", ".join(f'"{c}"' for c in choices if c)
        error(where, f'expected one of {listed}, found "{value}"{did_you_mean(value, choices)}')
        return
    if (section, key) in COLOURS and isinstance(value, str) and value:
        try:
            ThemeColor.from_hex(value)
        except ValueError as problem:
            error(where, f'bad colour "{value}": {problem}')
            return
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        error(where, f"expected a number of at least 0, found {value}")
        return
    values[(section, key)] = value



@dataclass(frozen=True)
class LiveConfig:
    """The settings in use and the problems of the last refused save (none after a good one)."""

    config: ShellConfig
    problems: tuple[Diagnostic, ...] = ()

    @classmethod
    def load(cls, path: Path) -> LiveConfig:
        result = load_config(path)
        live = cls(ShellConfig(path=path))
        return live.apply(result)

    def apply(self, result: ShellConfigResult) -> LiveConfig:
        if result.config is None:
            for problem in result.diagnostics:
                log.warning("%s (keeping the previous settings)", problem)
            return LiveConfig(self.config, result.diagnostics)
        return LiveConfig(result.config, ())

    @property
    def notice(self) -> list[str]:
        if not self.problems:
            return []
        where = self.problems[0].file.name if self.problems[0].file else "shell.toml"
        return [f"{where} has errors: keeping the previous settings",
                *(f"{d.file.name if d.file else where}:{d.line}:{d.column}: {d.key + ': ' if d.key else ''}"
                  f"{d.message}" for d in self.problems[:3])]


@dataclass(frozen=True)
class ConfigChanged:
    """The message of :func:`watch_config`: the file was saved (or removed)."""

    result: ShellConfigResult


def watch_config(path: Path, to_message: Callable[[ConfigChanged], Any] = lambda m: m,
                 interval: float = 0.25) -> Subscription[Any]:
    """``ConfigChanged(load_config(path))`` after every change of the file."""
    # Imported here: the compositor reads the theme's name from this file without loading the toolkit.
    from widgets.core.subscription import file_changes

    return file_changes(path, lambda p: to_message(ConfigChanged(load_config(p))), interval)
