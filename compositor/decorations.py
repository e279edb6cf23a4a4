"""Server-side window decorations from a theme's ``[decorations]`` tokens, as pure functions.

A decorated window's frame is a title bar directly above its window geometry and a border around both::

    layout = frame_layout(style, width, height, maximized=False)   # sizes and the buttons' places
    part = hit_test(layout, x, y)                   # "title", "close", "top_left", … or None (the client's)
    draw_title_bar(ctx, style, font, layout, "foot", FrameLook(hovered="close"))

Coordinates are frame-local: (0, 0) is the frame's top-left corner, the client's window geometry starts at
``layout.insets.left, layout.insets.top``. The stateful side (which window is hovered, the theme in use,
grabs) is :mod:`compositor.ssd`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import cairo

from themes.color import mix
from themes.glyphs import window_button

from .geometry import Box
from .gi_modules import library

if TYPE_CHECKING:
    from themes.model import DecorationStyle, Font, Shadow

Part = Literal["title", "close", "maximize", "minimize", "top", "bottom", "left", "right",
               "top_left", "top_right", "bottom_left", "bottom_right"]
BUTTONS: tuple[Part, ...] = ("close", "maximize", "minimize")
# xdg_toplevel.resize_edge of each border part, and the cursor (a wp_cursor_shape_v1 name) that shows it
RESIZE_EDGES: dict[Part, int] = {"top": 1, "bottom": 2, "left": 4, "top_left": 5, "bottom_left": 6, "right": 8,
                                 "top_right": 9, "bottom_right": 10}
CURSORS: dict[Part, str] = {"top": "n-resize", "bottom": "s-resize", "left": "w-resize", "right": "e-resize",
                            "top_left": "nw-resize", "top_right": "ne-resize", "bottom_left": "sw-resize",
                            "bottom_right": "se-resize"}
_EDGE_NAMES: dict[str, Part] = {name: name for name in RESIZE_EDGES}
GRIP = 6
"""Pixels outside the frame that still grab its edge: a theme's border is often 1 px, too thin to hit."""
CORNER = 16
"""How far along an edge from a corner the corner's diagonal resize reaches."""
BUTTON_ICON = 0.2  # half an icon's size, in title bar heights (as the theme preview draws them)
ICON = 0.6  # the app icon's side, in title bar heights
ICON_GAP = 6  # pixels between the icon and the title
SHADOW_REACH = 64
"""The most a shadow's blur, spread or offset counts, in pixels: a theme cannot make frames' images huge."""


@dataclass(frozen=True)
class Insets:
    """How far the frame reaches beyond the window geometry on each side."""

    left: int = 0
    top: int = 0
    right: int = 0
    bottom: int = 0

    def around(self, rect: Box) -> Box:
        """``rect`` grown by the insets."""
        return Box(rect.x - self.left, rect.y - self.top, rect.width + self.left + self.right,
                   rect.height + self.top + self.bottom)

    def within(self, rect: Box) -> Box:
        """``rect`` shrunk by the insets (what is left for the window geometry)."""
        return Box(rect.x + self.left, rect.y + self.top, max(1, rect.width - self.left - self.right),
                   max(1, rect.height - self.top - self.bottom))


NO_INSETS = Insets()


@dataclass(frozen=True)
class FrameLayout:
    """Where everything of one frame is, for a window geometry of ``width`` x ``height``."""

    width: int
    height: int
    border: int
    title: int
    """The title bar's height."""
    radius: float
    """Of the title bar's top corners."""
    maximized: bool
    buttons: tuple[tuple[Part, Box], ...]

    @property
    def insets(self) -> Insets:
        return Insets(self.border, self.border + self.title, self.border, self.border)

    @property
    def outer(self) -> Box:
        return Box(0, 0, self.width + 2 * self.border, self.height + self.title + 2 * self.border)

    @property
    def title_rect(self) -> Box:
        return Box(self.border, self.border, self.width, self.title)

    @property
    def top_piece(self) -> Box:
        """The title bar with the border above and beside it: one image."""
        return Box(0, 0, self.width + 2 * self.border, self.title + self.border)


def insets_for(style: DecorationStyle, maximized: bool) -> Insets:
    """The frame's insets without a layout (placement and maximize ask before the client has a size)."""
    border = 0 if maximized else max(0, round(style.border_width))
    return Insets(border, border + max(1, round(style.height)), border, border)


def frame_layout(style: DecorationStyle, width: int, height: int, maximized: bool) -> FrameLayout:
    """A maximized window has no border (nothing to resize) and square corners."""
    insets = insets_for(style, maximized)
    border, title = insets.left, insets.top - insets.left
    size = title  # square buttons as tall as the bar, from the right edge in the theme's order
    right = border + width
    places: list[tuple[Part, Box]] = []
    for name in reversed(style.buttons):
        if right - size < border + width // 2:
            break  # a narrow window keeps room for its title rather than every button
        right -= size
        places.append((name, Box(right, border, size, title)))
    radius = 0.0 if maximized else min(float(style.radius), title / 2, width / 2)
    return FrameLayout(width, height, border, title, radius, maximized, tuple(reversed(places)))


def shadow_extents(shadow: Shadow) -> Insets:
    """How far a frame's shadow reaches beyond the frame on each side (0 where it stays under the frame)."""
    if shadow.color.floats()[3] <= 0:
        return NO_INSETS
    blur, spread, x, y = (_bounded(value) for value in (max(0.0, shadow.blur), shadow.spread, shadow.x, shadow.y))
    reach = max(0.0, blur + spread)
    return Insets(max(0, math.ceil(reach - x)), max(0, math.ceil(reach - y)), max(0, math.ceil(reach + x)),
                  max(0, math.ceil(reach + y)))


def draw_shadow(ctx: cairo.Context, shadow: Shadow, width: int, height: int) -> None:
    """The shadow of a ``width`` x ``height`` frame at (0, 0): the frame's box moved by the shadow's offset, grown
    by its spread and blurred into a linear ramp ``2 * blur`` wide (stacked rectangles added up)."""
    r, g, b, a = shadow.color.floats()
    blur, spread, x, y = (_bounded(value) for value in (max(0.0, shadow.blur), shadow.spread, shadow.x, shadow.y))
    steps = max(1, min(int(SHADOW_REACH), round(blur)))
    ctx.set_operator(cairo.OPERATOR_ADD)
    ctx.set_source_rgba(r, g, b, a / steps)
    for step in range(steps):
        grow = spread + blur * (1 - (2 * step + 1) / steps)
        if width + 2 * grow > 0 and height + 2 * grow > 0:
            ctx.rectangle(x - grow, y - grow, width + 2 * grow, height + 2 * grow)
            ctx.fill()


def _bounded(value: float) -> float:
    return max(-SHADOW_REACH, min(SHADOW_REACH, value))


def hit_test(layout: FrameLayout, x: float, y: float) -> Part | None:
    """What of the frame is at frame-local (x, y): a button, the title, a border edge or corner (up to
    :data:`GRIP` pixels outside the frame), or None (the window geometry, or outside)."""
    outer = layout.outer
    if layout.title_rect.contains(x, y):
        for name, rect in layout.buttons:
            if rect.contains(x, y):
                return name
        return "title"
    if layout.maximized:
        return None
    inside_geometry = Box(layout.border, layout.border + layout.title, layout.width, layout.height)
    if inside_geometry.contains(x, y):
        return None
    grown = Box(outer.x - GRIP, outer.y - GRIP, outer.width + 2 * GRIP, outer.height + 2 * GRIP)
    if not grown.contains(x, y):
        return None
    top, bottom = y < layout.border, y >= outer.bottom - layout.border
    left, right = x < layout.border, x >= outer.right - layout.border
    if top or bottom:  # near a corner along the top or bottom edge: the corner
        left, right = left or x < CORNER, right or x >= outer.right - CORNER
    elif left or right:
        top, bottom = y < CORNER, y >= outer.bottom - CORNER
    vertical = "top" if top else "bottom" if bottom else ""
    horizontal = "left" if left else "right" if right else ""
    return _EDGE_NAMES.get("_".join(part for part in (vertical, horizontal) if part))


@dataclass(frozen=True)
class FrameLook:
    """What a title bar shows besides its size, title and colours: the button under the pointer, or pressed."""

    hovered: Part | None = None
    pressed: Part | None = None


def icon_size(layout: FrameLayout) -> int:
    """The side of the app icon at the title's left, in logical pixels."""
    return max(1, round(layout.title * ICON))


def draw_title_bar(ctx: cairo.Context, style: DecorationStyle, font: Font, layout: FrameLayout, title: str,
                   look: FrameLook, icon: cairo.ImageSurface | None = None) -> None:
    """The title bar with the border around its top, into ``ctx`` at (0, 0) (``layout.top_piece`` big), with
    ``icon`` (:func:`icon_size` square, in device pixels: ``ctx`` is scaled to them) before the title."""
    piece, border, radius = layout.top_piece, layout.border, layout.radius
    _rounded_top(ctx, 0, 0, piece.width, piece.height + radius, radius + border if radius else 0)
    ctx.set_source_rgba(*style.border.floats())
    ctx.fill()
    bar = layout.title_rect
    _rounded_top(ctx, bar.x, bar.y, bar.width, bar.height + radius, radius)
    ctx.set_source_rgba(*style.title_background.floats())
    ctx.fill()
    for name, rect in layout.buttons:
        _draw_button(ctx, style, name, rect, look)
    left_end = bar.x + max(8, round(radius))
    right_end = layout.buttons[0][1].x if layout.buttons else bar.right - max(8, round(radius))
    side = icon_size(layout)
    if icon is not None and right_end - left_end > 3 * side:
        ctx.save()
        ctx.translate(left_end, bar.y + (bar.height - side) / 2)
        ctx.scale(side / icon.get_width(), side / icon.get_height())
        ctx.set_source_surface(icon, 0, 0)
        ctx.paint()
        ctx.restore()
        left_end += side + ICON_GAP
    _draw_title(ctx, style, font, title, left_end, right_end, bar)


def _rounded_top(ctx: cairo.Context, x: float, y: float, width: float, height: float, radius: float) -> None:
    ctx.new_path()
    if radius <= 0:
        ctx.rectangle(x, y, width, height)
        return
    ctx.arc(x + radius, y + radius, radius, math.pi, 1.5 * math.pi)
    ctx.arc(x + width - radius, y + radius, radius, 1.5 * math.pi, 2 * math.pi)
    ctx.line_to(x + width, y + height)
    ctx.line_to(x, y + height)
    ctx.close_path()


def _draw_button(ctx: cairo.Context, style: DecorationStyle, name: Part, rect: Box, look: FrameLook) -> None:
    icon = style.button
    if name in (look.hovered, look.pressed):
        if name == "close":
            background, icon = style.close_hover, style.close_hover_icon
        else:
            background = style.button_hover
        if name == look.pressed:  # pressed: a step further from the bar than hovered
            background = mix(background, style.title_text, 0.2)
        ctx.set_source_rgba(*background.floats())
        inset = rect.height * 0.15
        ctx.rectangle(rect.x + inset, rect.y + inset, rect.width - 2 * inset, rect.height - 2 * inset)
        ctx.fill()
    ctx.set_source_rgba(*icon.floats())
    ctx.set_line_width(1.5)
    half = rect.height * BUTTON_ICON
    window_button(ctx, name, rect.x + rect.width / 2, rect.y + rect.height / 2, half)


def _draw_title(ctx: cairo.Context, style: DecorationStyle, font: Font, title: str, left: float, right: float,
                bar: Box) -> None:
    """The title with Pango, as the toolkit draws text: bold, ellipsized, left or centred per the theme."""
    if not title or right - left < 8:
        return
    Pango, PangoCairo = library("Pango", "1.0"), library("PangoCairo", "1.0")
    layout: Any = PangoCairo.create_layout(ctx)
    description = Pango.FontDescription.from_string(font.family)
    description.set_size(round(font.size * Pango.SCALE))
    description.set_weight(Pango.Weight.BOLD)
    layout.set_font_description(description)
    layout.set_text(title, -1)
    layout.set_ellipsize(Pango.EllipsizeMode.END)
    layout.set_single_paragraph_mode(True)
    width = right - left
    layout.set_width(round(width * Pango.SCALE))
    text_width, text_height = layout.get_pixel_size()
    x = left
    if style.title_align == "center":  # centred on the bar where it fits, else pushed left of the buttons
        x = min(max(left, bar.x + (bar.width - text_width) / 2), right - text_width)
    ctx.set_source_rgba(*style.title_text.floats())
    ctx.move_to(x, bar.y + (bar.height - text_height) / 2)
    PangoCairo.show_layout(ctx, layout)



Press = Literal["move", "maximize", "resize", "button", "none"]
BTN_LEFT = 0x110


def press_action(part: Part, button: int, double_click: bool) -> Press:
    """What a button press on a part of the frame starts: the left button moves by the title (a double click
    toggles maximized), resizes by the border and arms a title bar button; other buttons only focus."""
    if button != BTN_LEFT:
        return "none"
    if part == "title":
        return "maximize" if double_click else "move"
    if part in RESIZE_EDGES:
        return "resize"
    return "button" if part in BUTTONS else "none"
