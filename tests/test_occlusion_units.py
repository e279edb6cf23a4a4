"""Occlusion's pure parts against a pixel-by-pixel model, and the frame clock's withholding of frame
callbacks on both of its paths: shown at once (headless, nested) and paced by page flips (DRM), which the
real-client tests (test_occlusion.py) cannot reach."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import cairo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compositor.frames import Answers, FrameClock, withhold
from compositor.geometry import Box, Region
from compositor.occlusion import hidden_surfaces
from compositor.scene import Output, Scene
from compositor.surface import SurfaceState

SIDE = 12


class FakeContent:
    """A buffer: its format, and its pixels for the renderer."""

    def __init__(self, width: int, height: int, fmt: int) -> None:
        self.width, self.height, self.format = width, height, fmt
        self.image = cairo.ImageSurface(fmt, width, height)

    def __enter__(self) -> cairo.ImageSurface:
        return self.image

    def __exit__(self, *_exc: object) -> None:
        pass


@dataclass(eq=False)
class FakeSurface:
    x: int
    y: int
    width: int
    height: int
    fmt: int = cairo.FORMAT_RGB24
    opaque: Region | None = None
    scale: int = 1
    content: FakeContent | None = None
    below: list[Any] = field(default_factory=list)
    above: list[Any] = field(default_factory=list)
    alive: bool = True

    def __post_init__(self) -> None:
        self.content = FakeContent(max(1, self.width * self.scale), max(1, self.height * self.scale), self.fmt)
        self.current = SurfaceState(scale=self.scale)  # the real one: compiled code checks its type

    def opaque_region(self) -> Region | None:
        return self.opaque

    def origin(self) -> tuple[int, int]:
        return self.x, self.y

    def bounds(self) -> Box | None:
        return Box(self.x, self.y, self.width, self.height) if self.content is not None else None


@dataclass(eq=False)
class FakeNode:
    surface: FakeSurface
    popups: list[Any] = field(default_factory=list)
    visible: bool = True


# -- hidden_surfaces against a model -----------------------------------------------------------------------
rects = st.builds(Box, st.integers(-3, SIDE), st.integers(-3, SIDE), st.integers(0, 8), st.integers(0, 8))
surfaces = st.builds(
    lambda rect, fmt, ops, scale: FakeSurface(rect.x, rect.y, rect.width, rect.height, fmt,
                                              None if ops is None else Region(tuple(ops)), scale),
    rects, st.sampled_from([cairo.FORMAT_RGB24, cairo.FORMAT_ARGB32]),
    st.none() | st.lists(st.tuples(st.booleans(), st.builds(Box, st.integers(-2, 8), st.integers(-2, 8),
                                                            st.integers(-1, 9), st.integers(-1, 9))), max_size=3),
    st.sampled_from([1, 1, 1, 2]))


def model_opaque(surface: FakeSurface, px: int, py: int) -> bool:
    """Whether global pixel (px, py) is one that ``surface`` certainly hides, pixel by pixel."""
    sx, sy = px - surface.x, py - surface.y
    if not (0 <= sx < surface.width and 0 <= sy < surface.height) or surface.scale != 1:
        return False
    if surface.fmt == cairo.FORMAT_RGB24:
        return True
    return surface.opaque is not None and surface.opaque.contains(sx, sy)


@settings(max_examples=400, deadline=None)
@given(st.lists(surfaces, max_size=6))
def test_a_surface_is_hidden_exactly_when_every_pixel_of_it_on_screen_is_hidden_above(
        stack: list[FakeSurface]) -> None:
    screen = cairo.Region(cairo.RectangleInt(0, 0, SIDE, SIDE))
    hidden = hidden_surfaces([(s, s.x, s.y) for s in stack], screen)  # type: ignore[misc]
    for index, surface in enumerate(stack):
        pixels = [(px, py) for px in range(max(0, surface.x), min(SIDE, surface.x + surface.width))
                  for py in range(max(0, surface.y), min(SIDE, surface.y + surface.height))]
        covered = all(any(model_opaque(above, px, py) for above in stack[index + 1:]) for px, py in pixels)
        expected = surface.width > 0 and surface.height > 0 and covered
        assert (surface in hidden) == expected, (index, surface)


def test_withhold_keeps_a_hidden_surfaces_callbacks_and_gives_them_back_first() -> None:
    shown, covered = FakeSurface(0, 0, 1, 1), FakeSurface(0, 0, 1, 1)
    held: dict[Any, list[Any]] = {}
    answers = withhold(Answers(callbacks=[(covered, "c1"), (shown, "s1")], feedbacks=[(covered, "f1"), (shown, "f2")]),
                       held, {covered})  # type: ignore[list-item]
    assert answers.callbacks == [(shown, "s1")] and held == {covered: ["c1"]}
    assert answers.feedbacks == [(shown, "f2")] and answers.unseen == [(covered, "f1")]
    answers = withhold(Answers(callbacks=[(covered, "c2")]), held, {covered})  # type: ignore[list-item]
    assert answers.callbacks == [] and held == {covered: ["c1", "c2"]}
    answers = withhold(Answers(callbacks=[(shown, "s2"), (covered, "c3")]), held, set())  # type: ignore[list-item]
    assert answers.callbacks == [(covered, "c1"), (covered, "c2"), (shown, "s2"), (covered, "c3")] and held == {}


# -- the frame clock, both paths ---------------------------------------------------------------------------
class FakeBackend:
    def __init__(self, flips: bool) -> None:
        self.flips = flips

    def prepare(self, output: Output) -> None:
        pass

    def present(self, output: Output, changed: list[Box]) -> bool:
        return self.flips  # True: a page flip is queued, FrameClock.presented follows


class Loop:
    def time(self) -> float:
        return 0.0

    def call_at(self, when: float, callback: Any, *args: Any) -> Any:
        return SimpleNamespace(cancel=lambda: None)


class FakeCallback:
    def __init__(self, name: str, done: list[str]) -> None:
        self.name, self.log = name, done

    def done(self, millis: int) -> None:
        self.log.append(self.name)


@pytest.mark.parametrize("flips", [False, True], ids=["shown-at-once", "paced-by-page-flips"])
def test_the_frame_clock_answers_a_covered_surface_once_it_shows_or_is_unmapped(flips: bool) -> None:
    scene = Scene()
    output = Output("OUT-1", 0, 0, 100, 100)
    scene.outputs.append(output)
    below, cover, other = FakeSurface(10, 10, 30, 30), FakeSurface(0, 0, 50, 50), FakeSurface(60, 60, 20, 20)
    scene.layers["windows"].extend(FakeNode(s) for s in (below, cover, other))  # type: ignore[misc]
    clock = FrameClock(scene, Loop(), FakeBackend(flips), lambda *args: None,  # type: ignore[arg-type]
                       contextlib.nullcontext)
    done: list[str] = []

    def frame(*names: tuple[FakeSurface, str]) -> list[str]:
        """Commits with callbacks, damage, then one frame; the callbacks answered when it is on screen."""
        for surface, name in names:
            clock.queue(surface, [FakeCallback(name, done)], [])  # type: ignore[arg-type, list-item]
        scene.damage(Box(0, 0, 100, 100))
        done.clear()
        clock.tick(output)
        if flips:
            assert done == [], "nothing is answered before the flip completes"
            clock.presented(output, 1_000_000_000, 1)
        return list(done)

    assert frame((below, "below-1"), (other, "other-1")) == ["other-1"], "covered: held; the other answered"
    assert frame((other, "other-2")) == ["other-2"]
    cover.x = 50  # moved: half of ``below`` shows
    scene.layout_changed()
    assert frame() == ["below-1"], "shows again: its held callback is answered"
    cover.x = 0
    assert frame((below, "below-2")) == []
    below.content = None  # unmapped
    assert frame() == ["below-2"]
