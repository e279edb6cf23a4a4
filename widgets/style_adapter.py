"""The toolkit's :class:`~widgets.style.Theme` protocol over a resolved ``themes`` TOML theme.

    from themes import load
    from widgets.style_adapter import ThemeAdapter, builtin_theme

    theme = ThemeAdapter(load("sunset").theme)        # or builtin_theme("orrery-dark")
    theme.style("button.secondary", Status.HOVERED)   # a widgets Style, colours from the TOML model

Every widget class the toolkit asks for (:data:`WIDGET_CLASSES`) maps onto the model's components and tokens:
buttons onto ``button_primary``/``button``/``button_danger``, inputs and pick lists onto ``text_input``, rows
onto ``list_row``, the rest onto tokens, radii and fonts. The shell's classes (``panel``, ``launcher``,
``title_bar[.inactive]``) are there too, and ``notice`` (the banner of
:mod:`widgets.themed`). Styles are computed once per theme, so ``style()`` is a lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from themes import ThemeModel, builtin
from themes.color import ThemeColor, luminance, mix
from themes.model import ButtonStyle, TextInputStyle

from .style import Color, Palette, Status, Style

PT_TO_PX = 96 / 72
"""Theme font sizes are in points (as in GTK and fontconfig); the toolkit's are logical pixels at 96 dpi."""

WIDGET_CLASSES = (
    "button", "button.primary", "button.secondary", "button.danger", "button.text",
    "text", "text.muted", "text.accent", "text.danger", "text.success", "text.warning",
    "container", "container.box", "container.window",
    "text_input", "pick_list", "menu", "checkbox", "radio", "toggler", "slider",
    "progress_bar", "progress_bar.success", "scrollable", "tooltip", "list_row", "icon",
    "panel", "launcher", "title_bar", "title_bar.inactive", "notice",
)
"""The classes widgets (and the shell) ask for; any other class gets the base class's style, else plain text."""

_Builder = Callable[[ThemeModel, Status], Style]


def rgba(color: ThemeColor) -> Color:
    """A themes colour (8-bit channels) as a toolkit colour (0-1 floats)."""
    return Color(*color.floats())


def _lighter(a: ThemeColor, b: ThemeColor) -> ThemeColor:
    return a if luminance(a) >= luminance(b) else b


class ThemeAdapter:
    """A toolkit theme (``name``, ``palette``, ``font_family``, ``font_size``, ``style``) from a themes model.

    ``model`` is the resolved TOML theme, for what the toolkit protocol has no words for (spacing, the
    shell's components, window decorations). Two adapters are equal when their models are.
    """

    def __init__(self, model: ThemeModel) -> None:
        self.model = model
        self.name = model.name
        t = model.tokens
        self.palette = Palette(
            background=rgba(t.background), surface=rgba(t.surface_1), surface_alt=rgba(t.surface_2),
            text=rgba(t.text), muted_text=rgba(t.text_muted), accent=rgba(t.accent), on_accent=rgba(t.on_accent),
            border=rgba(t.border), focus_ring=rgba(t.focus_ring), selection=rgba(t.selection),
            danger=rgba(t.danger), on_danger=rgba(t.on_danger), success=rgba(t.success),
            shadow=rgba(model.launcher.shadow.color))
        self.font_family = model.fonts.ui.family
        self.font_size = model.fonts.ui.size * PT_TO_PX
        self.spacing = model.spacing
        self._styles = {(cls, status): _BUILDERS[cls](model, status) for cls in WIDGET_CLASSES for status in Status}

    def __eq__(self, other: object) -> bool:
        return other is self or (isinstance(other, ThemeAdapter) and other.model == self.model)

    def __hash__(self) -> int:
        return hash(self.model.meta)

    def __repr__(self) -> str:
        return f"ThemeAdapter({self.name!r})"

    @property
    def is_dark(self) -> bool:
        return self.model.is_dark

    def style(self, widget_class: str, status: Status) -> Style:
        found = self._styles.get((widget_class, status))
        if found is None:
            base = widget_class.partition(".")[0]
            found = self._styles.get((base, status)) or self._styles[("text", Status.ACTIVE)]
        return found


def builtin_theme(name: str) -> ThemeAdapter:
    """A built-in TOML theme (``orrery-dark``, ``orrery-light``, ``orrery-high-contrast-*``) for the toolkit."""
    return ThemeAdapter(builtin(name))


def default_theme(dark: bool = False) -> ThemeAdapter:
    """The toolkit's default look: the built-in ``orrery-light`` (or ``orrery-dark``)."""
    return builtin_theme("orrery-dark" if dark else "orrery-light")


# -- one builder per widget class ---------------------------------------------------------------------------
def _state(status: Status, known: tuple[str, ...], fallback: dict[Status, str]) -> str:
    """The model's status for a toolkit status, for components that lack some (rows are never focused)."""
    return status.value if status.value in known else fallback.get(status, "active")


def _button(section: str) -> _Builder:
    def build(m: ThemeModel, status: Status) -> Style:
        s = m.style(section, status)
        assert isinstance(s, ButtonStyle)
        border = rgba(s.border) if s.border_width > 0 else None
        return Style(text=rgba(s.text), background=rgba(s.background), border=border,
                     border_width=s.border_width, radius=s.radius, focus_ring=rgba(m.tokens.focus_ring))
    return build


def _text_button(m: ThemeModel, status: Status) -> Style:
    plain = m.style("button", status)
    assert isinstance(plain, ButtonStyle)
    background = rgba(plain.background) if status in (Status.HOVERED, Status.PRESSED) else None
    text = m.button.disabled.text if status is Status.DISABLED else m.tokens.accent_text
    focused = status is Status.FOCUSED
    return Style(text=rgba(text), background=background, border=rgba(m.tokens.focus_ring) if focused else None,
                 border_width=m.button.focused.border_width if focused else 0.0, radius=plain.radius,
                 focus_ring=rgba(m.tokens.focus_ring))


def _text(token: str) -> _Builder:
    return lambda m, status: Style(text=rgba(getattr(m.tokens, token)))


def _input(m: ThemeModel, status: Status) -> Style:
    s = m.text_input.focused if status is Status.PRESSED else m.style("text_input", status)
    assert isinstance(s, TextInputStyle)
    return Style(text=rgba(s.text), background=rgba(s.background), border=rgba(s.border), border_width=s.border_width,
                 radius=s.radius, placeholder=rgba(s.placeholder), selection=rgba(s.selection), accent=rgba(s.caret),
                 foreground=rgba(m.tokens.text_muted), focus_ring=rgba(m.tokens.focus_ring))


def _menu(m: ThemeModel, status: Status) -> Style:
    t = m.tokens
    return Style(text=rgba(t.text), background=rgba(t.surface_1), border=rgba(t.border), border_width=1.0,
                 radius=m.radii.medium, selection=rgba(m.list_row.hovered.background), accent=rgba(t.accent_text))


def _toggle(kind: str) -> _Builder:
    def build(m: ThemeModel, status: Status) -> Style:
        t, field = m.tokens, m.text_input.active
        hovered = status in (Status.HOVERED, Status.PRESSED)
        accent = m.button_primary.hovered.background if hovered else t.accent
        if kind == "toggler":
            background, foreground = mix(t.background, t.text, 0.35), _lighter(t.text, t.background)
        else:
            background, foreground = field.background, t.on_accent
        style = Style(text=rgba(t.text), background=rgba(background), border=rgba(t.accent if hovered else t.border),
                      border_width=max(1.5, field.border_width), accent=rgba(accent), foreground=rgba(foreground),
                      radius=m.radii.small if kind == "checkbox" else 999.0, focus_ring=rgba(t.focus_ring))
        if status is Status.DISABLED:
            off = m.button.disabled
            style = replace(style, text=rgba(off.text), accent=rgba(t.border), border=rgba(t.divider),
                            background=rgba(mix(background, t.background, 0.5)))
        return style
    return build


def _slider(m: ThemeModel, status: Status) -> Style:
    t = m.tokens
    handle = m.button_primary.hovered.background if status in (Status.HOVERED, Status.PRESSED) else t.accent
    return Style(text=rgba(t.text), background=rgba(t.surface_3), accent=rgba(t.accent), foreground=rgba(handle),
                 border=rgba(t.background), border_width=2.0, radius=m.radii.small, focus_ring=rgba(t.focus_ring))


def _progress(token: str) -> _Builder:
    return lambda m, status: Style(text=rgba(m.tokens.text), background=rgba(m.tokens.surface_3),
                                   accent=rgba(getattr(m.tokens, token)), radius=m.radii.small)


def _scrollable(m: ThemeModel, status: Status) -> Style:
    thumb = m.tokens.text_muted if status in (Status.HOVERED, Status.PRESSED) else m.tokens.border
    return Style(text=rgba(m.tokens.text), accent=rgba(thumb), radius=m.radii.small)


def _tooltip(m: ThemeModel, status: Status) -> Style:
    # inverted: text on background is readable, so background on text is too
    return Style(text=rgba(m.tokens.background), background=rgba(m.tokens.text), radius=m.radii.small)


def _list_row(m: ThemeModel, status: Status) -> Style:
    name = _state(status, ("active", "hovered", "selected"), {Status.PRESSED: "selected"})
    s = getattr(m.list_row, name)
    return Style(text=rgba(s.text), background=rgba(s.background), foreground=rgba(s.secondary_text),
                 radius=s.radius)


def _container(variant: str) -> _Builder:
    def build(m: ThemeModel, status: Status) -> Style:
        t = m.tokens
        if variant == "box":
            return Style(text=rgba(t.text), background=rgba(t.surface_1), border=rgba(t.divider), border_width=1.0,
                         radius=m.radii.large)
        if variant == "window":
            return Style(text=rgba(t.text), background=rgba(t.background))
        return Style(text=rgba(t.text))
    return build


def _icon(m: ThemeModel, status: Status) -> Style:
    t = m.tokens
    return Style(text=rgba(t.text), accent=rgba(t.accent), foreground=rgba(t.text_muted))


def _panel(m: ThemeModel, status: Status) -> Style:
    p = m.panel
    return Style(text=rgba(p.text), background=rgba(p.background), border=rgba(p.border),
                 border_width=p.border_width, accent=rgba(m.tokens.accent))


def _launcher(m: ThemeModel, status: Status) -> Style:
    s = m.launcher
    return Style(text=rgba(s.text), background=rgba(s.background), border=rgba(s.border), border_width=s.border_width,
                 radius=s.radius, placeholder=rgba(s.placeholder), selection=rgba(m.list_row.selected.background),
                 accent=rgba(m.tokens.accent))


def _title_bar(state: str) -> _Builder:
    def build(m: ThemeModel, status: Status) -> Style:
        d = getattr(m.decorations, state)
        hovered = status in (Status.HOVERED, Status.PRESSED)
        return Style(text=rgba(d.title_text), background=rgba(d.title_background), border=rgba(d.border),
                     border_width=d.border_width, radius=d.radius, foreground=rgba(d.button),
                     accent=rgba(d.button_hover if hovered else d.title_background),
                     selection=rgba(d.close_hover))
    return build


def _notice(m: ThemeModel, status: Status) -> Style:
    t = m.tokens
    return Style(text=rgba(t.on_danger), background=rgba(t.danger), border=rgba(t.border), accent=rgba(t.danger))


_BUILDERS: dict[str, _Builder] = {
    "button": _button("button_primary"), "button.primary": _button("button_primary"),
    "button.secondary": _button("button"), "button.danger": _button("button_danger"), "button.text": _text_button,
    "text": _text("text"), "text.muted": _text("text_muted"), "text.accent": _text("accent_text"),
    "text.danger": _text("danger"), "text.success": _text("success"), "text.warning": _text("warning"),
    "container": _container(""), "container.box": _container("box"), "container.window": _container("window"),
    "text_input": _input, "pick_list": _input, "menu": _menu, "checkbox": _toggle("checkbox"),
    "radio": _toggle("radio"), "toggler": _toggle("toggler"), "slider": _slider,
    "progress_bar": _progress("accent"), "progress_bar.success": _progress("success"), "scrollable": _scrollable,
    "tooltip": _tooltip, "list_row": _list_row, "icon": _icon, "panel": _panel, "launcher": _launcher,
    "title_bar": _title_bar("active"), "title_bar.inactive": _title_bar("inactive"), "notice": _notice,
}
