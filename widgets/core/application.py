"""The application protocol (iced's program): state, update, view, and optional extras.

    @dataclass
    class Count:                            # the state: mutable, changed in place by update
        value: int = 0

    class Counter:
        def init(self) -> Count: return Count()
        def update(self, state: Count, message: str) -> Task[str] | None: ...
        def view(self, state: Count) -> Element[str]: return button("+").on_press("inc")

Optional methods: ``subscriptions(state) -> Subscription``, ``title(state) -> str``,
``theme(state) -> Theme`` (None: the default, orrery-light), ``scale(state) -> float`` (a factor on the output
scale), ``app_id() -> str``.
``update`` changes the state in place (use a mutable object) and may return a :class:`Task`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from ..style import Theme
from .element import Widget
from .subscription import Subscription
from .task import Task

S = TypeVar("S")
M = TypeVar("M")


class Application(Protocol[S, M]):
    def init(self) -> S: ...

    def update(self, state: S, message: M) -> Task[M] | None: ...

    def view(self, state: S) -> Widget[M]: ...


class FunctionApp(Generic[S, M]):
    """An application from plain functions: ``FunctionApp(init, update, view, title=..., ...)``."""

    def __init__(self, init: Callable[[], S], update: Callable[[S, M], Task[M] | None],
                 view: Callable[[S], Widget[M]], *, title: Callable[[S], str] | str = "Orrery",
                 subscriptions: Callable[[S], Subscription[M]] | None = None,
                 theme: Callable[[S], Theme] | Theme | None = None, scale: float = 1.0,
                 app_id: str = "org.orrery.App") -> None:
        self._init, self._update, self._view = init, update, view
        self._title, self._subscriptions, self._theme = title, subscriptions, theme
        self._scale, self._app_id = scale, app_id

    def init(self) -> S:
        return self._init()

    def update(self, state: S, message: M) -> Task[M] | None:
        return self._update(state, message)

    def view(self, state: S) -> Widget[M]:
        return self._view(state)

    def title(self, state: S) -> str:
        return self._title if isinstance(self._title, str) else self._title(state)

    def subscriptions(self, state: S) -> Subscription[M]:
        return self._subscriptions(state) if self._subscriptions else Subscription.none()

    def theme(self, state: S) -> Theme | None:
        """The theme given, or None for the runtime's default (the built-in orrery-light)."""
        if self._theme is None:
            return None
        if isinstance(self._theme, Theme):
            return self._theme
        return self._theme(state)

    def scale(self, state: S) -> float:
        return self._scale

    def app_id(self) -> str:
        return self._app_id


def optional(app: Any, name: str, state: Any, default: Any) -> Any:
    method = getattr(app, name, None)
    return method(state) if callable(method) else default
