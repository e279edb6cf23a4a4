"""The scale a surface is drawn at, and how the compositor learns it.

With wp_fractional_scale_v1 and wp_viewporter (Orrery, KWin, Mutter, sway) the compositor names the exact
factor (``preferred_scale``, e.g. 1.5): the buffer is ``ceil(size * factor)`` device pixels and the viewport's
destination is the surface size, so text is drawn at the output's pixels, not scaled up from 1 or down from 2.
Without them the surface uses the largest integer scale of the outputs it is on (wl_output.scale after
wl_surface.enter) with wl_surface.set_buffer_scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pywayland.protocol.fractional_scale_v1 import WpFractionalScaleManagerV1
from pywayland.protocol.viewporter import WpViewporter

# extra globals a platform binds for this module: interface → (class, highest version used)
GLOBALS: dict[str, tuple[type, int]] = {
    "wp_fractional_scale_manager_v1": (WpFractionalScaleManagerV1, 1),
    "wp_viewporter": (WpViewporter, 1),
}


class SurfaceScale:
    def __init__(self, globals_: dict[str, Any], surface: Any, output_scales: dict[Any, int],
                 changed: Callable[[], None], track_outputs: bool = True) -> None:
        """``output_scales`` is the platform's wl_output → integer scale (kept up to date by it; call
        :meth:`outputs_changed` after a change); ``changed()`` runs when :attr:`factor` changed."""
        self.surface, self.output_scales, self.changed = surface, output_scales, changed
        self.entered: set[Any] = set()
        self.preferred: float | None = None
        self.fractional: Any = None
        self.viewport: Any = None
        self.applied: tuple[Any, ...] | None = None
        manager, viewporter = globals_.get("wp_fractional_scale_manager_v1"), globals_.get("wp_viewporter")
        if viewporter is not None:
            self.viewport = viewporter.get_viewport(surface)
            if manager is not None:
                self.fractional = manager.get_fractional_scale(surface)
                self.fractional.dispatcher["preferred_scale"] = self._preferred
        if track_outputs:
            surface.dispatcher["enter"] = self._enter
            surface.dispatcher["leave"] = self._leave
        self.last = self.factor

    @property
    def factor(self) -> float:
        """Device pixels per surface pixel."""
        if self.preferred is not None:
            return self.preferred
        return float(max((self.output_scales.get(o, 1) for o in self.entered), default=1))

    def _preferred(self, _fractional: Any, scale: int) -> None:
        self.preferred = scale / 120
        self.outputs_changed()

    def _enter(self, _surface: Any, output: Any) -> None:
        self.entered.add(output)
        self.outputs_changed()

    def _leave(self, _surface: Any, output: Any) -> None:
        self.forget(output)

    def forget(self, output: Any) -> None:
        """The surface left ``output``, or the output went away (whether or not a leave came first)."""
        self.entered.discard(output)
        self.outputs_changed()

    def outputs_changed(self) -> None:
        if self.factor != self.last:
            self.last = self.factor
            self.changed()

    def buffer_size(self, width: float, height: float) -> tuple[int, int]:
        factor = self.factor
        return max(1, math.ceil(width * factor)), max(1, math.ceil(height * factor))

    def prepare(self, width: float, height: float) -> None:
        """Before committing a buffer of :meth:`buffer_size` for a surface ``width`` x ``height``: tell the
        compositor how it maps (a viewport destination, else the integer buffer scale)."""
        if self.viewport is not None:
            state: tuple[Any, ...] = ("viewport", max(1, math.ceil(width)), max(1, math.ceil(height)))
            if state != self.applied:
                self.viewport.set_destination(state[1], state[2])
        else:
            state = ("scale", max(1, round(self.factor)))
            if state != self.applied:
                self.surface.set_buffer_scale(state[1])
        self.applied = state

    def destroy(self) -> None:
        for proxy in (self.fractional, self.viewport):
            if proxy is not None:
                proxy.destroy()
        self.fractional = self.viewport = None
