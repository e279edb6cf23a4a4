"""The theme file's schema, read off the dataclasses in :mod:`themes.model`, and the per-file check.

:func:`check_file_data` walks one parsed file against the schema and returns its values flattened to
key paths (``("button", "hovered", "background") -> Entry``), each remembering where it was written, plus
every unknown key, wrong type and malformed colour found on the way.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from . import expr, model
from .color import ThemeColor
from .diagnostics import Diagnostic, Severity, did_you_mean, dotted
from .tomlpos import KeyPath, PositionIndex


@dataclass(frozen=True)
class ColourLeaf:
    pass


@dataclass(frozen=True)
class NumberLeaf:
    minimum: float | None = 0.0


@dataclass(frozen=True)
class StringLeaf:
    pass


@dataclass(frozen=True)
class EnumLeaf:
    values: tuple[str, ...]


@dataclass(frozen=True)
class ArrayLeaf:
    item: EnumLeaf


@dataclass(frozen=True)
class Table:
    fields: dict[str, SchemaNode]
    any_key: ColourLeaf | None = None
    """For ``[palette]``: every key is allowed and holds this kind of value."""
    base_status: str | None = None
    """For a stateful component: the status its top-level keys set (``[x.<base_status>]`` is refused)."""


SchemaNode = ColourLeaf | NumberLeaf | StringLeaf | EnumLeaf | ArrayLeaf | Table


@dataclass(frozen=True)
class Entry:
    """A value as written (colours parsed, not evaluated) and where: ``file`` at ``line``:``column``."""

    value: Any
    file: Path
    line: int
    column: int


BROKEN: Any = object()
"""The value stored for a key whose value was reported as wrong, so that nothing downstream reports it again
and the key still overrides what a parent theme set."""

_SIGNED = {(model.Shadow, "x"), (model.Shadow, "y"), (model.Gradient, "angle")}


def _node(owner: type, name: str, hint: Any) -> SchemaNode:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return _node(owner, name, inner)
    if hint is ThemeColor:
        return ColourLeaf()
    if hint is float:
        return NumberLeaf(None if (owner, name) in _SIGNED else 0.0)
    if hint is str or hint is Path:
        return StringLeaf()
    if origin is typing.Literal:
        return EnumLeaf(tuple(get_args(hint)))
    if origin is tuple:
        item = _node(owner, name, get_args(hint)[0])
        assert isinstance(item, EnumLeaf)
        return ArrayLeaf(item)
    if isinstance(hint, type) and is_dataclass(hint):
        return table_of(hint)
    raise TypeError(f"no schema for {owner.__name__}.{name}: {hint!r}")


def table_of(cls: type) -> Table:
    hints = typing.get_type_hints(cls)
    return Table({f.name: _node(cls, f.name, hints[f.name]) for f in fields(cls)})


def _component(kind: type) -> Table:
    statuses = model.statuses_of(kind)
    if len(statuses) == 1:
        return table_of(kind)
    style = typing.get_type_hints(kind)[statuses[0]]
    base = table_of(style)
    return Table({**base.fields, **{status: base for status in statuses[1:]}}, base_status=statuses[0])


def _root() -> Table:
    meta = Table({"name": StringLeaf(), "author": StringLeaf(), "variant": EnumLeaf(("dark", "light")),
                  "inherits": StringLeaf()})
    sections: dict[str, SchemaNode] = {
        "meta": meta,
        "palette": Table({}, any_key=ColourLeaf()),
        "tokens": table_of(model.Tokens),
        "fonts": table_of(model.Fonts),
        "spacing": table_of(model.Spacing),
        "radii": table_of(model.Radii),
    }
    sections.update({name: _component(kind) for name, kind in model.COMPONENTS.items()})
    return Table(sections)


ROOT = _root()


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


class _Checker:
    def __init__(self, file: Path, index: PositionIndex) -> None:
        self.file = file
        self.index = index
        self.entries: dict[KeyPath, Entry] = {}
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        span = self.index.key(path) if at_key else self.index.value(path)
        line, column = (span.line, span.column) if span else (0, 0)
        self.diagnostics.append(Diagnostic(Severity.ERROR, self.file, line, column, dotted(path), message))
        if not at_key:
            self.entries[path] = Entry(BROKEN, self.file, line, column)

    def store(self, path: KeyPath, value: object) -> None:
        span = self.index.value(path)
        line, column = (span.line, span.column) if span else (0, 0)
        self.entries[path] = Entry(value, self.file, line, column)

    def table(self, path: KeyPath, node: Table, data: dict[str, Any]) -> None:
        for key, value in data.items():
            child_path = (*path, key)
            child = node.fields.get(key, node.any_key)
            if child is None:
                if key == node.base_status:
                    self.error(child_path, f'unknown key "{key}": the {key} state\'s fields go directly in '
                               f"[{dotted(path)}]", at_key=True)
                else:
                    self.error(child_path, f'unknown key "{key}"{did_you_mean(key, node.fields)}', at_key=True)
                continue
            if node.any_key is not None and key not in node.fields and not self.palette_name(child_path, key):
                continue
            self.value(child_path, child, value)

    def palette_name(self, path: KeyPath, key: str) -> bool:
        if expr.NAME_RE.fullmatch(key) is None:
            self.error(path, f'palette name "{key}" must start with a letter or _ and hold only letters, '
                       "digits, _ and -", at_key=True)
            return False
        if key in expr.FUNCTIONS:
            self.error(path, f'palette name "{key}" is the name of a function', at_key=True)
            return False
        return True

    def value(self, path: KeyPath, node: SchemaNode, value: Any) -> None:
        if isinstance(node, Table):
            if not isinstance(value, dict):
                self.error(path, f"expected a table, found {_type_name(value)}")
            else:
                self.table(path, node, value)
        elif isinstance(node, ColourLeaf):
            self.colour(path, value)
        elif isinstance(node, NumberLeaf):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.error(path, f"expected a number, found {_type_name(value)}")
            elif node.minimum is not None and value < node.minimum:
                self.error(path, f"expected a number of at least {node.minimum:g}, found {value}")
            else:
                self.store(path, float(value))
        elif isinstance(node, StringLeaf):
            if not isinstance(value, str):
                self.error(path, f"expected a string, found {_type_name(value)}")
            else:
                self.store(path, value)
        elif isinstance(node, EnumLeaf):
            if self.enum(path, node, value):
                self.store(path, value)
        elif not isinstance(value, list):
            self.error(path, f"expected an array, found {_type_name(value)}")
        elif all([self.enum((*path, i), node.item, item) for i, item in enumerate(value)]):
            self.store(path, tuple(value))

    def enum(self, path: KeyPath, node: EnumLeaf, value: Any) -> bool:
        choices = ", ".join(f'"{v}"' for v in node.values)
        if not isinstance(value, str):
            self.error(path, f"expected one of {choices}, found {_type_name(value)}")
            return False
        if value not in node.values:
            self.error(path, f'"{value}" is not one of {choices}{did_you_mean(value, node.values)}')
            return False
        return True

    def colour(self, path: KeyPath, value: Any) -> None:
        if not isinstance(value, str):
            self.error(path, f"expected a colour string, found {_type_name(value)}")
            return
        try:
            self.store(path, expr.parse(value))
        except expr.ColourSyntaxError as error:
            self.error(path, f'bad colour "{value}": {error}')


def check_file_data(data: dict[str, Any], file: Path, index: PositionIndex) -> tuple[dict[KeyPath, Entry],
                                                                                    list[Diagnostic]]:
    """Flatten one file's parsed TOML to checked entries, and report what does not fit the schema."""
    checker = _Checker(file, index)
    checker.table((), ROOT, data)
    return checker.entries, checker.diagnostics
