"""Subscriptions: event sources an application listens to while ``subscriptions(state)`` returns them.

    Subscription.batch([every(1.0, Message.tick), file_changes(path, Message.reloaded)])

The runtime keeps a source running while a subscription with the same identity is returned, starts new
ones and stops the ones no longer returned.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from .event import WindowEvent
from .file_watch import maybe_changed

M = TypeVar("M")
N = TypeVar("N")


@dataclass(frozen=True)
class Recipe:
    """``stream()`` yields values (a source), or ``listener`` maps window events; ``mapper`` makes messages."""

    identity: Hashable
    stream: Callable[[], AsyncIterator[Any]] | None
    listener: Callable[[WindowEvent], Any] | None
    mapper: Callable[[Any], Any]


class Subscription(Generic[M]):
    def __init__(self, recipes: tuple[Recipe, ...] = ()) -> None:
        self.recipes = recipes

    @classmethod
    def none(cls) -> Subscription[M]:
        return cls()

    @classmethod
    def batch(cls, subscriptions: Iterable[Subscription[M]]) -> Subscription[M]:
        return cls(tuple(r for s in subscriptions for r in s.recipes))

    def map(self, fn: Callable[[M], N]) -> Subscription[N]:
        def remap(r: Recipe) -> Recipe:
            inner = r.mapper
            return Recipe((r.identity, _name(fn)), r.stream, r.listener, lambda v: fn(inner(v)))
        return Subscription(tuple(remap(r) for r in self.recipes))


def _name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"


def every(seconds: float, to_message: Callable[[float], M]) -> Subscription[M]:
    """``to_message(monotonic_time)`` every ``seconds``."""
    async def ticks() -> AsyncIterator[float]:
        while True:
            await asyncio.sleep(seconds)
            yield time.monotonic()
    return Subscription((Recipe(("every", seconds, _name(to_message)), ticks, None, to_message),))


def file_changes(path: Path | str, to_message: Callable[[Path], M], interval: float = 0.25) -> Subscription[M]:
    """``to_message(path)`` whenever the file's modification time or size changes (or it appears/vanishes): seen
    through inotify (:mod:`.file_watch`; polled every ``interval`` seconds where there is none)."""
    target = Path(path)

    def stamp() -> tuple[float, int] | None:
        try:
            st = target.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    async def changes() -> AsyncIterator[Path]:
        last = stamp()
        async for _ in maybe_changed(target, interval):
            now = stamp()
            if now != last:
                last = now
                yield target
    return Subscription((Recipe(("file", str(target), _name(to_message)), changes, None, to_message),))


def window_events(to_message: Callable[[WindowEvent], M | None]) -> Subscription[M]:
    """Window events (resize, close request, focus) as messages; None drops an event."""
    return Subscription((Recipe(("window", _name(to_message)), None, to_message, lambda v: v),))


def run(identity: Hashable, stream: Callable[[], AsyncIterator[Any]],
        to_message: Callable[[Any], M]) -> Subscription[M]:
    """A custom source: an async generator function, kept running while ``identity`` is subscribed."""
    return Subscription((Recipe(("run", identity), stream, None, to_message),))
