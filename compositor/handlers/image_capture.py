"""ext_image_copy_capture_manager_v1 with its sources, ext_output_image_capture_source_manager_v1 and
ext_foreign_toplevel_image_capture_source_manager_v1 (all version 1): the capture protocol newer tools use.

A session captures one source again and again into buffers the client attaches, frame by frame; as with
``screencopy.py`` each frame is served by a frame-clock listener right after a repaint. An output is copied
from the framebuffer just composed (physical pixels); a window alone (a toplevel source) is drawn from its own
surfaces and popups, in logical pixels, where it is whatever covers it on screen, once per frame clock tick.
The first frame of a session is served at the next tick, later ones when the source changed since the
previous one (the protocol lets the compositor wait for damage).

Buffers are wl_shm: XRGB8888 for an output, ARGB8888 or XRGB8888 for a window (its transparency kept in
ARGB8888), of exactly the announced size; anything else fails the frame with ``buffer_constraints``. A
session stops when its output goes away or its window closes. Pointer cursor sessions are not offered as
such: their capture session stops at once (the ``paint_cursors`` option draws the pointer into frames).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import cairo
from pywayland.protocol.ext_image_capture_source_v1 import (
    ExtForeignToplevelImageCaptureSourceManagerV1,
    ExtOutputImageCaptureSourceManagerV1,
)
from pywayland.protocol.ext_image_copy_capture_v1 import (
    ExtImageCopyCaptureFrameV1,
    ExtImageCopyCaptureManagerV1,
    ExtImageCopyCaptureSessionV1,
)

from ..buffers import ClientShmBuffer
from ..geometry import Box
from ..render import draw_surface
from ..scene import Output, node_surfaces
from ..wl.resource import ForeignResource, ProtocolError, Resource
from .screencopy import CopyBudget, draw_pointer

if TYPE_CHECKING:
    from ..server import Compositor
    from ..wm import ManagedWindow
    from .foreign_toplevel import Handle
    from .output import OutputGlobal

log = logging.getLogger(__name__)

SHM_ARGB8888, SHM_XRGB8888 = 0, 1
FORMATS = {SHM_ARGB8888: cairo.FORMAT_ARGB32, SHM_XRGB8888: cairo.FORMAT_RGB24}
Failure = ExtImageCopyCaptureFrameV1.failure_reason


class Source:
    """What an ext_image_capture_source_v1 names: an output, a window, or nothing (it was gone already)."""

    def __init__(self, output: Output | None = None, window: ManagedWindow | None = None) -> None:
        self.output = output
        self.window = window


class Session:
    """One ext_image_copy_capture_session_v1."""

    def __init__(self, capture: ImageCapture, res: Resource, source: Source, paint_cursors: bool) -> None:
        self.capture = capture
        self.res = res
        self.source = source
        self.paint_cursors = paint_cursors
        self.frame: Frame | None = None  # the latest frame, until the client destroys it
        self.size: tuple[int, int] | None = None  # announced
        self.damage: list[Box] | None = None  # since the last frame served; None: none served yet
        self.stopped = False

    def alive_source(self) -> bool:
        compositor = self.capture.compositor
        if self.source.output is not None:
            return self.source.output in compositor.scene.outputs
        return self.source.window is not None and self.source.window in compositor.wm.windows

    def current_size(self) -> tuple[int, int]:
        output, window = self.source.output, self.source.window
        if output is not None:
            return output.mode_width, output.mode_height
        assert window is not None
        rect = window.rect()
        return max(1, rect.width), max(1, rect.height)

    def formats(self) -> tuple[int, ...]:
        return (SHM_XRGB8888,) if self.source.output is not None else (SHM_ARGB8888, SHM_XRGB8888)

    def announce(self) -> None:
        """The buffer constraints, again whenever the source's size changed."""
        if self.stopped:
            return
        if not self.alive_source():
            self.stop()
            return
        size = self.current_size()
        if size == self.size:
            return
        self.size = size
        self.res.post("buffer_size", *size)
        for shm_format in self.formats():
            self.res.post("shm_format", shm_format)
        self.res.post("done")

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.res.post("stopped")
        if self.frame is not None and self.frame.captured:
            self.frame.fail(Failure.stopped)

    # -- requests --------------------------------------------------------------------------------------
    def create_frame(self, res: Resource, new: Resource) -> None:
        if self.frame is not None:
            raise ProtocolError(ExtImageCopyCaptureSessionV1.error.duplicate_frame,
                                "the session's previous frame is not destroyed yet")
        frame = self.frame = Frame(self, new)
        new.impl = frame
        new.destroy_listeners.append(lambda _res: self.frame_destroyed(frame))

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def frame_destroyed(self, frame: Frame) -> None:
        if self.frame is frame:  # the next one may be created now
            self.frame = None


class Frame:
    """One ext_image_copy_capture_frame_v1."""

    def __init__(self, session: Session, res: Resource) -> None:
        self.session = session
        self.res = res
        self.buffer: ForeignResource | None = None
        self.client_damage: list[Box] = []
        self.captured = False
        self.answered = False

    def attach_buffer(self, res: Resource, buffer: ForeignResource) -> None:
        self._before_capture()
        self.buffer = buffer

    def damage_buffer(self, res: Resource, x: int, y: int, width: int, height: int) -> None:
        self._before_capture()
        if x < 0 or y < 0 or width <= 0 or height <= 0:
            raise ProtocolError(ExtImageCopyCaptureFrameV1.error.invalid_buffer_damage,
                                f"invalid damage {width}x{height}+{x}+{y}")
        if len(self.client_damage) < 16:
            self.client_damage.append(Box(x, y, width, height))
        else:  # any number of requests, a bounded list
            self.client_damage = [_bounds(self.client_damage + [Box(x, y, width, height)])]

    def capture(self, res: Resource) -> None:
        self._before_capture()
        if self.buffer is None:
            raise ProtocolError(ExtImageCopyCaptureFrameV1.error.no_buffer, "capture without a buffer attached")
        self.captured = True
        session = self.session
        if session.stopped:
            self.fail(Failure.stopped)
        elif not self._fits():
            self.fail(Failure.buffer_constraints)
        else:
            session.capture.wait(self)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def _before_capture(self) -> None:
        if self.captured:
            raise ProtocolError(ExtImageCopyCaptureFrameV1.error.already_captured, "the frame was already captured")

    def _fits(self) -> bool:
        """The attached buffer is an shm buffer of the announced size and one of the announced formats."""
        assert self.buffer is not None
        if not self.buffer.alive:
            return False
        try:
            content = ClientShmBuffer.of(self.buffer, self.res)
        except ProtocolError:
            return False
        formats = [FORMATS[f] for f in self.session.formats()]
        return content.format in formats and (content.width, content.height) == self.session.current_size()

    def fail(self, reason: int) -> None:
        if not self.answered:
            self.answered = True
            self.res.post("failed", reason)

    def ready(self, damage: list[Box]) -> None:
        self.answered = True
        output = self.session.source.output  # a window's picture is upright
        self.res.post("transform", output.transform if output is not None else 0)
        for rect in damage:
            self.res.post("damage", *rect)
        now = time.monotonic_ns()
        seconds = now // 1_000_000_000
        self.res.post("presentation_time", seconds >> 32, seconds & 0xFFFFFFFF, now % 1_000_000_000)
        self.res.post("ready")


class ImageCapture:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.sessions: list[Session] = []
        self.waiting: list[Frame] = []
        compositor.frames.frame_listeners.append(self.frame_drawn)
        compositor.output_listeners.append(self.sources_changed)
        compositor.window_listeners.append(self.sources_changed)

    # -- source managers -------------------------------------------------------------------------------
    def create_source(self, res: Resource, new: Resource, origin: Resource) -> None:
        if res.interface is ExtOutputImageCaptureSourceManagerV1:
            owner: OutputGlobal | None = origin.impl
            output = owner.output if owner is not None else None
            new.impl = Source(output=output if output in self.compositor.scene.outputs else None)
        else:
            handle: Handle | None = origin.impl
            new.impl = Source(window=handle.window if handle is not None else None)

    # -- the copy manager ------------------------------------------------------------------------------
    def create_session(self, res: Resource, new: Resource, source_res: Resource, options: int) -> None:
        if options & ~int(ExtImageCopyCaptureManagerV1.options.paint_cursors):
            raise ProtocolError(ExtImageCopyCaptureManagerV1.error.invalid_option, f"unknown options {options:#x}")
        source: Source = source_res.impl
        session = Session(self, new, source, bool(options))
        new.impl = session
        new.destroy_listeners.append(lambda _res: self._forget(session))
        self.sessions.append(session)
        session.announce()

    def create_pointer_cursor_session(self, res: Resource, new: Resource, source_res: Resource,
                                      pointer: Resource) -> None:
        new.impl = CursorSession(self)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    # -- serving frames --------------------------------------------------------------------------------
    def wait(self, frame: Frame) -> None:
        self.waiting.append(frame)
        output = frame.session.source.output
        scene = self.compositor.scene
        if frame.session.damage is None and scene.outputs:  # a session's first frame: at the next tick
            self.compositor.frames.schedule(output if output is not None else scene.outputs[0])

    def frame_drawn(self, output: Output, changed: list[Box]) -> None:
        if changed:
            for session in self.sessions:
                if session.damage is not None:
                    session.damage.extend(_session_damage(session, output, changed))
                    if len(session.damage) > 16:
                        session.damage[:] = [_bounds(session.damage)]
        budget = CopyBudget()
        for frame in list(self.waiting):
            source = frame.session.source
            if source.output is not None and source.output is not output:
                continue
            client = frame.res.client.id
            if not budget.allows(client):
                self.compositor.frames.schedule(output)  # the rest at the next frame
                continue
            try:
                if self._serve(frame, output):
                    budget.spend(client)
            except Exception:  # one client's capture never stops the frame or the others'
                log.exception("image capture for client %s failed", frame.res.client.pid)
                self._drop(frame)
                frame.fail(Failure.unknown)

    def _serve(self, frame: Frame, output: Output) -> bool:
        """Answer the frame if it can be now; True when a copy was made."""
        session = frame.session
        if not frame.res.alive or frame.answered:
            self._drop(frame)
            return False
        if session.stopped or not session.alive_source():
            self._drop(frame)
            frame.fail(Failure.stopped)
            return False
        if not frame._fits():
            self._drop(frame)
            frame.fail(Failure.buffer_constraints)
            return False
        size = session.current_size()
        if session.damage is None:
            damage = [Box(0, 0, *size)]
        else:
            damage = [rect.intersect(Box(0, 0, *size)) for rect in session.damage]
            damage = [rect for rect in damage if not rect.empty]
            if not damage:
                return False  # unchanged since the previous frame: wait for a change
        session.damage = []
        self._drop(frame)
        assert frame.buffer is not None
        content: ClientShmBuffer = frame.buffer.user_data
        # Everything read from other clients' pools is read before the buffer is opened: libwayland guards one
        # client pool at a time.
        pointer = None
        if session.source.output is not None:
            picture = output.ensure_framebuffer()
            if session.paint_cursors:
                pointer = self.compositor.screencopy.pointer_on(output)
        else:
            assert session.source.window is not None
            picture = self._draw_window(session.source.window, size)
        with content as image:
            ctx = cairo.Context(image)
            ctx.set_operator(cairo.OPERATOR_SOURCE)
            ctx.set_source_surface(picture, 0, 0)
            ctx.paint()
            if pointer is not None:
                ctx.set_operator(cairo.OPERATOR_OVER)
                draw_pointer(ctx, pointer, output, Box(0, 0, *size))
            image.flush()
        frame.ready(_merged(damage + frame.client_damage, size))
        return True

    def _draw_window(self, window: ManagedWindow, size: tuple[int, int]) -> cairo.ImageSurface:
        """The window's surfaces, subsurfaces and popups alone, its geometry's corner at (0, 0)."""
        picture = cairo.ImageSurface(cairo.FORMAT_ARGB32, *size)
        ctx = cairo.Context(picture)
        rect = window.rect()
        for surface, x, y in node_surfaces(window):
            draw_surface(ctx, surface, x - rect.x, y - rect.y)
        picture.flush()
        return picture

    def sources_changed(self) -> None:
        """Outputs or windows changed: sessions whose source went away stop, resized ones say their new size."""
        for session in list(self.sessions):
            session.announce()
        for frame in list(self.waiting):
            if frame.session.stopped:
                self._drop(frame)
                frame.fail(Failure.stopped)

    def _drop(self, frame: Frame) -> None:
        if frame in self.waiting:
            self.waiting.remove(frame)

    def _forget(self, session: Session) -> None:
        if session in self.sessions:
            self.sessions.remove(session)
        for frame in [f for f in self.waiting if f.session is session]:
            self._drop(frame)


class CursorSession:
    """A pointer cursor session: its capture session is stopped from the start (not offered)."""

    def __init__(self, capture: ImageCapture) -> None:
        self.capture = capture

    def get_capture_session(self, res: Resource, new: Resource) -> None:
        session = Session(self.capture, new, Source(), False)
        new.impl = session
        session.stop()

    def destroy(self, res: Resource) -> None:
        res.destroy()


def _session_damage(session: Session, output: Output, changed: list[Box]) -> list[Box]:
    """What an output's repaint changed, in the session's buffer coordinates."""
    source = session.source
    if source.output is not None:
        return changed if source.output is output else []
    if source.window is None:
        return []
    rect = source.window.rect()
    found = []
    for box in changed:
        part = output.logical_box(box).intersect(rect)
        if not part.empty:
            found.append(part.translate(-rect.x, -rect.y))
    return found


def _bounds(rects: list[Box]) -> Box:
    box = rects[0]
    for rect in rects[1:]:
        box = box.union(rect)
    return box


def _merged(rects: list[Box], size: tuple[int, int]) -> list[Box]:
    clipped = [rect.intersect(Box(0, 0, *size)) for rect in rects]
    clipped = [rect for rect in clipped if not rect.empty]
    return clipped if len(clipped) <= 16 else [_bounds(clipped)]


def register(compositor: Compositor) -> ImageCapture:
    capture = ImageCapture(compositor)

    def bind(res: Resource) -> None:
        res.impl = capture

    compositor.display.add_global(ExtImageCopyCaptureManagerV1, 1, bind)
    compositor.display.add_global(ExtOutputImageCaptureSourceManagerV1, 1, bind)
    compositor.display.add_global(ExtForeignToplevelImageCaptureSourceManagerV1, 1, bind)
    return capture
