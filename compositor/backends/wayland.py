"""Wayland backend: each output is an xdg_toplevel of another Wayland compositor (GNOME, KDE, sway, weston, an Orrery),
which Orrery is an ordinary client of.

The connection to the parent (pywayland's client side) is driven from the compositor's asyncio loop: its fd is
watched with ``add_reader``, what arrives is dispatched, and our requests are flushed after each batch. Each output
draws straight into one of a few ``wl_shm`` buffers shown in turn (``BufferAges`` says what each lacks, which is
copied from the buffer of the frame before); a frame is attached with ``damage_buffer`` of what it changed, and the
parent's frame callback for it completes it like a page flip: the frame clock draws nothing more on that output
until then, so the parent paces Orrery, and nothing is drawn while the parent hides the window. The parent's
configure sizes become the output's mode, its preferred (or fractional) scale the output's scale; input is
:mod:`.wayland_input`'s.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING, Any

from pywayland import lib
from pywayland.client import Display
from pywayland.protocol.fractional_scale_v1 import WpFractionalScaleManagerV1
from pywayland.protocol.keyboard_shortcuts_inhibit_unstable_v1 import ZwpKeyboardShortcutsInhibitManagerV1
from pywayland.protocol.pointer_constraints_unstable_v1 import ZwpPointerConstraintsV1
from pywayland.protocol.presentation_time import WpPresentation
from pywayland.protocol.viewporter import WpViewporter
from pywayland.protocol.wayland import WlCompositor, WlDataDeviceManager, WlSeat, WlShm
from pywayland.protocol.wp_primary_selection_unstable_v1 import ZwpPrimarySelectionDeviceManagerV1
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgDecorationManagerV1
from pywayland.protocol.xdg_shell import XdgWmBase

from ..scene import Mode
from .base import OutputSpec
from .headless import COMMON_MODES
from .wayland_clipboard import ParentClipboard
from .wayland_input import ParentSeat
from .wayland_window import ParentWindow

if TYPE_CHECKING:
    from ..config import Config
    from ..geometry import Box
    from ..scene import Output
    from ..server import Compositor

log = logging.getLogger(__name__)

# interface → (class, highest version used); each bound once, when announced
WANTED: dict[str, tuple[type, int]] = {
    "wl_compositor": (WlCompositor, 6), "wl_shm": (WlShm, 1), "xdg_wm_base": (XdgWmBase, 5),
    "wl_seat": (WlSeat, 8), "zxdg_decoration_manager_v1": (ZxdgDecorationManagerV1, 1),
    "wp_viewporter": (WpViewporter, 1), "wp_fractional_scale_manager_v1": (WpFractionalScaleManagerV1, 1),
    "wl_data_device_manager": (WlDataDeviceManager, 3), "zwp_pointer_constraints_v1": (ZwpPointerConstraintsV1, 1),
    "zwp_keyboard_shortcuts_inhibit_manager_v1": (ZwpKeyboardShortcutsInhibitManagerV1, 1),
    "wp_presentation": (WpPresentation, 1),
    "zwp_primary_selection_device_manager_v1": (ZwpPrimarySelectionDeviceManagerV1, 1),
}
REQUIRED = ("wl_compositor", "wl_shm", "xdg_wm_base")


class WaylandBackend:
    name = "wayland"

    def __init__(self, outputs: list[OutputSpec], parent: str) -> None:
        """``parent``: the parent compositor's socket (``WAYLAND_DISPLAY`` as Orrery was started)."""
        self.specs = outputs or [OutputSpec(1280, 800, 60.0)]
        self.parent = parent
        self.globals: dict[str, Any] = {}
        self.versions: dict[str, int] = {}  # of the globals, as bound
        self.windows: list[ParentWindow] = []
        self.seat: ParentSeat | None = None
        self.clipboards: list[ParentClipboard] = []  # the clipboard and the primary selection
        self.grabbed = False
        self.monotonic = False  # the parent's wp_presentation times frames on CLOCK_MONOTONIC, as ours does
        self._compositor: Compositor | None = None
        self._display: Display | None = None
        self._connected = False
        self._fd = -1

    @property
    def compositor(self) -> Compositor:
        assert self._compositor is not None, "the backend has not started"
        return self._compositor

    def start(self, compositor: Compositor) -> None:
        self._compositor = compositor
        display = Display(self.parent)
        try:
            display.connect()
        except ValueError:
            raise RuntimeError(f"cannot connect to the Wayland compositor {self.parent!r} (WAYLAND_DISPLAY): "
                               "nothing listens there") from None
        self._display = display
        self._connected = True
        try:
            self._check_parent(display)
        except RuntimeError:
            self.stop()  # the proxies go before the display they belong to (else a crash at exit)
            raise
        x = 0
        for index, spec in enumerate(self.specs, start=1):
            refresh = int(spec.refresh_hz * 1000)
            modes = [Mode(spec.width, spec.height, refresh, preferred=True)] + [
                Mode(w, h, refresh) for w, h in COMMON_MODES if (w, h) != (spec.width, spec.height)]
            output = compositor.add_output(f"WL-{index}", x, 0, spec.width, spec.height, refresh, make="Orrery",
                                           model="nested", modes=modes)
            self.windows.append(ParentWindow(self, output))
            x += spec.width
        self._share_selections()
        display.roundtrip()  # the seat's capabilities and keymap; the windows' first configure
        self._fd = display.get_fd()
        compositor.loop.add_reader(self._fd, self.dispatch)
        display.dispatch()  # what the roundtrip read but left queued
        self.flush()

    def _check_parent(self, display: Display) -> None:
        """Learn the parent's globals; RuntimeError saying why it cannot have our windows."""
        self.registry = display.get_registry()  # kept: pywayland finds the display through it
        self.registry.dispatcher["global"] = self._global
        self.registry.dispatcher["global_remove"] = self._global_remove
        if display.roundtrip() < 0:
            raise RuntimeError(f"the Wayland compositor {self.parent!r} closed the connection")
        missing = [name for name in REQUIRED if name not in self.globals]
        if missing:
            raise RuntimeError(f"the Wayland compositor {self.parent!r} lacks {', '.join(missing)}: "
                               "cannot show a window there")
        if self.versions["wl_compositor"] < 4:  # damage_buffer, set_buffer_scale
            raise RuntimeError(f"the Wayland compositor {self.parent!r} is too old (wl_compositor version "
                               f"{self.versions['wl_compositor']}, 4 needed)")

    def _global(self, registry: Any, name: int, interface: str, version: int) -> None:
        if interface not in WANTED or interface in self.globals:
            return
        kind, most = WANTED[interface]
        self.versions[interface] = min(version, most)
        proxy = self.globals[interface] = registry.bind(name, kind, min(version, most))
        if interface == "xdg_wm_base":
            proxy.dispatcher["ping"] = lambda base, serial: base.pong(serial)
        elif interface == "wl_seat":
            self.seat = ParentSeat(self, proxy, name, min(version, most))
        elif interface == "wp_presentation":
            proxy.dispatcher["clock_id"] = self._clock_id

    def _clock_id(self, _presentation: Any, clock: int) -> None:
        self.monotonic = clock == time.CLOCK_MONOTONIC

    def _global_remove(self, _registry: Any, name: int) -> None:
        if self.seat is not None and self.seat.name == name:
            self._unshare_selections()
            self.seat.close()
            self.seat = None
            self.globals.pop("wl_seat", None)

    def _share_selections(self) -> None:
        if self.seat is None:
            return
        inside = self.compositor
        clipboard = self.globals.get("wl_data_device_manager")
        if clipboard is not None:
            device = clipboard.get_data_device(self.seat.proxy)
            release = device.release if self.versions["wl_data_device_manager"] >= 2 else device.destroy
            self.clipboards.append(ParentClipboard(self, inside.data_devices.selection, device,
                                                   clipboard.create_data_source, release))
        primary = self.globals.get("zwp_primary_selection_device_manager_v1")
        if primary is not None:
            device = primary.get_device(self.seat.proxy)
            self.clipboards.append(ParentClipboard(self, inside.primary_selection, device, primary.create_source,
                                                   device.destroy))

    def _unshare_selections(self) -> None:
        for clipboard in self.clipboards:
            clipboard.close()
        self.clipboards = []

    # -- the connection -------------------------------------------------------------------------------------------
    def dispatch(self) -> None:
        """Handle what the parent sent (and what an earlier roundtrip queued), then send what that caused."""
        display = self._display
        if display is None or not self._connected:
            return
        try:
            display.dispatch(block=True)  # the fd is readable: this reads without waiting
        except RuntimeError:
            self._lost()
            return
        self.flush()

    def flush(self) -> None:
        if self._display is not None and self._connected and self._display.flush() < 0 \
                and lib.wl_display_get_error(self._display._ptr):
            self._lost()

    def _lost(self) -> None:
        """The parent went away or ended the connection: Orrery stops as if asked (its clients are disconnected)."""
        if not self._connected or self._display is None:
            return
        error = lib.wl_display_get_error(self._display._ptr)
        log.warning("the parent compositor %r ended the connection (%s): stopping", self.parent,
                    os.strerror(error) if error else "closed")
        self._connected = False  # nothing more is sent; the proxies are freed with the display, in stop()
        self.compositor.loop.remove_reader(self._fd)
        self.compositor.quit()

    def window_of(self, output: Output) -> ParentWindow | None:
        return next((window for window in self.windows if window.output is output), None)

    def window_of_surface(self, surface: Any) -> ParentWindow | None:
        return next((window for window in self.windows if window.surface is surface), None)

    # -- the backend interface ------------------------------------------------------------------------------------
    def prepare(self, output: Output) -> None:
        window = self.window_of(output)
        if window is not None:
            window.prepare()

    def present(self, output: Output, damage: list[Box]) -> bool:
        window = self.window_of(output)
        return window is not None and self._connected and window.present()

    def cursor_changed(self) -> None:
        if self.seat is not None:
            self.seat.cursor_changed()

    def set_mode(self, output: Output, mode: Mode) -> None:
        window = self.window_of(output)
        if window is not None:
            window.request_mode(mode)
            self.flush()

    def switch_vt(self, vt: int) -> bool:
        return False  # the parent's own keys switch VTs

    def config_changed(self, config: Config) -> None:
        pass  # the parent's devices are the parent's to configure

    def set_power(self, output: Output, on: bool) -> None:
        pass  # the window shows the black the renderer draws while the output is off

    def plug(self, spec: OutputSpec) -> Output:
        raise ValueError("only the headless backend has virtual monitors (nested outputs are windows)")

    def unplug(self, output: Output) -> None:
        raise ValueError("only the headless backend has virtual monitors (nested outputs are windows)")

    def toggle_grab(self) -> bool:
        if self.seat is None or not self._connected:
            return False
        self.grabbed = not self.grabbed
        for window in self.windows:
            window.set_grab(self.grabbed, self.seat)
        self.flush()
        return True

    def stop(self) -> None:
        """Close the windows and the connection; after a lost connection this only frees what we held (the
        proxies must go before the display they belong to)."""
        display = self._display
        if display is None:
            return
        if self._connected and self._fd >= 0:
            self.compositor.loop.remove_reader(self._fd)
        self._unshare_selections()
        if self.seat is not None:
            self.seat.close()
            self.seat = None
        for window in self.windows:
            window.close()
        self.windows = []
        if self._connected:
            display.flush()
        self._connected = False
        display.disconnect()
        self._display = None
