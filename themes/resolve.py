"""From merged, checked entries to values: palette and colour evaluation, and the given-or-derived builder.

A :class:`Resolver` answers "what did the author give at this key path?" with evaluated values, reporting
unknown names and palette cycles once each; :meth:`Resolver.build` fills a style dataclass field by field
from the given values, deriving every unset field with a rule that may look at the fields before it.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from . import expr, model
from .color import ThemeColor
from .diagnostics import Diagnostic, Severity, did_you_mean, dotted
from .model import Tokens
from .schema import BROKEN, Entry
from .tomlpos import KeyPath

T = TypeVar("T")
Rule = Callable[[dict[str, Any]], Any]
TOKEN_NAMES = tuple(f.name for f in fields(Tokens))
_HINTS: Mapping[type, Mapping[str, Any]] = MappingProxyType({
    cls: typing.get_type_hints(cls) for cls in (
        model.ButtonStyle, model.TextInputStyle, model.ListRowStyle, model.PanelStyle, model.LauncherStyle,
        model.DecorationStyle, model.BackgroundStyle, model.Shadow, model.Gradient, model.Font, model.Spacing,
        model.Radii)})


class Resolver:
    def __init__(self, entries: Mapping[KeyPath, Entry]) -> None:
        self.entries = entries
        self.diagnostics: list[Diagnostic] = []
        self._palette_entries = {path[1]: entry for path, entry in entries.items()
                                 if path[0] == "palette" and len(path) == 2 and isinstance(path[1], str)}
        self._palette: dict[str, ThemeColor | None] = {}
        self._resolving: list[str] = []
        self.tokens: Tokens | None = None
        """Set once the tokens are resolved; from then on component colours may name a token."""

    # reporting -----------------------------------------------------------------------------------------
    def report(self, severity: Severity, path: KeyPath, message: str) -> None:
        entry = self.entries.get(path)
        if entry is None:
            self.diagnostics.append(Diagnostic(severity, None, 0, 0, dotted(path), message))
        else:
            self.diagnostics.append(Diagnostic(severity, entry.file, entry.line, entry.column, dotted(path),
                                               message))

    # values --------------------------------------------------------------------------------------------
    def given(self, path: KeyPath) -> bool:
        return tuple(path) in self.entries

    def given_under(self, path: KeyPath) -> bool:
        n = len(path)
        return any(key[:n] == tuple(path) for key in self.entries)

    def raw(self, path: KeyPath) -> Any:
        entry = self.entries.get(tuple(path))
        return None if entry is None or entry.value is BROKEN else entry.value

    def palette(self) -> dict[str, ThemeColor]:
        """Every palette colour that evaluates, by name."""
        out: dict[str, ThemeColor] = {}
        for name in sorted(self._palette_entries):
            colour = self._palette_colour(name)
            if colour is not None:
                out[name] = colour
        return out

    def _palette_colour(self, name: str) -> ThemeColor | None:
        if name in self._palette:
            return self._palette[name]
        if name in self._resolving:
            cycle = " -> ".join([*self._resolving[self._resolving.index(name):], name])
            self.report(Severity.ERROR, ("palette", name), f"palette cycle: {cycle}")
            self._palette[name] = None
            return None
        self._resolving.append(name)
        try:
            colour = self.colour(("palette", name))
        finally:
            self._resolving.pop()
        self._palette.setdefault(name, colour)
        return self._palette[name]

    def colour(self, path: KeyPath) -> ThemeColor | None:
        """The given colour at ``path``, or None when not given or broken (then reported)."""
        entry = self.entries.get(tuple(path))
        if entry is None or entry.value is BROKEN:
            return None
        allow_tokens = self.tokens is not None and path[0] not in ("palette", "tokens")
        failed: list[str] = []

        def lookup(name: str) -> ThemeColor:
            if name in self._palette_entries:
                colour = self._palette_colour(name)
                if colour is None:
                    failed.append(name)
                    return ThemeColor(0, 0, 0)
                return colour
            if allow_tokens and self.tokens is not None and name in TOKEN_NAMES:
                token: ThemeColor = getattr(self.tokens, name)
                return token
            raise expr.UnknownName(name)

        try:
            colour = expr.evaluate(entry.value, lookup)
        except expr.UnknownName as error:
            choices = list(self._palette_entries) + (list(TOKEN_NAMES) if allow_tokens else [])
            what = "palette name or token" if allow_tokens else "palette name"
            self.report(Severity.ERROR, path, f'unknown {what} "{error.name}"{did_you_mean(error.name, choices)}')
            return None
        return None if failed else colour

    def build(self, cls: type[T], path: KeyPath, rules: Mapping[str, Rule]) -> T:
        """An instance of the dataclass ``cls``: each field given at ``path.<field>`` or made by its rule.

        Rules run in field order and receive the fields resolved so far. Nested dataclass fields are
        always made by their rule (which builds them from their own sub-path).
        """
        hints = _HINTS.get(cls) or typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            sub = (*path, f.name)
            value: Any = None
            hint = hints[f.name]
            nested = isinstance(hint, type) and is_dataclass(hint) and hint is not ThemeColor
            if not nested and self.given(sub):
                value = self.colour(sub) if hint is ThemeColor else self.raw(sub)
            values[f.name] = value if value is not None else rules[f.name](values)
        return cls(**values)
