"""Server-side decorations: the frame of each window whose client asked for one, the pointer over it, and
the theme it is drawn from, followed live.

A window gets a frame while its ``toplevel.decorations`` is ``"server"`` (xdg-decoration,
``handlers/decoration.py``) and it is not fullscreen. The frame is drawn as pieces (the title bar with the
border around its top, then the left, right and bottom borders) that the renderer composites like surfaces,
just below the window's own, so damage, occlusion (opaque where the theme's colours are) and screenshots
treat it as one more thing on screen. Its images are drawn again only when what they show changes: the
window's size, title, focus or maximized state, the button under the pointer, or the theme.

The pointer over a frame is the compositor's: the title bar moves the window (and a double click toggles
maximized), the buttons close, maximize and minimize on release, the border and a few pixels outside it
resize, with the matching cursor. The drawing and the hit testing are the pure functions of
:mod:`compositor.decorations`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from typing import TYPE_CHECKING

import cairo

from . import decorations as deco
from . import input as actions
from .buffers import Content, OwnedPixels
from .geometry import Box, Region
from .surface import Surface, SurfaceState
from .title_icons import TitleIcons
from .wm import ManagedWindow

if TYPE_CHECKING:
    from themes import ThemeModel, ThemeWatcher
    from themes.model import DecorationStyle, Shadow

    from .occlusion import Drawable
    from .scene import Decoration, PopupNode
    from .seat import Seat
    from .server import Compositor

log = logging.getLogger(__name__)
DOUBLE_CLICK_S = 0.4
DRAG_THRESHOLD = 4  # pixels the pointer moves, pressed on the title, before the window moves with it


def active_theme() -> str:
    """The theme the desktop uses: shell.toml's ``theme``, read as the shell's clients read it."""
    from shell.config import DEFAULTS, default_path, load_config

    result = load_config(default_path())
    return result.config.theme if result.config is not None else str(DEFAULTS[""]["theme"])


class FramePiece:
    """One image of a frame, drawn by the renderer as it draws a surface: at ``scale`` image pixels per logical
    pixel (the densest output's, so that the title stays crisp there), pixel for pixel at scale 1."""

    def __init__(self, image: cairo.ImageSurface, opaque: Region | None, scale: int) -> None:
        image.flush()
        self.content: Content | None = OwnedPixels(image)
        self.width, self.height = image.get_width() // scale, image.get_height() // scale
        self.current = SurfaceState(scale=scale)
        self._opaque = opaque

    def opaque_region(self) -> Region | None:
        return self._opaque


def _solid_piece(width: int, height: int, style: DecorationStyle, scale: int) -> FramePiece:
    # An opaque border is an image without alpha: the renderer copies it, and occlusion needs no region for it.
    opaque = style.border.opaque
    image = cairo.ImageSurface(cairo.FORMAT_RGB24 if opaque else cairo.FORMAT_ARGB32, width * scale, height * scale)
    ctx = cairo.Context(image)
    ctx.set_source_rgba(*style.border.floats())
    ctx.paint()
    return FramePiece(image, None, scale)


def _title_piece(layout: deco.FrameLayout, style: DecorationStyle, theme: ThemeModel, title: str,
                 look: deco.FrameLook, scale: int, icon: cairo.ImageSurface | None) -> FramePiece:
    box = layout.top_piece
    opaque = style.border.opaque and style.title_background.opaque
    square = opaque and not layout.radius  # no alpha at all: copied, and hides what is under it outright
    image = cairo.ImageSurface(cairo.FORMAT_RGB24 if square else cairo.FORMAT_ARGB32, box.width * scale,
                               box.height * scale)
    ctx = cairo.Context(image)
    ctx.scale(scale, scale)
    deco.draw_title_bar(ctx, style, theme.fonts.ui, layout, title, look, icon)
    region = None
    if opaque and not square:  # all but the rounded corners, where what is under the window shows through
        corner = int(layout.radius + layout.border + 0.999)
        region = Region().add(box).subtract(Box(0, 0, corner, corner)).subtract(
            Box(box.width - corner, 0, corner, corner))
    return FramePiece(image, region, scale)


def _shadow_pieces(outer: Box, shadow: Shadow, scale: int) -> list[tuple[FramePiece, int, int]]:
    """The shadow around a frame of size ``outer`` as four strips outside it (frame-local positions): what is
    under the frame never needs drawing."""
    reach = deco.shadow_extents(shadow)
    wide = outer.width + reach.left + reach.right
    strips = [Box(-reach.left, -reach.top, wide, reach.top), Box(-reach.left, outer.height, wide, reach.bottom),
              Box(-reach.left, 0, reach.left, outer.height), Box(outer.width, 0, reach.right, outer.height)]
    pieces = []
    for strip in strips:
        if strip.width > 0 and strip.height > 0:
            image = cairo.ImageSurface(cairo.FORMAT_ARGB32, strip.width * scale, strip.height * scale)
            ctx = cairo.Context(image)
            ctx.scale(scale, scale)
            ctx.translate(-strip.x, -strip.y)
            deco.draw_shadow(ctx, shadow, outer.width, outer.height)
            pieces.append((FramePiece(image, None, scale), strip.x, strip.y))
    return pieces


class WindowFrame:
    """The frame of one window: its layout, its pieces (frame-local), and what the pointer does over it."""

    def __init__(self, owner: ServerDecorations, window: ManagedWindow) -> None:
        self.owner, self.window = owner, window
        self.hovered: deco.Part | None = None
        self.pressed: deco.Part | None = None
        self.layout: deco.FrameLayout | None = None
        self._drawn: tuple[object, ...] | None = None  # what the pieces show, to draw them only when it changes
        self._pieces: list[tuple[FramePiece, int, int]] = []
        window.surface.commit_listeners.append(self.committed)

    def forget(self) -> None:
        if self.committed in self.window.surface.commit_listeners:
            self.window.surface.commit_listeners.remove(self.committed)

    def origin(self) -> tuple[int, int]:
        """Where the frame's top-left corner is on the layout."""
        insets = self.layout.insets if self.layout is not None else deco.NO_INSETS
        return self.window.x - insets.left, self.window.y - insets.top

    # -- Decoration (for the scene) -----------------------------------------------------------------------
    def pieces(self) -> list[tuple[Drawable, int, int]]:
        x, y = self.origin()
        return [(piece, x + dx, y + dy) for piece, dx, dy in self._pieces]

    def accepts_input_at(self, x: float, y: float) -> bool:
        return self.part_at(x, y) is not None

    def part_at(self, x: float, y: float) -> deco.Part | None:
        """What of the frame is at global (x, y)."""
        if self.layout is None:
            return None
        ox, oy = self.origin()
        return deco.hit_test(self.layout, x - ox, y - oy)

    # -- drawing ---------------------------------------------------------------------------------------------
    def committed(self, surface: Surface) -> None:
        """A commit of the window: only a new size changes the frame (clients commit every frame)."""
        layout, geometry = self.layout, self.window.toplevel.geometry()
        if layout is None or (geometry.width, geometry.height) != (layout.width, layout.height):
            self.update()

    def update(self) -> None:
        """Draw the pieces again if what they show changed, and repaint where they were and are."""
        window, owner = self.window, self.owner
        geometry = window.toplevel.geometry()
        style = owner.style(window)
        look = deco.FrameLook(self.hovered, self.pressed)
        scale = owner.image_scale()
        # floating windows cast the theme's shadow; tiles and maximized windows sit flat
        shadowed = not window.maximized and not owner.compositor.wm.tiler.tiled(window)
        toplevel = window.toplevel
        key = (owner.metrics, style, owner.theme.fonts.ui, toplevel.title, toplevel.app_id, toplevel.icon,
               geometry.width, geometry.height, window.maximized, look, scale, shadowed)
        if key == self._drawn:
            return
        scene = owner.compositor.scene
        scene.damage_pieces(self)
        self._drawn = key
        layout = self.layout = deco.frame_layout(owner.metrics, geometry.width, geometry.height, window.maximized)
        self._pieces = _shadow_pieces(layout.outer, style.shadow, scale) if shadowed else []
        icon = toplevel.icon or owner.icons.image(toplevel.app_id, deco.icon_size(layout) * scale)
        self._pieces.append((_title_piece(layout, style, owner.theme, toplevel.title, look, scale, icon), 0, 0))
        border, top = layout.border, layout.top_piece.height
        if border > 0:
            outer = layout.outer
            side = geometry.height + border
            self._pieces += [(_solid_piece(border, side, style, scale), 0, top),
                             (_solid_piece(border, side, style, scale), outer.width - border, top),
                             (_solid_piece(geometry.width, border, style, scale), border, outer.height - border)]
        scene.damage_pieces(self)

    def show(self, hovered: deco.Part | None, pressed: deco.Part | None) -> None:
        if (hovered, pressed) != (self.hovered, self.pressed):
            self.hovered, self.pressed = hovered, pressed
            self.update()


class ServerDecorations:
    """The compositor's part that decorates windows: the theme, each window's frame, and pointer input
    over frames (the seat hands it over)."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.watcher: ThemeWatcher | None = None  # the theme's files, from when it is read
        self._theme: ThemeModel | None = None
        self._started = False  # the theme is followed once it is read (start)
        self.frames: dict[int, WindowFrame] = {}  # by window id
        self.icons = TitleIcons()
        self.hovered: WindowFrame | None = None
        self.last_title_press: tuple[int, float, float, float] | None = None  # window id, time, x, y
        self._follow: asyncio.Task[None] | None = None
        compositor.scene.decoration_of = self.decoration_of
        compositor.wm.frame_insets = self.insets
        compositor.wm.shadow_reach = self.shadow_reach
        compositor.window_listeners.append(self.windows_changed)
        compositor.output_listeners.append(self.windows_changed)  # a new output scale: images at the new one

    @property
    def theme(self) -> ThemeModel:
        """The desktop's theme, read when something first needs it (a window's frame, a second window's
        placement, the tiles' gaps, a notice): importing the theme engine and deriving a theme cost ≈ 30 ms,
        and a client's first frame needs neither. Its files are followed from then on."""
        if self._theme is None:
            from themes import ThemeWatcher

            self.watcher = ThemeWatcher(active_theme())
            self._theme = self.watcher.current
            if self._started:
                self._follow = self.compositor.loop.create_task(self._follow_theme(self.watcher))
        return self._theme

    @property
    def metrics(self) -> DecorationStyle:
        """Sizes come from the focused window's style for every window, so that focus moves nothing."""
        return self.theme.decorations.active

    def style(self, window: ManagedWindow) -> DecorationStyle:
        states = self.theme.decorations
        return states.active if window.activated else states.inactive

    def image_scale(self) -> int:
        """Image pixels per logical pixel of the frames' images: the densest output's scale, rounded up."""
        return max(1, math.ceil(max((output.scale for output in self.compositor.scene.outputs), default=1.0)))

    def decorated(self, window: ManagedWindow) -> bool:
        return window.toplevel.decorations == "server" and not window.fullscreen

    def insets(self, window: ManagedWindow) -> deco.Insets:
        if not self.decorated(window):
            return deco.NO_INSETS
        return deco.insets_for(self.metrics, window.maximized)

    def shadow_reach(self) -> int:
        """The farthest a frame's shadow reaches beyond it, focused or not (placement keeps that clear)."""
        reaches = [deco.shadow_extents(style.shadow) for style in self.theme.decorations.__dict__.values()]
        return max(max(reach.left, reach.top, reach.right, reach.bottom) for reach in reaches)

    def decoration_of(self, node: PopupNode) -> Decoration | None:
        return self.frames.get(node.id) if isinstance(node, ManagedWindow) else None

    def frame_rect(self, window: ManagedWindow) -> Box | None:
        """The window's frame on the layout, or None when it has none."""
        frame = self.frames.get(window.id)
        if frame is None or frame.layout is None:
            return None
        x, y = frame.origin()
        return frame.layout.outer.translate(x, y)

    # -- following windows and the theme -------------------------------------------------------------------
    def windows_changed(self) -> None:
        """Focus, title, state or the set of windows changed: frames follow (drawn again only if changed)."""
        windows = {window.id: window for window in self.compositor.wm.windows}
        for window_id, frame in list(self.frames.items()):
            window = windows.get(window_id)
            if window is None or window is not frame.window or not self.decorated(window):
                self.compositor.scene.damage_pieces(frame)
                frame.forget()
                del self.frames[window_id]
                if self.hovered is frame:
                    self.hovered = None
        for window in windows.values():
            if self.decorated(window):
                shown = self.frames.get(window.id)
                if shown is None:
                    shown = self.frames[window.id] = WindowFrame(self, window)
                shown.update()

    def set_theme(self, theme: ThemeModel) -> None:
        """Restyle every frame in place; maximized windows are fitted again if the title bar's size changed."""
        resized = deco.insets_for(theme.decorations.active, True) != deco.insets_for(self.metrics, True)
        wm, gap = self.compositor.wm, self.compositor.wm.tiler.gap()
        self._theme = theme
        for frame in list(self.frames.values()):
            frame.update()
        if resized:
            wm.outputs_changed()  # what maximized windows fill changed
        if wm.tiler.gap() != gap:
            wm.tiler.refresh_all()  # the theme's gaps, unless orrery.toml sets its own
        if self.compositor.scene.lock is not None:  # a locked screen's colour and notice are the theme's too
            self.compositor.scene.damage_everything()

    def start(self) -> None:
        """Follow the theme's files on the compositor's loop (as the shell's clients do), once it is read."""
        self._started = True
        if self.watcher is not None and self._follow is None:
            self._follow = self.compositor.loop.create_task(self._follow_theme(self.watcher))

    async def _follow_theme(self, watcher: ThemeWatcher) -> None:
        """Restyle on every save of the theme's files, and take the theme shell.toml names when that changes."""
        from shell.config import default_path
        from themes import ThemeWatcher
        from themes.watch import DirectoryWatch

        settings = DirectoryWatch(lambda path: os.path.basename(path) == "shell.toml")
        settings.watch([default_path().parent])
        saves = self.compositor.loop.create_task(self._follow_saves(watcher))
        try:
            while True:
                await settings.changed.wait()
                await asyncio.sleep(0.05)  # an editor's save can be several writes
                settings.changed.clear()
                name = active_theme()
                if name != watcher.source:
                    saves.cancel()
                    self.watcher = watcher = ThemeWatcher(name)
                    log.info("shell.toml names theme %s: restyling window frames", name)
                    self.set_theme(watcher.current)
                    saves = self.compositor.loop.create_task(self._follow_saves(watcher))
        finally:
            saves.cancel()
            await settings.stop()

    async def _follow_saves(self, watcher: ThemeWatcher) -> None:
        async with watcher:
            async for update in watcher:
                if update.applied:
                    log.info("theme %s reloaded: restyling window frames", update.theme.name)
                    self.set_theme(update.theme)

    def stop(self) -> None:
        self._started = False
        if self._follow is not None:
            self._follow.cancel()
            self._follow = None

    # -- pointer ---------------------------------------------------------------------------------------
    def pointer_over(self, decoration: Decoration | None, x: float, y: float) -> str | None:
        """The pointer is over ``decoration`` (None: over no frame); returns the cursor shape it shows there
        (None: the default arrow)."""
        frame = decoration if isinstance(decoration, WindowFrame) else None
        if self.hovered is not None and self.hovered is not frame:
            self.hovered.show(None, self.hovered.pressed)
        self.hovered = frame
        if frame is None:
            return None
        part = frame.part_at(x, y)
        frame.show(part if part in deco.BUTTONS else None, frame.pressed)
        return deco.CURSORS.get(part) if part is not None else None

    def press(self, decoration: Decoration, seat: Seat, button: int) -> None:
        """A button pressed over a frame: focus its window, then move, resize, maximize or arm a button."""
        if not isinstance(decoration, WindowFrame):
            return
        frame, window, wm = decoration, decoration.window, self.compositor.wm
        super_action = actions.pointer_press(seat.active_keyboard.super_held, button, window)
        if not isinstance(super_action, actions.Focus):  # Super+drag works on the frame as on the window
            wm.perform(super_action, seat)
            return
        wm.focus(window)
        part = frame.part_at(seat.x, seat.y)
        if part is None:
            return
        now = time.monotonic()
        last, self.last_title_press = self.last_title_press, None
        double = (part == "title" and last is not None and last[0] == window.id and now - last[1] < DOUBLE_CLICK_S
                  and abs(seat.x - last[2]) <= DRAG_THRESHOLD and abs(seat.y - last[3]) <= DRAG_THRESHOLD)
        what = deco.press_action(part, button, double)
        if what == "move":
            self.last_title_press = (window.id, now, seat.x, seat.y)
            seat.grab = TitleGrab(self, frame, seat)
        elif what == "maximize":
            wm.set_maximized(window, not window.maximized)
        elif what == "resize":
            wm.begin_resize(window, seat, deco.RESIZE_EDGES[part])
            seat.show_cursor_shape(deco.CURSORS[part])  # the grab keeps the edge's cursor
        elif what == "button":
            frame.show(frame.hovered, part)
            seat.grab = ButtonGrab(self, frame, part, seat)

    def click(self, window: ManagedWindow, part: deco.Part) -> None:
        """A title bar button was pressed and released over it."""
        wm = self.compositor.wm
        if window not in wm.windows:
            return
        if part == "close":
            window.toplevel.close()
        elif part == "maximize":
            wm.set_maximized(window, not window.maximized)
        elif part == "minimize":
            wm.minimize(window)


class TitleGrab:
    """Pressed on the title: a click, or a move once the pointer has gone :data:`DRAG_THRESHOLD` pixels (so
    that clicking a maximized window's title, or double-clicking it, does not restore it first)."""

    def __init__(self, owner: ServerDecorations, frame: WindowFrame, seat: Seat) -> None:
        self.owner, self.frame, self.seat = owner, frame, seat
        self.start = (seat.x, seat.y)

    def motion(self, x: float, y: float) -> None:
        if max(abs(x - self.start[0]), abs(y - self.start[1])) < DRAG_THRESHOLD:
            return
        self.owner.last_title_press = None  # a drag, not the first click of a double click
        self.seat.grab = None
        self.owner.compositor.wm.begin_move(self.frame.window, self.seat, self.start)
        if self.seat.grab is not None:
            self.seat.grab.motion(x, y)

    def button(self, button: int, pressed: bool) -> bool:
        return not pressed and not self.seat.buttons


class ButtonGrab:
    """Pressed on a title bar button: it shows pressed while the pointer is over it, and acts on release
    there (as toolkits' buttons do: moving off cancels)."""

    def __init__(self, owner: ServerDecorations, frame: WindowFrame, part: deco.Part, seat: Seat) -> None:
        self.owner, self.frame, self.part, self.seat = owner, frame, part, seat

    def motion(self, x: float, y: float) -> None:
        over = self.frame.part_at(x, y) == self.part
        self.frame.show(self.part if over else None, self.part if over else None)

    def button(self, button: int, pressed: bool) -> bool:
        if pressed or self.seat.buttons:
            return False
        over = self.frame.part_at(self.seat.x, self.seat.y) == self.part
        self.frame.show(self.frame.hovered, None)
        if over:
            self.owner.click(self.frame.window, self.part)
        return True
