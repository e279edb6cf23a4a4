"""The compositor state: one object composed of per-protocol parts, and the process's main loop.

Follow a commit: ``handlers/compositor.py`` (wl_surface.commit) → ``surface.py`` (copy pixels, damage) →
``scene.py`` (damage per output) → ``frames.py`` (tick at the refresh rate) → ``render.py`` (Cairo) →
the backend's ``present``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from .frames import FrameClock
from .geometry import Rect
from .handlers import (
    activation,
    cursor_shape,
    data_device,
    decoration,
    foreign_toplevel,
    fractional_scale,
    layer_shell,
    output,
    pointer_constraints,
    presentation,
    primary_selection,
    relative_pointer,
    seat,
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
from .scene import Output, Scene
from .seat import Seat
from .surface import Surface
from .wl.display import Client, Display
from .wl.resource import Resource
from .wm import WindowManager

if TYPE_CHECKING:
    from .backends.base import Backend

log = logging.getLogger(__name__)

# Every protocol part, in the order its globals are announced; later issues add theirs here.
PROTOCOLS: list[Callable[[Compositor], object]] = [
    compositor_protocol.register,
    subcompositor.register,
    output.register,
    seat.register,
    xdg_shell.register,
    decoration.register,
    viewporter.register,
    presentation.register,
    data_device.register,
    primary_selection.register,
    virtual_keyboard.register,
    virtual_pointer.register,
    relative_pointer.register,
    pointer_constraints.register,
    layer_shell.register,
    foreign_toplevel.register,
    workspace.register,
    activation.register,
    fractional_scale.register,
    cursor_shape.register,
]


class Compositor:
    def __init__(self, loop: asyncio.AbstractEventLoop, backend: Backend) -> None:
        self.loop = loop
        self.backend = backend
        self.display = Display()
        self.display.attach(loop)
        self.scene = Scene()
        self.keyboard = Keyboard()
        self.seat = Seat(self, self.keyboard)
        self.wm = WindowManager(self)
        self.frames = FrameClock(self.scene, loop, backend.present, presentation.make_sender(self),
                                 self.display.batch)
        self.output_globals: dict[str, output.OutputGlobal] = {}
        self.focus_listeners: list[Callable[[Surface | None], None]] = []
        self.window_listeners: list[Callable[[], None]] = []
        self.output_listeners: list[Callable[[], None]] = []  # after an output was added, resized or removed
        # a client bound a wl_output (protocols that announce outputs per object catch up)
        self.output_bound_listeners: list[Callable[[Output, Resource], None]] = []
        self.parts: dict[str, object] = {}
        self.quit: Callable[[], None] = lambda: None
        for register in PROTOCOLS:
            self.parts[register.__module__.rsplit(".", 1)[-1]] = register(self)
        self.seat.cursor_listeners.append(backend.cursor_changed)
        backend.start(self)

    # -- outputs -------------------------------------------------------------------------------------
    def add_output(self, name: str, x: int, y: int, width: int, height: int, refresh_mhz: int) -> Output:
        new = Output(name, x, y, width, height, refresh_mhz)
        self.scene.outputs.append(new)
        self.output_globals[name] = output.OutputGlobal(self, new)
        if len(self.scene.outputs) == 1:
            self.seat.x, self.seat.y = x + width / 2, y + height / 2
        self.scene.damage(new.rect)
        self._outputs_changed()
        return new

    def set_output_mode(self, target: Output, width: int, height: int, scale: float | None = None) -> None:
        """The backend's output changed size in physical pixels (the nested window was resized), or the user
        changed its scale (``orrery msg output scale``): the logical size is the mode divided by the scale."""
        if (width, height, scale if scale is not None else target.scale) == (
                target.mode_width, target.mode_height, target.scale):
            return
        old = target.rect
        target.set_mode(width, height, scale)
        self.output_globals[target.name].changed()
        self.wm.outputs_changed()
        self.scene.damage(old)
        self.scene.damage(target.rect)
        self._outputs_changed()
        self.scene.layout_changed()  # surfaces may have entered or left the output; preferred scales changed

    def remove_output(self, target: Output) -> None:
        self.frames.cancel(target)
        self.scene.outputs.remove(target)
        if not self.scene.outputs:
            self.frames.release_waiting()
        self.output_globals.pop(target.name).remove()
        self.scene.damage_everything()
        self._outputs_changed()

    def _outputs_changed(self) -> None:
        for listener in list(self.output_listeners):
            listener()

    def output_resources(self, target: Output, client: Client) -> list[Resource]:
        owner = self.output_globals.get(target.name)
        return owner.for_client(client) if owner is not None else []

    def usable_area(self, target: Output) -> Rect:
        """The output less the room panels reserve (layer surfaces' exclusive zones)."""
        shell = self.parts.get("layer_shell")
        return shell.usable_area(target) if isinstance(shell, layer_shell.LayerShell) else target.rect

    # -- notifications -------------------------------------------------------------------------------
    def surfaces_created(self, surface: Surface) -> None:
        surface.destroy_listeners.append(self.seat.surface_gone)

    def windows_changed(self) -> None:
        for listener in self.window_listeners:
            listener()

    def shutdown(self) -> None:
        self.backend.stop()
        self.display.destroy()
        self.keyboard.close()


async def serve(backend: Backend, socket: str | None, ready: Callable[[Compositor], None],
                stop: asyncio.Event | None = None) -> int:
    """Run a compositor until SIGINT/SIGTERM (or ``stop``); returns the exit status."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    compositor = Compositor(loop, backend)
    compositor.quit = stop.set
    compositor.display.add_socket(socket)
    ready(compositor)
    try:
        await stop.wait()
    finally:
        compositor.shutdown()
    return 0
