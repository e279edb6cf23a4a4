"""Tasks: work that ``update`` starts (a message now, a coroutine, an async stream), mapped to messages.

    return Task.perform(fetch(url), Message.loaded)          # one message when the coroutine ends
    return Task.batch([Task.done(Message.saved), other])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

M = TypeVar("M")
N = TypeVar("N")
T = TypeVar("T")


@dataclass(frozen=True)
class TaskAction:
    kind: str  # "message", "future" or "stream"
    payload: Any
    mapper: Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


class Task(Generic[M]):
    def __init__(self, actions: tuple[TaskAction, ...] = ()) -> None:
        self.actions = actions

    @classmethod
    def none(cls) -> Task[M]:
        return cls()

    @classmethod
    def done(cls, message: M) -> Task[M]:
        return cls((TaskAction("message", message, _identity),))

    @classmethod
    def perform(cls, work: Awaitable[T], to_message: Callable[[T], M]) -> Task[M]:
        return cls((TaskAction("future", work, to_message),))

    @classmethod
    def run(cls, stream: AsyncIterator[T], to_message: Callable[[T], M]) -> Task[M]:
        """Each item of an async iterator becomes a message."""
        return cls((TaskAction("stream", stream, to_message),))

    @classmethod
    def batch(cls, tasks: Iterable[Task[M] | None]) -> Task[M]:
        return cls(tuple(a for t in tasks if t is not None for a in t.actions))

    def map(self, fn: Callable[[M], N]) -> Task[N]:
        return Task(tuple(TaskAction(a.kind, a.payload, _compose(a.mapper, fn)) for a in self.actions))

    def __bool__(self) -> bool:
        return bool(self.actions)


def _compose(first: Callable[[Any], Any], then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: then(first(value))
