"""Each widget through the gallery, as a user would use it: click, type, drag, scroll; then look."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from widgets import Point, Rect
from widgets.gallery import Gallery, GalleryState
from widgets.testing import Simulator
from widgets.widget.slider import Slider
from widgets.widget.text_input import TextInput
from widgets.widget.virtual_list import VirtualList


@pytest.fixture
def sim() -> Iterator[Simulator[GalleryState, tuple[object, ...]]]:
    with Simulator(Gallery(), (1000, 760)) as simulator:
        yield simulator


def test_buttons(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    assert sim.click("Click me") == [("click",)]
    assert sim.click("Click me") == [("click",)]
    sim.find("Clicked 2 times")
    assert sim.click("Disabled") == []
    assert sim.click("Reset") == [("reset",)]
    assert sim.state.clicks == 0
    # pressing, moving off and releasing does not click
    start = sim.find("Click me").center
    sim.drag(start, (start.x, start.y + 200))
    assert sim.state.clicks == 0


def test_button_hover_changes_its_pixels(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    reset = sim.find("Reset").bounds
    corner = (reset.x + 3, reset.center.y)
    idle = sim.pixel(*corner)
    sim.move("Reset")
    assert sim.pixel(*corner) != idle


def test_text_input_editing_selection_clipboard(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    sim.click("Your name")
    sim.type("Grace")
    assert sim.state.name == "Grace"
    sim.find("Hello, Grace!")
    sim.key("Home")
    sim.key("Right", shift=True)
    sim.key("Right", shift=True)
    sim.key("c", ctrl=True)
    assert sim.clipboard.text == "Gr"
    sim.key("End")
    sim.key("v", ctrl=True)
    assert sim.state.name == "GraceGr"
    sim.key("a", ctrl=True)
    sim.key("x", ctrl=True)
    assert sim.state.name == "" and sim.clipboard.text == "GraceGr"
    sim.type("Ann\b\bda")
    assert sim.state.name == "Ada"


def test_password_field_hides_text_and_refuses_copy(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    field = next(f for f in sim.find_all(TextInput) if f.widget._secure)  # type: ignore[union-attr]
    sim.click(field)
    sim.key("a", ctrl=True)
    sim.key("c", ctrl=True)
    assert sim.clipboard.text == ""
    assert "hunter2" not in {f.text for f in sim.all()}


def test_text_input_click_places_cursor(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    sim.click("Your name")
    sim.type("abcdef")
    field = sim.find("abcdef").bounds
    sim.click(Point(field.x + 8 + 1, field.center.y))  # before the first character
    sim.type("X")
    assert sim.state.name == "Xabcdef"


def test_checkbox_toggler_radio(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    assert sim.click("Wi-Fi") == [("wifi", False)]
    assert sim.click("Wi-Fi") == [("wifi", True)]
    assert sim.click("Large") == [("size", "Large")]
    assert sim.state.size == "Large"
    assert sim.click("Dark mode") == [("dark", True)]
    assert sum(sim.pixel(995, 755)) < 150  # the whole window restyled dark


def test_keyboard_activation_of_focused_checkbox(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    wifi = sim.find("Wi-Fi")
    for _ in range(20):  # Tab through the window until the checkbox has the focus
        sim.tab()
        if sim.runtime.focused() is wifi.tree:
            break
    else:
        raise AssertionError("Tab never reached the Wi-Fi checkbox")
    b = wifi.bounds
    mark = Rect(b.x, b.y, 20, b.height)
    ticked = sim.colours(mark, step=1)
    assert sim.key("space") == [("wifi", False)]
    assert sim.state.wifi is False
    assert sim.colours(mark, step=1) != ticked  # the tick went away on screen
    assert sim.key("space") == [("wifi", True)]
    assert sim.state.wifi is True and sim.colours(mark, step=1) == ticked
    assert sim.runtime.focused() is wifi.tree  # and it kept the focus


def test_slider_drag_and_keys(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    bar = sim.find_all(Slider)[0].bounds
    sim.drag(Point(bar.x + bar.width / 2, bar.center.y), (bar.right + 50, bar.center.y))
    assert sim.state.volume == 100
    sim.key("Left")
    assert sim.state.volume == 99
    sim.click(Point(bar.x + 1, bar.center.y))
    assert sim.state.volume == 0


def test_pick_list_popup(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    sim.click("Pick one…")
    menu = sim.find("Cherry")
    assert menu.widget is None  # it is an overlay item
    assert sim.click("Cherry") == [("fruit", "Cherry")]
    with pytest.raises(LookupError):
        sim.find("Durian")  # closed again
    sim.find("Cherry")
    sim.click("Cherry")  # reopen, then a click elsewhere closes it without doing anything else
    assert sim.click((900, 740)) == []
    with pytest.raises(LookupError):
        sim.find("Banana")


def test_tooltip_shows_on_hover(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    with pytest.raises(LookupError):
        sim.find("A tooltip drawn above everything")
    target = sim.find("Hover me").bounds
    below = (target.center.x, target.bottom + 12)
    before = sim.pixel(*below)
    sim.move("Hover me")
    assert sim.pixel(*below) != before
    sim.move((5, 5))
    assert sim.pixel(*below) == before


def test_mouse_area_enter_exit(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    assert sim.move("Mouse area: outside") == [("hover", True)]
    assert sim.move((5, 5)) == [("hover", False)]


def test_virtual_list_lays_out_only_visible_rows(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    found = sim.find_all(VirtualList)[0]
    assert len(found.tree.children) < 12  # type: ignore[union-attr]
    sim.scroll("Row 3", 26 * 5000)
    sim.find("Row 5001")
    assert len(found.tree.children) < 12  # type: ignore[union-attr]
    assert sim.click("Row 5002") == [("row", 5001)]
    sim.find("Picked row 5002")
    # drag the scrollbar thumb to the bottom
    box = found.bounds
    sim.drag(Point(box.right - 5, box.y + box.height / 2), (box.right - 5, box.bottom + 100))
    sim.find("Row 10000")


def test_outer_scrollable_wheel(sim: Simulator[GalleryState, tuple[object, ...]]) -> None:
    sim.runtime.resize(sim.runtime.window_size.__class__(1000, 400))
    y = sim.find("Text input").bounds.y
    sim.scroll("Buttons", 120)
    assert sim.find("Text input").bounds.y == y - 120
