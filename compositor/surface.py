"""wl_surface state: double-buffered pending/current state, the buffer it shows, roles.

Every request that sets double-buffered state writes it into ``Surface.pending`` (a :class:`SurfaceState`,
through its methods only); wl_surface.commit applies it, or caches it while the surface is an effectively
synchronized subsurface, until its parent's state is applied. That state includes the parent's part of its
subsurfaces: their stacking order and positions (wl_subsurface.place_above/below and set_position).

A commit swaps the surface's content to the newly attached shm buffer (read in place when drawn; the previous
buffer is released, see buffers.py), reports the damage in global coordinates to the scene, and hands the frame
callbacks to the output clock. Roles (xdg_toplevel, subsurface, cursor, …) plug in through :class:`Role`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from pywayland.protocol.viewporter import WpViewport
from pywayland.protocol.wayland import WlSurface

from .buffers import ClientShmBuffer, Content
from .geometry import Box, Region
from .wl.resource import Callback, ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from .server import Compositor
    from .wm import ManagedWindow

# Changes that redraw the whole surface. The opaque region decides what under it is drawn and which
# surfaces get frame callbacks (occlusion.py), so a new one is looked at by a frame, as a new scale is.
_GEOMETRY_FIELDS = frozenset({"scale", "transform", "viewport_src", "viewport_dst", "opaque"})
_ACCUMULATED = frozenset({"damage", "buffer_damage", "frame_callbacks", "feedbacks"})
# Damage rectangles kept per state: beyond, they become their bounding box (a client's requests between two
# commits, or a synchronized subsurface's commits, must not pile up without bound).
_MAX_DAMAGE_RECTS = 64


class Role(Protocol):
    """What a surface is for; decides where it is and reacts to commits."""

    name: str

    @property
    def window(self) -> ManagedWindow | None:
        """The window this surface is the main surface of, if any."""

    def origin(self) -> tuple[int, int] | None:
        """Global position of the surface's top-left corner, or None while not on screen."""

    def parent_surface(self) -> Surface | None:
        """The surface this one belongs to (a subsurface's parent, a popup's parent), if any."""

    def synchronized(self) -> bool:
        """True while commits wait for the parent's state to be applied (a synchronized subsurface)."""

    def committed(self) -> None:
        """The surface's new state has just been applied."""

    def surface_destroyed(self) -> None:
        """The wl_surface went away; the role object may outlive it."""


class Child(Protocol):
    """A subsurface as its parent sees it: placed at ``x, y`` in the parent's coordinates."""

    surface: Surface
    x: int
    y: int


@dataclass
class SurfaceState:
    """The double-buffered part of a surface; ``changed`` names what was set since the last commit.

    ``below``/``above`` is the stacking order of the surface's subsurfaces: in ``pending`` always the order
    requests work on, in ``current`` the applied one. ``dx, dy`` (wl_surface.offset) and ``positions`` apply
    to one commit; cached commits add up.
    """

    buffer: ForeignResource | None = None
    dx: int = 0
    dy: int = 0
    damage: list[Box] = field(default_factory=list)
    buffer_damage: list[Box] = field(default_factory=list)
    frame_callbacks: list[Callback] = field(default_factory=list)
    feedbacks: list[Resource] = field(default_factory=list)
    opaque: Region | None = None
    input: Region | None = None  # None: the whole surface takes input
    scale: int = 1
    transform: int = 0
    viewport_src: tuple[float, float, float, float] | None = None
    viewport_dst: tuple[int, int] | None = None
    below: list[Child] = field(default_factory=list)  # subsurfaces under the surface, bottom first
    above: list[Child] = field(default_factory=list)
    positions: dict[Child, tuple[int, int]] = field(default_factory=dict)  # subsurfaces' new positions
    restacked: dict[Child, None] = field(default_factory=dict)  # subsurfaces moved in the order (as a set)
    changed: set[str] = field(default_factory=set)

    # -- requests ------------------------------------------------------------------------------------------
    def attach(self, buffer: ForeignResource | None) -> None:
        self.buffer = buffer
        self.changed.add("buffer")

    def offset(self, dx: int, dy: int) -> None:
        self.dx, self.dy = dx, dy
        self.changed.add("offset")

    def add_damage(self, rect: Box) -> None:
        self.damage.append(rect)
        _bound(self.damage)
        self.changed.add("damage")

    def add_buffer_damage(self, rect: Box) -> None:
        self.buffer_damage.append(rect)
        _bound(self.buffer_damage)
        self.changed.add("buffer_damage")

    def add_frame_callback(self, callback: Callback) -> None:
        self.frame_callbacks.append(callback)
        self.changed.add("frame_callbacks")

    def add_feedback(self, feedback: Resource) -> None:
        self.feedbacks.append(feedback)
        self.changed.add("feedbacks")

    def set_opaque(self, region: Region | None) -> None:
        self.opaque = region
        self.changed.add("opaque")

    def set_input(self, region: Region | None) -> None:
        self.input = region
        self.changed.add("input")

    def set_scale(self, scale: int) -> None:
        self.scale = scale
        self.changed.add("scale")

    def set_transform(self, transform: int) -> None:
        self.transform = transform
        self.changed.add("transform")

    def set_viewport_source(self, source: tuple[float, float, float, float] | None) -> None:
        self.viewport_src = source
        self.changed.add("viewport_src")

    def set_viewport_destination(self, size: tuple[int, int] | None) -> None:
        self.viewport_dst = size
        self.changed.add("viewport_dst")

    def move_child(self, child: Child, x: int, y: int) -> None:
        self.positions[child] = (x, y)
        self.changed.add("positions")

    def place(self, child: Child, reference: Child | None, above: bool) -> None:
        """Stack ``child`` right above or below ``reference``, a sibling, or the parent itself (None)."""
        for stack in (self.below, self.above):
            if child in stack:
                stack.remove(child)
        if reference is None and above:
            self.above.insert(0, child)
        elif reference is None:
            self.below.append(child)
        else:
            stack = self.below if reference in self.below else self.above
            index = stack.index(reference)
            stack.insert(index + 1 if above else index, child)
        self.restacked[child] = None
        self.changed.add("order")

    # -- commit ----------------------------------------------------------------------------------------------
    def merge_into(self, target: SurfaceState) -> None:
        """Move what changed here into ``target`` (accumulating lists, offsets and positions) and reset this
        state; the subsurface order stays here as the base of later requests."""
        for name in self.changed:
            if name in _ACCUMULATED:
                getattr(target, name).extend(getattr(self, name))
                setattr(self, name, [])
                if name in ("damage", "buffer_damage"):
                    _bound(getattr(target, name))
            elif name == "offset":
                target.dx, target.dy = target.dx + self.dx, target.dy + self.dy
                self.dx = self.dy = 0
            elif name == "positions":
                target.positions.update(self.positions)
                self.positions = {}
            elif name == "order":
                target.below, target.above = list(self.below), list(self.above)
                target.restacked.update(self.restacked)
                self.restacked = {}
            else:
                setattr(target, name, getattr(self, name))
        target.changed |= self.changed
        if "buffer" in self.changed:
            self.buffer = None
        self.changed = set()

    def forget(self, child: Child) -> None:
        """A subsurface went away."""
        for stack in (self.below, self.above):
            if child in stack:
                stack.remove(child)
        self.positions.pop(child, None)
        self.restacked.pop(child, None)


def _bound(damage: list[Box]) -> None:
    if len(damage) > _MAX_DAMAGE_RECTS:
        box = damage[0]
        for rect in damage[1:]:
            box = box.union(rect)
        damage[:] = [box]


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
        self.viewport: Resource | None = None  # its wp_viewport (one at most)
        self.alive = True
        self.commit_listeners: list[Callable[[Surface], None]] = []
        self.destroy_listeners: list[Callable[[Surface], None]] = []
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

    # -- subsurfaces -----------------------------------------------------------------------------------
    def add_child(self, child: Child) -> None:
        """A new subsurface: on top of its siblings at once, in the applied order and in those waiting."""
        for state in (self.pending, self.cached, self.current):
            if state is not None and (state is not self.cached or "order" in state.changed):
                state.above.append(child)

    def remove_child(self, child: Child) -> None:
        for state in (self.pending, self.cached, self.current):
            if state is not None:
                state.forget(child)

    def bounds(self) -> Box | None:
        if self.content is None or self.role is None:
            return None
        origin = self.role.origin()
        return None if origin is None else Box(origin[0], origin[1], self.width, self.height)

    def accepts_input_at(self, sx: float, sy: float) -> bool:
        if self.content is None or not (0 <= sx < self.width and 0 <= sy < self.height):
            return False
        region = self.current.input
        return region is None or region.contains(sx, sy)

    def opaque_region(self) -> Region | None:
        """What the client declared opaque (wl_surface.set_opaque_region), in surface coordinates and not
        clipped to the surface; None: nothing declared."""
        return self.current.opaque

    # -- commit ----------------------------------------------------------------------------------------
    def commit(self) -> None:
        if self.role is not None and self.role.synchronized():
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
        """Apply a pending or cached state, then what synchronized subsurfaces cached, parents first (in a
        loop: how deep subsurfaces nest is the client's choice); then the scene looks again, once."""
        work, applied, moved = [(self, state)], [], False
        while work:
            surface, next_state = work.pop()
            moved = surface._apply(next_state) or moved
            applied.append(surface)
            for child in reversed((*surface.current.below, *surface.current.above)):
                sub = child.surface
                if sub.cached is not None and sub.role is not None and sub.role.synchronized():
                    work.append((sub, sub.cached))
                    sub.cached = None
        if moved:
            self.compositor.scene.layout_changed_soon()  # mapped, unmapped, resized: pointer focus may change
        for surface in applied:
            for listener in list(surface.commit_listeners):
                listener(surface)

    def _apply(self, state: SurfaceState) -> bool:
        """Apply one state: pixels, damage, callbacks, the subsurfaces' order and positions, then the role.
        True if what is where changed."""
        old_bounds = self.bounds()
        changed = state.changed  # merge_into gives the state a fresh set
        new_buffer = state.buffer if "buffer" in changed else None
        restacked = "order" in changed or "positions" in changed
        # Pixels change only where a moved or restacked subsurface (with its own subsurfaces) was and is: not
        # the whole tree, which would cost every commit as much as the surface has subsurfaces.
        moved_children = [*state.positions, *state.restacked] if restacked else []
        for child in moved_children:
            self.compositor.scene.damage_surface_tree(child.surface)
        state.merge_into(self.current)
        current = self.current
        if "buffer" in changed:
            current.buffer = None  # the content below holds the buffer
        if "scale" in changed and current.scale < 1:
            raise ProtocolError(WlSurface.error.invalid_scale, "buffer scale must be positive")
        released = None
        if "buffer" in changed:
            content = (None if new_buffer is None or not new_buffer.alive
                       else ClientShmBuffer.of(new_buffer, self.resource))
            released = self._show(content)
        if ("buffer" in changed or "scale" in changed) and isinstance(self.content, ClientShmBuffer):
            self.content.check_scale(current.scale, self.resource)
        if self.content is not None and current.viewport_src is not None:
            self._check_viewport_source(current)
        self._update_size(current)
        if current.frame_callbacks or current.feedbacks or released is not None:
            self.compositor.frames.queue(self, current.frame_callbacks, current.feedbacks, released)
            current.frame_callbacks, current.feedbacks = [], []
        for child, (x, y) in current.positions.items():
            child.x, child.y = x, y
        if self.role is not None:
            self.role.committed()  # sees this commit's offset (current.dx, dy)
        new_bounds = self.bounds()  # where the role put it (a first commit maps a window)
        self._report_damage(old_bounds, new_bounds, current, changed)
        for child in moved_children:
            self.compositor.scene.damage_surface_tree(child.surface)
        current.damage, current.buffer_damage, current.positions, current.restacked = [], [], {}, {}
        current.dx = current.dy = 0
        current.changed = set()
        return new_bounds != old_bounds or "input" in changed or restacked

    def _check_viewport_source(self, state: SurfaceState) -> None:
        """wp_viewport's out_of_buffer: the source rectangle must lie inside the buffer (in surface-local
        units, after its transform and scale)."""
        assert self.content is not None
        width, height = self.content.width / state.scale, self.content.height / state.scale
        if state.transform in (1, 3, 5, 7):
            width, height = height, width
        x, y, src_width, src_height = state.viewport_src or (0.0, 0.0, 0.0, 0.0)
        if x + src_width > width or y + src_height > height:
            state.viewport_src = None  # drawn without it until the client is gone
            raise ProtocolError(WpViewport.error.out_of_buffer,
                                f"source rectangle {x:g},{y:g} {src_width:g}x{src_height:g} lies outside the "
                                f"{width:g}x{height:g} buffer", self.viewport)

    def _show(self, content: Content | None) -> ClientShmBuffer | None:
        """Show new content; returns the old buffer if nothing shows it any more (to be released)."""
        old, self.content = self.content, content
        if content is not None:
            content.hold(self)
        return old.unhold(self) if old is not None else None

    def content_replaced(self, old: Content, new: Content | None) -> None:
        """The client destroyed the buffer we show; we go on showing a copy of it (None: it could not be
        copied, and nothing shows until the next buffer)."""
        if self.content is old:
            if new is None:
                bounds = self.bounds()
                if bounds is not None:
                    self.compositor.scene.damage(bounds)
                self.compositor.scene.layout_changed_soon()
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

    def _report_damage(self, old_bounds: Box | None, new_bounds: Box | None, state: SurfaceState,
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
        self.compositor.seat.surface_gone(self)
        for listener in list(self.destroy_listeners):
            listener(self)
        released = self._show(None)
        if released is not None:
            self.compositor.frames.queue(self, [], [], released)

    def tree(self) -> list[tuple[Surface, int, int]]:
        """This surface and its subsurfaces in drawing order, with offsets from this surface's origin (with a
        stack, not recursion: how deep subsurfaces nest is the client's choice)."""
        result: list[tuple[Surface, int, int]] = []
        todo: list[tuple[Surface, int, int, bool]] = [(self, 0, 0, False)]  # (surface, x, y, its turn to draw)
        while todo:
            surface, x, y, draw = todo.pop()
            state = surface.current
            if draw or not (state.above or state.below):  # (most are leaves: drawn at once)
                result.append((surface, x, y))
                continue
            # An unmapped subsurface (no buffer) hides its own subsurfaces too: they are mapped only with it.
            todo.extend([(c.surface, x + c.x, y + c.y, False) for c in reversed(state.above)
                         if c.surface.content is not None])
            todo.append((surface, x, y, True))
            todo.extend([(c.surface, x + c.x, y + c.y, False) for c in reversed(state.below)
                         if c.surface.content is not None])
        return result
