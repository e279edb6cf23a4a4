"""One Wayland connection and the toolkit surfaces on it: xdg windows (:mod:`.window`), layer surfaces (:mod:`.layer`).

    host = Host(required=("xdg_wm_base",))
    Window(host, MyApp(), 800, 600)              # a HostedSurface; LayerHost is a Host for layer surfaces
    sys.exit(host.run())

The host binds the globals, follows outputs as they come and go (a removed wl_output is released and every
surface forgets it), routes the seat's input to the surface it is for (:class:`~.input.HostSeat`: pointer, keyboard
with key repeat, touch, the cursor), owns the clipboard, and runs one asyncio loop on the connection's fd until
it is stopped (status 0: a window closed, SIGINT, SIGTERM) or the compositor goes away (status 1, one line).

:class:`HostContext` is what a host shares with its apps: extra globals (bound when the compositor announces them,
with a hook to set listeners before any event arrives), the seat, the outputs and :meth:`HostContext.activation_token`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pywayland import lib
from pywayland.client import Display
from pywayland.protocol.wayland import WlCompositor, WlDataDeviceManager, WlOutput, WlSeat, WlShm
from pywayland.protocol.xdg_shell import XdgWmBase

from protocols.wlr_layer_shell_unstable_v1 import ZwlrLayerShellV1

from .clipboard import WaylandClipboard
from .cursor import SHAPE_GLOBALS, PointerCursor
from .input import HostSeat
from .scale import GLOBALS as SCALE_GLOBALS

if TYPE_CHECKING:
    from .surface import HostedSurface

log = logging.getLogger(__name__)

# interface → (class, highest version used); each bound once, when announced
WANTED: dict[str, tuple[type, int]] = {
    "wl_compositor": (WlCompositor, 4), "wl_shm": (WlShm, 1), "wl_seat": (WlSeat, 5),
    "wl_data_device_manager": (WlDataDeviceManager, 3), "xdg_wm_base": (XdgWmBase, 2),
    "zwlr_layer_shell_v1": (ZwlrLayerShellV1, 4), **SCALE_GLOBALS, **SHAPE_GLOBALS,
}
OUTPUT_VERSION = 4  # with its name


@dataclass
class OutputInfo:
    """A wl_output as announced."""

    proxy: Any = field(repr=False, compare=False)
    version: int = OUTPUT_VERSION
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


class HostContext:
    """What the host shares with its apps: globals, seat, outputs, activation tokens, the loop."""

    def __init__(self, host: Host) -> None:
        self._host = host
        self.loop = host.loop
        self.bound: dict[str, Any] = {}
        self.on_bind: dict[str, Callable[[Any], None]] = {}
        self.tokens: set[Any] = set()  # activation tokens asked for, kept alive until their "done"

    @property
    def seat(self) -> Any:
        return self._host.globals.get("wl_seat")

    @property
    def input_serial(self) -> int:
        """The serial of the last input event (for activation tokens, selections, popup grabs)."""
        return self._host.seat.serial

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
        self.tokens.add(token)  # else the collector may free the proxy, and its "done" with it, before it comes

        def done(_token: Any, value: str) -> None:
            if not future.done():
                future.set_result(value)
            self.tokens.discard(_token)
            _token.destroy()

        token.dispatcher["done"] = done
        if self.seat is not None and self.input_serial:
            token.set_serial(self.input_serial, self.seat)
        focused = self._host.seat.keyboard_focus or next(iter(self._host.surfaces.values()), None)
        if focused is not None and focused.surface is not None:
            token.set_surface(focused.surface)
        if app_id:
            token.set_app_id(app_id)
        token.commit()
        self.flush()
        return future


def _handed_socket() -> int | None:
    """A socket already connected that whoever started us handed over as ``WAYLAND_SOCKET`` (Orrery's shell gets
    one), taken out of the environment: programs started from here connect by ``WAYLAND_DISPLAY`` and must not
    inherit a number naming a descriptor they do not have."""
    value = os.environ.pop("WAYLAND_SOCKET", None)
    if value is None or not value.isdigit():
        return None
    os.set_inheritable(int(value), False)  # (as libwayland does): our connection is not for our children
    return int(value)


class Host:
    """The connection, its globals, outputs and seat, and every toolkit surface of one process."""

    def __init__(self, required: Iterable[str] = (), extra: dict[str, tuple[type, int]] | None = None,
                 setup: Callable[[HostContext], None] | None = None) -> None:
        """``required``: globals besides wl_compositor and wl_shm without which nothing can be shown; ``extra``:
        more globals to bind for the apps (``context.bound``); ``setup(context)`` runs before the first event."""
        self.loop = asyncio.new_event_loop()
        self.extra = extra or {}
        self.display = Display(_handed_socket())
        self.display.connect()
        self.started = False  # outputs_changed() runs once the subclass is ready for it
        self.status: int | None = None
        """Set by :meth:`stop`: what :meth:`run` returns."""
        self.globals: dict[str, Any] = {}
        self.names: dict[int, str] = {}  # global name → interface, of what we bound
        self.outputs: dict[int, OutputInfo] = {}
        self.output_scales: dict[Any, int] = {}  # wl_output proxy → its integer scale
        self.surfaces: dict[Any, HostedSurface] = {}  # wl_surface → the toolkit surface drawn on it
        self.hosted: list[HostedSurface] = []  # every surface's app, shown or not
        self.context = HostContext(self)
        self.seat = HostSeat(self)
        if setup is not None:
            setup(self.context)
        registry = self.registry = self.display.get_registry()  # kept: pywayland finds the display through it
        registry.dispatcher["global"] = self._global
        registry.dispatcher["global_remove"] = self._global_remove
        self.display.roundtrip()
        missing = {"wl_compositor", "wl_shm", *required} - self.globals.keys()
        if missing:
            raise RuntimeError(f"the compositor lacks {', '.join(sorted(missing))}")
        self.display.roundtrip()  # output names, modes and scales; the seat's capabilities
        self.clipboard: WaylandClipboard | None = None
        if "wl_data_device_manager" in self.globals and "wl_seat" in self.globals:
            self.clipboard = WaylandClipboard(self.display, self.globals["wl_data_device_manager"],
                                              self.globals["wl_seat"], lambda: self.seat.serial)
        self.cursor = PointerCursor(self.globals["wl_compositor"], self.globals["wl_shm"],
                                    shapes=self.globals.get("wp_cursor_shape_manager_v1"))
        self.started = True

    # -- globals -------------------------------------------------------------------------------------------
    def _global(self, registry: Any, name: int, interface: str, version: int) -> None:
        if interface == "wl_output":
            self._add_output(name, registry.bind(name, WlOutput, min(version, OUTPUT_VERSION)),
                             min(version, OUTPUT_VERSION))
        elif interface in WANTED and interface not in self.globals:
            kind, most = WANTED[interface]
            proxy = self.globals[interface] = registry.bind(name, kind, min(version, most))
            if interface == "wl_seat":
                self.seat.attach(proxy, min(version, most))
            elif interface == "xdg_wm_base":
                proxy.dispatcher["ping"] = lambda base, serial: base.pong(serial)
        elif interface in self.extra and interface not in self.context.bound:
            kind, most = self.extra[interface]
            proxy = self.context.bound[interface] = registry.bind(name, kind, min(version, most))
            hook = self.context.on_bind.get(interface)
            if hook is not None:
                hook(proxy)
        else:
            return
        self.names[name] = interface

    def _global_remove(self, _registry: Any, name: int) -> None:
        interface = self.names.pop(name, None)
        if interface == "wl_output":
            self._remove_output(name)
        elif interface == "wl_seat":
            self.seat.detach()
            self.globals.pop("wl_seat")
        self.display.flush()

    # -- outputs -------------------------------------------------------------------------------------------
    def _add_output(self, name: int, proxy: Any, version: int) -> None:
        info = self.outputs[name] = OutputInfo(proxy, version)
        self.output_scales[proxy] = 1
        proxy.dispatcher["name"] = lambda _o, value: setattr(info, "name", value)
        proxy.dispatcher["geometry"] = lambda _o, x, y, *_: info.place(x, y)
        proxy.dispatcher["mode"] = lambda _o, flags, w, h, _r: info.resize(w, h) if flags & 1 else None
        proxy.dispatcher["scale"] = self._output_scale
        proxy.dispatcher["done"] = lambda _o: self._output_done(info)

    def _output_scale(self, proxy: Any, factor: int) -> None:
        self.output_scales[proxy] = factor
        for surface in list(self.surfaces.values()):
            surface.outputs_changed()

    def _output_done(self, info: OutputInfo) -> None:
        if not info.done:
            info.done = True
            if self.started:
                self.outputs_changed()

    def _remove_output(self, name: int) -> None:
        info = self.outputs.pop(name)
        self.output_scales.pop(info.proxy, None)
        for surface in list(self.surfaces.values()):
            surface.output_removed(info.proxy)
        if self.started:
            self.outputs_changed()
        if info.version >= 3:
            info.proxy.release()  # else the compositor keeps our wl_output of a monitor that is gone
        else:
            info.proxy.destroy()

    def outputs_changed(self) -> None:
        """An output was announced (and described) or removed."""

    # -- surfaces ------------------------------------------------------------------------------------------
    def target(self, surface: Any) -> HostedSurface | None:
        """The toolkit surface that ``surface`` is, or whose open popup it is."""
        found = self.surfaces.get(surface)
        if found is None:
            found = next((s for s in self.surfaces.values() if s.popups is not None and s.popups.owns(surface)), None)
        return found

    # -- loop ----------------------------------------------------------------------------------------------
    def _readable(self) -> None:
        try:
            self.display.dispatch(block=True)
        except RuntimeError:  # the connection is over: the compositor went away, or ended it for a protocol error
            error = lib.wl_display_get_error(self.display._ptr)
            log.error("lost the connection to the compositor: %s", os.strerror(error) if error else "closed")
            self.stop(1)
            return
        self.display.flush()

    def stop(self, status: int = 0) -> None:
        if self.status is None:
            self.status = status
        self.loop.stop()

    def run(self) -> int:
        self.loop.add_reader(self.display.get_fd(), self._readable)
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(sig, self.stop)  # a clean exit (status 0) on Ctrl+C or kill
        self.display.flush()
        if self.status is None:
            self.loop.run_forever()
        self.loop.remove_reader(self.display.get_fd())
        for surface in list(self.hosted):
            surface.close()
        self.display.disconnect()
        return self.status or 0
