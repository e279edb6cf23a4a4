"""The resolved theme: typed, immutable, every field filled in.

A toolkit asks for "the style of class X in status Y" (an iced-style catalog)::

    theme.style("button", "hovered")          # -> ButtonStyle
    theme.button.hovered                      # the same, typed
    theme.statuses("text_input")              # ("active", "hovered", "focused", "disabled")

The field names and types here are also the theme file's schema (:mod:`themes.schema` reads them), so a
field added here becomes a key authors can set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from .color import ThemeColor

Variant = Literal["dark", "light"]
Density = Literal["compact", "comfortable", "spacious"]
ScaleMode = Literal["fill", "fit", "stretch", "center", "tile"]
PanelPosition = Literal["top", "bottom"]
TitleAlign = Literal["left", "center"]
WindowButton = Literal["minimize", "maximize", "close"]


@dataclass(frozen=True)
class Meta:
    name: str
    author: str
    variant: Variant
    inherits: str
    path: Path | None = None
    parents: tuple[str, ...] = ()
    """The inheritance chain above this theme, nearest first."""


@dataclass(frozen=True)
class Tokens:
    """Semantic colours. Each ``on_*`` colour is for text and icons drawn on the colour it names."""

    background: ThemeColor
    surface_1: ThemeColor
    surface_2: ThemeColor
    surface_3: ThemeColor
    text: ThemeColor
    text_muted: ThemeColor
    accent: ThemeColor
    on_accent: ThemeColor
    accent_text: ThemeColor
    """The accent as a text colour (links, the caret): readable on the background and every surface."""
    success: ThemeColor
    on_success: ThemeColor
    warning: ThemeColor
    on_warning: ThemeColor
    danger: ThemeColor
    on_danger: ThemeColor
    border: ThemeColor
    divider: ThemeColor
    focus_ring: ThemeColor
    selection: ThemeColor
    on_selection: ThemeColor


@dataclass(frozen=True)
class Font:
    family: str
    size: float


@dataclass(frozen=True)
class Fonts:
    ui: Font
    monospace: Font


@dataclass(frozen=True)
class Spacing:
    density: Density
    unit: float
    xs: float
    s: float
    m: float
    l: float  # noqa: E741 - the size scale xs..xl reads better than any other name
    xl: float


@dataclass(frozen=True)
class Radii:
    small: float
    medium: float
    large: float


@dataclass(frozen=True)
class Shadow:
    color: ThemeColor
    x: float
    y: float
    blur: float
    spread: float


@dataclass(frozen=True)
class Gradient:
    start: ThemeColor
    end: ThemeColor
    angle: float
    """Degrees, CSS style: 0 paints from bottom to top, 90 from left to right, 180 from top to bottom."""


@dataclass(frozen=True)
class ButtonStyle:
    background: ThemeColor
    text: ThemeColor
    border: ThemeColor
    border_width: float
    radius: float


@dataclass(frozen=True)
class ButtonStates:
    active: ButtonStyle
    hovered: ButtonStyle
    pressed: ButtonStyle
    focused: ButtonStyle
    disabled: ButtonStyle


@dataclass(frozen=True)
class TextInputStyle:
    background: ThemeColor
    text: ThemeColor
    placeholder: ThemeColor
    border: ThemeColor
    border_width: float
    radius: float
    selection: ThemeColor
    selection_text: ThemeColor
    caret: ThemeColor


@dataclass(frozen=True)
class TextInputStates:
    active: TextInputStyle
    hovered: TextInputStyle
    focused: TextInputStyle
    disabled: TextInputStyle


@dataclass(frozen=True)
class ListRowStyle:
    background: ThemeColor
    text: ThemeColor
    secondary_text: ThemeColor
    radius: float
    height: float


@dataclass(frozen=True)
class ListRowStates:
    active: ListRowStyle
    hovered: ListRowStyle
    selected: ListRowStyle


@dataclass(frozen=True)
class PanelStyle:
    background: ThemeColor
    text: ThemeColor
    border: ThemeColor
    border_width: float
    height: float
    position: PanelPosition


@dataclass(frozen=True)
class LauncherStyle:
    background: ThemeColor
    text: ThemeColor
    placeholder: ThemeColor
    border: ThemeColor
    border_width: float
    radius: float
    width: float
    shadow: Shadow


@dataclass(frozen=True)
class DecorationStyle:
    """A window's frame; ``active`` is the focused window, ``inactive`` every other one."""

    title_background: ThemeColor
    title_text: ThemeColor
    button: ThemeColor
    """Icon colour of the title bar buttons."""
    button_hover: ThemeColor
    """Background of a hovered title bar button."""
    close_hover: ThemeColor
    close_hover_icon: ThemeColor
    border: ThemeColor
    border_width: float
    height: float
    radius: float
    gaps: float
    """Space kept between windows and around the usable area when windows are tiled or snapped."""
    buttons: tuple[WindowButton, ...]
    title_align: TitleAlign
    shadow: Shadow


@dataclass(frozen=True)
class DecorationStates:
    active: DecorationStyle
    inactive: DecorationStyle


@dataclass(frozen=True)
class BackgroundStyle:
    """The desktop background: ``image`` if set, over ``gradient`` if set, over ``color``."""

    color: ThemeColor
    gradient: Gradient | None
    image: Path | None
    scale: ScaleMode


ComponentStyle = (ButtonStyle | TextInputStyle | ListRowStyle | PanelStyle | LauncherStyle | DecorationStyle
                  | BackgroundStyle)
StatefulStyles = ButtonStates | TextInputStates | ListRowStates | DecorationStates

COMPONENTS: dict[str, type] = {
    "button": ButtonStates,
    "button_primary": ButtonStates,
    "button_danger": ButtonStates,
    "text_input": TextInputStates,
    "list_row": ListRowStates,
    "panel": PanelStyle,
    "launcher": LauncherStyle,
    "decorations": DecorationStates,
    "background": BackgroundStyle,
}
"""Component section -> its type: a ``*States`` class (one style per status) or a single style."""


def statuses_of(kind: type) -> tuple[str, ...]:
    """The statuses of a component type, base status first; ``("active",)`` for a stateless one."""
    if kind.__name__.endswith("States"):
        return tuple(f.name for f in fields(kind))
    return ("active",)


@dataclass(frozen=True)
class ThemeModel:
    """A theme as its TOML files define it, resolved: every field filled in. The toolkit's :class:`widgets.Theme`
    protocol over it is ``widgets.style_adapter.ThemeAdapter``."""

    meta: Meta
    palette: Mapping[str, ThemeColor]
    tokens: Tokens
    fonts: Fonts
    spacing: Spacing
    radii: Radii
    button: ButtonStates
    button_primary: ButtonStates
    button_danger: ButtonStates
    text_input: TextInputStates
    list_row: ListRowStates
    panel: PanelStyle
    launcher: LauncherStyle
    decorations: DecorationStates
    background: BackgroundStyle

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def is_dark(self) -> bool:
        return self.meta.variant == "dark"

    def statuses(self, cls: str) -> tuple[str, ...]:
        """The statuses ``cls`` has styles for, base status first."""
        return statuses_of(COMPONENTS[_component(cls)])

    def style(self, cls: str, status: object = "active") -> ComponentStyle:
        """The style of component class ``cls`` in ``status``: ``theme.style("button", "hovered")``.

        ``cls`` may also be written ``"button.primary"`` for ``"button_primary"``; ``status`` may be a
        string or an enum member whose value is one.
        """
        name = _component(cls)
        key = str(getattr(status, "value", status))
        if key not in self.statuses(name):
            raise KeyError(f"{name} has no status {key!r} (statuses: {', '.join(self.statuses(name))})")
        value = getattr(self, name)
        style: ComponentStyle = getattr(value, key) if name in _STATEFUL else value
        return style


def _component(cls: str) -> str:
    name = cls.replace(".", "_")
    if name not in COMPONENTS:
        raise KeyError(f"no component class {cls!r} (classes: {', '.join(COMPONENTS)})")
    return name


_STATEFUL = frozenset(name for name, kind in COMPONENTS.items() if kind.__name__.endswith("States"))
