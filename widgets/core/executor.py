"""Runs tasks and subscriptions on an asyncio loop and hands their messages back to the runtime."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from typing import Any

from .event import WindowEvent
from .subscription import Recipe, Subscription
from .task import Task

log = logging.getLogger(__name__)


class Executor:
    def __init__(self, loop: asyncio.AbstractEventLoop, emit: Callable[[Any], None]) -> None:
        self.loop, self.emit = loop, emit
        self.running: set[asyncio.Future[Any]] = set()
        self.sources: dict[Hashable, tuple[Recipe, asyncio.Task[None] | None]] = {}

    def spawn(self, task: Task[Any] | None) -> None:
        if not task:
            return
        for action in task.actions:
            if action.kind == "message":
                self.emit(action.mapper(action.payload))
            elif action.kind == "future":
                self._track(self._await(action.payload, action.mapper))
            else:
                self._track(self._drain(action.payload, action.mapper))

    def _track(self, coro: Any) -> None:
        future = asyncio.ensure_future(coro, loop=self.loop)
        self.running.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: asyncio.Future[Any]) -> None:
        self.running.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("task failed", exc_info=future.exception())

    async def _await(self, work: Any, mapper: Callable[[Any], Any]) -> None:
        self.emit(mapper(await work))

    async def _drain(self, stream: Any, mapper: Callable[[Any], Any]) -> None:
        async for item in stream:
            self.emit(mapper(item))

    # -- subscriptions -----------------------------------------------------------------------------------
    def subscribe(self, subscription: Subscription[Any]) -> None:
        wanted = {r.identity: r for r in subscription.recipes}
        for identity in list(self.sources):
            if identity not in wanted:
                _recipe, handle = self.sources.pop(identity)
                if handle is not None:
                    handle.cancel()
        for identity, recipe in wanted.items():
            if identity in self.sources:
                handle = self.sources[identity][1]
                self.sources[identity] = (recipe, handle)  # newest mapper, same running source
                continue
            handle = None
            if recipe.stream is not None:
                handle = self.loop.create_task(self._source(identity))
            self.sources[identity] = (recipe, handle)

    async def _source(self, identity: Hashable) -> None:
        recipe = self.sources[identity][0]
        assert recipe.stream is not None
        async for value in recipe.stream():
            current = self.sources.get(identity)
            if current is None:
                return
            self.emit(current[0].mapper(value))

    def window_event(self, event: WindowEvent) -> None:
        for recipe, _handle in list(self.sources.values()):
            if recipe.listener is not None:
                message = recipe.listener(event)
                if message is not None:
                    self.emit(recipe.mapper(message))

    def idle(self) -> bool:
        return not self.running

    def close(self) -> None:
        for _recipe, handle in self.sources.values():
            if handle is not None:
                handle.cancel()
        for future in self.running:
            future.cancel()
        self.sources.clear()
