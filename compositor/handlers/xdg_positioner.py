"""xdg_positioner: the requests that describe where a popup goes (the placement rules are in
compositor/positioner.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pywayland.protocol.xdg_shell import XdgPositioner

from .. import positioner as pos
from ..geometry import Box
from ..wl.resource import ProtocolError, Resource


class PositionerHandler:
    def __init__(self) -> None:
        self.value = pos.Positioner()

    def _set(self, **changes: Any) -> None:
        self.value = replace(self.value, **changes)

    def set_size(self, res: Resource, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ProtocolError(XdgPositioner.error.invalid_input, "positioner size must be positive")
        self._set(width=width, height=height)

    def set_anchor_rect(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        if width < 0 or height < 0:
            raise ProtocolError(XdgPositioner.error.invalid_input, "anchor rect size must not be negative")
        self._set(anchor_rect=Box(x, y, width, height))

    def set_anchor(self, res: Resource, anchor: int) -> None:
        if not 0 <= anchor <= 8:
            raise ProtocolError(XdgPositioner.error.invalid_input, f"invalid anchor {anchor}")
        self._set(anchor=anchor)

    def set_gravity(self, res: Resource, gravity: int) -> None:
        if not 0 <= gravity <= 8:
            raise ProtocolError(XdgPositioner.error.invalid_input, f"invalid gravity {gravity}")
        self._set(gravity=gravity)

    def set_constraint_adjustment(self, res: Resource, adjustment: int) -> None:
        self._set(constraint_adjustment=adjustment)

    def set_offset(self, res: Resource, x: int, y: int) -> None:
        self._set(offset_x=x, offset_y=y)

    def set_reactive(self, res: Resource) -> None:
        self._set(reactive=True)

    def set_parent_size(self, res: Resource, width: int, height: int) -> None:
        pass

    def set_parent_configure(self, res: Resource, serial: int) -> None:
        pass
