"""``orrery theme preview``: a mock desktop drawn with the widget toolkit from one theme, without a compositor.

    from themes import builtin
    from themes.preview import write_preview
    write_preview(builtin("orrery-dark"), "dark.png", 1280, 800)

The desktop has the theme's background, its panel, two decorated windows (an inactive file browser behind,
an active widget gallery in front, title bars from ``[decorations]`` and ``[decorations.inactive]``) and the
launcher. :func:`desktop_layout` says where each part is, so tests (and authors) can find them in the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cairo

from widgets import (
    Align,
    Element,
    Fill,
    FunctionApp,
    Rect,
    Size,
    button,
    checkbox,
    column,
    container,
    horizontal_space,
    pick_list,
    progress_bar,
    radio,
    row,
    slider,
    stack,
    text,
    text_input,
    toggler,
)
from widgets.core.runtime import Runtime
from widgets.style_adapter import ThemeAdapter, rgba
from widgets.widget.space import Space

from .model import DecorationStyle, ListRowStyle, ThemeModel
from .preview_widgets import Backdrop, Edges, Framed, Placed, TitleButtons

DEFAULT_SIZE = (1280, 800)
MIN_SIZE = (320, 240)
NOOP = ("noop",)


@dataclass(frozen=True)
class DesktopLayout:
    """Where the preview puts each part of the desktop, in logical pixels."""

    size: Size
    panel: Rect
    inactive: Rect
    """The inactive window (its frame, title bar included)."""
    active: Rect
    launcher: Rect

    def title_bar(self, window: Rect, theme: ThemeModel) -> Rect:
        style = theme.decorations.active if window == self.active else theme.decorations.inactive
        return Rect(window.x, window.y, window.width, style.height)


def desktop_layout(theme: ThemeModel, width: float, height: float) -> DesktopLayout:
    panel_height = theme.panel.height
    top = panel_height if theme.panel.position == "top" else 0.0
    panel = Rect(0, 0 if theme.panel.position == "top" else height - panel_height, width, panel_height)
    usable = Rect(0, top, width, height - panel_height)
    margin = round(max(theme.decorations.active.gaps, min(width, height) * 0.03))
    left = round((width - 3 * margin) * 0.42)
    inactive = Rect(margin, usable.y + margin, left, round(usable.height * 0.5))
    launcher_top = inactive.bottom - round(margin * 1.5)
    launcher = Rect(margin + round(margin / 2), launcher_top, min(theme.launcher.width, left),
                    min(_launcher_height(theme), usable.bottom - margin - launcher_top))
    active_x = inactive.right + margin
    active = Rect(active_x, usable.y + round(margin * 0.6), width - margin - active_x,
                  min(theme.decorations.active.height + 440, usable.height - round(margin * 1.6)))
    return DesktopLayout(Size(width, height), panel, inactive, active, launcher)


# -- the parts ------------------------------------------------------------------------------------------------
LAUNCHER_APPS = (("Terminal", "Enter"), ("Files", ""), ("Settings", ""), ("Widget gallery", ""))
SEARCH_HEIGHT = 36


def _launcher_height(theme: ThemeModel) -> float:
    rows = len(LAUNCHER_APPS)
    return 2 * theme.spacing.m + SEARCH_HEIGHT + rows * (theme.list_row.active.height + theme.spacing.xs)


def _window(theme: ThemeModel, title: str, content: Element[Any], active: bool) -> Element[Any]:
    d: DecorationStyle = theme.decorations.active if active else theme.decorations.inactive
    label = text(title).color(rgba(d.title_text)).bold().ellipsize()
    buttons = TitleButtons(d.buttons, rgba(d.button), d.height * 0.75)
    aligned = container(label).width(Fill).height(Fill).padding((0, 12)).align_y(Align.CENTER)
    aligned = aligned.align_x(Align.CENTER if d.title_align == "center" else Align.START)
    bar = stack([aligned, row([horizontal_space(), buttons]).height(Fill).align_items(Align.CENTER).padding((0, 6))])
    title_bar = Framed(bar, rgba(d.title_background), radius=d.radius, top_only=True).width(Fill).height(d.height)
    body = container(content).width(Fill).height(Fill).padding(theme.spacing.l)
    return Framed(column([title_bar, body]), rgba(theme.tokens.background), border=rgba(d.border),
                  border_width=d.border_width, radius=d.radius, shadow=d.shadow, padding=d.border_width)


def _row(style: ListRowStyle, title: str, detail: str) -> Element[Any]:
    content = row([text(title).color(rgba(style.text)), horizontal_space(),
                   text(detail).color(rgba(style.secondary_text))]).align_items(Align.CENTER).padding((0, 10))
    return Framed(content.height(Fill).width(Fill), rgba(style.background), radius=style.radius).width(Fill) \
        .height(style.height)


def _files(theme: ThemeModel) -> Element[Any]:
    rows = theme.list_row
    return column([
        text("Documents").bold().size(theme.fonts.ui.size * 96 / 72 * 1.2),
        _row(rows.selected, "Orrery notes.md", "4 KB"),
        _row(rows.hovered, "Theme ideas.toml", "2 KB"),
        _row(rows.active, "Screenshots", "12 items"),
        _row(rows.active, "Budget.ods", "18 KB"),
        text("4 items, 1 selected").style("text.muted"),
    ]).spacing(theme.spacing.xs).width(Fill)


def _gallery(theme: ThemeModel) -> Element[Any]:
    s = theme.spacing
    return column([
        row([button("Open").on_press(NOOP), button("Cancel").style("button.secondary").on_press(NOOP),
             button("Delete").style("button.danger").on_press(NOOP), button("Disabled"),
             button("Link").style("button.text").on_press(NOOP)]).spacing(s.s).align_items(Align.CENTER),
        text_input("Type here", "Hello, Orrery").on_input(lambda v: NOOP),
        text_input("A placeholder", "").on_input(lambda v: NOOP),
        row([checkbox("Checked", True).on_toggle(lambda v: NOOP), checkbox("Unchecked", False).on_toggle(
            lambda v: NOOP), toggler("Toggle", True).on_toggle(lambda v: NOOP)]).spacing(s.l),
        row([radio("One", 1, 1).on_select(lambda v: NOOP), radio("Two", 2, 1).on_select(lambda v: NOOP),
             pick_list(["Small", "Medium", "Large"], "Medium", lambda v: NOOP).width(140)]).spacing(s.l)
        .align_items(Align.CENTER),
        row([text("Volume").width(70), slider(0, 100, 60).on_change(lambda v: NOOP)]).spacing(s.s)
        .align_items(Align.CENTER),
        progress_bar(0, 100, 35).height(8),
        container(column([text("A surface").bold(), text("Secondary text reads here.").style("text.muted"),
                          row([text("Accent text").style("text.accent"), text("Success").style("text.success"),
                               text("Danger").style("text.danger")]).spacing(s.m)]).spacing(s.xs))
        .padding(s.m).width(Fill).style("container.box"),
    ]).spacing(s.m).width(Fill)


def _panel(theme: ThemeModel) -> Element[Any]:
    p, t = theme.panel, theme.tokens

    def label(value: str, bold: bool = False) -> Element[Any]:
        shown = text(value).color(rgba(p.text))
        return shown.bold() if bold else shown
    dot = Framed(Space(0, 0), rgba(t.accent), radius=3).width(18).height(6)
    dots = row([dot, *(Framed(Space(0, 0), rgba(t.text_muted), radius=3).width(6).height(6) for _ in range(3))]) \
        .spacing(5).align_items(Align.CENTER)
    content = row([label("Apps", bold=True), dots, horizontal_space(), label("Tue 14:32", bold=True),
                   horizontal_space(), label("Wi-Fi"), label("87 %")]).spacing(16).align_items(Align.CENTER) \
        .padding((0, 12)).height(Fill).width(Fill)
    edge: Edges = "bottom" if p.position == "top" else "top"  # the edge facing the windows
    return Framed(content, rgba(p.background), border=rgba(p.border), border_width=p.border_width, edges=edge)


def _launcher(theme: ThemeModel) -> Element[Any]:
    lc, rows, s = theme.launcher, theme.list_row, theme.spacing
    search = Framed(container(text("Search applications…").color(rgba(lc.placeholder))).padding((0, 10))
                    .height(Fill).align_y(Align.CENTER), rgba(theme.text_input.active.background),
                    border=rgba(lc.border), border_width=1, radius=theme.radii.medium).width(Fill).height(SEARCH_HEIGHT)
    apps = [_row(rows.selected if i == 0 else rows.active, name, hint) for i, (name, hint) in enumerate(LAUNCHER_APPS)]
    content = column([search, *apps]).spacing(s.xs).width(Fill)
    return Framed(content, rgba(lc.background), border=rgba(lc.border), border_width=lc.border_width,
                  radius=lc.radius, shadow=lc.shadow, padding=s.m)


def desktop(theme: ThemeModel, width: float, height: float) -> Element[Any]:
    """The whole mock desktop as one toolkit element, for a window of ``width`` x ``height``."""
    at = desktop_layout(theme, width, height)
    return Placed([
        (Rect(0, 0, width, height), Backdrop(theme.background)),
        (at.inactive, _window(theme, "Files — Documents", _files(theme), active=False)),
        (at.active, _window(theme, "Widget gallery", _gallery(theme), active=True)),
        (at.launcher, _launcher(theme)),
        (at.panel, _panel(theme)),
    ])


def preview_app(theme: ThemeModel, width: float, height: float) -> FunctionApp[None, Any]:
    return FunctionApp(lambda: None, lambda state, message: None, lambda state: desktop(theme, width, height),
                       title=f"{theme.name} — preview", theme=ThemeAdapter(theme))


def render_preview(theme: ThemeModel, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1],
                   scale: float = 1.0) -> cairo.ImageSurface:
    """The mock desktop as an image of ``width * scale`` x ``height * scale`` device pixels."""
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise ValueError(f"a preview is at least {MIN_SIZE[0]}x{MIN_SIZE[1]}, not {width}x{height}")
    runtime = Runtime(preview_app(theme, width, height), Size(width, height), scale)
    try:
        device = runtime.device_size
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, *device)
        runtime.render(surface, full=True)
        return surface
    finally:
        runtime.close()
        runtime.loop.close()


def write_preview(theme: ThemeModel, path: Path | str, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1],
                  scale: float = 1.0) -> Path:
    render_preview(theme, width, height, scale).write_to_png(str(path))
    return Path(path)
