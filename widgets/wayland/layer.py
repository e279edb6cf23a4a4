"""Toolkit applications as zwlr_layer_surface_v1 surfaces: panels, wallpapers, launchers, docks.

    from widgets.wayland.layer import LayerHost, LayerSpec

    class Panel:                                   # an ordinary Application, plus:
        def layer(self, state) -> LayerSpec | None:   # where it goes; None hides it (unmaps the surface)
            return LayerSpec("panel", layer="top", anchor=("top", "left", "right"), height=32, exclusive_zone=32)

    LayerHost(lambda ctx, output: Panel(), per_output=True).run()

One connection and one asyncio loop per process; per output (``per_output=True``, following outputs as they
come and go) or once (the compositor picks the output), each surface has its own :class:`Runtime`, two wl_shm
buffers (:mod:`.buffers`) and frame-callback paced redraws of the damaged parts, like an xdg window. The spec
is asked again after every update, so an app moves, resizes, shows or hides its surface by changing state.
Keys no widget captured go to the optional ``key_pressed(state, event) -> message | None``. When a surface
with keyboard interactivity is shown, its first focusable widget gets the focus. Overlays (menus) open as
xdg_popups of the layer surface (:mod:`.popup`), so they may extend past it, e.g. below a panel.

:class:`LayerContext` is what apps get from the host: the connection's extra globals (bound when the
compositor announces them, with a hook to set listeners before any event arrives), the seat, the outputs,
and :meth:`LayerContext.activation_token` for launching apps with xdg_activation_v1.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cairo
from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlSeat, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from protocols.wlr_layer_shell_unstable_v1 import ZwlrLayerShellV1

from ..core.application import Application, optional
from ..core.event import (
    Event,
    KeyPressed,
    Resized,
)
from ..core.geometry import Point, Size
from ..core.runtime import Runtime
from .buffers import SwapChain
from .input import Keyboard
from .layer_input import LayerInput
from .popup import PopupHost
from .scale import GLOBALS as SCALE_GLOBALS
from .scale import SurfaceScale

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


@dataclass
class OutputInfo:
    """A wl_output as announced (version 4: with its name)."""

    proxy: Any = field(repr=False, compare=False)
    name: str = ""
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    done: bool = False

    def place(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height


class LayerContext:
    """What the host shares with its apps: globals, seat, outputs, activation tokens, the loop."""

    def __init__(self, host: LayerHost) -> None:
        self._host = host
        self.loop = host.loop
        self.bound: dict[str, Any] = {}
        self.on_bind: dict[str, Callable[[Any], None]] = {}
        self.input_serial = 0

    @property
    def seat(self) -> Any:
        return self._host.globals.get("wl_seat")

    @property
    def outputs(self) -> list[OutputInfo]:
        return [o for o in self._host.outputs.values() if o.done]

    def flush(self) -> None:
        self._host.display.flush()

    def activation_token(self, app_id: str | None = None) -> asyncio.Future[str | None]:
        """A token from xdg_activation_v1, asked for with the last input serial (None if unsupported)."""
        future: asyncio.Future[str | None] = self.loop.create_future()
        activation = self.bound.get("xdg_activation_v1")
        if activation is None:
            future.set_result(None)
            return future
        token = activation.get_activation_token()

        def done(_token: Any, value: str) -> None:
            if not future.done():
                future.set_result(value)
            _token.destroy()

        token.dispatcher["done"] = done
        if self.seat is not None and self.input_serial:
            token.set_serial(self.input_serial, self.seat)
        focused = self._host.keyboard_focus or next(iter(self._host.surfaces.values()), None)
        if focused is not None and focused.surface is not None:
            token.set_surface(focused.surface)
        if app_id:
            token.set_app_id(app_id)
        token.commit()
        self.flush()
        return future


AppFactory = Callable[[LayerContext, OutputInfo | None], Application[Any, Any]]


class LayerSurface:
    """One app on one layer surface (shown while its spec is not None)."""

    def __init__(self, host: LayerHost, app: Application[Any, Any], output: OutputInfo | None) -> None:
        self.host, self.app, self.output = host, app, output
        self.runtime: Runtime[Any, Any] = Runtime(app, Size(1, 1), loop=host.loop)
        self.runtime.on_message(self._wake)
        self.chain = SwapChain(host.globals["wl_shm"])
        self.surface: Any = None
        self.role: Any = None
        self.scale: SurfaceScale | None = None
        self.spec: LayerSpec | None = None  # wanted and shown
        self.applied: LayerSpec | None = None  # the role's state as last sent (kept while hidden)
        self.canvas: cairo.ImageSurface | None = None
        self.configured = self.frame_pending = False
        self.frame_callback: Any = None
        self.first_frame: Callable[[], None] | None = None
        self.popups: PopupHost | None = None
        if "xdg_wm_base" in host.globals:
            self.popups = PopupHost(host.display, self.runtime, host.globals, None, lambda: host.context.input_serial,
                                    self._buffer_scale, self.after_update, adopt=lambda p: self.role.get_popup(p))
        self.sync_spec()

    def wanted(self) -> LayerSpec | None:
        spec = optional(self.app, "layer", self.runtime.state, None)
        return spec if isinstance(spec, LayerSpec) else None

    # -- the surface ---------------------------------------------------------------------------------------
    def sync_spec(self) -> None:
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
        host = self.host
        self.surface = host.globals["wl_compositor"].create_surface()
        self.scale = SurfaceScale(host.globals, self.surface, host.output_scales, self._rescale)
        output = self.output.proxy if self.output is not None else None
        self.role = host.globals["zwlr_layer_shell_v1"].get_layer_surface(
            self.surface, output, LAYERS.index(spec.layer), spec.namespace)
        self.role.dispatcher["configure"] = self._configure
        self.role.dispatcher["closed"] = lambda *_: self.destroy()
        host.surfaces[self.surface] = self
        self._apply(spec, None)
        self.configured = False
        self.canvas = None
        self.surface.commit()
        host.display.flush()

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
        self._close_popup()
        if self.role is not None and self.spec is not None:
            self.surface.attach(None, 0, 0)
            self.surface.commit()
            self.host.display.flush()
        self.spec = None
        self.canvas = None
        self.configured = self.frame_pending = False

    def _close_popup(self) -> None:
        """A hidden or destroyed surface's menu is dismissed with it."""
        if self.popups is not None and self.popups.popup is not None:
            self.runtime.dismiss_overlay()
            self.popups.sync()

    def destroy(self) -> None:
        self._close_popup()
        if self.role is not None:
            self.host.surfaces.pop(self.surface, None)
            for attr in ("keyboard_focus", "pointer_focus"):
                if getattr(self.host, attr) is self:
                    setattr(self.host, attr, None)
            self.role.destroy()
            if self.scale is not None:
                self.scale.destroy()
            self.surface.destroy()
            self.host.display.flush()
        self.role = self.surface = self.frame_callback = self.scale = None
        self.spec = self.applied = None
        self.configured = self.frame_pending = False
        self.runtime.close()

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
        self.draw(full=True)

    # -- drawing (frame-callback paced) -------------------------------------------------------------------------
    def _rescale(self) -> None:
        """The compositor prefers another scale (see scale.py): redraw everything at it."""
        if self.scale is not None and self.scale.factor != self.runtime.output_scale:
            self.runtime.resize(self.runtime.window_size, self.scale.factor)
            self.draw(full=True)

    def _buffer_scale(self) -> float:
        return self.scale.factor if self.scale is not None else 1.0

    def draw(self, full: bool = False) -> None:
        if self.popups is not None and self.configured:
            self.popups.sync()  # open, redraw or close the overlay's popup
        if not self.configured or self.frame_pending or self.surface is None:
            return
        width, height = self.runtime.device_size
        if self.canvas is None or (self.canvas.get_width(), self.canvas.get_height()) != (width, height):
            self.canvas = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
            full = True
        damage = self.runtime.render(self.canvas, full=full)
        if not damage:
            return
        buffer = self.chain.acquire(width, height)
        if buffer is None:
            return
        cr = cairo.Context(buffer.surface)
        cr.set_source_surface(self.canvas, 0, 0)
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.paint()
        buffer.surface.flush()
        buffer.busy = True
        if self.scale is not None:
            self.scale.prepare(self.runtime.window_size.width, self.runtime.window_size.height)
        self.surface.attach(buffer.buffer, 0, 0)
        scale = self.runtime.scale
        for rect in damage:
            self.surface.damage_buffer(int(rect.x * scale), int(rect.y * scale), int(rect.width * scale) + 1,
                                       int(rect.height * scale) + 1)
        self.frame_callback = self.surface.frame()
        self.frame_callback.dispatcher["done"] = self._frame_done
        self.frame_pending = True
        self.surface.commit()
        if self.first_frame is not None:
            self.first_frame()
            self.first_frame = None

    def _frame_done(self, _callback: Any, _time: int) -> None:
        self.frame_pending = False
        self.draw()

    def _wake(self) -> None:
        self.host.loop.call_soon(self._flush_messages)

    def _flush_messages(self) -> None:
        if self.runtime.flush():
            self.after_update()

    def after_update(self) -> None:
        self.sync_spec()
        self.draw()
        self.host.display.flush()

    def event(self, event: Event) -> None:
        try:
            captured = self.runtime.dispatch(event)
            if not captured and isinstance(event, KeyPressed):
                message = _key_message(self.app, self.runtime.state, event)
                if message is not None:
                    self.runtime.queue.append(message)
                    self.runtime.flush()
        except Exception:
            log.exception("error handling %s", event)
        self.after_update()


def _key_message(app: Any, state: Any, event: KeyPressed) -> Any:
    handler = getattr(app, "key_pressed", None)
    return handler(state, event) if callable(handler) else None


class LayerHost(LayerInput):
    """The connection, its globals, the outputs and every layer surface of one process."""

    def __init__(self, factory: AppFactory, *, per_output: bool = False,
                 extra: dict[str, tuple[type, int]] | None = None,
                 setup: Callable[[LayerContext], None] | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.factory, self.per_output = factory, per_output
        self.extra = extra or {}
        self.display = Display()
        self.display.connect()
        self.globals: dict[str, Any] = {}
        self.outputs: dict[int, OutputInfo] = {}
        self.output_scales: dict[Any, int] = {}  # wl_output proxy → its integer scale
        self.surfaces: dict[Any, LayerSurface] = {}
        self.by_output: dict[int, LayerSurface] = {}
        self.single: LayerSurface | None = None
        self.keyboard_focus: LayerSurface | None = None
        self.pointer_focus: LayerSurface | None = None
        self.pointer_surface: Any = None  # the wl_surface under the pointer: a layer surface or a popup
        self.position = Point(0, 0)
        self.keyboard = Keyboard()
        self.repeat: asyncio.TimerHandle | None = None
        self.running = True
        self.first_frame: Callable[[], None] | None = None
        self.context = LayerContext(self)
        if setup is not None:
            setup(self.context)
        registry = self.registry = self.display.get_registry()  # kept: pywayland finds the display through it
        registry.dispatcher["global"] = self._global
        registry.dispatcher["global_remove"] = self._global_remove
        self.display.roundtrip()
        missing = {"wl_compositor", "wl_shm", "zwlr_layer_shell_v1"} - self.globals.keys()
        if missing:
            raise RuntimeError(f"the compositor lacks {', '.join(sorted(missing))}")
        self.display.roundtrip()  # output names and modes
        if not per_output:
            self.single = LayerSurface(self, factory(self.context, None), None)
            self.single.first_frame = self._first_frame
        self._outputs_changed()

    # -- globals and outputs -------------------------------------------------------------------------------
    def _global(self, registry: Any, name: int, interface: str, version: int) -> None:
        wanted = {"wl_compositor": (WlCompositor, 4), "wl_shm": (WlShm, 1), "wl_seat": (WlSeat, 5),
                  "zwlr_layer_shell_v1": (ZwlrLayerShellV1, 4), "xdg_wm_base": (XdgWmBase, 2), **SCALE_GLOBALS}
        if interface == "wl_output":
            proxy = registry.bind(name, WlOutput, min(version, 4))
            info = self.outputs[name] = OutputInfo(proxy)
            proxy.dispatcher["name"] = lambda _o, value: setattr(info, "name", value)
            proxy.dispatcher["geometry"] = lambda _o, x, y, *_: info.place(x, y)
            proxy.dispatcher["mode"] = lambda _o, flags, w, h, _r: info.resize(w, h) if flags & 1 else None
            proxy.dispatcher["done"] = lambda _o: self._output_done(info)
            proxy.dispatcher["scale"] = lambda _o, factor: self._output_scale(_o, factor)
        elif interface in wanted and interface not in self.globals:
            kind, most = wanted[interface]
            self.globals[interface] = registry.bind(name, kind, min(version, most))
            if interface == "wl_seat":
                self.globals[interface].dispatcher["capabilities"] = self._capabilities
            elif interface == "xdg_wm_base":  # for popups
                self.globals[interface].dispatcher["ping"] = lambda base, serial: base.pong(serial)
        elif interface in self.extra and interface not in self.context.bound:
            kind, most = self.extra[interface]
            proxy = self.context.bound[interface] = registry.bind(name, kind, min(version, most))
            hook = self.context.on_bind.get(interface)
            if hook is not None:
                hook(proxy)

    def _output_scale(self, proxy: Any, factor: int) -> None:
        self.output_scales[proxy] = factor
        for surface in self.all_surfaces():
            if surface.scale is not None:
                surface.scale.outputs_changed()

    def _output_done(self, info: OutputInfo) -> None:
        first = not info.done
        info.done = True
        if first and self.globals.get("zwlr_layer_shell_v1") is not None:
            self._outputs_changed()

    def _global_remove(self, _registry: Any, name: int) -> None:
        if name in self.outputs:
            self.outputs.pop(name)
            self._outputs_changed()

    def _outputs_changed(self) -> None:
        if not self.per_output or "zwlr_layer_shell_v1" not in self.globals:
            return
        for name in [n for n in self.by_output if n not in self.outputs]:
            self.by_output.pop(name).destroy()
        for name, info in self.outputs.items():
            if info.done and name not in self.by_output:
                surface = self.by_output[name] = LayerSurface(self, self.factory(self.context, info), info)
                surface.first_frame = self._first_frame
        self.display.flush()

    def _first_frame(self) -> None:
        if self.first_frame is not None:
            self.first_frame()
            self.first_frame = None

    def all_surfaces(self) -> list[LayerSurface]:
        return [self.single] if self.single is not None else list(self.by_output.values())

    # -- loop ----------------------------------------------------------------------------------------------
    def _readable(self) -> None:
        try:
            failed = self.display.dispatch(block=True) == -1
        except RuntimeError:  # the compositor went away
            failed = True
        if failed:
            self.running = False
        self.display.flush()
        if not self.running:
            self.loop.stop()

    def run(self) -> int:
        self.loop.add_reader(self.display.get_fd(), self._readable)
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(sig, self.loop.stop)
        self.display.flush()
        self.loop.run_forever()
        for surface in self.all_surfaces():
            surface.runtime.close()
        self.display.disconnect()
        return 0 if self.running else 1
