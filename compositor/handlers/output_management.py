"""zwlr_output_manager_v1 (version 2): wlr-randr and kanshi list monitors and arrange them.

Every connected monitor is a head, switched on (in the layout) or off (``Compositor.disabled_outputs``). A
client's configuration names every head and is tested or applied as a whole: it is checked completely first
(modes the monitor offers, scales from 0.25 to 8, positions within reach, at least one monitor left on), so
``apply`` either changes everything or, answering ``failed``, nothing. A configuration based on a state that
changed since (its serial is not the latest) is ``cancelled``. Every manager client hears of each change,
whoever made it (another client, ``orrery msg output``, a hot-plug), as the changed properties and one
``done`` with a new serial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from protocols.wlr_output_management_unstable_v1 import (
    ZwlrOutputConfigurationHeadV1,
    ZwlrOutputConfigurationV1,
    ZwlrOutputHeadV1,
    ZwlrOutputManagerV1,
    ZwlrOutputModeV1,
)

from ..scene import Mode, Output
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 2
MIN_SCALE, MAX_SCALE = 0.25, 8.0
MAX_POSITION = 1 << 18  # logical pixels from the origin; far beyond any real arrangement of monitors


@dataclass
class HeadView:
    """One head as one manager client knows it: its objects and the properties last sent."""

    res: Resource
    modes: dict[Mode, Resource] = field(default_factory=dict)
    sent: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settings:
    """What a configuration asks of one head; None keeps the current value."""

    enabled: bool
    mode: Mode | None = None
    position: tuple[int, int] | None = None
    transform: int | None = None
    scale: float | None = None


class OutputManagement:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.managers: list[Resource] = []
        self.views: dict[Resource, dict[str, HeadView]] = {}  # per manager: its heads by output name
        self.serial = compositor.display.next_serial()
        self.applying = False  # during an apply: one announcement at the end, not one per step
        compositor.output_listeners.append(self.changed)

    def heads(self) -> list[Output]:
        return [*self.compositor.scene.outputs, *self.compositor.disabled_outputs]

    def find(self, name: str) -> Output | None:
        return next((output for output in self.heads() if output.name == name), None)

    # -- announcing --------------------------------------------------------------------------------------
    def bound(self, res: Resource) -> None:
        res.impl = self
        self.managers.append(res)
        self.views[res] = {}
        res.destroy_listeners.append(self._manager_gone)
        self._send(res)

    def changed(self) -> None:
        if self.applying:
            return
        self.serial = self.compositor.display.next_serial()
        for res in list(self.managers):
            self._send(res)

    def _send(self, manager: Resource) -> None:
        views = self.views[manager]
        heads = {output.name: output for output in self.heads()}
        for name in [name for name in views if name not in heads]:  # unplugged
            gone = views.pop(name)
            for mode_res in gone.modes.values():
                mode_res.post("finished")
            gone.res.post("finished")
        for name, output in heads.items():
            view = views.get(name)
            if view is None:
                head_res = Resource(manager.client, ZwlrOutputHeadV1, manager.version, 0, impl=name)
                view = views[name] = HeadView(head_res)
                manager.post("head", head_res)
                head_res.post("name", output.name)
                head_res.post("description", f"{output.make} {output.model} {output.name}")
                head_res.post("physical_size", *output.physical_size)
                head_res.post("make", output.make)
                head_res.post("model", output.model)
                head_res.post("serial_number", output.serial)
            self._send_head(manager, view, output)
        manager.post("done", self.serial)

    def _send_head(self, manager: Resource, view: HeadView, output: Output) -> None:
        for mode in [mode for mode in view.modes if mode not in output.modes]:
            view.modes.pop(mode).post("finished")
        for mode in output.modes:
            if mode not in view.modes:
                mode_res = view.modes[mode] = Resource(manager.client, ZwlrOutputModeV1, manager.version, 0,
                                                       impl=mode)
                view.res.post("mode", mode_res)
                mode_res.post("size", mode.width, mode.height)
                mode_res.post("refresh", mode.refresh_mhz)
                if mode.preferred:
                    mode_res.post("preferred")
        enabled = output in self.compositor.scene.outputs
        now: dict[str, Any] = {"enabled": enabled}
        if enabled:
            current = next((m for m in output.modes if (m.width, m.height, m.refresh_mhz) ==
                            (output.mode_width, output.mode_height, output.refresh_mhz)), None)
            now.update(current_mode=current, position=(output.x, output.y), transform=output.transform,
                       scale=output.scale)
        for key, value in now.items():
            if view.sent.get(key, ()) == value:
                continue
            if key == "enabled":
                view.res.post("enabled", int(value))
            elif key == "current_mode":
                if value is not None:
                    view.res.post("current_mode", view.modes[value])
            elif key == "position":
                view.res.post("position", *value)
            else:
                view.res.post(key, value)
        view.sent = now

    def _manager_gone(self, res: Resource) -> None:
        if res in self.managers:
            self.managers.remove(res)
        self.views.pop(res, None)

    # -- manager requests ----------------------------------------------------------------------------------
    def create_configuration(self, res: Resource, new: Resource, serial: int) -> None:
        new.impl = Configuration(self, serial)

    def stop(self, res: Resource) -> None:
        self._manager_gone(res)
        res.post("finished")
        res.destroy()  # the protocol: the compositor destroys the manager after finished

    # -- applying ------------------------------------------------------------------------------------------
    def problem(self, wanted: dict[str, Settings]) -> str | None:
        """Why the arrangement cannot be made, or None."""
        if not any(settings.enabled for settings in wanted.values()):
            return "at least one output must stay on"
        for name, settings in wanted.items():
            output = self.find(name)
            if output is None:
                return f"{name} is gone"
            if not settings.enabled:
                continue
            if settings.mode is not None and settings.mode not in output.modes:
                return f"{name} offers no mode {settings.mode}"
            if settings.scale is not None and not MIN_SCALE <= settings.scale <= MAX_SCALE:
                return f"scale {settings.scale:g} out of range"
            if settings.position is not None and max(map(abs, settings.position)) > MAX_POSITION:
                return f"position {settings.position} out of reach"
        return None

    def apply(self, wanted: dict[str, Settings]) -> None:
        """Make the arrangement; if the backend refuses a mode after all (ValueError), what was already changed
        is put back before the error goes on."""
        self.applying = True
        before = {output.name: self.current(output) for output in self.heads()}
        try:
            self._arrange(wanted)
        except ValueError:
            self._arrange(before)
            raise
        finally:
            self.applying = False
            self.changed()

    def current(self, output: Output) -> Settings:
        mode = next((m for m in output.modes if (m.width, m.height, m.refresh_mhz) ==
                     (output.mode_width, output.mode_height, output.refresh_mhz)), None)
        return Settings(output in self.compositor.scene.outputs, mode, (output.x, output.y), output.transform,
                        output.scale)

    def _arrange(self, wanted: dict[str, Settings]) -> None:
        compositor = self.compositor
        targets = {name: output for name in wanted if (output := self.find(name)) is not None}
        for name, settings in wanted.items():  # off first: what stays on is then arranged once
            if not settings.enabled and name in targets:
                compositor.set_output_enabled(targets[name], False)
        for name, settings in wanted.items():
            output = targets.get(name)
            if not settings.enabled or output is None:
                continue
            compositor.set_output_enabled(output, True)
            if settings.mode is not None and (settings.mode.width, settings.mode.height, settings.mode.refresh_mhz) != (
                    output.mode_width, output.mode_height, output.refresh_mhz):
                compositor.backend.set_mode(output, settings.mode)
            if settings.scale is not None or settings.transform is not None:
                # a scale wp_fractional_scale_v1 can express
                scale = round(settings.scale * 120) / 120 if settings.scale is not None else None
                compositor.set_output_mode(output, output.mode_width, output.mode_height, scale,
                                           transform=settings.transform)
            if settings.position is not None:
                compositor.move_output(output, *settings.position)


class Configuration:
    """One zwlr_output_configuration_v1: every head enabled (with settings) or disabled, then test or apply."""

    def __init__(self, management: OutputManagement, serial: int) -> None:
        self.management = management
        self.serial = serial
        self.heads: dict[str, Settings] = {}
        self.used = False

    def _head(self, head_res: Resource) -> str:
        if self.used:
            raise ProtocolError(ZwlrOutputConfigurationV1.error.already_used, "the configuration was used")
        name: str = head_res.impl
        if name in self.heads:
            raise ProtocolError(ZwlrOutputConfigurationV1.error.already_configured_head,
                                f"{name} is already in the configuration")
        return name

    def enable_head(self, res: Resource, new: Resource, head_res: Resource) -> None:
        name = self._head(head_res)
        settings = self.heads[name] = Settings(True)
        new.impl = HeadSettings(self, settings)

    def disable_head(self, res: Resource, head_res: Resource) -> None:
        self.heads[self._head(head_res)] = Settings(False)

    def test(self, res: Resource) -> None:
        self._finish(res, apply=False)

    def apply(self, res: Resource) -> None:
        self._finish(res, apply=True)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def _finish(self, res: Resource, apply: bool) -> None:
        if self.used:
            raise ProtocolError(ZwlrOutputConfigurationV1.error.already_used, "the configuration was used")
        self.used = True
        management = self.management
        if self.serial != management.serial:
            res.post("cancelled")
            return
        missing = [output.name for output in management.heads() if output.name not in self.heads]
        if missing:
            raise ProtocolError(ZwlrOutputConfigurationV1.error.unconfigured_head,
                                f"the configuration leaves out {', '.join(missing)}")
        if management.problem(self.heads) is not None:
            res.post("failed")
            return
        if apply:
            try:
                management.apply(self.heads)
            except ValueError:  # the backend refused a mode after all
                res.post("failed")
                return
        res.post("succeeded")


class HeadSettings:
    """One zwlr_output_configuration_head_v1: each property at most once."""

    def __init__(self, configuration: Configuration, settings: Settings) -> None:
        self.configuration = configuration
        self.settings = settings
        self.set: set[str] = set()

    def _once(self, what: str) -> None:
        if self.configuration.used:
            raise ProtocolError(ZwlrOutputConfigurationV1.error.already_used, "the configuration was used")
        if what in self.set:
            raise ProtocolError(ZwlrOutputConfigurationHeadV1.error.already_set, f"{what} was already set")
        self.set.add(what)

    def set_mode(self, res: Resource, mode_res: Resource) -> None:
        self._once("mode")
        self.settings.mode = mode_res.impl

    def set_custom_mode(self, res: Resource, width: int, height: int, refresh: int) -> None:
        self._once("mode")
        if width <= 0 or height <= 0 or refresh < 0:
            raise ProtocolError(ZwlrOutputConfigurationHeadV1.error.invalid_custom_mode,
                                f"invalid mode {width}x{height}@{refresh}")
        # Monitors are driven only in modes they offer: a custom mode is one of those (any rate when 0), else
        # the configuration fails.
        self.settings.mode = Mode(width, height, refresh)
        output = self.configuration.management.find(self._name())
        for mode in output.modes if output is not None else []:
            if (mode.width, mode.height) == (width, height) and refresh in (0, mode.refresh_mhz):
                self.settings.mode = mode
                break

    def set_position(self, res: Resource, x: int, y: int) -> None:
        self._once("position")
        self.settings.position = (x, y)

    def set_transform(self, res: Resource, transform: int) -> None:
        self._once("transform")
        if not 0 <= transform <= 7:
            raise ProtocolError(ZwlrOutputConfigurationHeadV1.error.invalid_transform,
                                f"{transform} is not a wl_output.transform")
        self.settings.transform = transform

    def set_scale(self, res: Resource, scale: float) -> None:
        self._once("scale")
        if scale <= 0:
            raise ProtocolError(ZwlrOutputConfigurationHeadV1.error.invalid_scale, f"scale {scale:g} is not positive")
        self.settings.scale = scale

    def _name(self) -> str:
        return next(name for name, settings in self.configuration.heads.items() if settings is self.settings)


def register(compositor: Compositor) -> OutputManagement:
    management = OutputManagement(compositor)
    compositor.display.add_global(ZwlrOutputManagerV1, VERSION, management.bound)
    return management
