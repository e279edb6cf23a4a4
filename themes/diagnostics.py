"""Problems found in a theme, each with the file, line, column and key path an author needs to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem. ``line``/``column`` are 1-based; 0 when the problem has no place in the file."""

    severity: Severity
    file: Path | None
    line: int
    column: int
    key: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        where = str(self.file) if self.file is not None else "<theme>"
        return f"{where}:{self.line}:{self.column}" if self.line else where

    def __str__(self) -> str:
        key = f"{self.key}: " if self.key else ""
        return f"{self.location}: {self.severity}: {key}{self.message}"


def dotted(path: Sequence[str | int]) -> str:
    """A key path as an author writes it: ``button.hovered.background``, ``decorations.buttons[1]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if part and all(c.isalnum() or c in "_-" for c in part) else f'"{part}"'
            out += f".{text}" if out else text
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def kind(value: object) -> str:
    """How a TOML value's type is named in messages."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a table" if isinstance(value, dict) else "an array" if isinstance(value, list) else type(value).__name__
