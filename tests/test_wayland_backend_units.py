"""What the wayland backend makes of the sizes and scales a parent compositor asks for, including sizes of 0 (ours to
choose) and absurd ones (clamped), and what its buffers hold, without a parent: its requests go to stand-ins that
record them."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import cairo

from compositor.backends.wayland_window import MAX_SIZE, ParentWindow
from compositor.geometry import Box
from compositor.scene import Output


class StandIn:
    """Any proxy: each request is recorded and answers another stand-in."""

    def __init__(self) -> None:
        self.dispatcher: dict[str, Any] = {}
        self.requests: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        def request(*args: Any) -> StandIn:
            self.requests.append((name, args))
            return StandIn()
        return request


def window(width: int = 1280, height: int = 800, **globals_: Any) -> tuple[ParentWindow, Output]:
    output = Output("WL-1", 0, 0, width, height)

    def set_output_mode(target: Output, mode_width: int, mode_height: int, scale: float | None = None) -> None:
        target.set_mode(mode_width, mode_height, scale)

    compositor = SimpleNamespace(set_output_mode=set_output_mode, scene=SimpleNamespace(damage=lambda rect: None))
    backend = SimpleNamespace(compositor=compositor, globals={"wl_compositor": StandIn(), "xdg_wm_base": StandIn(),
                                                              **globals_})
    return ParentWindow(backend, output), output  # type: ignore[arg-type]


def configure(target: ParentWindow, width: int, height: int) -> None:
    target.toplevel.dispatcher["configure"](target.toplevel, width, height, b"")
    target.xdg_surface.dispatcher["configure"](target.xdg_surface, 1)


def test_a_size_of_zero_keeps_ours_and_absurd_sizes_are_clamped() -> None:
    target, output = window()
    configure(target, 0, 0)
    assert (output.mode_width, output.mode_height) == (1280, 800)
    configure(target, 2**31 - 1, 2**31 - 1)
    assert (output.mode_width, output.mode_height) == (MAX_SIZE, MAX_SIZE)
    configure(target, 1, 3)
    assert (output.mode_width, output.mode_height) == (16, 16)
    configure(target, 1024, 0)  # one side given, the other ours
    assert (output.mode_width, output.mode_height) == (1024, 16)


def test_the_preferred_buffer_scale_becomes_the_output_scale() -> None:
    target, output = window()
    configure(target, 800, 600)
    target.surface.dispatcher["preferred_buffer_scale"](target.surface, 2)
    assert (output.mode_width, output.mode_height, output.scale) == (1600, 1200, 2.0)
    assert (output.width, output.height) == (800, 600)  # the window's size, in logical pixels
    assert ("set_buffer_scale", (2,)) in target.surface.requests
    target.surface.dispatcher["preferred_buffer_scale"](target.surface, 2**31 - 1)  # absurd: at most 8
    assert output.scale == 8.0 and output.mode_width <= MAX_SIZE


def test_a_fractional_scale_draws_physical_pixels_through_a_viewport() -> None:
    target, output = window(wp_viewporter=StandIn(), wp_fractional_scale_manager_v1=StandIn())
    configure(target, 800, 600)
    target.fractional.dispatcher["preferred_scale"](target.fractional, 180)  # 1.5
    assert (output.mode_width, output.mode_height, output.scale) == (1200, 900, 1.5)
    assert target.viewport.requests[-1] == ("set_destination", (800, 600))


def test_each_frame_sent_to_the_parent_is_the_whole_picture() -> None:
    """Frames go out in whichever buffer the parent has released; each must show everything drawn so far, although
    only the frame's damage is repainted (what a buffer lacks otherwise is copied from the frame before)."""
    target, output = window(320, 200, wl_shm=StandIn())
    target.backend.flush = lambda: None  # type: ignore[attr-defined]
    configure(target, 320, 200)
    truth = cairo.ImageSurface(cairo.FORMAT_RGB24, 320, 200)
    draw = random.Random(7)
    for frame in range(1, 80):
        damage = [Box(draw.randrange(300), draw.randrange(180), draw.randrange(1, 60), draw.randrange(1, 60))
                  for _ in range(draw.randrange(1, 4))]
        paint(truth, damage, truth_colour=frame)
        output.damage = list(damage)
        target.prepare()
        framebuffer = output.framebuffer
        assert framebuffer is not None
        paint(framebuffer, output.damage, source=truth)  # the repaint: only what the frame clock asked for
        output.damage = []
        assert target.present()
        framebuffer.flush()
        assert bytes(framebuffer.get_data()) == bytes(truth.get_data()), f"frame {frame}"
        for buffer in target.buffers:  # the parent gives back some of what it held, in any order
            if buffer.busy and draw.random() < 0.6:
                buffer.busy = False
    assert len(target.buffers) <= 3


def paint(image: cairo.ImageSurface, rects: list[Box], truth_colour: int = 0,
          source: cairo.ImageSurface | None = None) -> None:
    context = cairo.Context(image)
    for rect in rects:
        context.rectangle(rect.x, rect.y, rect.width, rect.height)
    context.clip()
    if source is not None:
        context.set_source_surface(source, 0, 0)
    else:
        context.set_source_rgb((truth_colour * 37 % 256) / 255, (truth_colour * 91 % 256) / 255, 0.5)
    context.set_operator(cairo.OPERATOR_SOURCE)
    context.paint()
    image.flush()
