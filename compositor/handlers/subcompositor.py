"""wl_subcompositor and wl_subsurface: child surfaces positioned relative to a parent, sync or desync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlSubcompositor, WlSubsurface

from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor


class Subsurface:
    """The subsurface role: a position relative to the parent and a place in its stacking order, both state
    of the parent (applied when the parent's state is)."""

    name = "wl_subsurface"
    window = None

    def __init__(self, resource: Resource, surface: Surface, parent: Surface) -> None:
        self.resource = resource
        self.surface = surface
        self.parent: Surface | None = parent
        self.x = self.y = 0
        self.sync = True
        parent.add_child(self)

    # -- Role ---------------------------------------------------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        x = y = 0
        sub = self
        while True:  # up to the first surface that is no subsurface, in a loop: the client chooses the depth
            parent = sub.parent
            if parent is None or parent.content is None:
                return None
            x, y = x + sub.x, y + sub.y
            if not isinstance(parent.role, Subsurface):
                base = parent.origin()
                return None if base is None else (base[0] + x, base[1] + y)
            sub = parent.role

    def parent_surface(self) -> Surface | None:
        return self.parent

    def synchronized(self) -> bool:
        """Effectively synchronized: itself, or any ancestor subsurface is."""
        sub: Subsurface | None = self
        while sub is not None:
            if sub.sync:
                return True
            role = sub.parent.role if sub.parent is not None else None
            sub = role if isinstance(role, Subsurface) else None
        return False

    def committed(self) -> None:
        pass

    def surface_destroyed(self) -> None:
        self.detach()

    # -- requests -----------------------------------------------------------------------------------------
    def detach(self) -> None:
        if self.parent is not None:
            self.surface.compositor.scene.damage_surface_tree(self.surface)
            self.parent.remove_child(self)
            self.parent = None
            self.surface.compositor.scene.layout_changed_soon()

    def place(self, sibling: Surface, above: bool) -> None:
        """place_above/place_below: into the parent's pending order, applied with the parent's state."""
        parent = self.parent
        if parent is None:
            return
        order = parent.pending
        role = sibling.role  # a sibling is a subsurface of the same parent (found without a walk of them all)
        reference = role if isinstance(role, Subsurface) and role.parent is parent else None
        if sibling is self.surface or (sibling is not parent and reference is None):
            raise ProtocolError(WlSubsurface.error.bad_surface, "the reference is neither a sibling nor the parent",
                                self.resource)
        order.place(self, reference, above)


class SubsurfaceHandler:
    def __init__(self, role: Subsurface) -> None:
        self.role = role

    def set_position(self, res: Resource, x: int, y: int) -> None:
        if self.role.parent is not None:
            self.role.parent.pending.move_child(self.role, x, y)

    def place_above(self, res: Resource, sibling: Resource) -> None:
        self.role.place(sibling.impl.surface, above=True)

    def place_below(self, res: Resource, sibling: Resource) -> None:
        self.role.place(sibling.impl.surface, above=False)

    def set_sync(self, res: Resource) -> None:
        self.role.sync = True

    def set_desync(self, res: Resource) -> None:
        self.role.sync = False
        surface = self.role.surface
        if not self.role.synchronized() and surface.cached is not None:
            state, surface.cached = surface.cached, None
            surface.apply(state)


class SubcompositorHandler:
    def get_subsurface(self, res: Resource, new: Resource, surface_res: Resource, parent_res: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        parent: Surface = parent_res.impl.surface
        if surface is parent or _is_ancestor(surface, parent):
            raise ProtocolError(WlSubcompositor.error.bad_parent, "a surface cannot be its own ancestor")
        if surface.role is not None or (surface.role_name not in (None, Subsurface.name)):
            raise ProtocolError(WlSubcompositor.error.bad_surface, "surface already has a role")
        role = Subsurface(new, surface, parent)
        surface.set_role(Subsurface.name, role, res, WlSubcompositor.error.bad_surface)
        new.impl = SubsurfaceHandler(role)

        def role_object_destroyed(_res: Resource) -> None:
            role.detach()
            surface.clear_role_object()

        new.destroy_listeners.append(role_object_destroyed)


def _is_ancestor(candidate: Surface, surface: Surface) -> bool:
    role = surface.role
    while isinstance(role, Subsurface) and role.parent is not None:
        if role.parent is candidate:
            return True
        role = role.parent.role
    return False


def register(compositor: Compositor) -> None:
    handler = SubcompositorHandler()

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(WlSubcompositor, 1, bind)
