"""Live reload: watch a theme's files with inotify (watchdog) and hand out new themes on an asyncio loop.

::

    async with ThemeWatcher("my-theme") as watcher:
        apply(watcher.current)
        async for update in watcher:
            apply(update.theme)                     # the previous theme again when the edit was broken
            for problem in update.diagnostics:
                show(problem)

The watcher watches the *directories* of every file in the inheritance chain (and the theme directories
on the search path), not the files, so saves by editors that write a temporary file and rename it over the
theme are seen as well as in-place writes. Bursts of events (write, chmod, rename) are coalesced. A toolkit
can wrap the async iterator as a subscription.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .diagnostics import Diagnostic
from .loader import SearchPath, builtin, load
from .model import ThemeModel

log = logging.getLogger(__name__)
_EVENTS: list[type[FileSystemEvent]] = [FileModifiedEvent, FileCreatedEvent, FileMovedEvent, FileDeletedEvent,
                                        FileClosedEvent]


@dataclass(frozen=True)
class ThemeUpdate:
    """What a reload gave: the theme to use now, and the problems found.

    ``applied`` is False when the edit had errors: ``theme`` is then the previous theme, unchanged.
    """

    theme: ThemeModel
    diagnostics: tuple[Diagnostic, ...]
    applied: bool

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class _Handler(FileSystemEventHandler):
    def __init__(self, loop: asyncio.AbstractEventLoop, changed: asyncio.Event) -> None:
        self.loop = loop
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path)]
        if any(p.endswith(".toml") for p in paths):
            try:
                self.loop.call_soon_threadsafe(self.changed.set)
            except RuntimeError:  # the loop closed while the observer thread was still delivering
                pass


class ThemeWatcher:
    """Loads ``source`` (a theme name, or a Path to a file) now, and again on every change while entered.

    When the first load fails, ``current`` is the built-in ``fallback`` and ``diagnostics`` says why.
    """

    def __init__(self, source: str | Path, search: SearchPath | None = None, *, debounce: float = 0.05,
                 fallback: str = "orrery-dark") -> None:
        self.source = source
        self.search = search or SearchPath.from_env()
        self.debounce = debounce
        result = load(source, self.search)
        self.files = result.files
        self.diagnostics = result.diagnostics
        self.current = result.theme if result.theme is not None else builtin(fallback)
        self._report(result.diagnostics)
        self._observer: BaseObserver | None = None
        self._changed: asyncio.Event | None = None
        self._watched: set[Path] = set()

    async def __aenter__(self) -> ThemeWatcher:
        self._changed = asyncio.Event()
        self._handler = _Handler(asyncio.get_running_loop(), self._changed)
        self._observer = Observer()
        self._watch()
        self._observer.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        tb: TracebackType | None) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            await asyncio.to_thread(observer.join, 5)

    def __aiter__(self) -> ThemeWatcher:
        return self

    async def __anext__(self) -> ThemeUpdate:
        if self._changed is None or self._observer is None:
            raise StopAsyncIteration
        while True:
            await self._changed.wait()
            await asyncio.sleep(self.debounce)
            self._changed.clear()
            update = self.reload()
            if update is not None:
                return update

    def reload(self) -> ThemeUpdate | None:
        """Load again; None when nothing visible changed (same theme, same problems)."""
        result = load(self.source, self.search)
        if result.theme is None:
            if result.diagnostics == self.diagnostics:
                return None
            self.diagnostics = result.diagnostics
            self._report(result.diagnostics, kept=self.current.name)
            return ThemeUpdate(self.current, result.diagnostics, applied=False)
        if result.theme == self.current and result.diagnostics == self.diagnostics:
            return None
        self.current, self.diagnostics, self.files = result.theme, result.diagnostics, result.files
        self._report(result.diagnostics)
        if self._observer is not None:
            self._watch()
        return ThemeUpdate(result.theme, result.diagnostics, applied=True)

    def _watch(self) -> None:
        wanted = {f.parent for f in self.files} | {d for d in self.search.dirs[:-1] if d.is_dir()}
        wanted = {d.resolve() for d in wanted if d.is_dir()}
        if wanted == self._watched or self._observer is None:
            return
        self._observer.unschedule_all()
        for directory in sorted(wanted):
            self._observer.schedule(self._handler, str(directory), recursive=False, event_filter=_EVENTS)
        self._watched = wanted

    def _report(self, diagnostics: tuple[Diagnostic, ...], kept: str | None = None) -> None:
        for problem in diagnostics:
            (log.error if problem.is_error else log.warning)("%s", problem)
        if kept is not None:
            log.error("theme %s not reloaded: keeping %s", self.source, kept)
