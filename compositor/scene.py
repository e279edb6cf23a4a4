"""The scene graph: outputs → layers → windows → surfaces/subsurfaces/popups.

Everything that draws or takes input asks the scene; everything that changes on screen tells the scene
which global rectangle to repaint (``damage``), and the scene forwards that to the outputs it touches.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import cairo

from .geometry import Box
from .surface import Surface

if TYPE_CHECKING:
    from .frames import FrameClock
    from .occlusion import Drawable

LAYERS = ("background", "bottom", "windows", "top", "overlay")


class PopupNode(Protocol):
    """Something drawn with its popups on top of it."""

    @property
    def surface(self) -> Surface: ...

    @property
    def popups(self) -> Sequence[PopupNode]: ...


class SceneNode(PopupNode, Protocol):
    """A thing in a layer: a window or a layer surface."""

    @property
    def visible(self) -> bool: ...


class LockScreen(Protocol):
    """What shows and takes input while the session is locked, instead of every layer (handlers/session_lock.py)."""

    @property
    def fill_rgb(self) -> tuple[float, float, float]:
        """Under the lock surfaces, and where an output has none."""

    def drawn(self) -> list[tuple[Drawable, int, int]]: ...

    def surfaces(self) -> list[tuple[Surface, int, int]]: ...


class Decoration(Protocol):
    """What the compositor draws around a window (its server-side frame): pieces drawn just below the
    window's surfaces, and input it takes there (global coordinates)."""

    def pieces(self) -> list[tuple[Drawable, int, int]]: ...

    def accepts_input_at(self, x: float, y: float) -> bool: ...


@dataclass(frozen=True)
class Mode:
    """A way to drive a monitor: physical pixels and refresh rate."""

    width: int
    height: int
    refresh_mhz: int
    preferred: bool = False

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.refresh_mhz / 1000:g}"


@dataclass
class Output:
    """One monitor: its mode, its place in the layout, its framebuffer and what needs repainting."""

    name: str
    x: int
    y: int
    width: int
    height: int
    refresh_mhz: int = 60000
    scale: float = 1.0
    """Physical pixels per logical pixel (may be fractional); ``width``/``height`` are logical, the mode
    and the framebuffer physical."""
    make: str = "Orrery"
    model: str = "virtual"
    serial: str = ""
    physical_size: tuple[int, int] = (0, 0)  # millimetres; 0 when unknown
    modes: list[Mode] = field(default_factory=list)  # what the monitor offers; the current one among them
    damage: list[Box] = field(default_factory=list)
    framebuffer: cairo.ImageSurface | None = None
    # Surfaces whose drawing failed, with the content that failed: not drawn again until it changes (render.py).
    # Not weak references: a compiled Surface has none (compositor/compiled.py); render.py forgets them.
    undrawable: dict[Any, object] = field(default_factory=dict)
    presented_frames: int = 0
    powered: bool = True  # False while switched off (DPMS): it shows nothing
    mode_width: int = 0  # the mode in physical pixels (0: width/height at scale 1)
    mode_height: int = 0
    transform: int = 0
    """How the monitor is turned (wl_output.transform); the framebuffer is in the mode's orientation, and
    ``width``/``height`` are those of the picture as the user sees it (swapped for a quarter turn)."""

    def __post_init__(self) -> None:
        self.mode_width = self.mode_width or self.width
        self.mode_height = self.mode_height or self.height
        if not self.modes:
            self.modes = [Mode(self.mode_width, self.mode_height, self.refresh_mhz, preferred=True)]

    @property
    def rect(self) -> Box:
        return Box(self.x, self.y, self.width, self.height)

    def set_mode(self, mode_width: int, mode_height: int, scale: float | None = None,
                 transform: int | None = None) -> None:
        """A new mode (physical pixels), scale and/or transform; the logical size follows."""
        self.mode_width, self.mode_height = mode_width, mode_height
        if scale is not None:
            self.scale = scale
        if transform is not None:
            self.transform = transform
        upright_width, upright_height = self.upright_size()
        self.width = max(1, round(upright_width / self.scale))
        self.height = max(1, round(upright_height / self.scale))

    def upright_size(self) -> tuple[int, int]:
        """The mode in physical pixels, turned as the user sees the picture."""
        if self.transform % 2:
            return self.mode_height, self.mode_width
        return self.mode_width, self.mode_height

    def framebuffer_matrix(self) -> cairo.Matrix:
        """Physical pixels of the picture as the user sees it (output-local) → framebuffer pixels: the
        transform's flip, then its quarter turns, each counter-clockwise."""
        width, height = self.upright_size()
        matrix = cairo.Matrix(-1, 0, 0, 1, width, 0) if self.transform >= 4 else cairo.Matrix()
        for _ in range(self.transform % 4):
            matrix = matrix.multiply(cairo.Matrix(0, -1, 1, 0, 0, width))  # (x, y) → (y, width - x)
            width, height = height, width
        return matrix

    def device_box(self, rect: Box) -> Box:
        """A global logical rectangle as the whole framebuffer pixels it touches."""
        scale = self.scale
        if scale == 1 and not self.transform:
            return rect.translate(-self.x, -self.y).intersect(Box(0, 0, self.mode_width, self.mode_height))
        x0, y0 = math.floor((rect.x - self.x) * scale), math.floor((rect.y - self.y) * scale)
        x1, y1 = math.ceil((rect.right - self.x) * scale), math.ceil((rect.bottom - self.y) * scale)
        if self.transform:
            x0, y0, x1, y1 = _mapped(self.framebuffer_matrix(), x0, y0, x1, y1)
        return Box(x0, y0, x1 - x0, y1 - y0).intersect(Box(0, 0, self.mode_width, self.mode_height))

    def logical_box(self, device: Box) -> Box:
        """Framebuffer pixels as the global logical rectangle covering them."""
        x0, y0, x1, y1 = device.x, device.y, device.right, device.bottom
        if self.transform:
            inverse = self.framebuffer_matrix()
            inverse.invert()
            x0, y0, x1, y1 = _mapped(inverse, x0, y0, x1, y1)
        scale = self.scale
        left, top = self.x + math.floor(x0 / scale), self.y + math.floor(y0 / scale)
        return Box(left, top, self.x + math.ceil(x1 / scale) - left, self.y + math.ceil(y1 / scale) - top)

    def ensure_framebuffer(self) -> cairo.ImageSurface:
        fb = self.framebuffer
        if fb is None or fb.get_width() != self.mode_width or fb.get_height() != self.mode_height:
            fb = self.framebuffer = cairo.ImageSurface(cairo.FORMAT_RGB24, self.mode_width, self.mode_height)
            self.damage = [self.rect]
        return fb


def _mapped(matrix: cairo.Matrix, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int, int, int]:
    """A rectangle's corners through a matrix of quarter turns and flips: the rectangle they span."""
    ax, ay = matrix.transform_point(x0, y0)
    bx, by = matrix.transform_point(x1, y1)
    return round(min(ax, bx)), round(min(ay, by)), round(max(ax, bx)), round(max(ay, by))


LAYOUT_TIME_PER_TURN = 0.002  # seconds (layout_changed_soon)


class Scene:
    def __init__(self) -> None:
        self.outputs: list[Output] = []
        self.layers: dict[str, list[SceneNode]] = {name: [] for name in LAYERS}
        self.background_rgb = (0.11, 0.12, 0.15)
        self.clock: FrameClock | None = None  # told of each output with damage (it sets itself here)
        # How layout_changed_soon defers work to the end of the event loop's turn (its call_soon); None: never.
        self.call_soon: Callable[[Callable[[], None]], object] | None = None
        self._layout_change_due = False
        self._turn_open = False
        self._layout_time = 0.0  # seconds layout_changed_soon spent at once in this turn of the event loop
        # called when surfaces moved, resized, appeared, vanished or restacked (pointer focus, wl_surface.enter)
        self.layout_listeners: list[Callable[[], None]] = []
        # The frame the compositor draws around a node, if any (set by the server-side decorations).
        self.decoration_of: Callable[[PopupNode], Decoration | None] = lambda node: None
        # What the compositor shows above everything (a question it asks), in global coordinates.
        self.overlay: Callable[[], list[tuple[Drawable, int, int]]] = lambda: []
        self.lock: LockScreen | None = None  # set while the session is locked: only it shows and takes input

    # -- damage ------------------------------------------------------------------------------------------
    def damage(self, rect: Box) -> None:
        for output in self.outputs:
            clipped = rect.intersect(output.rect)
            if not clipped.empty:
                output.damage.append(clipped)
                if self.clock is not None:
                    self.clock.schedule(output)

    def layout_changed(self) -> None:
        """What is where changed: let the seat and the output tracker look again."""
        self._layout_change_due = False
        for listener in list(self.layout_listeners):
            listener()

    def layout_changed_soon(self) -> None:
        """layout_changed, for a change a client's request made: at once (a client expects the wl_pointer.enter
        a commit causes before the answer to its next wl_display.sync), until the listeners, which look at
        every surface, have used LAYOUT_TIME_PER_TURN of this turn of the event loop; later changes wait for
        the end of the turn and cost one look together. So a client's thousand commits cost a few looks, not a
        thousand."""
        if self.call_soon is None:
            self.layout_changed()
            return
        if not self._turn_open:
            self._turn_open = True
            self.call_soon(self._end_of_turn)
        if self._layout_time < LAYOUT_TIME_PER_TURN and not self._layout_change_due:
            started = time.perf_counter()
            self.layout_changed()
            self._layout_time += time.perf_counter() - started
        else:
            self._layout_change_due = True

    def _end_of_turn(self) -> None:
        self._turn_open = False
        self._layout_time = 0.0
        if self._layout_change_due:
            self.layout_changed()

    def damage_everything(self) -> None:
        for output in self.outputs:
            self.damage(output.rect)

    def damage_surface_tree(self, surface: Surface) -> None:
        origin = surface.origin()
        if origin is None:
            return
        for child, x, y in surface.tree():
            if child.content is not None:
                self.damage(Box(origin[0] + x, origin[1] + y, child.width, child.height))

    def damage_node(self, node: SceneNode | PopupNode) -> None:
        self.damage_surface_tree(node.surface)
        decoration = self.decoration_of(node)
        if decoration is not None:
            self.damage_pieces(decoration)
        for popup in node.popups:
            self.damage_node(popup)

    def damage_pieces(self, decoration: Decoration) -> None:
        for piece, x, y in decoration.pieces():
            self.damage(Box(x, y, piece.width, piece.height))

    # -- traversal -----------------------------------------------------------------------------------
    @property
    def fill_rgb(self) -> tuple[float, float, float]:
        """The colour where no surface is drawn."""
        return self.lock.fill_rgb if self.lock is not None else self.background_rgb

    def drawn_surfaces(self) -> list[tuple[Surface, int, int]]:
        """Every mapped surface bottom to top, with its global position (a list: every frame asks)."""
        if self.lock is not None:
            return self.lock.surfaces()
        drawn: list[tuple[Surface, int, int]] = []
        for layer in LAYERS:
            for node in self.layers[layer]:
                if node.visible:
                    _add_node_surfaces(node, drawn)
        return drawn

    def undrawn_surfaces(self) -> set[Surface]:
        """The surfaces of the nodes that are in a layer but not shown (a minimized window, a window on a
        workspace its output does not show), with their subsurfaces and popups: nothing of them shows."""
        found: set[Surface] = set()
        for layer in LAYERS:
            for node in self.layers[layer]:
                if not node.visible or self.lock is not None:  # locked: nothing of the layers shows
                    _add_undrawn(node, found)
        return found

    def drawn(self) -> list[tuple[Drawable, int, int]]:
        """What the renderer draws, bottom to top: the surfaces, and under each window its frame's pieces."""
        if self.lock is not None:
            return self.lock.drawn()
        drawn: list[tuple[Drawable, int, int]] = []
        for layer in LAYERS:
            for node in self.layers[layer]:
                if node.visible:
                    decoration = self.decoration_of(node)
                    if decoration is not None:
                        drawn.extend(decoration.pieces())
                    _add_surfaces(node, drawn.append)
        drawn.extend(self.overlay())
        return drawn

    def input_at(self, x: float, y: float) -> tuple[Surface, float, float] | Decoration | None:
        """What takes input at global (x, y), topmost first: a surface (with surface-local coordinates), or
        a window's frame (title bar, buttons, border and the grip just outside it)."""
        if self.lock is not None:
            for surface, sx, sy in reversed(self.lock.surfaces()):
                if surface.accepts_input_at(x - sx, y - sy):
                    return surface, x - sx, y - sy
            return None
        for layer in reversed(LAYERS):
            for node in reversed(self.layers[layer]):
                if not node.visible:
                    continue
                surfaces: list[tuple[Surface, int, int]] = []
                _add_node_surfaces(node, surfaces)
                for surface, sx, sy in reversed(surfaces):
                    if surface.accepts_input_at(x - sx, y - sy):
                        return surface, x - sx, y - sy
                decoration = self.decoration_of(node)
                if decoration is not None and decoration.accepts_input_at(x, y):
                    return decoration
        return None

    def surface_at(self, x: float, y: float) -> tuple[Surface, float, float] | None:
        """The topmost surface accepting input at global (x, y), with surface-local coordinates; None over
        a window's frame (the compositor's, not a client's)."""
        hit = self.input_at(x, y)
        return hit if isinstance(hit, tuple) else None

    def output_at(self, x: float, y: float) -> Output | None:
        for output in self.outputs:
            if output.rect.contains(x, y):
                return output
        return None

    def layout_bounds(self) -> Box:
        box = Box(0, 0, 0, 0)
        for output in self.outputs:
            box = box.union(output.rect)
        return box


def node_surfaces(node: SceneNode | PopupNode) -> list[tuple[Surface, int, int]]:
    """A window's (or layer surface's) mapped surfaces with their popups, bottom to top, at global positions."""
    drawn: list[tuple[Surface, int, int]] = []
    _add_surfaces(node, drawn.append)
    return drawn


def _add_node_surfaces(node: SceneNode | PopupNode, drawn: list[tuple[Surface, int, int]]) -> None:
    _add_surfaces(node, drawn.append)


def _add_surfaces(node: SceneNode | PopupNode, add: Callable[[tuple[Surface, int, int]], None]) -> None:
    surface = node.surface
    if surface.content is not None:
        origin = surface.origin()
        if origin is not None:
            if surface.current.below or surface.current.above:
                for child, dx, dy in surface.tree():
                    if child.content is not None:
                        add((child, origin[0] + dx, origin[1] + dy))
            else:
                add((surface, origin[0], origin[1]))
    for popup in node.popups:
        _add_surfaces(popup, add)


def _add_undrawn(node: SceneNode | PopupNode, found: set[Surface]) -> None:
    found.update(surface for surface, _x, _y in node.surface.tree())
    for popup in node.popups:
        _add_undrawn(popup, found)
