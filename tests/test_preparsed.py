"""The pre-parsed C declarations (compositor/preparsed.py) are those of their sources: a stale one would only
cost start-up time silently, so this says which to regenerate."""

from __future__ import annotations

import importlib

from compositor import preparsed


def test_every_preparsed_module_matches_its_declarations() -> None:
    for name in preparsed.DECLARING:
        declaring = importlib.import_module(name)
        generated = importlib.import_module(declaring.PREPARSED)
        assert generated.CDEF == declaring.CDEF, f"{declaring.PREPARSED} is stale: python -m compositor.preparsed"
        assert declaring.ffi is generated.ffi
