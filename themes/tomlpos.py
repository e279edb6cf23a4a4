"""Where each key of a TOML document is written: a key path -> line:column index.

``tomllib`` gives positions only for syntax errors, so this scanner reads the same (already valid) text
again and records, for every key path, where its key and its value start. It understands comments,
``[table]`` and ``[[array.of.tables]]`` headers, bare, quoted and dotted keys, all four string forms,
arrays (elements are indexed ``0, 1, ...``) and inline tables. Lines and columns are 1-based and count
characters, as tomllib's error messages do.

A path's key position is the position of its last part where that part is written: for
``[button.hovered]`` the path ``("button", "hovered")`` points at ``hovered``, and ``("button",)`` at
``button`` unless ``[button]`` itself came first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity

KeyPath = tuple[str | int, ...]
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")
_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_VALUE_END = set(",]}#\n")


@dataclass(frozen=True)
class Span:
    line: int
    column: int


@dataclass(frozen=True)
class KeyPos:
    key: Span
    value: Span | None = None


class PositionIndex:
    def __init__(self, entries: dict[KeyPath, KeyPos]) -> None:
        self._entries = dict(entries)

    def get(self, path: KeyPath) -> KeyPos | None:
        return self._entries.get(tuple(path))

    def key(self, path: KeyPath) -> Span | None:
        """Where the key of ``path`` (or of its nearest written ancestor) is."""
        for end in range(len(path), 0, -1):
            found = self._entries.get(tuple(path[:end]))
            if found is not None:
                return found.key
        return None

    def value(self, path: KeyPath) -> Span | None:
        """Where the value of ``path`` starts, else where its key is."""
        found = self._entries.get(tuple(path))
        if found is not None and found.value is not None:
            return found.value
        return self.key(path)

    def paths(self) -> list[KeyPath]:
        return list(self._entries)


def index_toml(text: str) -> PositionIndex:
    """Index a TOML document; meant for text tomllib accepted (on other text it indexes what it can)."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except _Stop:
        pass
    return PositionIndex(scanner.entries)


class _Stop(Exception):
    pass


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.entries: dict[KeyPath, KeyPos] = {}
        self.array_tables: dict[KeyPath, int] = {}

    # positions -----------------------------------------------------------------------------------------
    def span(self, pos: int) -> Span:
        line = bisect.bisect_right(self.line_starts, pos)
        return Span(line, pos - self.line_starts[line - 1] + 1)

    def record_key(self, path: KeyPath, pos: int, *, overwrite: bool = False) -> None:
        if overwrite or path not in self.entries:
            self.entries[path] = KeyPos(self.span(pos))

    def record_value(self, path: KeyPath, key_pos: int, value_pos: int) -> None:
        self.entries[path] = KeyPos(self.span(key_pos), self.span(value_pos))

    # characters ----------------------------------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def skip_space(self, newlines: bool = False) -> None:
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c in " \t\r" or (newlines and c == "\n"):
                self.pos += 1
            elif c == "#" and newlines:
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    # grammar -------------------------------------------------------------------------------------------
    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)
            self.skip_space()
            if self.peek() == "#" or self.peek() == "\n":
                self.skip_line()

    def header(self) -> KeyPath:
        array = self.peek(2) == "[["
        self.pos += 2 if array else 1
        parts = self.key()
        self.pos += 2 if array else 1
        path: KeyPath = ()
        for i, (name, pos) in enumerate(parts):
            path = (*path, name)
            last = i == len(parts) - 1
            if last and array:
                index = self.array_tables.get(path, -1) + 1
                self.array_tables[path] = index
                self.record_key(path, pos)
                path = (*path, index)
                self.record_key(path, pos, overwrite=True)
            else:
                self.record_key(path, pos, overwrite=last)
                if path in self.array_tables:
                    path = (*path, self.array_tables[path])
        return path

    def key(self) -> list[tuple[str, int]]:
        """A dotted key: its parts and where each starts."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip_space()
            start = self.pos
            c = self.peek()
            if c == '"' or c == "'":
                name = self.string()
            else:
                while self.pos < len(self.text) and self.text[self.pos] in _BARE:
                    self.pos += 1
                name = self.text[start:self.pos]
                if not name:
                    raise _Stop
            parts.append((name, start))
            self.skip_space()
            if self.peek() != ".":
                return parts
            self.pos += 1

    def key_value(self, table: KeyPath) -> None:
        parts = self.key()
        if self.peek() != "=":
            raise _Stop
        self.pos += 1
        self.skip_space()
        path = table
        for name, pos in parts[:-1]:
            path = (*path, name)
            self.record_key(path, pos)
        name, key_pos = parts[-1]
        self.value((*path, name), key_pos)

    def value(self, path: KeyPath, key_pos: int) -> None:
        self.record_value(path, key_pos, self.pos)
        c = self.peek()
        if c == '"' or c == "'":
            self.string()
        elif c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in _VALUE_END:
                self.pos += 1

    def array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                raise _Stop
            if self.peek() == "]":
                self.pos += 1
                return
            self.value((*path, index), self.pos)
            index += 1
            self.skip_space(newlines=True)
            if self.peek() == ",":
                self.pos += 1

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                raise _Stop
            if self.peek() == "}":
                self.pos += 1
                return
            self.key_value(path)
            self.skip_space(newlines=True)
            if self.peek() == ",":
                self.pos += 1

    def string(self) -> str:
        """Consume a string of any of the four forms; returns its (unescaped enough for keys) content."""
        quote = self.peek()
        if self.peek(3) == quote * 3:
            end = self.text.find(quote * 3, self.pos + 3)
            if end < 0:
                raise _Stop
            while self.text[end + 3:end + 4] == quote:  # up to two quotes may end the content
                end += 1
            content = self.text[self.pos + 3:end]
            self.pos = end + 3
            return content
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == quote:
                self.pos += 1
                return "".join(chars)
            if c == "\\" and quote == '"':
                chars.append(_unescape(self.text[self.pos:self.pos + 10]))
                self.pos += 2 if self.text[self.pos + 1:self.pos + 2] not in ("u", "U") else \
                    (6 if self.text[self.pos + 1] == "u" else 10)
                continue
            if c == "\n":
                raise _Stop
            chars.append(c)
            self.pos += 1
        raise _Stop


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def _unescape(text: str) -> str:
    kind = text[1:2]
    if kind == "u":
        return chr(int(text[2:6], 16))
    if kind == "U":
        return chr(int(text[2:10], 16))
    return _ESCAPES.get(kind, kind)


def read_toml(path: Path) -> tuple[dict[str, Any], PositionIndex] | Diagnostic:
    """A TOML file's data and where each key is written, or what keeps it from being read (as
    ``file:line:col``). A missing file raises FileNotFoundError: what that means is the caller's to say."""
    def problem(line: int, column: int, message: str) -> Diagnostic:
        return Diagnostic(Severity.ERROR, path, line, column, "", message)

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except UnicodeDecodeError:
        return problem(0, 0, "not UTF-8 text")
    except OSError as error:
        return problem(0, 0, f"cannot read: {error.strerror or error}")
    import tomllib  # here, not at the top: without a file there is nothing to parse (≈ 2 ms of start-up)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_POSITION.search(message)
        if found:
            return problem(int(found[1]), int(found[2]), f"invalid TOML: {message[:found.start()]}")
        lines = text.split("\n")
        return problem(len(lines), len(lines[-1]) + 1, f"invalid TOML: {_TOML_END.sub('', message)}")
    return data, index_toml(text)
