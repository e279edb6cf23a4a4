"""What the wayland backend makes of the sizes and scales a parent compositor asks for, including sizes of 0 (ours to
choose) and absurd ones (clamped), without a parent: its requests go to stand-ins that record them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from compositor.backends.wayland import MAX_SIZE, ParentWindow
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
