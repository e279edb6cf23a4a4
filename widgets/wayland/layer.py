"""Toolkit applications as zwlr_layer_surface_v1 surfaces: panels, wallpapers, launchers, docks.

    from widgets.wayland.layer import LayerApp, LayerHost, LayerSpec

    class Panel:                                   # an ordinary Application, plus:
        def layer(self, state) -> LayerSpec | None:   # where it goes; None hides it (unmaps the surface)
            return LayerSpec("panel", layer="top", anchor=("top", "left", "right"), height=32, exclusive_zone=32)

    LayerHost([LayerApp(lambda ctx, output: Panel(), per_output=True)]).run()

A :class:`LayerHost` is a :class:`~.host.Host` (one connection, loop and seat per process) whose surfaces are
layer surfaces of one or several apps (:class:`LayerApp`), each per output (``per_output=True``, following outputs
as they come and go) or once (the compositor picks the output). Drawing, input, popups and scale are those of every
:class:`~.surface.HostedSurface`. The spec is asked again after every update, so an app moves, resizes, shows or
hides its surface by changing state. When a surface with keyboard interactivity is shown, its first focusable widget
gets the focus. Overlays (menus) are xdg_popups handed to the layer surface, so they may extend past it, e.g. below a
panel. Apps get the host's :class:`~.host.HostContext` from the factory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.application import Application, optional
from ..core.event import Resized
from ..core.geometry import Size
from .host import Host, HostContext, OutputInfo
from .surface import HostedSurface

log = logging.getLogger(__name__)
LAYERS = ("background", "bottom", "top", "overlay")
EDGES = {"top": 1, "bottom": 2, "left": 4, "right": 8}
KEYBOARD = {"none": 0, "exclusive": 1, "on_demand": 2}


@dataclass(frozen=True)
class LayerSpec:
    """A layer surface's role state. ``width``/``height`` 0 stretch between opposite anchors."""

    namespace: str
    layer: str = "top"
    anchor: tuple[str, ...] = ()
    width: int = 0
    height: int = 0
    exclusive_zone: int = 0
    margin: tuple[int, int, int, int] = (0, 0, 0, 0)  # top, right, bottom, left
    keyboard: str = "none"

    @property
    def anchor_mask(self) -> int:
        mask = 0
        for edge in self.anchor:
            mask |= EDGES[edge]
        return mask


AppFactory = Callable[[HostContext, OutputInfo | None], Application[Any, Any]]


@dataclass(frozen=True)
class LayerApp:
    """An app a :class:`LayerHost` runs: made by ``factory`` once per output, or once (output None)."""

    factory: AppFactory
    per_output: bool = False
    name: str = ""  # for the log


class LayerSurface(HostedSurface):
    """One app on one layer surface (shown while its spec is not None)."""

    def __init__(self, host: LayerHost, app: Application[Any, Any], output: OutputInfo | None) -> None:
        super().__init__(host, app, Size(1, 1))
        self.output = output
        self.role: Any = None
        self.spec: LayerSpec | None = None  # wanted and shown
        self.applied: LayerSpec | None = None  # the role's state as last sent (kept while hidden)
        if "xdg_wm_base" in host.globals:
            self.popups = self.popup_host(None, adopt=lambda popup: self.role.get_popup(popup))
        self.sync_role()

    def wanted(self) -> LayerSpec | None:
        spec = optional(self.app, "layer", self.runtime.state, None)
        return spec if isinstance(spec, LayerSpec) else None

    # -- the role ------------------------------------------------------------------------------------------
    def sync_role(self) -> None:
        spec = self.wanted()
        if spec == self.spec:
            return
        if spec is None:
            self.hide()
            return
        if self.role is None:
            self._create(spec)
        else:
            self._apply(spec, self.applied)
            self.surface.commit()
            self.host.display.flush()
        self.spec = self.applied = spec

    def _create(self, spec: LayerSpec) -> None:
        surface = self.create_surface()
        output = self.output.proxy if self.output is not None else None
        self.role = self.host.globals["zwlr_layer_shell_v1"].get_layer_surface(
            surface, output, LAYERS.index(spec.layer), spec.namespace)
        self.role.dispatcher["configure"] = self._configure
        self.role.dispatcher["closed"] = lambda *_: self.destroy()
        self._apply(spec, None)
        surface.commit()
        self.host.display.flush()

    def _apply(self, spec: LayerSpec, old: LayerSpec | None) -> None:
        role = self.role
        if old is None or (spec.width, spec.height) != (old.width, old.height):
            role.set_size(spec.width, spec.height)
        if old is None or spec.anchor_mask != old.anchor_mask:
            role.set_anchor(spec.anchor_mask)
        if old is None or spec.exclusive_zone != old.exclusive_zone:
            role.set_exclusive_zone(spec.exclusive_zone)
        if old is None or spec.margin != old.margin:
            role.set_margin(*spec.margin)
        if old is None or spec.keyboard != old.keyboard:
            role.set_keyboard_interactivity(KEYBOARD[spec.keyboard])
        if old is not None and spec.layer != old.layer:
            role.set_layer(LAYERS.index(spec.layer))

    def hide(self) -> None:
        """Unmap (a null buffer): the role stays, and the next commit starts over with a configure."""
        self.close_popup()
        if self.role is not None and self.spec is not None:
            self.surface.attach(None, 0, 0)
            self.surface.commit()
            self.host.display.flush()
        self.spec = None
        self.canvas = None
        self.chain.destroy()  # a launcher waits hidden most of the time: no buffers meanwhile
        self.configured = self.frame_pending = False

    def destroy(self) -> None:
        """The compositor closed the surface, or its output went away: the app ends with it."""
        if self.role is not None:
            self.close_popup()
            self.role.destroy()
        self.destroy_surface()
        self.role = None
        self.spec = self.applied = None
        self.close()

    def _configure(self, role: Any, serial: int, width: int, height: int) -> None:
        role.ack_configure(serial)
        spec = self.spec
        width = width or (spec.width if spec else 0) or 1
        height = height or (spec.height if spec else 0) or 1
        if Size(width, height) != self.runtime.window_size:
            self.runtime.dispatch(Resized(Size(width, height)))
        first = not self.configured
        self.configured = True
        if first and spec is not None and spec.keyboard != "none" and self.runtime.focused() is None:
            self.runtime.focus_next()
        self.draw()


class LayerHost(Host):
    """A host whose apps are layer surfaces: each app one per output, or one. Surfaces are made in the order of
    ``apps``, and the first app has drawn before the others are made (what should be on screen first goes first:
    a restarted shell shows its panel without waiting for the launcher to load)."""

    def __init__(self, apps: Sequence[LayerApp], *, extra: dict[str, tuple[type, int]] | None = None,
                 setup: Callable[[HostContext], None] | None = None) -> None:
        self.apps = tuple(apps)
        # (app, global name of the wl_output, or None for an app shown once) → its surface
        self.by_output: dict[tuple[int, int | None], LayerSurface] = {}
        super().__init__(required=("zwlr_layer_shell_v1",), extra=extra, setup=setup)
        if self.apps:  # the first app's first frame is committed before the others are even made
            self._make(0)
            self.display.roundtrip()  # its configure, answered with a frame
            self.display.flush()
        self.outputs_changed()

    def outputs_changed(self) -> None:
        for key in [k for k in self.by_output if k[1] is not None and k[1] not in self.outputs]:
            self.by_output.pop(key).destroy()
        for number in range(len(self.apps)):
            self._make(number)
        self.display.flush()

    def _make(self, number: int) -> None:
        """The surfaces app ``number`` lacks: one per described output, or its one."""
        app = self.apps[number]
        places = [(name, info) for name, info in self.outputs.items() if info.done] if app.per_output else \
            [(None, None)]
        for name, info in places:
            if (number, name) in self.by_output:
                continue
            try:
                self.by_output[number, name] = LayerSurface(self, app.factory(self.context, info), info)
            except Exception:  # one app that cannot start leaves the others of the process running
                log.exception("cannot start %s", app.name or app.factory)
