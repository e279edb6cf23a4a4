"""Scrolling moves pixels: the viewport is copied and only what scrolled into view is drawn; rows that stay
in view are not laid out again; and the result is the same picture a full redraw makes."""

from __future__ import annotations

from typing import Any

import pytest

from widgets import Element, FunctionApp, Rect, column, container, text, virtual_list
from widgets.core.element import LayoutContext, Tree
from widgets.core.layout import Limits, Node
from widgets.gallery import Gallery
from widgets.headless import render
from widgets.testing import Simulator, compare
from widgets.widget.text import Text
from widgets.widget.virtual_list import VirtualList


class CountingText(Text):
    """A text that counts how often it is laid out (in a list owned by the test, not globally)."""

    def __init__(self, content: str, counter: list[int]) -> None:
        super().__init__(content)
        self.counter = counter

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        self.counter.append(1)
        return super().layout(tree, limits, ctx)


def list_app(counter: list[int], selectable: bool = False) -> FunctionApp[Any, Any]:
    def view(state: list[int]) -> Element[Any]:
        rows = virtual_list(10_000, 25, lambda i: container(CountingText(f"Row {i + 1}", counter)).padding((3, 8)))
        if selectable:
            rows = rows.on_select(lambda i: i)
        return column([text("Header").height(40), rows.height(200)])
    return FunctionApp(lambda: [0], lambda s, m: None, view)


def test_wheel_scroll_copies_the_viewport_and_draws_only_the_exposed_strip() -> None:
    with Simulator(list_app([]), (300, 260)) as sim:
        sim.render()
        box = sim.find_all(VirtualList)[0].bounds
        assert box == Rect(0, 40, 300, 200)
        sim.scroll((100, 120), 50)
        sim.render()
        frame = sim.runtime.last_frame
        assert [(b.viewport, b.dy) for b in frame.copied] == [(Rect(0, 40, 290, 200), 50)]
        strip, bar = Rect(0, 190, 290, 50), Rect(290, 40, 10, 200)
        assert sorted(frame.drawn, key=lambda r: r.x) == [strip, bar]
        sim.find("Row 3")  # 50 px = two rows scrolled away
        with pytest.raises(LookupError):
            sim.find("Row 2")
        # scrolling back up exposes the top strip
        sim.scroll((100, 120), -25)
        sim.render()
        assert Rect(0, 40, 290, 25) in sim.runtime.last_frame.drawn


def test_scrolled_frames_match_a_full_redraw() -> None:
    for scale in (1.0, 2.0):
        with Simulator(Gallery(), (1000, 760), scale) as sim:
            sim.render()
            sim.click("Row 3")  # a selected row, and the pointer stays over the list: hover moves with it
            for dy in (26, 26, 52, -26, 13):
                sim.scroll(sim.find_all(VirtualList)[0].center, dy)
                incremental = sim.render()
                assert sim.runtime.last_frame.copied, "the list's pixels were not copied"
                full = render(sim.runtime, 1000, 760, scale)
                # cairo itself rounds a pixel half-covered by two row backgrounds by 1/255 differently at
                # different heights, so "the same" is within 2/255 per channel
                assert compare(incremental, full, threshold=2) == 0.0, f"scale {scale}, step {dy}"


def test_rows_that_stay_in_view_are_not_laid_out_again() -> None:
    counter: list[int] = []
    with Simulator(list_app(counter, selectable=True), (300, 260)) as sim:
        layouts = sim.runtime.layout_count
        counter.clear()
        sim.scroll((100, 120), 25)  # one row out at the top, one in at the bottom
        sim.render()
        assert sim.runtime.layout_count == layouts  # the window is not laid out again
        assert len(counter) == 1
        counter.clear()
        assert sim.click("Row 4") == [3]  # selecting restyles a row; its layout does not change
        sim.render()
        assert counter == []
