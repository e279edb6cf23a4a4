"""DRM/KMS backend: Orrery as the machine's display server, in a login session on a virtual terminal.

The seat (libseat: seatd or logind) opens the GPU and the input devices for us and tells us when our VT is
left or shown again. Each connected connector becomes an output at its preferred mode. Cairo draws each
frame straight into one of two mapped dumb buffers per output; ``drmModePageFlip`` shows it at the next
vblank, and the flip's completion paces the frame clock (``FrameClock.presented``). A buffer is repainted
where the screen changed since it was last drawn (its *stale* damage: what the other buffer got meanwhile),
not as a whole. The pointer is the CRTC's hardware cursor where the device has one, else drawn into each
frame. udev tells us about monitors plugged in or out. Input comes from libinput (``drm_input.py``).

Faults end in one line on stderr naming the device and what to do (no traceback); when the compositor exits,
however it exits, the seat manager gives the VT back to the text console.
"""

from __future__ import annotations

import glob
import logging
import select
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import cairo

from themes.xcursor import ShapeCursors

from ..cursor import PointerImage, pointer_image
from ..device import edid, libdrm
from ..device.libdrm import Card, DrmError, DumbBuffer
from ..device.libinput import DeviceSettings
from ..device.libseat import Libseat
from ..device.udev import Udev
from ..geometry import Box
from ..scene import Mode
from .drm_head import Head
from .drm_input import InputDevices

if TYPE_CHECKING:
    from ..config import Config
    from ..scene import Output
    from ..server import Compositor
    from .base import OutputSpec

log = logging.getLogger(__name__)

SEAT_TIMEOUT_MS = 10_000
FLIP_TIMEOUT = 1.0


@dataclass(frozen=True)
class DrmSettings:
    device: str = ""  # e.g. /dev/dri/card1; "" = the first GPU with a monitor connected
    hardware_cursor: bool = True
    input: DeviceSettings = field(default_factory=DeviceSettings)


def input_settings(config: Config) -> DeviceSettings:
    """orrery.toml's ``[touchpad]`` and ``[mouse]``, as libinput applies them to each device."""
    get = config.get
    return DeviceSettings(tap=get("touchpad", "tap"), natural_scroll=get("touchpad", "natural_scroll"),
                          disable_while_typing=get("touchpad", "disable_while_typing"),
                          mouse_natural_scroll=get("mouse", "natural_scroll"),
                          accel_speed=float(get("mouse", "accel_speed")))


class DrmBackend:
    name = "drm"

    def __init__(self, settings: DrmSettings | None = None) -> None:
        self.settings = settings or DrmSettings()
        self._compositor: Compositor | None = None
        self.seat: Libseat | None = None
        self.card: Card | None = None
        self.udev: Udev | None = None
        self.input: InputDevices | None = None
        self.heads: dict[str, Head] = {}
        self.shapes: ShapeCursors | None = None
        self.hardware_cursor = self.settings.hardware_cursor
        self.active = False
        self.monotonic_flips = False
        self._readers: list[int] = []

    @property
    def compositor(self) -> Compositor:
        assert self._compositor is not None, "the backend has not started"
        return self._compositor

    # -- start and stop ----------------------------------------------------------------------------------------
    def start(self, compositor: Compositor) -> None:
        self._compositor = compositor
        try:
            self._start(compositor)
        except BaseException:
            self.stop()
            raise

    def _start(self, compositor: Compositor) -> None:
        self.seat = Libseat(self._seat_enabled, self._seat_disabled)
        self.seat.wait_enabled(SEAT_TIMEOUT_MS)
        self.active = True
        self.card = self._open_gpu(self.seat)
        path = self.card.path
        self.card.on_flip(self._flipped)
        self.monotonic_flips = bool(self.card.cap(libdrm.CAP_TIMESTAMP_MONOTONIC))
        self.shapes = ShapeCursors()
        connected = [c for c in self.card.connectors() if c.connected and c.modes]
        if not connected:
            raise DrmError(f"no monitor is connected to {path}: connect one (or choose another GPU with "
                           f"[drm] device in orrery.toml)")
        for connector in connected:
            self._add_head(connector)
        if not self.heads:
            raise DrmError(f"{path}: no connected monitor could be driven (no free CRTC or every mode refused)")
        self.udev = Udev()
        self.input = InputDevices(compositor, self.seat, self.udev, self.settings.input)
        loop = compositor.loop
        for fd, callback in ((self.card.fd, self._card_readable), (self.seat.fileno(), self._seat_readable),
                             (self.input.fileno(), self.input.dispatch), (self.udev.watch_gpus(), self._udev_event)):
            loop.add_reader(fd, callback)
            self._readers.append(fd)
        self.input.dispatch()  # the devices present at start-up
        self.cursor_changed()

    def _open_gpu(self, seat: Libseat) -> Card:
        """The configured GPU, else the first with a monitor connected (a machine may have a render-only or a
        second GPU first)."""
        if self.settings.device:
            return Card(seat.open_device(self.settings.device), self.settings.device)
        paths = sorted(glob.glob("/dev/dri/card[0-9]*"))
        if not paths:
            raise DrmError("no GPU found (/dev/dri/card* is missing): is the kernel's DRM driver loaded?")
        fallback: Card | None = None
        for path in paths:
            try:
                card = Card(seat.open_device(path), path)
            except RuntimeError as error:
                log.info("skipping %s: %s", path, error)
                continue
            if any(c.connected and c.modes for c in card.connectors()):
                if fallback is not None:
                    seat.close_device(fallback.fd)
                return card
            if fallback is None:
                fallback = card  # no monitor on any: the first GPU says so
            else:
                seat.close_device(card.fd)
        if fallback is None:
            raise DrmError(f"none of {', '.join(paths)} can drive a display")
        return fallback

    def stop(self) -> None:
        loop = self._compositor.loop if self._compositor is not None else None
        for fd in self._readers:
            if loop is not None:
                loop.remove_reader(fd)
        self._readers = []
        if self.input is not None:
            self.input.close()
            self.input = None
        if self.udev is not None:
            self.udev.close()
            self.udev = None
        for head in list(self.heads.values()):
            self._remove_head(head, disable=False)
        if self.card is not None and self.seat is not None:
            self.seat.close_device(self.card.fd)
        self.card = None
        if self.seat is not None:
            self.seat.close()  # the seat manager restores the VT's text console
            self.seat = None

    # -- outputs -----------------------------------------------------------------------------------------------
    def _add_head(self, connector: libdrm.Connector) -> None:
        assert self.card is not None
        busy = {head.crtc for head in self.heads.values()}
        candidates = ([connector.crtc] if connector.crtc in connector.possible_crtcs else []) + list(
            connector.possible_crtcs)
        crtc = next((c for c in candidates if c not in busy), 0)
        mode = connector.preferred
        if not crtc or mode is None:
            log.warning("%s: cannot drive %s (no free CRTC)", self.card.path, connector.name)
            return
        head = Head(self.card, connector, crtc, mode)
        x = max((h.output.rect.right for h in self.heads.values() if h.output is not None), default=0)
        everything = Box(x, 0, mode.width, mode.height)
        buffers: list[DumbBuffer] = []
        try:
            buffers = head.allocate(mode)
            head.show(buffers, mode)
        except DrmError as error:
            head.release(buffers)
            log.warning("%s: the monitor refused %s (%s)", connector.name, mode, error)
            return
        head.use(buffers, mode, everything)
        info = edid.parse(connector.edid) if connector.edid else None
        self.heads[connector.name] = head
        head.output = self.compositor.add_output(
            connector.name, x, 0, mode.width, mode.height, mode.refresh_mhz,
            make=info.make if info else "Unknown", model=info.model if info else connector.name,
            serial=info.serial if info else "", physical_size=(connector.mm_width, connector.mm_height),
            modes=[Mode(m.width, m.height, m.refresh_mhz, m.preferred) for m in connector.modes])
        log.info("%s: %s on CRTC %d (%s %s)", connector.name, mode, crtc, head.output.make, head.output.model)

    def _remove_head(self, head: Head, disable: bool = True) -> None:
        self.heads.pop(head.connector.name, None)
        if head.output is not None and self._compositor is not None and head.output in self.compositor.scene.outputs:
            head.output.framebuffer = None
            self.compositor.remove_output(head.output)
        if disable and self.active:
            head.card.disable_crtc(head.crtc)
        if head.cursor is not None:
            head.cursor.destroy()
        head.release(head.scanouts)
        head.scanouts = []

    def _head_of(self, output: Output) -> Head | None:
        head = self.heads.get(output.name)
        return head if head is not None and head.output is output else None

    def set_mode(self, output: Output, mode: Mode) -> None:
        head = self._head_of(output)
        if head is None:
            raise ValueError(f"{output.name} is gone")
        wanted = next((m for m in head.connector.modes if (m.width, m.height, m.refresh_mhz) ==
                       (mode.width, mode.height, mode.refresh_mhz)), None)
        if wanted is None:
            raise ValueError(f"{output.name} does not offer {mode}")
        self._wait_for_flip(head)
        try:
            buffers = head.allocate(wanted)
        except DrmError as error:
            raise ValueError(str(error)) from None
        try:
            head.show(buffers, wanted)
        except DrmError as error:
            head.release(buffers)
            head.card.set_crtc(head.crtc, head.scanouts[head.back - 1].fb, head.connector.id, head.mode)
            raise ValueError(f"{output.name} refused {mode}: {error}") from None
        output.framebuffer = None
        head.release(head.scanouts)
        head.cursor_key = None
        self.compositor.set_output_mode(output, wanted.width, wanted.height, refresh_mhz=wanted.refresh_mhz)
        head.use(buffers, wanted, output.rect)
        self.cursor_changed()

    def set_power(self, output: Output, on: bool) -> None:
        """DPMS: off disables the CRTC (the monitor goes to sleep); on sets the mode again with the buffer shown
        last, and the next frame (the whole output is damaged) follows."""
        head = self._head_of(output)
        if head is None or not head.scanouts or not self.active or self.card is None:
            return  # (while our VT is not shown, the seat's return sets every CRTC again)
        self._wait_for_flip(head)
        try:
            if on:
                head.card.set_crtc(head.crtc, head.scanouts[head.back - 1].fb, head.connector.id, head.mode)
            else:
                head.card.disable_crtc(head.crtc)
        except DrmError as error:
            raise ValueError(f"{output.name}: {error}") from None

    def _wait_for_flip(self, head: Head) -> None:
        """A mode set must not race a flip in flight: let it complete first."""
        deadline = time.monotonic() + FLIP_TIMEOUT
        while head.flip_pending and self.card is not None and time.monotonic() < deadline:
            readable, _, _ = select.select([self.card.fd], [], [], deadline - time.monotonic())
            if readable:
                self.card.dispatch()

    # -- frames ------------------------------------------------------------------------------------------------
    def prepare(self, output: Output) -> None:
        head = self._head_of(output)
        if head is None or not head.scanouts:
            return
        output.framebuffer = head.scanouts[head.back].image
        head.frame_damage = list(output.damage)
        output.damage.extend(head.ages.take(head.back))

    def present(self, output: Output, damage: list[Box]) -> bool:
        head = self._head_of(output)
        if head is None or not head.scanouts or not self.active or self.card is None or not output.powered:
            return False
        scanout = head.scanouts[head.back]
        if output.framebuffer is not None and output.framebuffer is not scanout.image:
            # The renderer drew this frame on an image of its own, the scanout's having failed: take it over
            scanout.renew_image()
            ctx = cairo.Context(scanout.image)
            ctx.set_operator(cairo.OPERATOR_SOURCE)
            ctx.set_source_surface(output.framebuffer, 0, 0)
            ctx.paint()
            scanout.image.flush()
            output.framebuffer = scanout.image
            head.frame_damage = [output.rect]  # the other scanouts lack all of it
        head.ages.drawn(head.back, head.frame_damage)
        if not self.hardware_cursor:
            self._draw_software_cursor(head)
        try:
            self.card.page_flip(head.crtc, head.scanouts[head.back].fb)
        except DrmError as error:
            log.warning("%s", error)
            return False
        head.flip_pending = True
        head.back = (head.back + 1) % len(head.scanouts)
        return True

    def _flipped(self, crtc: int, sequence: int, timestamp_ns: int) -> None:
        head = next((h for h in self.heads.values() if h.crtc == crtc), None)
        if head is None or head.output is None:
            return
        head.flip_pending = False
        if not self.monotonic_flips:  # the flip's time is on another clock than wp_presentation's
            timestamp_ns = time.monotonic_ns()
        self.compositor.frames.presented(head.output, timestamp_ns, sequence)

    def _card_readable(self) -> None:
        if self.card is not None:
            try:
                self.card.dispatch()
            except DrmError as error:
                log.error("%s", error)

    # -- the pointer -------------------------------------------------------------------------------------------
    def cursor_changed(self) -> None:
        if self.shapes is None or not self.active:
            return
        seat = self.compositor.seat
        shape = pointer_image(seat, self.shapes)
        for head in self.heads.values():
            output = head.output
            if output is None:
                continue
            on_output = output.rect.contains(seat.x, seat.y) and shape is not None
            if not self.hardware_cursor:
                self._damage_software_cursor(head, shape if on_output else None)
            elif not self._hardware_cursor(head, shape if on_output else None):
                log.info("%s has no cursor plane: drawing the pointer into frames", output.name)
                self.hardware_cursor = False
                self.cursor_changed()
                return

    def _hardware_cursor(self, head: Head, shape: PointerImage | None) -> bool:
        card, output = head.card, head.output
        assert output is not None
        if output.transform:  # the cursor plane is not turned with the picture: draw the pointer into frames
            return False
        if shape is None:
            if head.cursor_key is not None:
                card.set_cursor(head.crtc, None)
                head.cursor_key = None
            return True
        key = (id(shape.image), shape.hotspot, shape.size, output.scale, self.compositor.seat.cursor)
        if key != head.cursor_key:
            width, height = card.cursor_size()
            if head.cursor is None or (head.cursor.width, head.cursor.height) != (width, height):
                if head.cursor is not None:
                    head.cursor.destroy()
                head.cursor = DumbBuffer(card, width, height, alpha=True)
            head.cursor_hotspot = _draw_pointer(head.cursor.image, shape, output.scale)
            if not card.set_cursor(head.crtc, head.cursor, head.cursor_hotspot):
                return False
            head.cursor_key = key
        seat = self.compositor.seat
        x = round((seat.x - output.x) * output.scale) - head.cursor_hotspot[0]
        y = round((seat.y - output.y) * output.scale) - head.cursor_hotspot[1]
        return card.move_cursor(head.crtc, x, y)

    def _damage_software_cursor(self, head: Head, shape: PointerImage | None) -> None:
        """The pointer moved or changed: the frame under its old and new place is drawn again."""
        assert head.output is not None
        scene = self.compositor.scene
        if head.software_cursor is not None:
            scene.damage(head.software_cursor)
        if shape is not None:
            seat = self.compositor.seat
            width, height = shape.size
            scale = 1.0 if shape.logical else head.output.scale
            scene.damage(Box(int(seat.x - shape.hotspot[0] / scale) - 1, int(seat.y - shape.hotspot[1] / scale) - 1,
                             int(width / scale) + 3, int(height / scale) + 3))

    def _draw_software_cursor(self, head: Head) -> None:
        output = head.output
        assert output is not None and self.shapes is not None
        seat = self.compositor.seat
        shape = pointer_image(seat, self.shapes)
        head.software_cursor = None
        if shape is None or not output.rect.contains(seat.x, seat.y):
            return
        image = head.scanouts[head.back].image
        ctx = cairo.Context(image)
        ctx.transform(output.framebuffer_matrix())  # upright on a turned monitor
        ctx.translate(round((seat.x - output.x) * output.scale), round((seat.y - output.y) * output.scale))
        scale = output.scale if shape.logical else 1.0
        ctx.scale(scale, scale)
        ctx.translate(-shape.hotspot[0], -shape.hotspot[1])
        width, height = shape.size
        ctx.scale(width / shape.image.get_width(), height / shape.image.get_height())
        ctx.set_source_surface(shape.image, 0, 0)
        ctx.paint()
        image.flush()
        drawn_scale = scale / output.scale  # back to logical pixels
        where = Box(int(seat.x - shape.hotspot[0] * drawn_scale) - 1, int(seat.y - shape.hotspot[1] * drawn_scale) - 1,
                    int(width * drawn_scale) + 3, int(height * drawn_scale) + 3)
        head.software_cursor = where
        head.ages.spoil(head.back, where)  # this buffer carries the pointer: clean it before its next frame

    # -- the seat: VT switches ---------------------------------------------------------------------------------
    def config_changed(self, config: Config) -> None:
        settings = input_settings(config)
        if settings != self.settings.input:
            self.settings = replace(self.settings, input=settings)
            if self.input is not None:
                self.input.reconfigure(settings)
    def plug(self, spec: OutputSpec) -> Output:
        raise ValueError("only the headless backend has virtual monitors (monitors are plugged in by hand here)")

    def unplug(self, output: Output) -> None:
        raise ValueError("only the headless backend has virtual monitors (monitors are plugged in by hand here)")
    def toggle_grab(self) -> bool:
        return False  # nothing around Orrery to take input from

    def switch_vt(self, vt: int) -> bool:
        if self.seat is None:
            return False
        self.seat.switch_session(vt)
        return True

    def _seat_readable(self) -> None:
        if self.seat is None:
            return
        try:
            self.seat.dispatch()
        except RuntimeError as error:
            log.error("%s; stopping", error)
            self.compositor.quit()

    def _seat_disabled(self) -> None:
        """Another VT is being shown: stop drawing, release the input devices (the seat drops DRM master)."""
        self.active = False
        if self._compositor is None:
            return
        for head in self.heads.values():
            if head.output is not None:
                self.compositor.frames.pause(head.output)
            head.flip_pending = False
            head.cursor_key = None
        if self.input is not None:
            self.input.suspend()
        log.info("session disabled (another VT is shown)")

    def _seat_enabled(self) -> None:
        """Our VT is back: set the modes again and repaint everything."""
        if self.active or self._compositor is None or self.card is None:
            self.active = True
            return
        self.active = True
        for head in list(self.heads.values()):
            try:
                head.card.set_crtc(head.crtc, head.scanouts[head.back - 1].fb, head.connector.id, head.mode)
            except DrmError as error:
                log.warning("%s", error)
            if head.output is not None:
                head.ages.reset(head.output.rect)
                self.compositor.frames.resume(head.output)
        if self.input is not None:
            self.input.resume()
        self._rescan()  # monitors may have changed while we were away
        self.cursor_changed()
        log.info("session enabled again")

    # -- hot-plug ----------------------------------------------------------------------------------------------
    def _udev_event(self) -> None:
        if self.udev is None or self.card is None:
            return
        event = self.udev.receive()
        if event is None or event.devnode != self.card.path:
            return
        if event.action == "remove":
            log.error("the GPU %s went away; stopping (log in again once it is back)", self.card.path)
            self.compositor.quit()
        elif event.action == "change" and self.active:
            self._rescan()

    def _rescan(self) -> None:
        if self.card is None:
            return
        try:
            connectors = {c.name: c for c in self.card.connectors()}
        except DrmError as error:
            log.warning("%s", error)
            return
        for name, head in list(self.heads.items()):
            now = connectors.get(name)
            if now is None or not now.connected or not now.modes:
                log.info("%s unplugged", name)
                self._remove_head(head)
        for name, connector in connectors.items():
            if connector.connected and connector.modes and name not in self.heads:
                log.info("%s plugged in", name)
                self._add_head(connector)
        if self._compositor is not None:
            self.cursor_changed()


def _draw_pointer(target: cairo.ImageSurface, shape: PointerImage, output_scale: float) -> tuple[int, int]:
    """Draw the pointer into a cursor buffer (clipped to its size), at the output's scale when the image is a
    client's logical-size surface; returns the hotspot in the buffer."""
    ctx = cairo.Context(target)
    ctx.set_operator(cairo.OPERATOR_CLEAR)
    ctx.paint()
    ctx.set_operator(cairo.OPERATOR_OVER)
    scale = output_scale if shape.logical else 1.0
    width, height = shape.size
    ctx.scale(scale * width / shape.image.get_width(), scale * height / shape.image.get_height())
    ctx.set_source_surface(shape.image, 0, 0)
    ctx.paint()
    target.flush()
    limit_x, limit_y = target.get_width() - 1, target.get_height() - 1
    return min(round(shape.hotspot[0] * scale), limit_x), min(round(shape.hotspot[1] * scale), limit_y)
