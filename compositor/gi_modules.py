"""GObject-introspected libraries (Pango, librsvg, GLib), imported when first used: introspection costs ≈ 10 ms,
and nothing on the way to a client's first frame draws text or icons.

    Pango = library("Pango", "1.0")      # the module gi.repository.Pango, that version
"""

from __future__ import annotations

import importlib
from typing import Any


def library(namespace: str, version: str | None = None) -> Any:
    """``gi.repository.NAMESPACE`` at ``version`` (None: whichever gi picks, for GLib); Python's import cache
    makes every call after the first a lookup."""
    import gi

    if version is not None:
        gi.require_version(namespace, version)
    return importlib.import_module(f"gi.repository.{namespace}")
