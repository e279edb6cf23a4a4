"""TOML themes: load, check, derive and watch the themes that style the whole desktop.

    from themes import SearchPath, load
    result = load("orrery-dark")                 # or load(Path("my.toml"))
    theme = result.theme                          # None when result.errors
    theme.style("button", "hovered").background

See docs/themes.md for the file format.
"""

from .color import Color
from .diagnostics import Diagnostic, Severity
from .loader import LoadResult, SearchPath, builtin, load, load_file
from .model import COMPONENTS, Theme, Tokens
from .watch import ThemeUpdate, ThemeWatcher

__all__ = ["COMPONENTS", "Color", "Diagnostic", "LoadResult", "SearchPath", "Severity", "Theme", "ThemeUpdate",
           "ThemeWatcher", "Tokens", "builtin", "load", "load_file"]
