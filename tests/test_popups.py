"""xdg_popup with a real GTK client: a menu opens where GTK asks and closes on a click outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import Session, wait_until


@pytest.fixture
def two_outputs(runtime_dir: Path):  # type: ignore[no-untyped-def]
    session = Session(runtime_dir, outputs=("1280x800@60", "640x480@60"))
    yield session
    assert session.stop() == 0


def test_gtk_menu_opens_and_closes_on_outside_click(two_outputs: Session) -> None:
    session = two_outputs
    session.spawn(["dbus-run-session", "--", "gtk4-widget-factory"], env={"GSK_RENDERER": "cairo"})
    window = session.wait_for_window("org.gtk.WidgetFactory4", timeout=30)
    before = session.screenshot("before.png")
    # the primary menu button sits at the right end of the header bar, on the first output
    button_x, button_y = 1265, 22
    session.pointer("move", str(button_x), str(button_y), "click", "left")
    menu = wait_until(lambda: session.windows()[0]["popups"], what="the menu popup")[0]
    assert menu["y"] >= window["y"] + 30 and menu["x"] + menu["width"] <= 1280, "kept on the output, below"
    area = (menu["x"], menu["y"], menu["width"], menu["height"])
    assert session.screenshot("open.png").region_colours(*area) != before.region_colours(*area), "menu drawn"

    session.pointer("move", "1600", "400", "click", "left")  # the empty second output
    wait_until(lambda: not session.windows()[0]["popups"], what="the menu to close")
    assert session.screenshot("closed.png").region_colours(*area) == before.region_colours(*area)
