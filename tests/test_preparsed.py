"""The pre-parsed C declarations (compositor/preparsed.py) are those of their sources: a stale one would only
cost start-up time silently, so this says which to regenerate."""

from __future__ import annotations

import importlib
import re
from typing import Any

from compositor import preparsed


def test_every_preparsed_module_matches_its_declarations() -> None:
    for name in preparsed.DECLARING:
        declaring = importlib.import_module(name)
        generated = importlib.import_module(declaring.PREPARSED)
        assert generated.CDEF == declaring.CDEF, f"{declaring.PREPARSED} is stale: python -m compositor.preparsed"
        assert declaring.ffi is generated.ffi


def test_every_callback_type_is_known_to_its_preparsed_declarations() -> None:
    """cffi's pre-parsed (out-of-line) mode parses type strings at run time with less of C than cdef does
    (``int(const char *, …)`` fails there): each ``ffi.callback`` type written in the compositor must be
    accepted by the declarations it comes from."""
    declared = [importlib.import_module(name).ffi for name in preparsed.DECLARING]
    for path in (preparsed.ROOT / "compositor").rglob("*.py"):
        for kind in re.findall(r'ffi\.callback\(\s*"([^"]+)"', path.read_text()):
            assert any(_accepts(ffi, kind) for ffi in declared), f"{path}: ffi.callback type {kind!r}"


def _accepts(ffi: Any, kind: str) -> bool:
    try:
        ffi.callback(kind, lambda *args: None)
    except Exception:
        return False
    return True
