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
can wrap the async iterator as a subscription. :class:`DirectoryWatch` is that watching on its own, for other
files that reload when saved (the compositor's orrery.toml).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
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

if TYPE_CHECKING:
    from .loader import SearchPath
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
    def __init__(self, loop: asyncio.AbstractEventLoop, changed: asyncio.Event, wanted: Callable[[str], bool],
                 directories: bool) -> None:
        self.loop = loop
        self.changed = changed
        self.wanted = wanted
        self.directories = directories

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and not self.directories:
            return
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path)]
        if any(self.wanted(p) for p in paths if p):
            try:
                self.loop.call_soon_threadsafe(self.changed.set)
            except RuntimeError:  # the loop closed while the observer thread was still delivering
                pass


class DirectoryWatch:
    """inotify (watchdog) on some directories, not their subdirectories: ``changed``, an asyncio.Event, is set on
    the running loop when a file is written, created, moved or removed there and ``wanted(path)`` accepts its path
    (either path of a move). With ``directories``, subdirectories created or moved there count too (to see a
    missing directory appear). Create it and :meth:`stop` it on the loop."""

    def __init__(self, wanted: Callable[[str], bool], directories: bool = False) -> None:
        self.changed = asyncio.Event()
        self._handler = _Handler(asyncio.get_running_loop(), self.changed, wanted, directories)
        self._events = [*_EVENTS, DirCreatedEvent, DirMovedEvent] if directories else _EVENTS
        self._observer: BaseObserver | None = Observer()
        self._observer.start()
        self.watched: frozenset[Path] = frozenset()

    def watch(self, directories: Iterable[Path]) -> None:
        """Watch these directories (those that exist), and no others."""
        wanted = frozenset(d.resolve() for d in directories if d.is_dir())
        if wanted == self.watched or self._observer is None:
            return
        self._observer.unschedule_all()
        for directory in sorted(wanted):
            self._observer.schedule(self._handler, str(directory), recursive=False, event_filter=self._events)
        self.watched = wanted

    async def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            await asyncio.to_thread(observer.join, 5)


class ThemeWatcher:
    """Loads ``source`` (a theme name, or a Path to a file) now, and again on every change while entered.

    When the first load fails, ``current`` is the built-in ``fallback`` and ``diagnostics`` says why.
    """

    def __init__(self, source: str | Path, search: SearchPath | None = None, *, debounce: float = 0.05,
                 fallback: str = "orrery-dark") -> None:
        # here, not at the top: the compositor uses DirectoryWatch alone, without the theme engine
        from .loader import SearchPath, builtin, load

        self.source = source
        self.search = search or SearchPath.from_env()
        self.debounce = debounce
        result = load(source, self.search)
        self.files = result.files
        self.diagnostics = result.diagnostics
        self.current = result.theme if result.theme is not None else builtin(fallback)
        self._report(result.diagnostics)
        self._watch_dirs: DirectoryWatch | None = None

    async def __aenter__(self) -> ThemeWatcher:
        self._watch_dirs = DirectoryWatch(lambda path: path.endswith(".toml"))
        self._watch()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        tb: TracebackType | None) -> None:
        watch, self._watch_dirs = self._watch_dirs, None
        if watch is not None:
            await watch.stop()

    def __aiter__(self) -> ThemeWatcher:
        return self

    async def __anext__(self) -> ThemeUpdate:
        watch = self._watch_dirs
        if watch is None:
            raise StopAsyncIteration
        while True:
            await watch.changed.wait()
            await asyncio.sleep(self.debounce)
            watch.changed.clear()
            update = self.reload()
            if update is not None:
                return update

    def reload(self) -> ThemeUpdate | None:
        """Load again; None when nothing visible changed (same theme, same problems)."""
        from .loader import load

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
        self._watch()
        return ThemeUpdate(result.theme, result.diagnostics, applied=True)

    def _watch(self) -> None:
        if self._watch_dirs is not None:
            self._watch_dirs.watch({f.parent for f in self.files} | set(self.search.dirs[:-1]))

    def _report(self, diagnostics: tuple[Diagnostic, ...], kept: str | None = None) -> None:
        for problem in diagnostics:
            (log.error if problem.is_error else log.warning)("%s", problem)
        if kept is not None:
            log.error("theme %s not reloaded: keeping %s", self.source, kept)
