"""Input and window events, in logical pixels, as the platforms deliver them to a running application."""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import Point, Size

LEFT, MIDDLE, RIGHT = 1, 2, 3


@dataclass(frozen=True)
class Modifiers:
    shift: bool = False
    ctrl: bool = False
    alt: bool = False
    logo: bool = False


@dataclass(frozen=True)
class PointerMoved:
    position: Point


@dataclass(frozen=True)
class PointerPressed:
    position: Point
    button: int = LEFT


@dataclass(frozen=True)
class PointerReleased:
    position: Point
    button: int = LEFT


@dataclass(frozen=True)
class PointerLeft:
    pass


@dataclass(frozen=True)
class Scrolled:
    """``dy`` > 0 moves the content up (scrolls down), in logical pixels."""

    position: Point
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class KeyPressed:
    """``key`` is a keysym name ("Tab", "Return", "BackSpace", "Left", "a", ...); ``text`` what it types."""

    key: str
    text: str = ""
    modifiers: Modifiers = Modifiers()


@dataclass(frozen=True)
class KeyReleased:
    key: str
    modifiers: Modifiers = Modifiers()


@dataclass(frozen=True)
class Resized:
    size: Size


@dataclass(frozen=True)
class CloseRequested:
    pass


@dataclass(frozen=True)
class FocusChanged:
    focused: bool


Event = (PointerMoved | PointerPressed | PointerReleased | PointerLeft | Scrolled | KeyPressed | KeyReleased
         | Resized | CloseRequested | FocusChanged)
WindowEvent = Resized | CloseRequested | FocusChanged
