"""wl_surface state: double-buffered pending/current state, pixels copied out of client buffers, roles.

A commit applies the pending state, copies the damaged rows of the attached shm buffer into our own
Cairo image and releases the buffer at once, reports the damage in global coordinates to the scene,
and hands the frame callbacks to the output clock. Roles (xdg_toplevel, subsurface, cursor, …) plug in
through :class:`Role`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import cairo
from pywayland.protocol.wayland import WlSurface

from .geometry import Rect, Region
from .wl.display import shm_access
from .wl.native import ffi
from .wl.resource import ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from .server import Compositor

SHM_ARGB8888, SHM_XRGB8888 = 0, 1
CAIRO_FORMATS = {SHM_ARGB8888: cairo.FORMAT_ARGB32, SHM_XRGB8888: cairo.FORMAT_RGB24}


class Role(Protocol):
    """What a surface is for; decides where it is and reacts to commits."""

    name: str

    def origin(self) -> tuple[int, int] | None:
        """Global position of the surface's top-left corner, or None while not on screen."""

    def committed(self) -> None:
        """The surface's new state has just been applied."""

    def surface_destroyed(self) -> None:
        """The wl_surface went away; the role object may outlive it."""


@dataclass
class SurfaceState:
    """The double-buffered part of a surface; ``changed`` names the fields set since the last commit."""

    buffer: ForeignResource | None = None
    dx: int = 0
    dy: int = 0
    damage: list[Rect] = field(default_factory=list)
    buffer_damage: list[Rect] = field(default_factory=list)
    frame_callbacks: list[Resource] = field(default_factory=list)
    feedbacks: list[Resource] = field(default_factory=list)
    opaque: Region | None = None
    input: Region | None = None  # None: the whole surface takes input
    scale: int = 1
    transform: int = 0
    viewport_src: tuple[float, float, float, float] | None = None
    viewport_dst: tuple[int, int] | None = None
    changed: set[str] = field(default_factory=set)

    def set(self, name: str, value: Any) -> None:
        setattr(self, name, value)
        self.changed.add(name)

    def merge_into(self, target: SurfaceState) -> None:
        """Move what changed here into ``target`` (accumulating lists) and reset this state."""
        for name in self.changed:
            if name in ("damage", "buffer_damage", "frame_callbacks", "feedbacks"):
                getattr(target, name).extend(getattr(self, name))
                setattr(self, name, [])
            else:
                setattr(target, name, getattr(self, name))
        target.changed |= self.changed
        if "buffer" in self.changed:
            self.buffer = None
        self.dx = self.dy = 0
        self.changed = set()


class Surface:
    """One wl_surface."""

    def __init__(self, compositor: Compositor, resource: Resource) -> None:
        self.compositor = compositor
        self.resource = resource
        self.pending = SurfaceState()
        self.current = SurfaceState()
        self.cached: SurfaceState | None = None  # synchronized subsurface state waiting for the parent
        self.role: Role | None = None
        self.role_name: str | None = None
        self.image: cairo.ImageSurface | None = None
        self._pixels: bytearray | None = None
        self.width = 0
        self.height = 0
        self.below: list[Any] = []  # subsurfaces drawn under this surface (Subsurface objects)
        self.above: list[Any] = []
        self.alive = True
        self.commit_listeners: list[Any] = []
        self.destroy_listeners: list[Any] = []
        # Called on wl_surface.attach of a buffer; a role object raises ProtocolError to refuse it.
        self.attach_checks: list[Callable[[], None]] = []

    def __repr__(self) -> str:
        return f"<Surface {self.resource!r} role={self.role_name}>"

    def set_role(self, name: str, role: Role, error_resource: Resource, error_code: int) -> None:
        """A surface gets one role for life; a different role is a protocol error."""
        if self.role_name is not None and self.role_name != name:
            raise ProtocolError(error_code, f"surface already has role {self.role_name}", error_resource)
        if self.role is not None:
            raise ProtocolError(error_code, f"surface already has an active {name} role object",
                                error_resource)
        self.role_name = name
        self.role = role

    def clear_role_object(self) -> None:
        self.role = None

    def origin(self) -> tuple[int, int] | None:
        return self.role.origin() if self.role is not None else None

    def bounds(self) -> Rect | None:
        origin = self.origin()
        if origin is None or self.image is None:
            return None
        return Rect(origin[0], origin[1], self.width, self.height)

    def accepts_input_at(self, sx: float, sy: float) -> bool:
        if self.image is None or not (0 <= sx < self.width and 0 <= sy < self.height):
            return False
        region = self.current.input
        return region is None or region.contains(sx, sy)

    # -- commit ----------------------------------------------------------------------------------------
    def commit(self) -> None:
        role = self.role
        if role is not None and getattr(role, "synchronized", lambda: False)():
            if self.cached is None:
                self.cached = SurfaceState()
            self.pending.merge_into(self.cached)
            return
        state = self.pending
        if self.cached is not None:
            self.pending.merge_into(self.cached)
            state, self.cached = self.cached, None
        self.apply(state)

    def apply(self, state: SurfaceState) -> None:
        """Apply a pending or cached state: pixels, damage, callbacks, then the role and children."""
        old_bounds = self.bounds()
        changed = set(state.changed)
        new_buffer = state.buffer if "buffer" in changed else None
        state.merge_into(self.current)
        current = self.current
        if "buffer" in changed:
            current.buffer = None  # we copy, so we never hold on to the client's buffer
        if "scale" in changed and current.scale < 1:
            raise ProtocolError(WlSurface.error.invalid_scale, "buffer scale must be positive")
        if "buffer" in changed and new_buffer is None:
            self.image = self._pixels = None
        elif new_buffer is not None:
            self._copy_buffer(new_buffer, current)
        self._update_size(current)
        for callback in current.frame_callbacks:
            self.compositor.frames.queue_callback(self, callback)
        for feedback in current.feedbacks:
            self.compositor.frames.queue_feedback(self, feedback)
        current.frame_callbacks, current.feedbacks = [], []
        self._report_damage(old_bounds, current, changed)
        current.damage, current.buffer_damage = [], []
        current.changed = set()
        if self.role is not None:
            self.role.committed()
        for sub in (*self.below, *self.above):
            sub.parent_committed()
        if self.bounds() != old_bounds or "input" in changed:
            self.compositor.scene.layout_changed()  # mapped, unmapped, resized: pointer focus may change
        for listener in list(self.commit_listeners):
            listener(self)

    def _copy_buffer(self, buffer: ForeignResource, state: SurfaceState) -> None:
        if not buffer.alive:
            return
        with shm_access(buffer) as shm:
            if shm is None:
                raise ProtocolError(0, "only wl_shm buffers are supported", self.resource)
            data, stride, width, height, fmt = shm
            cairo_format = CAIRO_FORMATS.get(fmt)
            if cairo_format is None:
                raise ProtocolError(0, f"unsupported shm format {fmt:#x}", self.resource)
            if stride % 4 or stride < width * 4:
                raise ProtocolError(0, f"stride {stride} does not fit width {width}", self.resource)
            if width % state.scale or height % state.scale:
                raise ProtocolError(WlSurface.error.invalid_size,
                                    f"buffer {width}x{height} is not a multiple of scale {state.scale}")
            image = self.image
            rows = range(height)
            if (image is None or self._pixels is None or image.get_width() != width
                    or image.get_height() != height or image.get_stride() != stride
                    or image.get_format() != cairo_format):
                self._pixels = bytearray(stride * height)
                image = self.image = cairo.ImageSurface.create_for_data(
                    self._pixels, cairo_format, width, height, stride)
            else:
                rows = self._damaged_rows(state, height)
            if rows:
                start, end = rows.start * stride, rows.stop * stride
                image.flush()
                memoryview(self._pixels)[start:end] = ffi.buffer(data + start, end - start)
                image.mark_dirty()
        buffer.post_opcode(0)  # wl_buffer.release: the pixels are ours now

    def _damaged_rows(self, state: SurfaceState, height: int) -> range:
        """Rows of the buffer the client said changed (all of them when it named surface damage)."""
        rects = [Rect(r.x * state.scale, r.y * state.scale, r.width * state.scale, r.height * state.scale)
                 for r in state.damage] + list(state.buffer_damage)
        if state.damage and (state.viewport_src or state.viewport_dst or state.transform):
            return range(height)
        if not rects:
            return range(0)
        top = max(0, min(r.y for r in rects))
        bottom = min(height, max(r.bottom for r in rects))
        return range(top, max(top, bottom))

    def _update_size(self, state: SurfaceState) -> None:
        if self.image is None:
            self.width = self.height = 0
            return
        width, height = self.image.get_width(), self.image.get_height()
        if state.transform in (1, 3, 5, 7):
            width, height = height, width
        width, height = width // state.scale, height // state.scale
        if state.viewport_dst is not None:
            width, height = state.viewport_dst
        elif state.viewport_src is not None:
            width, height = int(state.viewport_src[2]), int(state.viewport_src[3])
        self.width, self.height = width, height

    def _report_damage(self, old_bounds: Rect | None, state: SurfaceState, changed: set[str]) -> None:
        new_bounds = self.bounds()
        scene = self.compositor.scene
        if old_bounds != new_bounds or changed & {"scale", "transform", "viewport_src", "viewport_dst"}:
            for bounds in (old_bounds, new_bounds):
                if bounds is not None:
                    scene.damage(bounds)
            return
        if new_bounds is None:
            return
        ox, oy = new_bounds.x, new_bounds.y
        if state.buffer_damage and (state.scale != 1 or state.viewport_src or state.viewport_dst
                                    or state.transform):
            scene.damage(new_bounds)  # mapping buffer damage through a transform: just redo the surface
            return
        for rect in state.damage + state.buffer_damage:
            clipped = rect.translate(ox, oy).intersect(new_bounds)
            if not clipped.empty:
                scene.damage(clipped)

    def destroyed(self) -> None:
        bounds = self.bounds()
        self.alive = False
        if bounds is not None:
            self.compositor.scene.damage(bounds)
        if self.role is not None:
            self.role.surface_destroyed()
        for listener in list(self.destroy_listeners):
            listener(self)
        self.image = self._pixels = None

    def tree(self) -> list[tuple[Surface, int, int]]:
        """This surface and its subsurfaces in drawing order, with offsets from this surface's origin."""
        result: list[tuple[Surface, int, int]] = []
        # An unmapped subsurface (no buffer) hides its own subsurfaces too: they are mapped only with it.
        for sub in self.below:
            if sub.surface.image is not None:
                result.extend((s, x + sub.x, y + sub.y) for s, x, y in sub.surface.tree())
        result.append((self, 0, 0))
        for sub in self.above:
            if sub.surface.image is not None:
                result.extend((s, x + sub.x, y + sub.y) for s, x, y in sub.surface.tree())
        return result
