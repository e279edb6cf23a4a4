"""wl_subcompositor and wl_subsurface: child surfaces positioned relative to a parent, sync or desync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlSubcompositor, WlSubsurface

from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor


class Subsurface:
    """The subsurface role: a position relative to the parent, applied when the parent commits."""

    name = "wl_subsurface"

    def __init__(self, resource: Resource, surface: Surface, parent: Surface) -> None:
        self.resource = resource
        self.surface = surface
        self.parent: Surface | None = parent
        self.x = self.y = 0
        self.pending_position: tuple[int, int] | None = None
        self.sync = True
        parent.above.append(self)

    # -- Role ---------------------------------------------------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        if self.parent is None:
            return None
        parent_origin = self.parent.origin()
        if parent_origin is None or self.parent.content is None:
            return None
        return parent_origin[0] + self.x, parent_origin[1] + self.y

    def committed(self) -> None:
        pass

    def surface_destroyed(self) -> None:
        self.detach()

    def synchronized(self) -> bool:
        """Effectively synchronized: itself, or any ancestor subsurface is."""
        if self.sync:
            return True
        parent_role = self.parent.role if self.parent is not None else None
        return isinstance(parent_role, Subsurface) and parent_role.synchronized()

    # -- parent ---------------------------------------------------------------------------------------
    def parent_committed(self) -> None:
        if self.pending_position is not None:
            self.surface.compositor.scene.damage_surface_tree(self.surface)
            self.x, self.y = self.pending_position
            self.pending_position = None
            self.surface.compositor.scene.damage_surface_tree(self.surface)
            self.surface.compositor.scene.layout_changed()
        if self.synchronized() and self.surface.cached is not None:
            state, self.surface.cached = self.surface.cached, None
            self.surface.apply(state)

    def detach(self) -> None:
        if self.parent is not None:
            self.surface.compositor.scene.damage_surface_tree(self.surface)
            for stack in (self.parent.below, self.parent.above):
                if self in stack:
                    stack.remove(self)
            self.parent = None
            self.surface.compositor.scene.layout_changed()

    def restack(self, sibling: Surface, above: bool) -> None:
        parent = self.parent
        if parent is None:
            return
        if sibling is not parent and not any(s.surface is sibling for s in parent.below + parent.above):
            raise ProtocolError(WlSubsurface.error.bad_surface, "sibling is not a sibling or the parent",
                                self.resource)
        for stack in (parent.below, parent.above):
            if self in stack:
                stack.remove(self)
        if sibling is parent:
            (parent.above.insert(0, self) if above else parent.below.append(self))
            parent.compositor.scene.layout_changed()
            return
        for stack in (parent.below, parent.above):
            for index, other in enumerate(stack):
                if other.surface is sibling:
                    stack.insert(index + 1 if above else index, self)
                    parent.compositor.scene.layout_changed()
                    return


class SubsurfaceHandler:
    def __init__(self, role: Subsurface) -> None:
        self.role = role

    def set_position(self, res: Resource, x: int, y: int) -> None:
        self.role.pending_position = (x, y)

    def place_above(self, res: Resource, sibling: Resource) -> None:
        self.role.restack(sibling.impl.surface, above=True)

    def place_below(self, res: Resource, sibling: Resource) -> None:
        self.role.restack(sibling.impl.surface, above=False)

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
