"""The gallery on Orrery, used as a person would: a pick list's menu is a real popup (pick by clicking, a click
outside closes it), typing with a (virtual) keyboard shows up, a held key repeats, and copy and paste go
through the Wayland clipboard to and from other clients (wl-copy, wl-paste)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cairo
import pytest

from tests.harness import ROOT, Session, wait_until
from tests.test_widgets_wayland import _shows
from widgets import Rect
from widgets.gallery import Gallery
from widgets.testing import Simulator

GALLERY = [sys.executable, "-m", "widgets.gallery", "--size", "1000x760"]
SIZE = (1000, 760)


@pytest.fixture
def gallery(session: Session, runtime_dir: Path) -> Iterator[dict[str, Any]]:
    log = open(runtime_dir / "gallery.log", "wb")  # noqa: SIM115 - closed below
    client = session.spawn(GALLERY, stderr=log, cwd=ROOT)
    window = session.wait_for_window("org.orrery.Gallery")
    yield window
    assert client.poll() is None
    log.close()
    assert "Traceback" not in (runtime_dir / "gallery.log").read_text()


def _click(session: Session, window: dict[str, Any], x: float, y: float) -> None:
    session.pointer("move", str(int(window["x"] + x)), str(int(window["y"] + y)), "click", "left")


def _popups(session: Session) -> list[dict[str, int]]:
    return session.wait_for_window("org.orrery.Gallery")["popups"]  # type: ignore[no-any-return]


def _expect(*actions: tuple[str, Any]) -> tuple[cairo.ImageSurface, Simulator]:  # type: ignore[type-arg]
    """The gallery after ``actions`` (simulated), to compare the screen with."""
    sim = Simulator(Gallery(), SIZE)
    for action, arg in actions:
        getattr(sim, action)(arg)
    return sim.render(), sim


def test_pick_list_menu_is_a_popup_picked_by_clicking_and_closed_by_a_click_outside(
        session: Session, gallery: dict[str, Any]) -> None:
    with Simulator(Gallery(), SIZE) as sim:
        field = sim.find("Pick one…").bounds
        sim.click("Pick one…")
        menu = sim.runtime.overlay_node.bounds  # type: ignore[union-attr]
        cherry = sim.find("Cherry").bounds
    _click(session, gallery, field.center.x, field.center.y)
    popup = wait_until(lambda: _popups(session), what="the menu's popup")[0]
    assert (popup["x"], popup["y"]) == (gallery["x"] + int(menu.x), gallery["y"] + int(menu.y))
    assert popup["height"] >= 4 * 20  # four options

    _click(session, gallery, cherry.center.x, cherry.center.y)
    wait_until(lambda: not _popups(session), what="the menu to close")
    expected, sim = _expect(("click", "Pick one…"), ("click", "Cherry"))
    with sim:
        shown = sim.find("Cherry").bounds  # the field now shows the choice
        assert sim.state.fruit == "Cherry"
    wait_until(lambda: _shows(session, gallery["x"], gallery["y"], expected, shown), what="Cherry in the field")

    _click(session, gallery, field.center.x, field.center.y)  # open again, then click elsewhere
    wait_until(lambda: _popups(session), what="the menu's popup")
    _click(session, gallery, 980, 740)
    wait_until(lambda: not _popups(session), what="a click outside to close the menu")
    assert _shows(session, gallery["x"], gallery["y"], expected, shown)  # nothing was picked


def _type(session: Session, *args: str) -> None:
    result = session.run(["wtype", *args])
    assert result.returncode == 0, result.stderr.decode()


def _focus_name_field(session: Session, window: dict[str, Any]) -> Rect:
    with Simulator(Gallery(), SIZE) as sim:
        field = sim.find("Your name").bounds
    _click(session, window, field.x + 20, field.center.y)
    return field


def _greeting_shows(session: Session, window: dict[str, Any], name: str) -> bool:
    expected, sim = _expect(("click", "Your name"), ("type", name))
    with sim:
        label = sim.find(f"Hello, {name}!").bounds
    return _shows(session, window["x"], window["y"], expected, label)


def test_typing_shows_and_a_held_key_repeats(session: Session, gallery: dict[str, Any]) -> None:
    _focus_name_field(session, gallery)
    _type(session, "Grace")
    wait_until(lambda: _greeting_shows(session, gallery, "Grace"), what="'Hello, Grace!' on screen")
    # hold "a" for well over the repeat delay: more than one "a" arrives
    _type(session, "-P", "a", "-s", "1500", "-p", "a")
    with Simulator(Gallery(), SIZE) as sim:
        sim.click("Your name")
        sim.type("Gracea")
        one = sim.find("Hello, Gracea!").bounds
    shot = session.screenshot()
    x, y = gallery["x"], gallery["y"]
    row = [shot.pixel(x + int(one.right) + dx, y + int(one.center.y)) for dx in range(2, 30)]
    background = shot.pixel(x + int(one.right) + 60, y + int(one.y) - 2)
    assert not _greeting_shows(session, gallery, "Gracea")
    assert any(p != background for p in row), "the greeting did not grow past one repeated 'a'"


def test_copy_in_a_text_input_then_wl_paste_prints_it(session: Session, gallery: dict[str, Any]) -> None:
    _focus_name_field(session, gallery)
    _type(session, "Ada Lovelace")
    wait_until(lambda: _greeting_shows(session, gallery, "Ada Lovelace"), what="the typed name")
    _type(session, "-M", "ctrl", "a", "c", "-m", "ctrl")

    def pasted() -> str:  # wtype returns before the gallery has handled the keys: ask until it has
        result = session.run(["wl-paste", "--no-newline"], timeout=15)
        return result.stdout.decode() if result.returncode == 0 else ""
    assert wait_until(pasted, what="a selection to paste") == "Ada Lovelace"


def test_wl_copy_then_ctrl_v_pastes_into_the_focused_text_input(session: Session, gallery: dict[str, Any]) -> None:
    copier = session.spawn(["wl-copy", "hello"])
    assert copier.wait(timeout=15) == 0
    _focus_name_field(session, gallery)  # a click gives the gallery the keyboard (and the selection) back
    _type(session, "-M", "ctrl", "v", "-m", "ctrl")
    wait_until(lambda: _greeting_shows(session, gallery, "hello"), what="'Hello, hello!' on screen")
