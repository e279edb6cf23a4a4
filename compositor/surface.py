"""wl_surface state: double-buffered pending/current state, the buffer it shows, roles.

A commit applies the pending state, swaps the surface's content to the newly attached shm buffer (read
in place when drawn; the previous buffer is released, see buffers.py), reports the damage in global
coordinates to the scene, and hands the frame callbacks to the output clock. Roles (xdg_toplevel,
subsurface, cursor, …) plug in through :class:`Role`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pywayland.protocol.wayland import WlSurface

from .buffers import Content, ShmBuffer
from .geometry import Rect, Region
from .wl.resource import Callback, ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from .server import Compositor

_GEOMETRY_FIELDS = frozenset({"scale", "transform", "viewport_src", "viewport_dst"})


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
    frame_callbacks: list[Callback] = field(default_factory=list)
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
        self.content: Content | None = None  # None: no buffer, not mapped
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
        if self.content is None or self.role is None:
            return None
        origin = self.role.origin()
        return None if origin is None else Rect(origin[0], origin[1], self.width, self.height)

    def accepts_input_at(self, sx: float, sy: float) -> bool:
        if self.content is None or not (0 <= sx < self.width and 0 <= sy < self.height):
            return False
        region = self.current.input
        return region is None or region.contains(sx, sy)

    # -- commit ----------------------------------------------------------------------------------------
    def commit(self) -> None:
        synchronized = getattr(self.role, "synchronized", None)  # only subsurfaces can be
        if synchronized is not None and synchronized():
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
        changed = state.changed  # merge_into gives the state a fresh set
        new_buffer = state.buffer if "buffer" in changed else None
        state.merge_into(self.current)
        current = self.current
        if "buffer" in changed:
            current.buffer = None  # the content below holds the buffer
        if "scale" in changed and current.scale < 1:
            raise ProtocolError(WlSurface.error.invalid_scale, "buffer scale must be positive")
        released = None
        if "buffer" in changed:
            content = None if new_buffer is None or not new_buffer.alive else ShmBuffer.of(new_buffer, self.resource)
            released = self._show(content)
        if ("buffer" in changed or "scale" in changed) and isinstance(self.content, ShmBuffer):
            self.content.check_scale(current.scale, self.resource)
        self._update_size(current)
        if current.frame_callbacks or current.feedbacks or released is not None:
            self.compositor.frames.queue(self, current.frame_callbacks, current.feedbacks, released)
            current.frame_callbacks, current.feedbacks = [], []
        if self.role is not None:
            self.role.committed()
        if self.below or self.above:
            for sub in (*self.below, *self.above):
                sub.parent_committed()
        new_bounds = self.bounds()  # where the role put it (a first commit maps a window)
        self._report_damage(old_bounds, new_bounds, current, changed)
        current.damage, current.buffer_damage = [], []
        current.changed = set()
        if new_bounds != old_bounds or "input" in changed:
            self.compositor.scene.layout_changed()  # mapped, unmapped, resized: pointer focus may change
        if self.commit_listeners:
            for listener in list(self.commit_listeners):
                listener(self)

    def _show(self, content: Content | None) -> ShmBuffer | None:
        """Show new content; returns the old buffer if nothing shows it any more (to be released)."""
        old, self.content = self.content, content
        if content is not None:
            content.hold(self)
        return old.unhold(self) if old is not None else None

    def content_replaced(self, old: Content, new: Content) -> None:
        """The client destroyed the buffer we show; we go on showing a copy of it."""
        if self.content is old:
            self.content = new

    def _update_size(self, state: SurfaceState) -> None:
        if self.content is None:
            self.width = self.height = 0
            return
        width, height = self.content.width, self.content.height
        if state.transform in (1, 3, 5, 7):
            width, height = height, width
        width, height = width // state.scale, height // state.scale
        if state.viewport_dst is not None:
            width, height = state.viewport_dst
        elif state.viewport_src is not None:
            width, height = int(state.viewport_src[2]), int(state.viewport_src[3])
        self.width, self.height = width, height

    def _report_damage(self, old_bounds: Rect | None, new_bounds: Rect | None, state: SurfaceState,
                       changed: set[str]) -> None:
        scene = self.compositor.scene
        if old_bounds != new_bounds or not changed.isdisjoint(_GEOMETRY_FIELDS):
            for bounds in (old_bounds, new_bounds):
                if bounds is not None:
                    scene.damage(bounds)
            return
        if new_bounds is None:
            return
        if state.buffer_damage and (state.scale != 1 or state.viewport_src or state.viewport_dst
                                    or state.transform):
            scene.damage(new_bounds)  # mapping buffer damage through a transform: just redo the surface
            return
        for rect in (*state.damage, *state.buffer_damage):  # clipped to the surface, in global coordinates
            clipped = rect.translate(new_bounds.x, new_bounds.y).intersect(new_bounds)
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
        released = self._show(None)
        if released is not None:
            self.compositor.frames.queue(self, [], [], released)

    def tree(self) -> list[tuple[Surface, int, int]]:
        """This surface and its subsurfaces in drawing order, with offsets from this surface's origin."""
        result: list[tuple[Surface, int, int]] = []
        # An unmapped subsurface (no buffer) hides its own subsurfaces too: they are mapped only with it.
        for sub in self.below:
            if sub.surface.content is not None:
                result.extend((s, x + sub.x, y + sub.y) for s, x, y in sub.surface.tree())
        result.append((self, 0, 0))
        for sub in self.above:
            if sub.surface.content is not None:
                result.extend((s, x + sub.x, y + sub.y) for s, x, y in sub.surface.tree())
        return result
