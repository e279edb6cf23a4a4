"""zwlr_output_power_manager_v1 (version 1) and ``orrery msg output power NAME on|off``: switching monitors off
and on, as idle managers do (``swayidle timeout 600 'wlopm --off \\*'``).

An output switched off keeps its place in the layout and its windows; it shows nothing: its framebuffer is
black (``render.repaint``), and the backend powers the monitor down (DRM: its CRTC is disabled; headless and
nested: nothing more). Every zwlr_output_power_v1 of the output hears the new mode; one whose output went away
gets ``failed`` and is inert from then on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from protocols.wlr_output_power_management_unstable_v1 import ZwlrOutputPowerManagerV1, ZwlrOutputPowerV1

from ..scene import Output
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1
OFF, ON = ZwlrOutputPowerV1.mode.off, ZwlrOutputPowerV1.mode.on


class OutputPower:
    """One zwlr_output_power_v1: a client's handle on one output's power."""

    def __init__(self, manager: OutputPowerManager, resource: Resource, output: Output | None) -> None:
        self.manager = manager
        self.resource = resource
        self.output = output

    def set_mode(self, res: Resource, mode: int) -> None:
        if mode not in (OFF, ON):
            raise ProtocolError(ZwlrOutputPowerV1.error.invalid_mode, f"no power mode {mode}")
        if self.output is None:
            return  # failed already
        try:
            self.manager.set_power(self.output, mode == ON)
        except ValueError:
            self.fail()

    def fail(self) -> None:
        """The output went away or refused: ``failed``, once; inert from then on."""
        if self.output is not None:
            self.output = None
            self.resource.post("failed")

    def destroy(self, res: Resource) -> None:
        res.destroy()


class OutputPowerManager:
    """The output-power part of the compositor state: every zwlr_output_power_v1."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.powers: list[OutputPower] = []
        compositor.output_listeners.append(self.outputs_changed)

    def get_output_power(self, res: Resource, new: Resource, output_res: Resource) -> None:
        owner = getattr(output_res.impl, "output", None)
        output = owner if isinstance(owner, Output) and owner in self.compositor.scene.outputs else None
        power = OutputPower(self, new, output)
        new.impl = power
        if output is None:
            new.post("failed")
            return
        self.powers.append(power)
        new.destroy_listeners.append(lambda _res: self.powers.remove(power))
        new.post("mode", ON if output.powered else OFF)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def set_power(self, output: Output, on: bool) -> None:
        """Switch ``output`` on or off; ValueError when its monitor refuses."""
        if output.powered == on:
            return
        self.compositor.backend.set_power(output, on)
        output.powered = on
        self.compositor.scene.damage(output.rect)  # drawn again, or blacked out
        for power in self.powers:
            if power.output is output:
                power.resource.post("mode", ON if on else OFF)

    def outputs_changed(self) -> None:
        outputs = self.compositor.scene.outputs
        for power in list(self.powers):
            if power.output is not None and power.output not in outputs:
                power.fail()


def register(compositor: Compositor) -> OutputPowerManager:
    manager = OutputPowerManager(compositor)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZwlrOutputPowerManagerV1, VERSION, bind)
    return manager
