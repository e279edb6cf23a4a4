"""Deriving every unset token and component field, and checking text/background contrast.

The rules, in the order they run:

* ``background``, ``text``, ``accent``, ``success``, ``warning``, ``danger`` default to the variant's
  built-in values. A derived ``text`` is adjusted until it reads at 4.5:1 on ``background``; call that the
  reference text colour R (it is ``text`` itself when the given text already passes).
* ``surface_N`` moves N steps from ``background`` towards R, pulled back just enough that R still reads on it.
* Every other text colour (muted text, accent text, each ``on_*``, each component's text) starts from its
  natural colour and moves towards white or black until it reaches 4.5:1 on the background(s) it is drawn
  on (3:1 for the focus ring, caret and title bar icons, which are not text).
* Component states derive from the component's base state: hovered and pressed are state layers of the
  text colour over the background, focused swaps in the focus ring, disabled fades towards the background.

A pair whose colours are both derived therefore always passes; a pair with an author-given side that does
not is reported as a warning naming both keys. Disabled states are exempt (WCAG 1.4.3 exempts inactive
controls).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import model
from .color import AA_NON_TEXT, AA_TEXT, BLACK, WHITE, ThemeColor, contrast, mix, over, readable
from .diagnostics import Severity
from .model import (
    BackgroundStyle,
    ButtonStates,
    ButtonStyle,
    DecorationStates,
    DecorationStyle,
    Font,
    Fonts,
    Gradient,
    LauncherStyle,
    ListRowStates,
    ListRowStyle,
    PanelStyle,
    Radii,
    Shadow,
    Spacing,
    TextInputStates,
    TextInputStyle,
    ThemeModel,
    Tokens,
)
from .resolve import Resolver
from .tomlpos import KeyPath

BASE_DEFAULTS: dict[str, dict[str, ThemeColor]] = {
    "dark": {"background": ThemeColor.from_hex("#1b1d23"), "text": ThemeColor.from_hex("#e4e6eb"),
             "accent": ThemeColor.from_hex("#5294e2"), "success": ThemeColor.from_hex("#3fb56d"),
             "warning": ThemeColor.from_hex("#e0a030"), "danger": ThemeColor.from_hex("#e5534b")},
    "light": {"background": ThemeColor.from_hex("#f4f5f7"), "text": ThemeColor.from_hex("#1d2027"),
              "accent": ThemeColor.from_hex("#1f6fc5"), "success": ThemeColor.from_hex("#1f8a4c"),
              "warning": ThemeColor.from_hex("#9a6200"), "danger": ThemeColor.from_hex("#c42b2b")},
}
_UNITS = {"compact": 3.0, "comfortable": 4.0, "spacious": 6.0}


def _pull_back(surface: ThemeColor, bg: ThemeColor, text: ThemeColor) -> ThemeColor:
    """``surface`` moved towards ``bg`` just enough that ``text`` reads on it (``text`` reads on ``bg``)."""
    if contrast(text, surface) >= AA_TEXT or contrast(text, bg) < AA_TEXT:
        return surface
    lo, hi = 0.0, 1.0
    for _ in range(20):
        mid = (lo + hi) / 2
        if contrast(text, mix(surface, bg, mid)) >= AA_TEXT:
            hi = mid
        else:
            lo = mid
    return mix(surface, bg, hi)


def _readable_or(fg: ThemeColor, bgs: list[ThemeColor], fallback: ThemeColor, ratio: float = AA_TEXT) -> ThemeColor:
    adjusted = readable(fg, bgs, ratio)
    if min(contrast(adjusted, bg) for bg in bgs) >= ratio:
        return adjusted
    return fallback


def derive_tokens(r: Resolver, variant: str) -> Tokens:
    base = BASE_DEFAULTS[variant]

    def given(name: str) -> ThemeColor | None:
        return r.colour(("tokens", name))

    bg = given("background") or base["background"]
    bg = over(bg, BLACK if variant == "dark" else WHITE)
    reference = readable(given("text") or base["text"], [bg])
    text = given("text") or reference
    surfaces = [given(f"surface_{n}") or _pull_back(mix(bg, reference, 0.05 * n), bg, reference) for n in (1, 2, 3)]
    grounds = [bg, *surfaces]
    accent = given("accent") or base["accent"]
    success = given("success") or base["success"]
    warning = given("warning") or base["warning"]
    danger = given("danger") or base["danger"]
    selection = given("selection") or mix(bg, accent, 0.45)

    def on(colour: ThemeColor) -> ThemeColor:
        return readable(max((reference, bg), key=lambda c: contrast(c, colour)), [over(colour, bg)])

    return Tokens(
        background=bg, surface_1=surfaces[0], surface_2=surfaces[1], surface_3=surfaces[2],
        text=text,
        text_muted=given("text_muted") or _readable_or(mix(reference, bg, 0.3), grounds, reference),
        accent=accent, on_accent=given("on_accent") or on(accent),
        accent_text=given("accent_text") or _readable_or(accent, grounds, reference),
        success=success, on_success=given("on_success") or on(success),
        warning=warning, on_warning=given("on_warning") or on(warning),
        danger=danger, on_danger=given("on_danger") or on(danger),
        border=given("border") or mix(bg, reference, 0.2),
        divider=given("divider") or mix(bg, reference, 0.12),
        focus_ring=given("focus_ring") or _readable_or(accent, grounds, reference, AA_NON_TEXT),
        selection=selection,
        on_selection=given("on_selection") or readable(text, [over(selection, bg)]),
    )


def _layer(v: dict[str, Any], amount: float) -> ThemeColor:
    return mix(v["background"], v["text"], amount)


class _Components:
    """The component rules; ``self.t`` is the resolved tokens."""

    def __init__(self, r: Resolver, t: Tokens, radii: Radii, spacing: Spacing, dark: bool) -> None:
        self.r, self.t, self.radii, self.spacing, self.dark = r, t, radii, spacing, dark

    def text_on(self, preferred: ThemeColor, bg: ThemeColor, ratio: float = AA_TEXT) -> ThemeColor:
        return readable(preferred, [over(bg, self.t.background)], ratio)

    def button(self, name: str, bg: ThemeColor, fg: ThemeColor) -> ButtonStates:
        t, r = self.t, self.r
        active = r.build(ButtonStyle, (name,), {
            "background": lambda v: bg,
            "text": lambda v: self.text_on(fg, v["background"]),
            "border": lambda v: t.border if name == "button" else v["background"],
            "border_width": lambda v: 1.0,
            "radius": lambda v: self.radii.medium})

        def state(status: str, background: Any, border: Any = None, width: Any = None) -> ButtonStyle:
            return r.build(ButtonStyle, (name, status), {
                "background": background,
                "text": (lambda v: mix(active.text, v["background"], 0.5)) if status == "disabled"
                else (lambda v: self.text_on(active.text, v["background"])),
                "border": border or (lambda v: active.border),
                "border_width": width or (lambda v: active.border_width),
                "radius": lambda v: active.radius})

        av = {"background": active.background, "text": active.text}
        return ButtonStates(
            active=active,
            hovered=state("hovered", lambda v: _layer(av, 0.08)),
            pressed=state("pressed", lambda v: _layer(av, 0.16)),
            focused=state("focused", lambda v: active.background, lambda v: t.focus_ring,
                          lambda v: max(2.0, active.border_width)),
            disabled=state("disabled", lambda v: mix(active.background, t.background, 0.5),
                           lambda v: mix(active.border, t.background, 0.5)))

    def text_input(self) -> TextInputStates:
        t, r = self.t, self.r
        active = r.build(TextInputStyle, ("text_input",), {
            "background": lambda v: t.background,
            "text": lambda v: self.text_on(t.text, v["background"]),
            "placeholder": lambda v: self.text_on(t.text_muted, v["background"]),
            "border": lambda v: t.border, "border_width": lambda v: 1.0, "radius": lambda v: self.radii.small,
            "selection": lambda v: t.selection,
            "selection_text": lambda v: self.text_on(t.on_selection, v["selection"]),
            "caret": lambda v: self.text_on(t.accent_text, v["background"], AA_NON_TEXT)})

        def state(status: str, **rules: Any) -> TextInputStyle:
            disabled = status == "disabled"
            defaults: dict[str, Any] = {
                f.name: (lambda v, n=f.name: getattr(active, n)) for f in fields(TextInputStyle)}
            defaults.update({
                "text": (lambda v: mix(active.text, v["background"], 0.5)) if disabled
                else (lambda v: self.text_on(active.text, v["background"])),
                "placeholder": (lambda v: mix(active.placeholder, v["background"], 0.5)) if disabled
                else (lambda v: self.text_on(active.placeholder, v["background"])),
                "selection_text": lambda v: self.text_on(active.selection_text, v["selection"]),
                "caret": lambda v: self.text_on(active.caret, v["background"], AA_NON_TEXT)})
            defaults.update(rules)
            return r.build(TextInputStyle, ("text_input", status), defaults)

        return TextInputStates(
            active=active,
            hovered=state("hovered", border=lambda v: mix(active.border, t.text, 0.3)),
            focused=state("focused", border=lambda v: t.focus_ring,
                          border_width=lambda v: max(2.0, active.border_width)),
            disabled=state("disabled", background=lambda v: mix(active.background, t.surface_1, 0.5)))

    def list_row(self) -> ListRowStates:
        t, r = self.t, self.r
        active = r.build(ListRowStyle, ("list_row",), {
            "background": lambda v: t.surface_1,
            "text": lambda v: self.text_on(t.text, v["background"]),
            "secondary_text": lambda v: self.text_on(t.text_muted, v["background"]),
            "radius": lambda v: self.radii.small, "height": lambda v: 9 * self.spacing.unit})

        def state(status: str, background: Any, text: ThemeColor) -> ListRowStyle:
            return r.build(ListRowStyle, ("list_row", status), {
                "background": background,
                "text": lambda v: self.text_on(text, v["background"]),
                "secondary_text": lambda v: self.text_on(mix(v["text"], v["background"], 0.3), v["background"]),
                "radius": lambda v: active.radius, "height": lambda v: active.height})

        av = {"background": active.background, "text": active.text}
        return ListRowStates(active=active, hovered=state("hovered", lambda v: _layer(av, 0.08), active.text),
                             selected=state("selected", lambda v: t.selection, t.on_selection))

    def shadow(self, path: KeyPath, alpha: float, y: float, blur: float) -> Shadow:
        return self.r.build(Shadow, path, {
            "color": lambda v: BLACK.with_alpha(alpha if self.dark else alpha / 2),
            "x": lambda v: 0.0, "y": lambda v: float(y), "blur": lambda v: float(blur), "spread": lambda v: 0.0})

    def panel(self) -> PanelStyle:
        t = self.t
        return self.r.build(PanelStyle, ("panel",), {
            "background": lambda v: t.surface_1, "text": lambda v: self.text_on(t.text, v["background"]),
            "border": lambda v: t.divider, "border_width": lambda v: 1.0,
            "height": lambda v: 8 * self.spacing.unit, "position": lambda v: "top"})

    def launcher(self) -> LauncherStyle:
        t = self.t
        return self.r.build(LauncherStyle, ("launcher",), {
            "background": lambda v: t.surface_1, "text": lambda v: self.text_on(t.text, v["background"]),
            "placeholder": lambda v: self.text_on(t.text_muted, v["background"]),
            "border": lambda v: t.border, "border_width": lambda v: 1.0, "radius": lambda v: self.radii.large,
            "width": lambda v: 640.0, "shadow": lambda v: self.shadow(("launcher", "shadow"), 0.45, 8, 24)})

    def decorations(self) -> DecorationStates:
        t, r = self.t, self.r

        def style(path: KeyPath, base: DecorationStyle | None) -> DecorationStyle:
            inactive = base is not None

            def keep(name: str, default: Any) -> Any:
                return (lambda v: getattr(base, name)) if base is not None else (lambda v: default)

            return r.build(DecorationStyle, path, {
                "title_background": lambda v: t.surface_1 if inactive else t.surface_2,
                "title_text": lambda v: self.text_on(t.text_muted if inactive else t.text, v["title_background"]),
                "button": lambda v: self.text_on(v["title_text"], v["title_background"], AA_NON_TEXT),
                "button_hover": lambda v: mix(v["title_background"], v["title_text"], 0.12),
                "close_hover": lambda v: t.danger,
                "close_hover_icon": lambda v: self.text_on(t.on_danger, v["close_hover"], AA_NON_TEXT),
                "border": lambda v: t.border if inactive else t.accent,
                "border_width": keep("border_width", 1.0), "height": keep("height", 9 * self.spacing.unit),
                "radius": keep("radius", self.radii.large), "gaps": keep("gaps", 2 * self.spacing.unit),
                "buttons": keep("buttons", ("minimize", "maximize", "close")),
                "title_align": keep("title_align", "center"),
                "shadow": lambda v: self.shadow((*path, "shadow"), 0.3 if inactive else 0.5,
                                                2 if inactive else 4, 10 if inactive else 18)})

        active = style(("decorations",), None)
        return DecorationStates(active=active, inactive=style(("decorations", "inactive"), active))

    def background(self) -> BackgroundStyle:
        t, r = self.t, self.r

        def gradient(v: dict[str, Any]) -> Gradient | None:
            if not r.given_under(("background", "gradient")):
                return None
            return r.build(Gradient, ("background", "gradient"), {
                "start": lambda g: v["color"], "end": lambda g: mix(g["start"], t.text, 0.15),
                "angle": lambda g: 180.0})

        style = r.build(BackgroundStyle, ("background",), {
            "color": lambda v: mix(t.background, BLACK, 0.25) if self.dark else mix(t.background, t.text, 0.1),
            "gradient": gradient, "image": lambda v: None, "scale": lambda v: "fill"})
        entry = r.entries.get(("background", "image"))
        if entry is None:
            return style
        image = Path(entry.value).expanduser()
        if not image.is_absolute():
            image = entry.file.parent / image
        if not image.exists():
            r.report(Severity.WARNING, ("background", "image"), f"no image at {image}")
        return replace(style, image=image)


def contrast_pairs(theme: ThemeModel) -> Iterator[tuple[str, str, ThemeColor, ThemeColor, float]]:
    """Every (fg key, bg key, fg, bg, minimum ratio) the theme promises; translucent bgs over the background."""
    t = theme.tokens
    grounds = ["background", "surface_1", "surface_2", "surface_3"]
    for fg, ratio in (("text", AA_TEXT), ("text_muted", AA_TEXT), ("accent_text", AA_TEXT),
                      ("focus_ring", AA_NON_TEXT)):
        for ground in grounds:
            yield f"tokens.{fg}", f"tokens.{ground}", getattr(t, fg), getattr(t, ground), ratio
    for bg in ("accent", "success", "warning", "danger", "selection"):
        yield f"tokens.on_{bg}", f"tokens.{bg}", getattr(t, f"on_{bg}"), over(getattr(t, bg), t.background), AA_TEXT
    per_style: dict[type, list[tuple[str, str, float]]] = {
        ButtonStyle: [("text", "background", AA_TEXT)],
        TextInputStyle: [("text", "background", AA_TEXT), ("placeholder", "background", AA_TEXT),
                         ("selection_text", "selection", AA_TEXT), ("caret", "background", AA_NON_TEXT)],
        ListRowStyle: [("text", "background", AA_TEXT), ("secondary_text", "background", AA_TEXT)],
        PanelStyle: [("text", "background", AA_TEXT)],
        LauncherStyle: [("text", "background", AA_TEXT), ("placeholder", "background", AA_TEXT)],
        DecorationStyle: [("title_text", "title_background", AA_TEXT), ("button", "title_background", AA_NON_TEXT),
                          ("close_hover_icon", "close_hover", AA_NON_TEXT)],
    }
    for cls in model.COMPONENTS:
        statuses = theme.statuses(cls)
        for status in statuses:
            if status == "disabled":
                continue
            style = theme.style(cls, status)
            prefix = cls if status == statuses[0] else f"{cls}.{status}"
            for fg, bg, ratio in per_style.get(type(style), []):
                yield (f"{prefix}.{fg}", f"{prefix}.{bg}", getattr(style, fg),
                       over(getattr(style, bg), t.background), ratio)


def derive_theme(r: Resolver, meta: model.Meta) -> ThemeModel:
    """Resolve everything; problems land in ``r.diagnostics``, contrast warnings included."""
    palette = r.palette()
    tokens = derive_tokens(r, meta.variant)
    r.tokens = tokens
    fonts = Fonts(
        ui=r.build(Font, ("fonts", "ui"), {"family": lambda v: "Sans", "size": lambda v: 10.5}),
        monospace=r.build(Font, ("fonts", "monospace"), {"family": lambda v: "Monospace", "size": lambda v: 10.0}))
    spacing = r.build(Spacing, ("spacing",), {
        "density": lambda v: "comfortable", "unit": lambda v: _UNITS[v["density"]],
        "xs": lambda v: v["unit"], "s": lambda v: 2 * v["unit"], "m": lambda v: 3 * v["unit"],
        "l": lambda v: 4 * v["unit"], "xl": lambda v: 6 * v["unit"]})
    radii = r.build(Radii, ("radii",), {"small": lambda v: 4.0, "medium": lambda v: 6.0, "large": lambda v: 10.0})
    c = _Components(r, tokens, radii, spacing, meta.variant == "dark")
    theme = ThemeModel(
        meta=meta, palette=MappingProxyType(palette), tokens=tokens, fonts=fonts, spacing=spacing, radii=radii,
        button=c.button("button", tokens.surface_2, tokens.text),
        button_primary=c.button("button_primary", tokens.accent, tokens.on_accent),
        button_danger=c.button("button_danger", tokens.danger, tokens.on_danger),
        text_input=c.text_input(), list_row=c.list_row(), panel=c.panel(), launcher=c.launcher(),
        decorations=c.decorations(), background=c.background())
    for fg_key, bg_key, fg, bg, ratio in contrast_pairs(theme):
        value = contrast(fg, bg)
        if value < ratio:
            fg_path = _path(fg_key)
            at = fg_path if r.given(fg_path) or not r.given(_path(bg_key)) else _path(bg_key)
            r.report(Severity.WARNING, at, f"contrast of {fg_key} ({fg}) on {bg_key} ({bg}) is "
                     f"{value:.2f}:1, below {ratio:g}:1")
    return theme


def _path(key: str) -> KeyPath:
    return tuple(key.split("."))

