"""ext_idle_notifier_v1 (version 2) and zwp_idle_inhibit_manager_v1 (version 1): telling idle managers such as
swayidle when the user stopped using the seat, unless something the user watches holds that off.

A notification is ``idled`` once no input came for its timeout, and ``resumed`` by the next input. Idleness is
held off while an inhibitor's surface shows (part of it visible on an output: a video player) or a fullscreen
window shows; it then counts from the last moment one did (looked at again at least every second), as if that
were input. ``get_input_idle_notification`` (version 2) looks at input alone.

Timers are not reset per input event: the seat only records the time of the last one, and a timer that fires
too early sleeps for what is left.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
from pywayland.protocol.idle_inhibit_unstable_v1 import ZwpIdleInhibitManagerV1

from ..occlusion import hidden_surfaces, screen_of
from ..surface import Surface
from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

NOTIFIER_VERSION = 2
INHIBIT_VERSION = 1
RECHECK_S = 1.0  # how often a held-off notification looks whether anything still holds it off
INHIBITED_FOR_S = 0.1  # one answer of `inhibited` serves every notification checking within this time


class Notification:
    """One ext_idle_notification_v1."""

    def __init__(self, idle: Idle, resource: Resource, timeout_ms: int, obeys_inhibitors: bool) -> None:
        self.idle = idle
        self.resource = resource
        self.timeout = timeout_ms / 1000
        self.obeys_inhibitors = obeys_inhibitors
        self.idled = False
        self.timer: asyncio.TimerHandle | None = None
        self._schedule(self.timeout)

    def _schedule(self, delay: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.idle.loop.call_later(max(0.0, delay), self._check)

    def _check(self) -> None:
        self.timer = None
        idle = self.idle
        now = idle.loop.time()
        since = idle.last_activity
        if self.obeys_inhibitors:
            if idle.inhibited():
                idle.last_inhibited = now
                self._schedule(max(0.1, min(self.timeout, RECHECK_S)))
                return
            since = max(since, idle.last_inhibited)
        if now - since < self.timeout:
            self._schedule(self.timeout - (now - since))
            return
        self.idled = True
        idle.idled.add(self)
        self.resource.post("idled")

    def resume(self) -> None:
        """Input came while idle."""
        self.idled = False
        self.idle.idled.discard(self)
        self.resource.post("resumed")
        self._schedule(self.timeout)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def destroyed(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.idle.idled.discard(self)


class Inhibitor:
    """One zwp_idle_inhibitor_v1: holds idleness off while its surface shows."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface

    def destroy(self, res: Resource) -> None:
        res.destroy()


class Idle:
    """The idle part of the compositor state: the time of the last input, notifications, inhibitors."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.loop = compositor.loop
        self.last_activity = self.loop.time()
        self.last_inhibited = float("-inf")
        self.idled: set[Notification] = set()
        self.inhibitors: list[Inhibitor] = []
        self._inhibited: tuple[float, bool] = (float("-inf"), False)  # when last looked at, and the answer
        compositor.seat.activity_listeners.append(self.activity)

    def activity(self) -> None:
        self.last_activity = self.loop.time()
        for notification in list(self.idled):
            notification.resume()

    def inhibited(self) -> bool:
        """Whether something the user is watching holds idleness off: an inhibitor's surface or a fullscreen
        window, nothing of which is hidden. (Many notifications may ask at once: asked again within
        INHIBITED_FOR_S, the last answer stands.)"""
        now = self.loop.time()
        if now - self._inhibited[0] >= INHIBITED_FOR_S:
            self._inhibited = (now, self._look_for_inhibitors())
        return self._inhibited[1]

    def _look_for_inhibitors(self) -> bool:
        scene = self.compositor.scene
        holders = {inhibitor.surface for inhibitor in self.inhibitors if inhibitor.surface.alive}
        holders.update(window.surface for window in self.compositor.wm.windows if window.fullscreen)
        if not holders:
            return False
        drawn = scene.drawn_surfaces()
        hidden = hidden_surfaces(drawn, screen_of(scene.outputs))
        return any(surface in holders and surface not in hidden for surface, _x, _y in drawn)

    # -- ext_idle_notifier_v1 ----------------------------------------------------------------------------
    def get_idle_notification(self, res: Resource, new: Resource, timeout: int, seat: Resource) -> None:
        self._notify(new, timeout, obeys_inhibitors=True)

    def get_input_idle_notification(self, res: Resource, new: Resource, timeout: int, seat: Resource) -> None:
        self._notify(new, timeout, obeys_inhibitors=False)

    def _notify(self, new: Resource, timeout_ms: int, obeys_inhibitors: bool) -> None:
        notification = Notification(self, new, timeout_ms, obeys_inhibitors)
        new.impl = notification
        new.destroy_listeners.append(lambda _res: notification.destroyed())

    # -- zwp_idle_inhibit_manager_v1 -----------------------------------------------------------------------
    def create_inhibitor(self, res: Resource, new: Resource, surface_res: Resource) -> None:
        inhibitor = Inhibitor(surface_res.impl.surface)
        new.impl = inhibitor
        self.inhibitors.append(inhibitor)
        new.destroy_listeners.append(lambda _res: self.inhibitors.remove(inhibitor))

    def destroy(self, res: Resource) -> None:
        res.destroy()


def register(compositor: Compositor) -> Idle:
    idle = Idle(compositor)

    def bind(res: Resource) -> None:
        res.impl = idle

    compositor.display.add_global(ExtIdleNotifierV1, NOTIFIER_VERSION, bind)
    compositor.display.add_global(ZwpIdleInhibitManagerV1, INHIBIT_VERSION, bind)
    return idle
