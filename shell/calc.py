"""``=`` in the launcher: arithmetic evaluated by walking Python's AST; nothing is ever eval'd.

    evaluate("2 * (3 + 4) ** 2")   -> 98
    evaluate("sqrt(2) * pi")       -> 4.442882938158366
    evaluate("__import__('os')")   -> CalcError: ...

Numbers, ``+ - * / // % **``, unary ``+ -``, parentheses, the constants ``pi``, ``e``, ``tau`` and the functions
of :data:`FUNCTIONS`. Powers are bounded so that ``9 ** 9 ** 9`` is an error, not a frozen launcher.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

Number = int | float
MAX_EXPONENT = 10_000
MAX_LENGTH = 500
CONSTANTS: dict[str, Number] = {"pi": math.pi, "e": math.e, "tau": math.tau}
FUNCTIONS: dict[str, Callable[..., Number]] = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "ln": math.log, "log": math.log10, "log2": math.log2, "exp": math.exp, "abs": abs,
    "round": round, "floor": math.floor, "ceil": math.ceil, "min": min, "max": max,
}
BINARY: dict[type, Callable[[Any, Any], Number]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}


class CalcError(ValueError):
    pass


def evaluate(text: str) -> Number:
    """The value of an arithmetic expression; CalcError says what is wrong with one that has none."""
    if len(text) > MAX_LENGTH:
        raise CalcError("expression too long")
    source = text.replace("^", "**").replace("×", "*").replace("÷", "/").strip()
    if not source:
        raise CalcError("nothing to calculate")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise CalcError("not an arithmetic expression") from None
    try:
        return _walk(tree.body)
    except ZeroDivisionError:
        raise CalcError("division by zero") from None
    except OverflowError:
        raise CalcError("number too large") from None
    except (ValueError, TypeError) as error:
        if isinstance(error, CalcError):
            raise
        raise CalcError(f"math error: {error}") from None


def _walk(node: ast.AST) -> Number:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value: Number = node.value  # type: ignore[assignment]
        return value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        value = _walk(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left), _walk(node.right)
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
        op = BINARY.get(type(node.op))
        if op is None:
            raise CalcError(f"operator {type(node.op).__name__} is not supported")
        return op(left, right)
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise CalcError(f"unknown name {node.id!r}")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        function = FUNCTIONS.get(node.func.id)
        if function is None:
            raise CalcError(f"unknown function {node.func.id!r}")
        return function(*(_walk(arg) for arg in node.args))
    raise CalcError("only numbers, operators and functions are allowed")


def _power(base: Number, exponent: Number) -> Number:
    if abs(exponent) > MAX_EXPONENT or (isinstance(base, int) and isinstance(exponent, int)
                                        and abs(base) > 1 and exponent * math.log2(abs(base)) > 64 * 1024):
        raise CalcError("number too large")
    result = base ** exponent
    if isinstance(result, complex):
        raise CalcError("complex result")
    return result


def format_number(value: Number) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.12g}"
    return str(value)
