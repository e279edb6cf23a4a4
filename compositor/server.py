"""The compositor state: one object composed of per-protocol parts, and the process's main loop.

Follow a commit: ``handlers/compositor.py`` (wl_surface.commit) → ``surface.py`` (copy pixels, damage) →
``scene.py`` (damage per output) → ``frames.py`` (tick at the refresh rate) → ``render.py`` (Cairo) →
the backend's ``present``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

from themes.diagnostics import Diagnostic

from . import access, actions, config_live
from .bindings import Action
from .config import Config
from .frames import FrameClock
from .geometry import Box
from .handlers import (
    activation,
    cursor_shape,
    data_device,
    decoration,
    foreign_toplevel,
    fractional_scale,
    idle,
    image_capture,
    layer_shell,
    output,
    output_management,
    output_power,
    pointer_constraints,
    presentation,
    primary_selection,
    relative_pointer,
    screencopy,
    seat,
    security_context,
    session_lock,
    subcompositor,
    viewporter,
    virtual_keyboard,
    virtual_pointer,
    workspace,
    xdg_shell,
)
from .handlers import (
    compositor as compositor_protocol,
)
from .keyboard import Keyboard
from .quit_prompt import QuitPrompt
from .scene import Mode, Output, Scene
from .seat import Seat
from .ssd import ServerDecorations
from .surface import Surface
from .wl.display import Client, Display
from .wl.resource import Resource
from .wm import WindowManager

if TYPE_CHECKING:
    from .backends.base import Backend
    from .xwayland.server import XwaylandServer

log = logging.getLogger(__name__)

class Compositor:
    def __init__(self, loop: asyncio.AbstractEventLoop, backend: Backend, config: Config | None = None,
                 config_problems: tuple[Diagnostic, ...] = ()) -> None:
        self.loop = loop
        self.backend = backend
        self.config = config or Config()
        # what was wrong with orrery.toml when it was last read (the settings in force are the previous ones)
        self.config_problems = config_problems
        self.display = Display()
        self.display.attach(loop)
        # who may bind which global (before any client can connect: decided as each one does)
        self.access = access.register(self)
        self.scene = Scene()
        self.scene.call_soon = loop.call_soon
        self.keyboard = Keyboard(config_live.keymap_names(self.config))
        self.seat = Seat(self, self.keyboard)
        self.wm = WindowManager(self)
        self.frames = FrameClock(self.scene, loop, backend, presentation.make_sender(self), self.display.batch)
        self.output_globals: dict[str, output.OutputGlobal] = {}
        self.disabled_outputs: list[Output] = []  # connected but switched off (output management)
        self.focus_listeners: list[Callable[[Surface | None], None]] = []
        self.surface_listeners: list[Callable[[Surface], None]] = []  # a wl_surface was created (Xwayland's pairing)
        self.xwayland: XwaylandServer | None = None  # the X11 display, when X11 support is on
        self.window_listeners: list[Callable[[], None]] = []
        self.output_listeners: list[Callable[[], None]] = []  # after an output was added, changed or removed
        # a client bound a wl_output (protocols that announce outputs per object catch up)
        self.output_bound_listeners: list[Callable[[Output, Resource], None]] = []
        self.quit: Callable[[], None] = lambda: None
        self.launcher_toggles: list[Callable[[], None]] = []  # the shell's launcher (a Super tap, a binding)
        self.environment: dict[str, str] = dict(os.environ)  # for what the session starts (spawn)
        self._exiting: asyncio.TimerHandle | None = None
        # Window frames, drawn from the desktop's theme and restyled when it is saved
        self.decorations = ServerDecorations(self)
        self.quit_prompt = QuitPrompt(self)
        # The protocol parts, in the order their globals are announced; those with state of their own are kept.
        compositor_protocol.register(self)
        subcompositor.register(self)
        self.surface_outputs = output.register(self)  # which outputs each surface is on
        seat.register(self)
        self.xdg_shell = xdg_shell.register(self)
        decoration.register(self)
        viewporter.register(self)
        presentation.register(self)
        self.data_devices = data_device.register(self)
        self.primary_selection = primary_selection.register(self)
        virtual_keyboard.register(self)
        virtual_pointer.register(self)
        self.relative_pointers = relative_pointer.register(self)
        self.pointer_constraints = pointer_constraints.register(self)
        self.layer_shell = layer_shell.register(self)
        self.foreign_toplevels = foreign_toplevel.register(self)
        self.screencopy = screencopy.register(self)
        self.output_management = output_management.register(self)
        self.image_capture = image_capture.register(self)  # after screencopy: it draws the pointer the same way
        workspace.register(self)
        self.activation = activation.register(self)
        self.preferred_scales = fractional_scale.register(self)
        cursor_shape.register(self)
        self.session_lock = session_lock.register(self)
        self.idle = idle.register(self)
        self.output_power = output_power.register(self)
        self.security_contexts = security_context.register(self)
        self.seat.cursor_listeners.append(backend.cursor_changed)
        self.decorations.start()
        backend.start(self)

    # -- outputs -------------------------------------------------------------------------------------
    def add_output(self, name: str, x: int, y: int, width: int, height: int, refresh_mhz: int, *,
                   make: str = "Orrery", model: str = "virtual", serial: str = "",
                   physical_size: tuple[int, int] = (0, 0), modes: list[Mode] | None = None) -> Output:
        new = Output(name, x, y, width, height, refresh_mhz, make=make, model=model, serial=serial,
                     physical_size=physical_size, modes=list(modes or []))
        self._show_output(new)
        return new

    def _show_output(self, new: Output) -> None:
        self.scene.outputs.append(new)
        self.output_globals[new.name] = output.OutputGlobal(self, new)
        if len(self.scene.outputs) == 1:
            self.seat.x, self.seat.y = new.x + new.width / 2, new.y + new.height / 2
        self.wm.output_added(new)
        self.scene.damage(new.rect)
        self._outputs_changed()

    def set_output_mode(self, target: Output, width: int, height: int, scale: float | None = None,
                        refresh_mhz: int | None = None, transform: int | None = None) -> None:
        """The backend's output changed mode in physical pixels (a new mode, the nested window was resized), or
        the user changed its scale (``orrery msg output scale``) or transform: the logical size is the mode,
        turned, divided by the scale."""
        refresh = refresh_mhz if refresh_mhz is not None else target.refresh_mhz
        turned = transform if transform is not None else target.transform
        if (width, height, scale if scale is not None else target.scale, refresh, turned) == (
                target.mode_width, target.mode_height, target.scale, target.refresh_mhz, target.transform):
            return
        old = target.rect
        target.set_mode(width, height, scale, transform)
        target.refresh_mhz = refresh
        if not any((m.width, m.height) == (width, height) for m in target.modes):
            target.modes = [Mode(width, height, refresh, preferred=True)]  # a window's size is its only mode
        self.output_globals[target.name].changed()
        self.wm.outputs_changed()
        self.scene.damage(old)
        self.scene.damage(target.rect)
        self._outputs_changed()
        self.scene.layout_changed()  # surfaces may have entered or left the output; preferred scales changed

    def remove_output(self, target: Output) -> None:
        """A monitor went away: its windows move to a remaining one."""
        if target in self.disabled_outputs:  # unplugged while switched off: nothing of it is shown
            self.disabled_outputs.remove(target)
            self._outputs_changed()
            return
        self._withdraw_output(target)

    def set_output_enabled(self, target: Output, enabled: bool) -> None:
        """Switch a connected monitor off (it leaves the layout, its windows move to a remaining one, as when
        unplugged, but it stays listed for output management) or on again at its place."""
        if enabled and target in self.disabled_outputs:
            self.disabled_outputs.remove(target)
            self._show_output(target)
        elif not enabled and target in self.scene.outputs:
            self.disabled_outputs.append(target)
            self._withdraw_output(target)

    def move_output(self, target: Output, x: int, y: int) -> None:
        """Put the output elsewhere in the layout; the windows on it move along."""
        old = target.rect
        dx, dy = x - old.x, y - old.y
        if (dx, dy) == (0, 0):
            return
        riding = [w for w in self.wm.windows if old.contains(w.rect().x + w.rect().width / 2,
                                                                 w.rect().y + w.rect().height / 2)]
        target.x, target.y = x, y
        for window in riding:
            self.wm.move_to(window, window.x + dx, window.y + dy)
        self.output_globals[target.name].changed()
        self.wm.outputs_changed()
        self.scene.damage(old)
        self.scene.damage(target.rect)
        self._outputs_changed()
        self.scene.layout_changed()

    def _withdraw_output(self, target: Output) -> None:
        self.frames.cancel(target)
        self.scene.outputs.remove(target)
        if not self.scene.outputs:
            self.frames.release_waiting()
        self.output_globals.pop(target.name).remove()
        self.wm.output_removed(target)
        if self.scene.outputs and self.scene.output_at(self.seat.x, self.seat.y) is None:
            remaining = self.scene.outputs[0].rect  # the pointer was on the output that left
            self.seat.pointer_motion(remaining.x + remaining.width / 2, remaining.y + remaining.height / 2)
        self.scene.damage_everything()
        self._outputs_changed()
        self.scene.layout_changed()

    def _outputs_changed(self) -> None:
        for listener in list(self.output_listeners):
            listener()

    def output_resources(self, target: Output, client: Client) -> list[Resource]:
        owner = self.output_globals.get(target.name)
        return owner.for_client(client) if owner is not None else []

    def usable_area(self, target: Output) -> Box:
        """The output less the room panels reserve (layer surfaces' exclusive zones)."""
        return self.layer_shell.usable_area(target)

    # -- notifications -------------------------------------------------------------------------------
    def windows_changed(self) -> None:
        for listener in self.window_listeners:
            listener()

    # -- actions (bindings, orrery msg action) ------------------------------------------------------------
    def perform(self, action: Action) -> None:
        actions.perform(self, action)

    def reload_config(self) -> bool:
        """Read orrery.toml again; a file with errors keeps the settings in force (see config_live)."""
        return config_live.reload(self)

    def spawn(self, command: str) -> None:
        try:
            subprocess.Popen(["/bin/sh", "-c", command], env=self.environment, stdin=subprocess.DEVNULL,
                             start_new_session=True)  # its own session: it outlives a compositor restart
        except OSError as error:
            log.warning("cannot run %r: %s", command, error)

    def exit_session(self) -> None:
        """End the session the polite way: every window is asked to close; once none is left (or after
        ``[session] exit_timeout`` seconds) the compositor stops and exits 0."""
        if self._exiting is not None:
            return
        self._exiting = self.loop.call_later(float(self.config.get("session", "exit_timeout")), self.quit)
        self.window_listeners.append(self._quit_when_no_windows)
        for window in list(self.wm.windows):
            window.toplevel.close()
        self._quit_when_no_windows()

    def _quit_when_no_windows(self) -> None:
        if not self.wm.windows:
            self.loop.call_soon(self.quit)

    def start_xwayland(self) -> None:
        """Reserve an X11 display (Xwayland starts on its first connection) and hand DISPLAY to what we start."""
        setting = self.config.xwayland
        if setting is False:
            self.environment.pop("DISPLAY", None)  # not the display we may be nested in
            return
        from .xwayland.server import XwaylandServer

        try:
            self.xwayland = XwaylandServer(self, eager=setting == "startup")
        except OSError as error:
            log.error("no X11 support: %s", error)
            self.environment.pop("DISPLAY", None)
            return
        self.environment["DISPLAY"] = self.xwayland.display

    def shutdown(self) -> None:
        if self._exiting is not None:
            self._exiting.cancel()
        if self.xwayland is not None:
            self.xwayland.close()
        self.decorations.stop()
        self.security_contexts.close()
        self.backend.stop()
        self.display.destroy()
        self.keyboard.close()


async def serve(backend: Backend, socket: str | None, ready: Callable[[Compositor], None],
                stop: asyncio.Event | None = None, config: Config | None = None,
                config_problems: tuple[Diagnostic, ...] = ()) -> int:
    """Run a compositor until SIGINT/SIGTERM/SIGHUP (or ``stop``); returns the exit status. The settings file
    ``config`` was read from (if any) is reloaded whenever it is saved."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    compositor = Compositor(loop, backend, config, config_problems)
    compositor.quit = stop.set
    compositor.display.add_socket(socket)
    compositor.environment["WAYLAND_DISPLAY"] = compositor.display.socket_name or ""
    compositor.start_xwayland()
    config_live.publish_problems(compositor)  # the start-up read's problems, for the panel
    path = compositor.config.path
    watcher = config_live.ConfigWatcher(compositor, path) if path is not None else None
    ready(compositor)
    try:
        await stop.wait()
    finally:
        if watcher is not None:
            await watcher.stop()
        config_live.publish_problems(compositor, final=True)
        compositor.shutdown()
    return 0
