"""zwp_pointer_constraints_v1 (version 1): lock the pointer in place, or confine it to a surface.

A constraint is active while its surface has both keyboard focus (it is the window the user selected) and
the pointer, inside the constraint's region if it has one. While active, the seat asks it where relative
motion may go: a lock keeps the pointer still (relative pointers still see the deltas), a confinement
clamps it to the region's bounding box within the surface. A ``oneshot`` constraint is spent once it
deactivates; a ``persistent`` one activates again when its surface is selected again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.pointer_constraints_unstable_v1 import ZwpPointerConstraintsV1

from ..geometry import Box, Region
from ..surface import Surface
from ..wl.resource import ProtocolError, Resource
from .compositor import region_of

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1


class Constraint:
    """One zwp_locked_pointer_v1 or zwp_confined_pointer_v1."""

    def __init__(self, manager: PointerConstraints, resource: Resource, surface: Surface, region: Region | None,
                 lifetime: int, locked: bool) -> None:
        self.manager = manager
        self.resource = resource
        self.surface = surface
        self.region = region
        self.pending_region: tuple[Region | None] | None = None
        self.persistent = lifetime == ZwpPointerConstraintsV1.lifetime.persistent
        self.locked = locked
        self.active = False
        self.spent = False  # a oneshot constraint that was active once

    # -- requests (both interfaces) --------------------------------------------------------------------
    def set_region(self, res: Resource, region: Resource | None) -> None:
        self.pending_region = (region_of(region),)  # double-buffered: applied on the surface's commit

    def set_cursor_position_hint(self, res: Resource, x: float, y: float) -> None:
        pass  # we do not warp the pointer when a lock ends

    # -- state -----------------------------------------------------------------------------------------
    def surface_committed(self, _surface: Surface) -> None:
        if self.pending_region is not None:
            (self.region,), self.pending_region = self.pending_region, None
            self.manager.update()

    def covers(self, sx: float, sy: float) -> bool:
        return self.region is None or self.region.contains(sx, sy)

    def set_active(self, active: bool) -> None:
        if active == self.active:
            return
        self.active = active
        if self.locked:
            self.resource.post("locked" if active else "unlocked")
        else:
            self.resource.post("confined" if active else "unconfined")
        if not active and not self.persistent:
            self.spent = True

    def constrain(self, x: float, y: float, new_x: float, new_y: float) -> tuple[float, float]:
        if self.locked:
            return x, y
        origin = self.surface.origin()
        if origin is None:
            return new_x, new_y
        area = Box(0, 0, self.surface.width, self.surface.height)
        if self.region is not None:
            area = area.intersect(self.region.bounds())
        if area.empty:
            return x, y
        left, top = origin[0] + area.x, origin[1] + area.y
        return (min(max(new_x, left), left + area.width - 1), min(max(new_y, top), top + area.height - 1))


class PointerConstraints:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.constraints: dict[Surface, Constraint] = {}
        compositor.focus_listeners.append(lambda _surface: self.update())
        compositor.seat.pointer_focus_listeners.append(self.update)
        compositor.seat.cursor_listeners.append(self.update)  # the pointer moved: in or out of a region

    # -- zwp_pointer_constraints_v1 -------------------------------------------------------------------
    def lock_pointer(self, res: Resource, new: Resource, surface: Resource, pointer: Resource,
                     region: Resource | None, lifetime: int) -> None:
        self._create(res, new, surface, region, lifetime, locked=True)

    def confine_pointer(self, res: Resource, new: Resource, surface: Resource, pointer: Resource,
                        region: Resource | None, lifetime: int) -> None:
        self._create(res, new, surface, region, lifetime, locked=False)

    def _create(self, res: Resource, new: Resource, surface_res: Resource, region: Resource | None,
                lifetime: int, locked: bool) -> None:
        surface: Surface = surface_res.impl.surface
        if surface in self.constraints:
            raise ProtocolError(ZwpPointerConstraintsV1.error.already_constrained,
                                "the surface already has a pointer constraint")
        if lifetime not in (ZwpPointerConstraintsV1.lifetime.oneshot, ZwpPointerConstraintsV1.lifetime.persistent):
            raise ProtocolError(0, f"invalid lifetime {lifetime}")  # the protocol has no error code for it
        constraint = Constraint(self, new, surface, region_of(region), lifetime, locked)
        new.impl = constraint
        self.constraints[surface] = constraint
        surface.commit_listeners.append(constraint.surface_committed)
        new.destroy_listeners.append(lambda _res: self._forget(constraint))
        surface.destroy_listeners.append(lambda _surface: self._forget(constraint))
        self.update()

    def _forget(self, constraint: Constraint) -> None:
        if self.constraints.get(constraint.surface) is constraint:
            del self.constraints[constraint.surface]
        if constraint.surface_committed in constraint.surface.commit_listeners:
            constraint.surface.commit_listeners.remove(constraint.surface_committed)
        if self.compositor.seat.constraint is constraint:
            self.compositor.seat.constraint = None
        constraint.active = False

    # -- activation ------------------------------------------------------------------------------------
    def update(self) -> None:
        """Activate the constraint of the selected surface under the pointer; deactivate any other."""
        seat = self.compositor.seat
        wanted: Constraint | None = None
        focus = seat.pointer_focus
        if focus is not None and focus is seat.keyboard_focus and focus.alive:
            candidate = self.constraints.get(focus)
            origin = focus.origin()
            if (candidate is not None and not candidate.spent and origin is not None
                    and candidate.covers(seat.x - origin[0], seat.y - origin[1])):
                wanted = candidate
        current = seat.constraint
        if current is wanted:
            return
        if isinstance(current, Constraint):
            current.set_active(False)
        seat.constraint = wanted
        if wanted is not None:
            wanted.set_active(True)


def register(compositor: Compositor) -> PointerConstraints:
    constraints = PointerConstraints(compositor)

    def bind(res: Resource) -> None:
        res.impl = constraints

    compositor.display.add_global(ZwpPointerConstraintsV1, VERSION, bind)
    return constraints
