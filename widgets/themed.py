"""Apps styled by a TOML theme that restyle when it is saved, and say so when a save is refused.

The one-liner wraps any application::

    from widgets.themed import Themed
    widgets.wayland.run(Themed(MyApp(), "sunset"), 800, 600)   # a theme name, or a Path to a file

or, in an app of your own, the parts it is made of::

    def init(self): return State(live=LiveTheme.load("sunset"))
    def subscriptions(self, state): return watch_theme("sunset", Restyle)
    def update(self, state, message):
        if isinstance(message, Restyle): state.live = state.live.apply(message.update)
    def theme(self, state): return state.live.theme
    def view(self, state): return with_notice(content, state.live)

:func:`watch_theme` wraps :class:`themes.ThemeWatcher` (inotify on the theme's directories, so in-place
saves and editors' rename-over saves are both seen) as a toolkit subscription. A save with errors keeps
the previous theme: the watcher logs every problem, and :func:`with_notice` lays a banner over the top of
the window naming each one as ``file:line:column: key: message`` until a good save.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from themes import SearchPath, ThemeUpdate, ThemeWatcher, builtin, load
from themes.diagnostics import Diagnostic

from .core.application import Application, optional
from .core.element import Widget
from .core.layout import Fill
from .core.subscription import Subscription, run
from .core.task import Task
from .style_adapter import ThemeAdapter
from .widget.container import container
from .widget.flex import column
from .widget.space import Space
from .widget.stack import stack
from .widget.text import text

S = TypeVar("S")
M = TypeVar("M")
NOTICE_LINES = 3
"""Problems listed by the banner; the rest are counted (all of them are in the log)."""


def watch_theme(source: str | Path, to_message: Callable[[ThemeUpdate], M], search: SearchPath | None = None, *,
                debounce: float = 0.05) -> Subscription[M]:
    """``to_message(update)`` now (the theme as found when the watch starts) and after every save of the theme
    or a file it inherits from. ``update.applied`` is False after a save with errors (``update.theme`` is then
    the previous theme)."""
    async def updates() -> AsyncIterator[ThemeUpdate]:
        async with ThemeWatcher(source, search, debounce=debounce) as watcher:
            ok = not any(d.is_error for d in watcher.diagnostics)
            yield ThemeUpdate(watcher.current, watcher.diagnostics, applied=ok)
            async for update in watcher:
                yield update
    where = None if search is None else tuple(str(d) for d in search.dirs)
    return run(("theme", str(source), isinstance(source, Path), where, debounce), updates, to_message)


@dataclass(frozen=True)
class LiveTheme:
    """The theme an app draws with, and the errors of the last save that was refused (none after a good one)."""

    theme: ThemeAdapter
    problems: tuple[Diagnostic, ...] = ()
    source: str = ""

    @classmethod
    def load(cls, source: str | Path, search: SearchPath | None = None, fallback: str = "orrery-dark") -> LiveTheme:
        """Load now; a theme with errors gives the built-in ``fallback`` and the errors to show."""
        result = load(source, search)
        model = result.theme if result.theme is not None else builtin(fallback)
        return cls(ThemeAdapter(model), tuple(result.errors), _label(source))

    def apply(self, update: ThemeUpdate) -> LiveTheme:
        """The state after ``update``: its theme when applied, else this theme and the update's errors."""
        if not update.applied:
            return LiveTheme(self.theme, tuple(update.errors), self.source)
        theme = self.theme if update.theme == self.theme.model else ThemeAdapter(update.theme)
        return LiveTheme(theme, (), self.source)

    @property
    def notice(self) -> list[str]:
        """The banner's lines: a headline, then ``file:line:column: key: message`` per problem; [] when fine."""
        if not self.problems:
            return []
        count = len(self.problems)
        head = (f"Theme {self.source} has {count} error{'s' if count > 1 else ''}: "
                f"still showing {self.theme.name}")
        lines = [_problem(d) for d in self.problems[:NOTICE_LINES]]
        if count > NOTICE_LINES:
            lines.append(f"… and {count - NOTICE_LINES} more (see the log, or run `orrery theme check`)")
        return [head, *lines]


def _label(source: str | Path) -> str:
    return source.name if isinstance(source, Path) else f'"{source}"'


def _problem(d: Diagnostic) -> str:
    where = d.file.name if d.file is not None else "<theme>"
    place = f"{where}:{d.line}:{d.column}" if d.line else where
    key = f"{d.key}: " if d.key else ""
    return f"{place}: {key}{d.message}"


def notice_banner(lines: Sequence[str]) -> Widget[Any]:
    """A banner in the theme's danger colours (class ``notice``); empty (no size) when there are no lines."""
    if not lines:
        return Space(0, 0)
    head, *rest = lines
    body: list[Widget[Any]] = [text(head).bold().style("notice"), *(text(line).style("notice") for line in rest)]
    return container(column(body).spacing(2)).padding((8, 12)).width(Fill).style("notice")


def with_notice(content: Widget[M], live: LiveTheme) -> Widget[M]:
    """``content`` with the notice banner over its top edge while ``live`` has problems.

    The structure is the same with or without a banner, so the content keeps its state (focus, text, scroll)."""
    return stack([content, column([notice_banner(live.notice)]).width(Fill)])


@dataclass(frozen=True)
class Restyle:
    """The message :class:`Themed` subscribes to: the watched theme was reloaded, or a save was refused."""

    update: ThemeUpdate


@dataclass
class ThemedState(Generic[S]):
    app: S
    """The wrapped application's own state."""
    live: LiveTheme = field(repr=False)


class Themed(Generic[S, M]):
    """``Themed(app, source)``: ``app`` drawn with the theme ``source`` (a name, or a Path to a file), restyled on
    every save without a restart; a broken save keeps the previous theme and shows :func:`notice_banner`.
    ``app.theme`` is not used; everything else (title, subscriptions, scale, app id, startup) is the app's."""

    def __init__(self, app: Application[S, M], source: str | Path, search: SearchPath | None = None, *,
                 fallback: str = "orrery-dark", debounce: float = 0.05) -> None:
        self.app, self.source, self.search = app, source, search
        self.fallback, self.debounce = fallback, debounce

    def init(self) -> ThemedState[S]:
        return ThemedState(self.app.init(), LiveTheme.load(self.source, self.search, self.fallback))

    def update(self, state: ThemedState[S], message: M | Restyle) -> Task[M] | None:
        if isinstance(message, Restyle):
            state.live = state.live.apply(message.update)
            return None
        return self.app.update(state.app, message)

    def view(self, state: ThemedState[S]) -> Widget[M]:
        return with_notice(self.app.view(state.app), state.live)

    def theme(self, state: ThemedState[S]) -> ThemeAdapter:
        return state.live.theme

    def subscriptions(self, state: ThemedState[S]) -> Subscription[M | Restyle]:
        own: Subscription[M] = optional(self.app, "subscriptions", state.app, Subscription.none())
        watch = watch_theme(self.source, Restyle, self.search, debounce=self.debounce)
        return Subscription.batch([own, watch])  # type: ignore[list-item]

    def title(self, state: ThemedState[S]) -> str:
        return str(optional(self.app, "title", state.app, ""))

    def scale(self, state: ThemedState[S]) -> float:
        return float(optional(self.app, "scale", state.app, 1.0))

    def app_id(self) -> str:
        app_id = getattr(self.app, "app_id", None)
        return str(app_id()) if callable(app_id) else "org.orrery.App"

    def startup(self, state: ThemedState[S]) -> Task[M] | None:
        task: Task[M] | None = optional(self.app, "startup", state.app, None)
        return task
