"""The frame clock: repaint, present, then release replaced buffers and answer frame callbacks and
presentation feedback.

Each output ticks at its refresh rate while it has work (damage, callbacks or feedback waiting) and
sleeps otherwise. Ticks are aligned to the output's vblank grid, so a client committing in a loop gets
one frame callback per refresh, never one per commit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from .render import repaint
from .scene import Output, Scene

if TYPE_CHECKING:
    from .buffers import ShmBuffer
    from .geometry import Rect
    from .surface import Surface
    from .wl.resource import Callback, Resource

Present = Callable[[Output, "list[Rect]"], None]
FeedbackSender = Callable[["Resource", "Surface", Output | None, int, int], None]


class FrameClock:
    def __init__(self, scene: Scene, loop: asyncio.AbstractEventLoop, present: Present,
                 send_feedback: FeedbackSender, batch: Callable[[], AbstractContextManager[None]]) -> None:
        self.scene = scene
        self.loop = loop
        self.batch = batch  # the display's: what a tick sends goes out in one flush
        self.present = present
        self.send_feedback = send_feedback
        self.callbacks: list[tuple[Surface, Callback]] = []
        self.feedbacks: list[tuple[Surface, Resource]] = []
        self.releases: list[ShmBuffer] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._epoch = time.monotonic()
        self.frame_listeners: list[Callable[[Output], None]] = []
        scene.damage_listeners.append(self.schedule)

    def queue(self, surface: Surface, callbacks: list[Callback], feedbacks: list[Resource],
              released: ShmBuffer | None = None) -> None:
        """A commit's frame callbacks, presentation feedback and the buffer it replaced: answered after
        the next frame. The release travels with the frame callbacks: one message to the client, not
        two. (With no output there is no next frame: the buffer is released at once.)"""
        self.callbacks.extend((surface, callback) for callback in callbacks)
        self.feedbacks.extend((surface, feedback) for feedback in feedbacks)
        if released is not None:
            if not self.scene.outputs:
                released.release_if_unused()
            else:
                self.releases.append(released)
        self._schedule_primary()

    def _schedule_primary(self) -> None:
        if self.scene.outputs:
            self.schedule(self.scene.outputs[0])

    def schedule(self, output: Output) -> None:
        if output.name in self._timers:
            return
        period = 1.0 / (output.refresh_mhz / 1000.0)
        now = time.monotonic()
        next_vblank = self._epoch + (int((now - self._epoch) / period) + 1) * period
        self._timers[output.name] = self.loop.call_at(
            self.loop.time() + (next_vblank - now), self.tick, output)

    def cancel(self, output: Output) -> None:
        timer = self._timers.pop(output.name, None)
        if timer is not None:
            timer.cancel()

    def release_waiting(self) -> None:
        """Release the buffers waiting for a frame now (the last output went away: no frame will come)."""
        releases, self.releases = self.releases, []
        for buffer in releases:
            buffer.release_if_unused()

    def tick(self, output: Output) -> None:
        with self.batch():
            self._tick(output)

    def _tick(self, output: Output) -> None:
        self._timers.pop(output.name, None)
        if output not in self.scene.outputs:
            return
        changed = repaint(self.scene, output)
        if changed:
            self.present(output, changed)
        output.presented_frames += 1
        now_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        if output is self.scene.outputs[0]:
            callbacks, self.callbacks = self.callbacks, []
            feedbacks, self.feedbacks = self.feedbacks, []
            releases, self.releases = self.releases, []
            for buffer in releases:  # first: a client redrawing on "done" wants its free buffer by then
                buffer.release_if_unused()
            for surface, feedback in feedbacks:
                shown_on = self._output_showing(surface)
                self.send_feedback(feedback, surface, shown_on, now_ns, output.presented_frames)
            millis = now_ns // 1_000_000
            for _surface, callback in callbacks:
                callback.done(millis)
        for listener in self.frame_listeners:
            listener(output)

    def _output_showing(self, surface: Surface) -> Output | None:
        bounds = surface.bounds()
        if bounds is None or not surface.alive:
            return None
        for output in self.scene.outputs:
            if output.rect.intersects(bounds):
                return output
        return None
