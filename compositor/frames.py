"""The frame clock: repaint, present, then release replaced buffers and answer frame callbacks and
presentation feedback.

Each output ticks while it has work (damage, callbacks or feedback waiting) and sleeps otherwise. Ticks are
aligned to the output's vblanks, so a client committing in a loop gets one frame callback per refresh, never
one per commit. Where the vblanks come from depends on the backend:

- a backend whose ``present`` shows the frame at once (headless, nested in X11) ticks on a grid of the
  output's refresh period, and the answers carry the tick's time;
- a backend whose ``present`` queues a page flip (DRM) is paced by the display itself: nothing more is drawn
  on that output until the flip completes (``presented``), the answers wait for it and carry the flip's
  hardware timestamp and sequence, and the next repaint starts just early enough before the next vblank
  (the repaint lead, learnt from how long repaints take) for clients that drew in between to make it. Nested in
  another Wayland compositor, the parent's frame callback plays the flip, and the frame must reach the parent
  some time before its vblank (the backend's submit lead) for the parent to composite it.

The callbacks, feedback and releases a repaint answers are those queued before it started: what a client
commits while a flip is in flight waits for the frame that shows it.

A surface nothing of which shows (covered by opaque surfaces, or off every output: ``occlusion.py``; or
whose window is minimized or on a workspace not shown) gets no frame callbacks, as ``wl_surface.frame`` asks
and wlroots' scene graph does: a client drawing on frame callbacks stops while nobody can see it. Its
callbacks are held, per surface, and answered by the first frame after it shows again, is unmapped or is
destroyed; its presentation feedback is ``discarded`` (that content was not shown). Only its own callbacks
wait: every other surface's are answered as usual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .geometry import Box
from .occlusion import hidden_surfaces, screen_of
from .render import repaint
from .scene import Output, Scene

if TYPE_CHECKING:
    from .backends.base import Backend
    from .buffers import ClientShmBuffer
    from .surface import Surface
    from .wl.resource import Callback, Resource

# wp_presentation.kind
PRESENTED_VSYNC, PRESENTED_HW_CLOCK, PRESENTED_HW_COMPLETION = 0x1, 0x2, 0x4
FLIP_FLAGS = PRESENTED_VSYNC | PRESENTED_HW_CLOCK | PRESENTED_HW_COMPLETION
MIN_LEAD_NS, LEAD_MARGIN_NS = 3_000_000, 2_000_000

FeedbackSender = Callable[["Resource", "Surface", Output | None, int, int, int], None]


@dataclass
class Answers:
    """What one frame answers once it is on screen."""

    callbacks: list[tuple[Surface, Callback]] = field(default_factory=list)
    feedbacks: list[tuple[Surface, Resource]] = field(default_factory=list)
    releases: list[ClientShmBuffer] = field(default_factory=list)
    unseen: list[tuple[Surface, Resource]] = field(default_factory=list)  # feedback of hidden content: discarded


def withhold(answers: Answers, held: dict[Surface, list[Callback]], hidden: set[Surface]) -> Answers:
    """A frame's answers without those of ``hidden`` surfaces: their callbacks are added to ``held`` (in
    place: a client may commit many times while hidden, and only the surfaces are looked at each frame),
    their feedback becomes unseen; the held callbacks of surfaces no longer hidden come back, first (they
    are the oldest)."""
    callbacks = [(surface, callback) for surface in [s for s in held if s not in hidden]
                 for callback in held.pop(surface)]
    for surface, callback in answers.callbacks:
        if surface in hidden:
            held.setdefault(surface, []).append(callback)
        else:
            callbacks.append((surface, callback))
    feedbacks = [entry for entry in answers.feedbacks if entry[0] not in hidden]
    unseen = answers.unseen + [entry for entry in answers.feedbacks if entry[0] in hidden]
    return Answers(callbacks, feedbacks, answers.releases, unseen)


class FrameClock:
    def __init__(self, scene: Scene, loop: asyncio.AbstractEventLoop, backend: Backend,
                 send_feedback: FeedbackSender, batch: Callable[[], AbstractContextManager[None]]) -> None:
        self.scene = scene
        self.loop = loop
        self.batch = batch  # the display's: what a tick sends goes out in one flush
        self.backend = backend
        self.send_feedback = send_feedback
        self.waiting = Answers()  # queued by commits, answered by the primary output's next frame
        self.held: dict[Surface, list[Callback]] = {}  # callbacks of surfaces nothing of which shows
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._in_flight: dict[str, Answers] = {}  # outputs with a page flip queued
        self._wanted: set[str] = set()  # work arrived while a flip was in flight or the output was paused
        self._paused: set[str] = set()
        self._last_vblank_ns: dict[str, int] = {}  # the last flip's hardware timestamp
        self._lead_ns: dict[str, int] = {}  # how long before a vblank a repaint starts
        self._submit_lead_ns: dict[str, int] = {}  # how long before a vblank the display wants the frame
        self._epoch = time.monotonic()
        self.presented_listeners: list[Callable[[Output], None]] = []  # a frame of the output is on screen
        # told of every repaint, with what changed (output-local physical pixels), while the framebuffer holds
        # that frame: screen capture copies from it, so a capture never costs a repaint of its own
        self.frame_listeners: list[Callable[[Output, list[Box]], None]] = []
        scene.clock = self  # damage schedules a frame
        scene.layout_listeners.append(self._layout_changed)

    def queue(self, surface: Surface, callbacks: list[Callback], feedbacks: list[Resource],
              released: ClientShmBuffer | None = None) -> None:
        """A commit's frame callbacks, presentation feedback and the buffer it replaced: answered after
        the next frame. The release travels with the frame callbacks: one message to the client, not
        two. (With no output there is no next frame: the buffer is released at once.)"""
        self.waiting.callbacks.extend((surface, callback) for callback in callbacks)
        self.waiting.feedbacks.extend((surface, feedback) for feedback in feedbacks)
        if released is not None:
            if not self.scene.outputs:
                released.release_if_unused()
            else:
                self.waiting.releases.append(released)
        if self.scene.outputs:
            self.schedule(self.scene.outputs[0])

    # -- scheduling -------------------------------------------------------------------------------------------
    def schedule(self, output: Output) -> None:
        name = output.name
        if name in self._paused or name in self._in_flight:
            self._wanted.add(name)
            return
        if name in self._timers:
            return
        period_ns = 1_000_000_000_000 // max(1, output.refresh_mhz)
        now_ns = time.monotonic_ns()
        last = self._last_vblank_ns.get(name)
        if last is not None:  # paced by the display: start the lead time before a vblank still ahead
            lead = self._lead_ns.get(name, MIN_LEAD_NS) + self._submit_lead_ns.get(name, 0)
            ahead = max(0, (now_ns + lead - last + period_ns - 1) // period_ns)
            start_ns = last + ahead * period_ns - lead
        else:  # a grid of the refresh period
            epoch_ns = int(self._epoch * 1e9)
            start_ns = epoch_ns + ((now_ns - epoch_ns) // period_ns + 1) * period_ns
        delay = max(0.0, (start_ns - now_ns) / 1e9)
        self._timers[name] = self.loop.call_at(self.loop.time() + delay, self.tick, output)

    def _layout_changed(self) -> None:
        """A held surface may show again, or be gone, without damage on any output (it was off every
        output): a frame looks again."""
        if self.held and self.scene.outputs:
            self.schedule(self.scene.outputs[0])

    def cancel(self, output: Output) -> None:
        """The output went away: nothing more is drawn on it, and what its frame in flight held is answered."""
        timer = self._timers.pop(output.name, None)
        if timer is not None:
            timer.cancel()
        for state in (self._wanted, self._paused):
            state.discard(output.name)
        self._last_vblank_ns.pop(output.name, None)
        self._submit_lead_ns.pop(output.name, None)
        answers = self._in_flight.pop(output.name, None)
        if answers is not None:
            with self.batch():
                self._answer(answers, None, time.monotonic_ns(), output.presented_frames, 0)

    def pause(self, output: Output) -> None:
        """Stop drawing on ``output`` (its display is not ours now, e.g. another VT is shown)."""
        self._paused.add(output.name)
        timer = self._timers.pop(output.name, None)
        if timer is not None:
            timer.cancel()

    def resume(self, output: Output) -> None:
        """Draw again; a flip that was in flight when the output was paused will not complete."""
        self._paused.discard(output.name)
        self._last_vblank_ns.pop(output.name, None)
        answers = self._in_flight.pop(output.name, None)
        if answers is not None:
            with self.batch():
                self._answer(answers, output, time.monotonic_ns(), output.presented_frames, 0)
        self._wanted.discard(output.name)
        self.scene.damage(output.rect)  # schedules a frame

    def release_waiting(self) -> None:
        """Release the buffers waiting for a frame now (the last output went away: no frame will come)."""
        releases, self.waiting.releases = self.waiting.releases, []
        for buffer in releases:
            buffer.release_if_unused()

    # -- frames ------------------------------------------------------------------------------------------------
    def tick(self, output: Output) -> None:
        with self.batch():
            self._tick(output)

    def _tick(self, output: Output) -> None:
        self._timers.pop(output.name, None)
        if output not in self.scene.outputs or output.name in self._paused:
            return
        answers = Answers()
        if output is self.scene.outputs[0]:
            answers, self.waiting = self.waiting, answers
        if answers.callbacks or answers.feedbacks or self.held:  # what this frame shows decides
            # Surfaces only: window frames (outside the windows' geometry) would seldom hide a whole surface,
            # and looking at them costs every frame; a surface hidden by them still gets its callbacks.
            hidden = (hidden_surfaces(self.scene.drawn_surfaces(), screen_of(self.scene.outputs))
                      | self.scene.undrawn_surfaces())
            answers = withhold(answers, self.held, hidden)
        started = time.monotonic_ns()
        if output.damage:
            self.backend.prepare(output)
        changed = repaint(self.scene, output)
        for listener in list(self.frame_listeners):
            listener(output, changed)
        if changed and self.backend.present(output, changed):
            self._in_flight[output.name] = answers
            spent = time.monotonic_ns() - started  # repaint and submit: the next repaint starts this early
            previous = self._lead_ns.get(output.name, MIN_LEAD_NS)
            self._lead_ns[output.name] = max(MIN_LEAD_NS, (previous + spent * 3 // 2 + LEAD_MARGIN_NS) // 2)
            return
        output.presented_frames += 1
        self._answer(answers, output, time.monotonic_ns(), output.presented_frames, PRESENTED_VSYNC)

    def presented(self, output: Output, timestamp_ns: int, sequence: int, submit_lead_ns: int = 0) -> None:
        """The backend's page flip for ``output`` completed at ``timestamp_ns`` (CLOCK_MONOTONIC); the next frame
        must be submitted ``submit_lead_ns`` before the next vblank (a parent compositor composites ours into
        its own frame before its vblank)."""
        if output.name not in self._in_flight:
            return
        answers = self._in_flight.pop(output.name)
        self._last_vblank_ns[output.name] = timestamp_ns
        self._submit_lead_ns[output.name] = submit_lead_ns
        output.presented_frames += 1
        with self.batch():
            self._answer(answers, output, timestamp_ns, sequence, FLIP_FLAGS)
            primary = self.scene.outputs and output is self.scene.outputs[0]
            waiting = self.waiting
            if output.name in self._wanted or (primary and (waiting.callbacks or waiting.feedbacks)):
                self._wanted.discard(output.name)
                self.schedule(output)

    def _answer(self, answers: Answers, output: Output | None, timestamp_ns: int, sequence: int, flags: int) -> None:
        for buffer in answers.releases:  # first: a client redrawing on "done" wants its free buffer by then
            buffer.release_if_unused()
        for surface, feedback in answers.feedbacks:
            shown_on = self._output_showing(surface) if output is not None else None
            self.send_feedback(feedback, surface, shown_on, timestamp_ns, sequence, flags)
        for surface, feedback in answers.unseen:
            self.send_feedback(feedback, surface, None, timestamp_ns, sequence, flags)
        millis = timestamp_ns // 1_000_000
        for _surface, callback in answers.callbacks:
            callback.done(millis)
        if output is not None:
            for listener in list(self.presented_listeners):
                listener(output)

    def _output_showing(self, surface: Surface) -> Output | None:
        bounds = surface.bounds()
        if bounds is None or not surface.alive:
            return None
        for output in self.scene.outputs:
            if output.rect.intersects(bounds):
                return output
        return None
