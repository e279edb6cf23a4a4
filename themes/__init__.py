"""TOML themes: load, check, derive and watch the themes that style the whole desktop.

    from themes import SearchPath, load
    result = load("orrery-dark")                 # or load(Path("my.toml"))
    theme = result.theme                          # None when result.errors
    theme.style("button", "hovered").background

See docs/themes.md for the file format.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .color import ThemeColor
    from .diagnostics import Diagnostic, Severity
    from .loader import LoadResult, SearchPath, builtin, load, load_file
    from .model import COMPONENTS, ThemeModel, Tokens
    from .watch import ThemeUpdate, ThemeWatcher

# Imported on first use, so that `orrery run` (which only builds the `orrery theme` parser) starts fast.
_HOMES = {"ThemeColor": "color", "Diagnostic": "diagnostics", "Severity": "diagnostics", "LoadResult": "loader",
          "SearchPath": "loader", "builtin": "loader", "load": "loader", "load_file": "loader",
          "COMPONENTS": "model", "ThemeModel": "model", "Tokens": "model", "ThemeUpdate": "watch",
          "ThemeWatcher": "watch"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'themes' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)


__all__ = ["COMPONENTS", "Diagnostic", "LoadResult", "SearchPath", "Severity", "ThemeColor", "ThemeModel",
           "ThemeUpdate", "ThemeWatcher", "Tokens", "builtin", "load", "load_file"]
