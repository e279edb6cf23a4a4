"""Colour expressions: ``#rgb``/``#rrggbb``/``#rrggbbaa``, a name, or a function of colours.

    mix(a, b, t)        a moved t (0-1, or a percentage) of the way towards b
    lighten(c, amount)  HSL lightness raised by amount
    darken(c, amount)   HSL lightness lowered by amount
    alpha(c, a)         c with its alpha replaced by a

Parsing (:func:`parse`) only checks the syntax and the arguments' kinds and ranges; names are looked up
when the expression is evaluated (:func:`evaluate`), after every theme in the inheritance chain is merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .color import ThemeColor, darken, lighten, mix

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_TOKEN_RE = re.compile(r"\s*(?:(?P<hex>#[0-9A-Za-z]*)|(?P<num>-?\d+(?:\.\d*)?%?|-?\.\d+%?)"
                       r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)|(?P<punct>[(),]))")


class ColourSyntaxError(ValueError):
    """The text is not a colour expression; the message says why, for the author."""


class UnknownName(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Literal:
    color: ThemeColor


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Expr, ...]
    numbers: tuple[float, ...]


Expr = Literal | Name | Call

# name -> (number of colour arguments, number of numeric arguments)
FUNCTIONS: dict[str, tuple[int, int]] = {"mix": (2, 1), "lighten": (1, 1), "darken": (1, 1), "alpha": (1, 1)}
_SIGNATURES = {"mix": "mix(a, b, t)", "lighten": "lighten(colour, amount)",
               "darken": "darken(colour, amount)", "alpha": "alpha(colour, a)"}


def parse(text: str) -> Expr:
    parser = _Parser(text)
    expr = parser.expr()
    if parser.peek() is not None:
        raise ColourSyntaxError(f"unexpected {parser.peek_text()!r} after the colour")
    return expr


def names(expr: Expr) -> list[str]:
    """Every name the expression refers to, in order."""
    if isinstance(expr, Name):
        return [expr.name]
    if isinstance(expr, Call):
        return [n for arg in expr.args for n in names(arg)]
    return []


def evaluate(expr: Expr, lookup: Callable[[str], ThemeColor]) -> ThemeColor:
    """The expression's colour; ``lookup`` resolves names and raises :class:`UnknownName`."""
    if isinstance(expr, Literal):
        return expr.color
    if isinstance(expr, Name):
        return lookup(expr.name)
    colours = [evaluate(arg, lookup) for arg in expr.args]
    (amount,) = expr.numbers
    if expr.function == "mix":
        return mix(colours[0], colours[1], amount)
    if expr.function == "lighten":
        return lighten(colours[0], amount)
    if expr.function == "darken":
        return darken(colours[0], amount)
    return colours[0].with_alpha(amount)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN_RE.match(text, pos)
            if match is None or match.end() == pos:
                bad = text[pos:].lstrip()[:1]
                raise ColourSyntaxError(f"unexpected {bad!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def peek_text(self) -> str:
        return self.tokens[self.pos][1]

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ColourSyntaxError("the expression ends too early")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, punct: str) -> None:
        kind, text = self.take()
        if text != punct:
            raise ColourSyntaxError(f"expected {punct!r}, found {text!r}")

    def expr(self) -> Expr:
        if not self.tokens:
            raise ColourSyntaxError("empty colour")
        kind, text = self.take()
        if kind == "hex":
            try:
                return Literal(ThemeColor.from_hex(text))
            except ValueError as error:
                raise ColourSyntaxError(str(error)) from None
        if kind == "name" and self.peek() == "punct" and self.peek_text() == "(":
            return self.call(text)
        if kind == "name":
            return Name(text)
        if kind == "num":
            raise ColourSyntaxError(f"expected a colour, found the number {text}")
        raise ColourSyntaxError(f"unexpected {text!r}")

    def call(self, function: str) -> Call:
        if function not in FUNCTIONS:
            raise ColourSyntaxError(f"unknown function {function!r} (functions: {', '.join(_SIGNATURES.values())})")
        n_colours, n_numbers = FUNCTIONS[function]
        self.expect("(")
        args: list[Expr] = []
        numbers: list[float] = []
        for i in range(n_colours + n_numbers):
            if i:
                self.expect(",")
            if i < n_colours:
                args.append(self.expr())
            else:
                numbers.append(self.number(function))
        if self.peek() == "punct" and self.peek_text() == ",":
            raise ColourSyntaxError(f"too many arguments: {_SIGNATURES[function]}")
        self.expect(")")
        return Call(function, tuple(args), tuple(numbers))

    def number(self, function: str) -> float:
        kind, text = self.take()
        if kind != "num":
            raise ColourSyntaxError(f"expected a number, found {text!r}: {_SIGNATURES[function]}")
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        if not 0 <= value <= 1:
            raise ColourSyntaxError(f"{text} is out of range: {_SIGNATURES[function]} takes 0-1 or 0%-100%")
        return value
