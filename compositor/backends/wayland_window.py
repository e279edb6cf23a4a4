"""One output of the wayland backend: its xdg_toplevel on the parent compositor, the size and scale the parent gives
it, and the few wl_shm buffers its frames are drawn into and sent in (see :mod:`.wayland`)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import cairo
from pywayland.protocol.pointer_constraints_unstable_v1 import ZwpPointerConstraintsV1
from pywayland.protocol.xdg_decoration_unstable_v1 import ZxdgToplevelDecorationV1
from pywayland.protocol.xdg_shell import XdgToplevel

from widgets.wayland.buffers import ShmBuffer

from ..geometry import Box
from ..scene import Mode
from .buffer_ages import BufferAges
from .headless import COMMON_MODES

if TYPE_CHECKING:
    from ..scene import Output
    from .wayland import WaylandBackend
    from .wayland_input import ParentSeat

MIN_SIZE, MAX_SIZE = 16, 8192  # per side: configure sizes are clamped to these (the maximum in physical pixels)
POOL = 3  # buffers per output: one the parent shows, one it may still read, one to draw into
FIXED_STATES = {XdgToplevel.state.maximized.value, XdgToplevel.state.fullscreen.value,
                XdgToplevel.state.tiled_left.value, XdgToplevel.state.tiled_right.value,
                XdgToplevel.state.tiled_top.value, XdgToplevel.state.tiled_bottom.value}


def _states(array: bytes) -> set[int]:
    return {int.from_bytes(array[i:i + 4], "little") for i in range(0, len(array) - 3, 4)}


class ParentWindow:
    """One output's xdg_toplevel on the parent: its surface, buffers, size and scale."""

    def __init__(self, backend: WaylandBackend, output: Output) -> None:
        self.backend = backend
        self.output = output
        bound = backend.globals
        self.surface = bound["wl_compositor"].create_surface()
        self.surface.dispatcher["preferred_buffer_scale"] = self._preferred_scale
        self.xdg_surface = bound["xdg_wm_base"].get_xdg_surface(self.surface)
        self.xdg_surface.dispatcher["configure"] = self._configure
        self.toplevel = self.xdg_surface.get_toplevel()
        self.toplevel.dispatcher["configure"] = self._toplevel_configure
        self.toplevel.dispatcher["close"] = lambda _toplevel: backend.compositor.quit()
        self.title = f"Orrery — {output.name}"
        self.toplevel.set_title(self.title)
        self.toplevel.set_app_id("orrery")
        self.decoration: Any = None
        if "zxdg_decoration_manager_v1" in bound:  # the parent draws the title bar, as for any other window
            self.decoration = bound["zxdg_decoration_manager_v1"].get_toplevel_decoration(self.toplevel)
            self.decoration.set_mode(ZxdgToplevelDecorationV1.mode.server_side.value)
        self.viewport: Any = None
        self.fractional: Any = None
        if "wp_fractional_scale_manager_v1" in bound and "wp_viewporter" in bound:
            self.viewport = bound["wp_viewporter"].get_viewport(self.surface)
            self.fractional = bound["wp_fractional_scale_manager_v1"].get_fractional_scale(self.surface)
            self.fractional.dispatcher["preferred_scale"] = self._fractional_scale
        self.size = (output.width, output.height)  # logical, as the parent sizes windows
        self.pending_size = (0, 0)
        self.states: set[int] = set()
        self.buffer_scale = 1
        self.scale_120 = 0  # the parent's fractional scale, in 120ths (0: none said)
        self.configured = False
        self.buffers: list[ShmBuffer] = []
        self.ages = BufferAges(0, Box(0, 0, 0, 0))
        self.drawing = -1  # the buffer the frame being drawn goes into
        self.frame_damage: list[Box] = []  # global logical, as the scene damages
        self.frame_region = cairo.Region()  # the same in the output's physical pixels
        self.shown = 0  # frames the parent has shown (sequence of presentation feedback)
        self.callback: Any = None  # the frame callback of the frame in flight
        self.feedback: Any = None  # and its presentation feedback, where the parent has wp_presentation
        self.shown_at: tuple[int, int] | None = None  # when the parent says it showed that frame, and its sequence
        self.grab: list[Any] = []  # the pointer confinement and shortcuts inhibitor while grabbing
        self.surface.commit()  # no buffer: the parent answers with the first configure

    @property
    def scale(self) -> float:
        return self.scale_120 / 120 if self.viewport is not None and self.scale_120 else float(self.buffer_scale)

    # -- the parent's requests ------------------------------------------------------------------------------------
    def _toplevel_configure(self, _toplevel: Any, width: int, height: int, states: bytes) -> None:
        self.pending_size = (width, height)
        self.states = _states(states)

    def _configure(self, xdg_surface: Any, serial: int) -> None:
        xdg_surface.ack_configure(serial)
        width, height = self.pending_size  # 0: ours to choose; anything else within sane bounds
        width = min(max(width or self.size[0], MIN_SIZE), MAX_SIZE)
        height = min(max(height or self.size[1], MIN_SIZE), MAX_SIZE)
        self.size = (width, height)
        first = not self.configured
        self.configured = True
        self.apply()
        if first:  # the parent has nothing of ours yet: the next frame is all of it
            self.backend.compositor.scene.damage(self.output.rect)

    def _preferred_scale(self, _surface: Any, factor: int) -> None:
        self.buffer_scale = min(max(factor, 1), 8)
        self.apply()

    def _fractional_scale(self, _fractional: Any, scale_120: int) -> None:
        self.scale_120 = min(max(scale_120, 120), 8 * 120)
        self.apply()

    def apply(self) -> None:
        """The window's size or scale changed: the output's mode follows, in physical pixels."""
        if not self.configured:
            return
        scale = self.scale
        largest = max(MIN_SIZE, int(MAX_SIZE / scale))
        width, height = min(self.size[0], largest), min(self.size[1], largest)
        if self.viewport is not None:  # a buffer of physical pixels, shown at the window's logical size
            self.surface.set_buffer_scale(1)
            self.viewport.set_destination(width, height)
        else:
            self.surface.set_buffer_scale(int(scale))
        mode = (round(width * scale), round(height * scale))
        self.backend.compositor.set_output_mode(self.output, *mode, scale=scale)
        refresh = self.output.refresh_mhz  # a window may take any size: offer the usual ones besides its own
        self.output.modes = [Mode(*mode, refresh, preferred=True)] + [
            Mode(w, h, refresh) for w, h in COMMON_MODES if (w, h) != mode]

    def request_mode(self, mode: Mode) -> None:
        """``orrery msg output mode``: a floating window may take any size; a maximized, fullscreen or tiled
        one has the size the parent gave it."""
        if self.states & FIXED_STATES:
            raise ValueError(f"the parent compositor sizes {self.output.name} while it is maximized, fullscreen "
                             "or tiled")
        scale = self.scale
        self.size = (min(max(round(mode.width / scale), MIN_SIZE), MAX_SIZE),
                     min(max(round(mode.height / scale), MIN_SIZE), MAX_SIZE))
        self.apply()

    def set_grab(self, on: bool, seat: ParentSeat) -> None:
        """Confine the parent's pointer to the window and have it pass its shortcuts to us, or stop."""
        for proxy in self.grab:
            proxy.destroy()
        self.grab = []
        bound = self.backend.globals
        if on and seat.pointer is not None and "zwp_pointer_constraints_v1" in bound:
            persistent = ZwpPointerConstraintsV1.lifetime.persistent.value  # again whenever the window is selected
            self.grab.append(bound["zwp_pointer_constraints_v1"].confine_pointer(self.surface, seat.pointer, None,
                                                                                 persistent))
        if on and "zwp_keyboard_shortcuts_inhibit_manager_v1" in bound:
            self.grab.append(bound["zwp_keyboard_shortcuts_inhibit_manager_v1"].inhibit_shortcuts(self.surface,
                                                                                                 seat.proxy))
        self.toplevel.set_title(f"{self.title} (input grabbed)" if on else self.title)

    # -- frames ---------------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        output = self.output
        width, height = output.mode_width, output.mode_height
        if self.buffers and (self.buffers[0].width, self.buffers[0].height) != (width, height):
            self.drop_buffers()
        index = next((i for i, buffer in enumerate(self.buffers) if not buffer.busy), -1)
        if index < 0 and len(self.buffers) < POOL:
            self.buffers.append(ShmBuffer(self.backend.globals["wl_shm"], width, height, opaque=True))
            self.ages.everything = output.rect
            self.ages.add()
            index = len(self.buffers) - 1
        if index < 0:  # the parent holds them all (it should not, paced as we are): draw over the oldest
            index = (self.drawing + 1) % len(self.buffers)
        previous, self.drawing = self.drawing, index
        output.framebuffer = self.buffers[index].surface
        self.frame_damage = list(output.damage)
        self.frame_region = self._physical(self.frame_damage)
        stale = self.ages.take(index)
        if 0 <= previous != index and stale:  # the last frame's buffer is complete: copying beats repainting
            self._copy(self.buffers[previous].surface, self.buffers[index].surface, stale)
        else:
            output.damage.extend(stale)

    def _physical(self, rects: list[Box]) -> cairo.Region:
        """Global logical rectangles as the physical pixels of the output they cover."""
        bounds = Box(0, 0, self.output.mode_width, self.output.mode_height)
        region = cairo.Region()
        for rect in rects:
            part = self.output.device_box(rect).intersect(bounds)
            if part.width > 0 and part.height > 0:
                region.union(cairo.RectangleInt(part.x, part.y, part.width, part.height))
        return region

    def _copy(self, source: cairo.ImageSurface, target: cairo.ImageSurface, stale: list[Box]) -> None:
        """Bring ``target`` up to date from ``source`` where it is ``stale``, except where this frame repaints
        anyway (a client drawing every frame damages the same place again)."""
        region = self._physical(stale)
        region.subtract(self.frame_region)
        if region.is_empty():
            return
        context = cairo.Context(target)
        for index in range(region.num_rectangles()):
            area = region.get_rectangle(index)
            context.rectangle(area.x, area.y, area.width, area.height)
        context.clip()
        context.set_operator(cairo.OPERATOR_SOURCE)
        context.set_source_surface(source, 0, 0)
        context.paint()

    def present(self) -> bool:
        if self.drawing < 0:
            return False
        self.ages.drawn(self.drawing, self.frame_damage)
        if not self.configured:
            return False  # xdg-shell: no buffer before the first configure; that configure repaints it all
        buffer = self.buffers[self.drawing]
        self.surface.attach(buffer.buffer, 0, 0)
        changed = self.frame_region  # only what this frame changed: the parent has the rest
        for index in range(changed.num_rectangles()):
            area = changed.get_rectangle(index)
            self.surface.damage_buffer(area.x, area.y, area.width, area.height)
        buffer.busy = True
        self.shown_at = None  # (a late presented of an earlier frame says nothing of this one)
        self.callback = self.surface.frame()  # held: pywayland forgets a proxy nothing refers to, and its event
        self.callback.dispatcher["done"] = self._frame_done
        presentation = self.backend.globals.get("wp_presentation")
        if presentation is not None and self.backend.monotonic:
            self.feedback = presentation.feedback(self.surface)
            self.feedback.dispatcher["presented"] = self._presented
            self.feedback.dispatcher["discarded"] = self._discarded
        self.surface.commit()
        self.backend.flush()
        return True

    def _presented(self, _feedback: Any, sec_hi: int, sec_lo: int, nsec: int, _refresh: int, seq_hi: int,
                   seq_lo: int, _flags: int) -> None:
        self.feedback = None
        self.shown_at = (((sec_hi << 32) | sec_lo) * 1_000_000_000 + nsec, (seq_hi << 32) | seq_lo)

    def _discarded(self, _feedback: Any) -> None:
        self.feedback = None

    def _frame_done(self, _callback: Any, _time_ms: int) -> None:
        """The parent is ready for our next frame: the frame clock's flip completed, at the time the parent's
        presentation feedback said (it comes first from most compositors), else now."""
        self.callback = None
        self.shown += 1
        timestamp_ns, sequence = self.shown_at or (time.monotonic_ns(), self.shown)
        self.shown_at = None
        # The parent composites our buffer into its own frame some time before its vblank, how long before we
        # cannot know: half a refresh leaves it that much, and our clients half a refresh to draw after their
        # frame callbacks.
        half_refresh_ns = 500_000_000_000 // max(1, self.output.refresh_mhz)
        self.backend.compositor.frames.presented(self.output, timestamp_ns, sequence, submit_lead_ns=half_refresh_ns)

    def drop_buffers(self) -> None:
        for buffer in self.buffers:
            buffer.destroy()
        self.buffers = []
        self.ages = BufferAges(0, Box(0, 0, 0, 0))
        self.drawing = -1

    def close(self) -> None:
        for proxy in self.grab:
            proxy.destroy()
        self.grab = []
        if self.output.framebuffer is not None and any(b.surface is self.output.framebuffer for b in self.buffers):
            self.output.framebuffer = None  # its memory goes with the buffers
        self.drop_buffers()
        for proxy in (self.fractional, self.viewport, self.decoration):
            if proxy is not None:
                proxy.destroy()
        self.toplevel.destroy()
        self.xdg_surface.destroy()
        self.surface.destroy()
