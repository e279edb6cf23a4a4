"""zwlr_screencopy_manager_v1 (version 3): grim and screen recorders copy what an output shows.

A copy is taken from the output's framebuffer right after the frame clock repainted it: the frame Orrery
composed anyway, never a repaint of its own. ``copy`` waits for the output's next tick (it schedules one, which
repaints nothing when nothing changed); ``copy_with_damage`` waits for the first tick that changed part of the
captured rectangle since the same client's previous such copy of that output, and reports those rectangles.

Only wl_shm buffers in XRGB8888 (the framebuffer's own layout) of exactly the announced size and stride are
filled. A frame fails (the protocol's ``failed`` event) when its rectangle misses the output, when the output
went away or changed size before the copy, or when the client destroyed the buffer meanwhile. The pointer is
drawn into the copy only when asked (``overlay_cursor``): backends show it apart from the framebuffer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cairo

from protocols.wlr_screencopy_unstable_v1 import ZwlrScreencopyFrameV1, ZwlrScreencopyManagerV1
from themes.xcursor import ShapeCursors

from ..buffers import ClientShmBuffer
from ..cursor import PointerImage, pointer_image
from ..geometry import Box
from ..scene import Output
from ..wl.resource import ForeignResource, ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor
    from ..wl.display import Client
    from .output import OutputGlobal

log = logging.getLogger(__name__)

VERSION = 3
SHM_XRGB8888 = 1
MAX_DAMAGE_RECTS = 16  # more changed rectangles than this are reported as their bounding box
# Copies made for one client per frame: a client queueing thousands of copies gets them over many frames, while
# the frame clock and other clients' copies go on.
COPIES_PER_FRAME = 4


class CopyBudget:
    """What one repaint still copies per client: :data:`COPIES_PER_FRAME`; the frames over it wait for the next
    repaint (the caller schedules one). Shared by every capture protocol."""

    def __init__(self) -> None:
        self._made: dict[int, int] = {}  # copies per client id

    def allows(self, client_id: int) -> bool:
        return self._made.get(client_id, 0) < COPIES_PER_FRAME

    def spend(self, client_id: int) -> None:
        self._made[client_id] = self._made.get(client_id, 0) + 1


class Frame:
    """One zwlr_screencopy_frame_v1: a rectangle of one output (physical pixels, output-local) to copy once."""

    def __init__(self, manager: ScreencopyManager, res: Resource, output: Output, area: Box,
                 overlay_cursor: bool) -> None:
        self.manager = manager
        self.res = res
        self.output = output
        self.area = area
        self.geometry = output_geometry(output)  # the area means something only while the output stays so
        self.overlay_cursor = overlay_cursor
        self.buffer: ForeignResource | None = None
        self.with_damage = False
        self.used = False

    def copy(self, res: Resource, buffer: ForeignResource) -> None:
        self._request(buffer, with_damage=False)

    def copy_with_damage(self, res: Resource, buffer: ForeignResource) -> None:
        self._request(buffer, with_damage=True)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def _request(self, buffer: ForeignResource, with_damage: bool) -> None:
        if self.used:
            raise ProtocolError(ZwlrScreencopyFrameV1.error.already_used, "this frame was already copied")
        self.used = True
        self.buffer = self._checked(buffer)
        self.with_damage = with_damage
        self.manager.wait(self)

    def _checked(self, buffer: ForeignResource) -> ForeignResource:
        """The buffer if it is an shm buffer of the announced layout, else the protocol's invalid_buffer."""
        try:
            content = ClientShmBuffer.of(buffer, self.res)
        except ProtocolError as error:
            raise ProtocolError(ZwlrScreencopyFrameV1.error.invalid_buffer, error.message) from None
        wanted = (cairo.FORMAT_RGB24, self.area.width, self.area.height, self.area.width * 4)
        if (content.format, content.width, content.height, content.stride) != wanted:
            raise ProtocolError(ZwlrScreencopyFrameV1.error.invalid_buffer,
                                f"the buffer must be XRGB8888 {self.area.width}x{self.area.height} with stride "
                                f"{self.area.width * 4}, as announced")
        return buffer

    def fail(self) -> None:
        self.res.post("failed")

    def fill(self, framebuffer: cairo.ImageSurface, damage: list[Box] | None) -> None:
        """Copy the area from the framebuffer into the client's buffer and say it is ready (with the damage,
        in buffer coordinates, for copy_with_damage)."""
        assert self.buffer is not None
        content: ClientShmBuffer = self.buffer.user_data
        # taken before the buffer is opened: libwayland guards one client pool at a time, and a client's
        # cursor surface is in a pool of its own
        pointer = self.manager.pointer_on(self.output) if self.overlay_cursor else None
        with content as image:
            ctx = cairo.Context(image)
            ctx.set_operator(cairo.OPERATOR_SOURCE)
            ctx.set_source_surface(framebuffer, -self.area.x, -self.area.y)
            ctx.paint()
            if pointer is not None:
                ctx.set_operator(cairo.OPERATOR_OVER)
                draw_pointer(ctx, pointer, self.output, self.area)
            image.flush()
        self.res.post("flags", 0)
        for rect in damage or ():
            self.res.post("damage", rect.x, rect.y, rect.width, rect.height)
        now = time.monotonic_ns()
        seconds = now // 1_000_000_000
        self.res.post("ready", seconds >> 32, seconds & 0xFFFFFFFF, now % 1_000_000_000)


class ScreencopyManager:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.waiting: list[Frame] = []  # frames with a buffer, in request order
        # per client id and output name: what changed since the client's last copy_with_damage of that output
        # (output-local physical pixels); absent until its first, which gets the whole output
        self.damage: dict[tuple[int, str], list[Box]] = {}
        self._shapes: ShapeCursors | None = None  # the theme's pointer shapes, loaded on the first use
        compositor.frames.frame_listeners.append(self.frame_drawn)
        compositor.output_listeners.append(self.outputs_changed)

    # -- requests ------------------------------------------------------------------------------------------
    def capture_output(self, res: Resource, frame: Resource, overlay_cursor: int, output_res: Resource) -> None:
        self._capture(frame, overlay_cursor, output_res, None)

    def capture_output_region(self, res: Resource, frame: Resource, overlay_cursor: int, output_res: Resource,
                              x: int, y: int, width: int, height: int) -> None:
        self._capture(frame, overlay_cursor, output_res, Box(x, y, width, height))

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def _capture(self, frame_res: Resource, overlay_cursor: int, output_res: Resource, region: Box | None) -> None:
        owner: OutputGlobal | None = output_res.impl
        output = owner.output if owner is not None else None
        area = Box(0, 0, 0, 0)
        if output is not None and output in self.compositor.scene.outputs:
            area = physical_area(output, region)
        frame = Frame(self, frame_res, output or Output("gone", 0, 0, 1, 1), area, bool(overlay_cursor))
        frame_res.impl = frame
        frame_res.destroy_listeners.append(lambda _res: self._forget(frame))
        if area.empty:  # a rectangle outside the output, or an output that is gone: nothing to copy
            frame.fail()
            frame.used = True  # a copy request now would only fail again
            return
        frame_res.post("buffer", SHM_XRGB8888, area.width, area.height, area.width * 4)
        frame_res.post("buffer_done")

    # -- copying -------------------------------------------------------------------------------------------
    def wait(self, frame: Frame) -> None:
        if frame.output not in self.compositor.scene.outputs:
            frame.fail()
            return
        if frame.with_damage:
            key = (frame.res.client.id, frame.output.name)
            if key not in self.damage:
                if not any(known[0] == key[0] for known in self.damage):
                    frame.res.client.destroy_listeners.append(self._client_gone)
                self.damage[key] = [Box(0, 0, frame.output.mode_width, frame.output.mode_height)]
        self.waiting.append(frame)
        self.compositor.frames.schedule(frame.output)

    def frame_drawn(self, output: Output, changed: list[Box]) -> None:
        """The frame clock repainted ``output``: serve the frames waiting for it."""
        if changed:
            for key, rects in self.damage.items():
                if key[1] == output.name:
                    rects.extend(changed)
                    if len(rects) > MAX_DAMAGE_RECTS:
                        rects[:] = [_bounds(rects)]
        framebuffer = output.framebuffer
        budget = CopyBudget()
        for frame in [f for f in self.waiting if f.output is output]:
            client = frame.res.client.id
            if not budget.allows(client):
                self.compositor.frames.schedule(output)  # the rest at the next frame
                continue
            try:
                if self._serve(frame, framebuffer):
                    budget.spend(client)
            except Exception:  # one client's copy never stops the frame or the others' copies
                log.exception("screen copy for client %s failed", frame.res.client.pid)
                self._forget(frame)
                frame.fail()

    def _serve(self, frame: Frame, framebuffer: cairo.ImageSurface | None) -> bool:
        """Answer the frame if it can be now; True when a copy was made."""
        output = frame.output
        buffer = frame.buffer
        if (buffer is None or not buffer.alive or framebuffer is None
                or output_geometry(output) != frame.geometry):
            self._forget(frame)
            frame.fail()
            return False
        damage = None
        if frame.with_damage:
            key = (frame.res.client.id, output.name)
            damage = [rect.intersect(frame.area).translate(-frame.area.x, -frame.area.y)
                      for rect in self.damage.get(key, [])]
            damage = [rect for rect in damage if not rect.empty]
            if not damage:
                return False  # nothing of it changed yet: wait for a frame that changes it
            self.damage[key] = []
        self._forget(frame)
        frame.fill(framebuffer, damage)
        return True

    def pointer_on(self, output: Output) -> Pointer | None:
        """The pointer as it looks now (a copy of a client's cursor), if it is on ``output``."""
        seat = self.compositor.seat
        if not output.rect.contains(seat.x, seat.y):
            return None
        if self._shapes is None:
            self._shapes = ShapeCursors()
        shape = pointer_image(seat, self._shapes)
        return None if shape is None else Pointer(shape, seat.x, seat.y)

    def outputs_changed(self) -> None:
        """An output went away, or changed mode, scale or transform: its waiting frames cannot be served."""
        for frame in list(self.waiting):
            output = frame.output
            if output not in self.compositor.scene.outputs or output_geometry(output) != frame.geometry:
                self._forget(frame)
                frame.fail()
        names = {output.name for output in self.compositor.scene.outputs}
        for key in [key for key in self.damage if key[1] not in names]:
            del self.damage[key]

    def _forget(self, frame: Frame) -> None:
        if frame in self.waiting:
            self.waiting.remove(frame)

    def _client_gone(self, client: Client) -> None:
        for key in [key for key in self.damage if key[0] == client.id]:
            del self.damage[key]


@dataclass(frozen=True)
class Pointer:
    shape: PointerImage
    x: float  # global, logical
    y: float


def draw_pointer(ctx: cairo.Context, pointer: Pointer, output: Output, area: Box) -> None:
    """The pointer over a copy of ``area`` (framebuffer pixels of ``output``)."""
    shape, scale = pointer.shape, output.scale
    ctx.save()
    ctx.translate(-area.x, -area.y)
    ctx.transform(output.framebuffer_matrix())  # upright on a turned monitor, as on screen
    ctx.translate((pointer.x - output.x) * scale, (pointer.y - output.y) * scale)
    if shape.logical:  # a client's cursor surface: logical pixels, as big as on a scale-1 output
        ctx.scale(scale, scale)
        ctx.translate(-shape.hotspot[0], -shape.hotspot[1])
        ctx.scale(shape.size[0] / shape.image.get_width(), shape.size[1] / shape.image.get_height())
    else:
        ctx.translate(-shape.hotspot[0], -shape.hotspot[1])
    ctx.set_source_surface(shape.image, 0, 0)
    ctx.paint()
    ctx.restore()


def output_geometry(output: Output) -> tuple[int, int, float, int]:
    return output.mode_width, output.mode_height, output.scale, output.transform


def physical_area(output: Output, region: Box | None) -> Box:
    """A logical rectangle of the output (all of it when None) as the framebuffer pixels it covers; empty when
    it misses the output. Any 32-bit values are fine: Python's integers do not overflow."""
    if region is None:
        return Box(0, 0, output.mode_width, output.mode_height)
    if region.width <= 0 or region.height <= 0:
        return Box(0, 0, 0, 0)
    return output.device_box(region.translate(output.x, output.y))


def _bounds(rects: list[Box]) -> Box:
    box = rects[0]
    for rect in rects[1:]:
        box = box.union(rect)
    return box


def register(compositor: Compositor) -> ScreencopyManager:
    manager = ScreencopyManager(compositor)

    def bind(res: Resource) -> None:
        res.impl = manager

    compositor.display.add_global(ZwlrScreencopyManagerV1, VERSION, bind)
    return manager
