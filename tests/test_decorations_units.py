"""The pure side of server-side decorations: a frame's layout, hit testing, what a press starts, the drawing."""

from __future__ import annotations

import cairo

from compositor import decorations as deco
from compositor.geometry import Box
from themes import builtin

STYLE = builtin("orrery-dark").decorations.active  # border 1, buttons minimize, maximize, close


def test_layout_puts_the_title_bar_above_the_geometry_and_the_buttons_at_its_right() -> None:
    layout = deco.frame_layout(STYLE, 400, 300, maximized=False)
    bar, border = round(STYLE.height), round(STYLE.border_width)
    assert layout.insets == deco.Insets(border, border + bar, border, border)
    assert layout.outer == Box(0, 0, 400 + 2 * border, 300 + bar + 2 * border)
    assert [name for name, _ in layout.buttons] == list(STYLE.buttons)
    assert layout.buttons[-1][1] == Box(border + 400 - bar, border, bar, bar)
    maximized = deco.frame_layout(STYLE, 400, 300, maximized=True)
    assert maximized.insets == deco.Insets(0, bar, 0, 0) and maximized.radius == 0


def test_a_narrow_window_keeps_half_its_bar_for_the_title() -> None:
    layout = deco.frame_layout(STYLE, round(STYLE.height) * 3, 100, maximized=False)
    assert [name for name, _ in layout.buttons] == ["close"]


def test_hit_testing_names_buttons_title_edges_and_corners() -> None:
    layout = deco.frame_layout(STYLE, 400, 300, maximized=False)
    close = layout.buttons[-1][1]
    assert deco.hit_test(layout, close.x + 2, close.y + 2) == "close"
    assert deco.hit_test(layout, 100, 10) == "title"
    assert deco.hit_test(layout, 100, 100) is None, "the window geometry is the client's"
    outer = layout.outer
    assert deco.hit_test(layout, -3, 150) == "left"
    assert deco.hit_test(layout, outer.right + 2, 150) == "right"
    assert deco.hit_test(layout, 200, -2) == "top"
    assert deco.hit_test(layout, 200, outer.bottom + 5) == "bottom"
    assert deco.hit_test(layout, outer.right + 3, outer.bottom + 3) == "bottom_right"
    assert deco.hit_test(layout, 5, -3) == "top_left"
    assert deco.hit_test(layout, -deco.GRIP - 1, 150) is None, "beyond the grip: not the frame's"
    maximized = deco.frame_layout(STYLE, 400, 300, maximized=True)
    assert deco.hit_test(maximized, -2, 150) is None, "a maximized window does not resize"


def test_presses_move_maximize_resize_or_arm_a_button() -> None:
    left, right = deco.BTN_LEFT, deco.BTN_LEFT + 1
    assert deco.press_action("title", left, double_click=False) == "move"
    assert deco.press_action("title", left, double_click=True) == "maximize"
    assert deco.press_action("bottom_right", left, double_click=False) == "resize"
    assert deco.press_action("close", left, double_click=False) == "button"
    assert deco.press_action("title", right, double_click=False) == "none"


def test_the_title_bar_is_drawn_in_the_theme_colours_and_hovered_close_in_its_own() -> None:
    layout = deco.frame_layout(STYLE, 400, 300, maximized=False)
    piece = layout.top_piece
    image = cairo.ImageSurface(cairo.FORMAT_ARGB32, piece.width, piece.height)
    deco.draw_title_bar(cairo.Context(image), STYLE, builtin("orrery-dark").fonts.ui, layout, "Title",
                        deco.FrameLook(hovered="close"))
    image.flush()
    data, stride = bytes(image.get_data()), image.get_stride()

    def pixel(x: int, y: int) -> str:
        b, g, r = data[y * stride + x * 4: y * stride + x * 4 + 3]
        return f"#{r:02x}{g:02x}{b:02x}"

    assert pixel(60, piece.height - 3) == STYLE.title_background.hex()
    close = layout.buttons[-1][1]
    assert pixel(close.x + 7, close.y + 7) == STYLE.close_hover.hex()
    assert pixel(piece.width // 2, 0) == STYLE.border.hex()
    assert pixel(0, 0) == "#000000", "a rounded corner leaves the corner transparent"


def test_a_client_inventing_app_ids_costs_no_icon_theme_search_each_time() -> None:
    """An app_id is the client's to choose: only icons of installed desktop entries are looked up, so ten thousand
    new app_ids are one lookup (the generic icon) and remember nothing new."""
    from compositor.title_icons import TitleIcons

    icons = TitleIcons()
    generic = icons.image("no-such-app-0", 20)
    searched = dict(icons._lookup._found)
    assert all(icons.image(f"no-such-app-{n}", 20) is generic for n in range(1, 10_000))
    assert icons._lookup._found == searched
