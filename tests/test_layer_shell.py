"""Third-party layer-shell clients on Orrery: swaybg, waybar, fuzzel, mako and gtk-layer-shell's demo."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from compositor.backends.base import OutputSpec
from compositor.backends.headless import HeadlessBackend
from compositor.handlers import layer_shell
from compositor.server import Compositor
from tests.harness import ROOT, Session, wait_until
from tests.layer_clients import BAR_BLUE, BAR_HEIGHT, start_waybar

SIMPLE_SHM = "org.freedesktop.weston.simple-shm"
# the session bus daemon's pid, asked of the bus itself (dbus-run-session leaves it running here)
BUS_PID = ("dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
           "org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.DBus | awk '/uint32/{print $2}'")


def _layers(session: Session, namespace: str) -> list[dict]:
    return [s for s in session.msg("layers") if s["namespace"] == namespace]


def test_swaybg_fills_the_output_below_windows(session: Session) -> None:
    session.spawn(["swaybg", "-c", "#ff0000"])
    wallpaper = wait_until(lambda: _layers(session, "wallpaper"), what="swaybg's surface")[0]
    assert (wallpaper["layer"], wallpaper["x"], wallpaper["y"]) == ("background", 0, 0)
    assert (wallpaper["width"], wallpaper["height"]) == (1280, 800)
    wait_until(lambda: session.screenshot().pixel(10, 10) == (255, 0, 0), what="the red wallpaper")
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window(SIMPLE_SHM)
    shot = session.screenshot()
    assert shot.pixel(window["x"] + 5, window["y"] + 5) == (255, 255, 255), "the window is drawn over it"
    assert shot.pixel(window["x"] - 5, window["y"] - 5) == (255, 0, 0)
    assert shot.pixel(1270, 790) == (255, 0, 0)


def test_waybar_reserves_the_top_of_the_output_for_its_bar(session: Session, tmp_path: Path) -> None:
    bar = start_waybar(session, tmp_path)
    assert (bar["layer"], bar["x"], bar["y"], bar["width"], bar["height"]) == ("top", 0, 0, 1280, BAR_HEIGHT)
    assert bar["exclusive_zone"] == BAR_HEIGHT
    session.spawn(["foot", "--maximized", "sh"], env={"SHELL": "/bin/sh"})
    # foot's server-side frame (title bar) starts right below the bar, and the window fills the rest
    foot = session.wait_for_window("foot", predicate=lambda w: w["maximized"] and w["y"] + w["height"] == 800)
    assert foot["frame"] == {"x": 0, "y": BAR_HEIGHT, "width": 1280, "height": 800 - BAR_HEIGHT}
    assert (foot["x"], foot["width"]) == (0, 1280)
    session.spawn(["weston-simple-shm"])
    shm = session.wait_for_window(SIMPLE_SHM)
    assert shm["y"] >= BAR_HEIGHT
    shot = session.screenshot()
    assert shot.pixel(1200, 10) == BAR_BLUE, "the bar stays on top of the maximized window"
    assert shot.pixel(1200, BAR_HEIGHT + 100) != BAR_BLUE


def test_fuzzel_takes_the_keyboard_filters_and_launches(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    session.wait_for_window(SIMPLE_SHM)
    fuzzel = session.spawn(["fuzzel"])
    launcher = wait_until(lambda: _layers(session, "launcher"), timeout=15, what="fuzzel's surface")[0]
    assert launcher["layer"] in ("top", "overlay") and launcher["keyboard_interactivity"] == 1
    area = (launcher["x"], launcher["y"], launcher["width"], launcher["height"])
    before = session.screenshot("before.png").region_colours(*area, step=2)
    assert session.run(["wtype", "foot"]).returncode == 0  # typed into fuzzel, not the focused window
    wait_until(lambda: session.screenshot("typed.png").region_colours(*area, step=2) != before,
               what="fuzzel to show the filtered list")
    assert session.run(["wtype", "-k", "Return"]).returncode == 0
    foot = session.wait_for_window("foot")
    assert foot["focused"]
    wait_until(lambda: not _layers(session, "launcher"), what="fuzzel to close after launching")
    assert fuzzel.wait(5) == 0


def test_fuzzel_closes_on_escape(session: Session) -> None:
    fuzzel = session.spawn(["fuzzel"])
    wait_until(lambda: _layers(session, "launcher"), timeout=15, what="fuzzel's surface")
    assert session.run(["wtype", "-k", "Escape"]).returncode == 0
    wait_until(lambda: not _layers(session, "launcher"), what="fuzzel's surface to go")
    assert fuzzel.wait(5) == 0, "fuzzel dismissed with Escape exits cleanly (not killed, not crashed)"
    assert session.windows() == []


def test_mako_shows_a_notify_send_notification(session: Session, tmp_path: Path) -> None:
    background = session.screenshot("empty.png").pixel(1000, 20)
    stop = tmp_path / "stop"  # lets the session bus end with dbus-run-session instead of outliving a kill
    # notify-send once mako owns the notifications name on the bus (it would fail before)
    bus = session.spawn(["dbus-run-session", "--", "sh", "-c", "mako & gdbus wait --session --timeout 15 "
                         "org.freedesktop.Notifications && notify-send hello; "
                         f"while [ ! -e {stop} ]; do sleep 0.1; done; kill $!; kill $({BUS_PID})"])
    note = wait_until(lambda: _layers(session, "notifications"), timeout=15, what="mako's notification")[0]
    assert note["layer"] == "top" and note["width"] > 100 and note["height"] > 20
    assert note["x"] + note["width"] == 1280 and note["y"] == 0, "mako's default corner: top right"
    colours = session.screenshot().region_colours(note["x"], note["y"], note["width"], note["height"], step=2)
    assert len(colours - {background}) > 3, "a box with text in it"
    stop.touch()
    bus.wait(10)


def test_gtk_layer_demo_maps_and_opens_its_popup_menu(session: Session) -> None:
    session.spawn(["gtk-layer-demo"], env={"GDK_BACKEND": "wayland"})
    demo = wait_until(lambda: [s for s in _layers(session, "demo") if s["width"] > 100], timeout=15,
                      what="gtk-layer-demo's surface")[0]
    assert demo["layer"] == "top"
    box = (demo["x"], demo["y"], demo["width"], demo["height"])
    wait_until(lambda: len(session.screenshot().region_colours(*box)) > 8, what="the demo's widgets")
    # "Popup menu": the combo box below that label, in the top-left part of the panel
    session.pointer("move", str(demo["x"] + 55), str(demo["y"] + 65), "click", "left")
    popup = wait_until(lambda: _layers(session, "demo")[0]["popups"], what="the combo box's menu")[0]
    assert popup["width"] > 20 and popup["height"] > 20
    session.pointer("move", "20", "780", "click", "left")  # outside: the menu closes
    wait_until(lambda: not _layers(session, "demo")[0]["popups"], what="the menu to close")


def test_invalid_layer_shell_requests_are_protocol_errors(session: Session) -> None:
    result = session.run([sys.executable, "-m", "tests.tools.shell_probe", "layer-errors", session.name], cwd=ROOT)
    assert json.loads(result.stdout) == {"invalid_layer": True, "invalid_anchor": True, "invalid_keyboard": True,
                                         "zero_width_unanchored": True}, "each connection ended by its error"
    errors = result.stderr.decode()
    for expected in ("zwlr_layer_shell_v1#7: error 1", "error 2: invalid anchor", "error 3: invalid keyboard",
                     "error 1: width 0"):
        assert expected in errors
    assert session.alive()


def test_layer_surfaces_of_a_removed_output_are_closed(runtime_dir: Path) -> None:
    """swaybg draws on both outputs; when one goes away its surface there is closed (and swaybg drops it)."""

    async def scenario() -> list[list[tuple[str, str]]]:
        backend = HeadlessBackend([OutputSpec(640, 480, 60.0), OutputSpec(320, 240, 60.0)])
        compositor = Compositor(asyncio.get_running_loop(), backend)
        socket = compositor.display.add_socket(f"layer-close-{os.getpid()}")
        env = {**os.environ, "WAYLAND_DISPLAY": socket}
        swaybg = await asyncio.create_subprocess_exec("swaybg", "-c", "#00ff00", env=env,
                                                      stderr=asyncio.subprocess.DEVNULL)
        seen = []
        try:
            seen.append(await _wait_layers(compositor, 2))
            compositor.remove_output(compositor.scene.outputs[1])
            seen.append(await _wait_layers(compositor, 1))
            assert swaybg.returncode is None, "swaybg keeps running on the other output"
        finally:
            swaybg.kill()
            await swaybg.wait()
            compositor.shutdown()
        return seen

    before, after = asyncio.run(scenario())
    assert sorted(before) == [("HEADLESS-1", "wallpaper"), ("HEADLESS-2", "wallpaper")]
    assert after == [("HEADLESS-1", "wallpaper")]


async def _wait_layers(compositor: Compositor, count: int) -> list[tuple[str, str]]:
    for _ in range(200):
        found = [(s["output"], s["namespace"]) for s in layer_shell.layers(compositor, [])]
        if len(found) == count:
            return found
        await asyncio.sleep(0.05)
    raise TimeoutError(f"expected {count} layer surfaces, have {found}")


def _layer_probe(session: Session, scenario: str) -> dict:
    result = session.run([sys.executable, "-m", "tests.tools.layer_probe", scenario, session.name], cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_layer_surface_is_reconfigured_before_mapping_and_placed_by_the_size_it_asked_for(
        session: Session) -> None:
    seen = _layer_probe(session, "layer-configure")
    assert seen["first"] == [["configure", 200, 300]]
    assert seen["stretched"] == [["configure", 1280, 800]], "a buffer-less commit with new anchors is answered"
    # anchored bottom-right with margins 9 and 15, asked for 200x300, drew 52x74: placed as asked
    assert seen["placed"] == [1280 - 9 - 200, 800 - 15 - 300, 52, 74]
    assert seen["moved"] == [100, 50, 52, 74], "`surface move` puts a layer surface anywhere"


def test_on_demand_layer_surface_has_the_keyboard_when_mapped_until_a_window_takes_it(session: Session) -> None:
    seen = _layer_probe(session, "on-demand-keyboard")
    assert seen["mapped"] == [["leave"], ["enter", seen["layer"]]]
    assert seen["after_window"] == [["leave"], ["enter", seen["second_window"]]]
