"""A surface whose drawing fails in cairo must not stop the output: cairo keeps the error of the image it drew
on for good, so the renderer leaves that surface out and draws the rest on a new framebuffer. (Clients cannot
reach this any more — a viewport source outside the buffer is a protocol error at commit — so the surface here
is a fake one with the state that reached cairo before.)"""

from __future__ import annotations

import cairo

from compositor.geometry import Box
from compositor.render import repaint
from compositor.scene import Output, Scene
from tests.test_occlusion_units import FakeContent, FakeNode, FakeSurface


def _pixel(image: cairo.ImageSurface, x: int, y: int) -> tuple[int, int, int]:
    image.flush()
    data, offset = image.get_data(), y * image.get_stride() + x * 4
    return data[offset + 2], data[offset + 1], data[offset]


def test_a_surface_cairo_cannot_draw_is_left_out_and_the_rest_is_drawn() -> None:
    scene = Scene()
    output = Output("OUT-1", 0, 0, 100, 100)
    scene.outputs.append(output)
    bad, good = FakeSurface(10, 10, 16, 16), FakeSurface(50, 50, 20, 20)
    bad.current.viewport_src, bad.current.viewport_dst = (0.0, 0.0, 8388607.0, 8388607.0), (16, 16)
    assert good.content is not None
    ctx = cairo.Context(good.content.image)
    ctx.set_source_rgb(1, 0, 0)
    ctx.paint()
    scene.layers["windows"].extend([FakeNode(bad), FakeNode(good)])  # type: ignore[list-item]
    for _frame in range(2):
        scene.damage(Box(0, 0, 100, 100))
        assert repaint(scene, output)
        assert output.framebuffer is not None
        assert _pixel(output.framebuffer, 60, 60) == (255, 0, 0)
        cairo.Context(output.framebuffer)  # usable (cairo refuses a context on an image in error)
    # New content (as a client's next buffer): drawn again
    bad.current.viewport_src = bad.current.viewport_dst = None
    bad.content = FakeContent(16, 16, cairo.FORMAT_RGB24)
    green = cairo.Context(bad.content.image)
    green.set_source_rgb(0, 1, 0)
    green.paint()
    scene.damage(Box(0, 0, 100, 100))
    assert repaint(scene, output)
    assert output.framebuffer is not None
    assert _pixel(output.framebuffer, 15, 15) == (0, 255, 0)
    assert not output.undrawable, "forgotten once it shows other content"
