"""X11 programs under a headless Orrery through Xwayland: xterm, xeyes, xclock, GTK on X11 and a small xcffib client
(tests/tools/xclient.py) for what those do not exercise (override-redirect popups, dialogs, absurd size hints)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from orrery_testing.process import read_line
from tests.harness import Session, require, wait_until
from tests.test_shell import ACTIVE_TASK_RGB, PANEL_HEIGHT, _runs


@pytest.fixture(autouse=True)
def x11_programs() -> None:
    require({"Xwayland": "xwayland", "xterm": "xterm", "xclip": "xclip", "xprop": "x11-utils", "xeyes": "x11-apps",
             "xclock": "x11-apps", "gtk3-demo": "gtk-3-examples", "wl-copy": "wl-clipboard", "waybar": "waybar"})


def _x_env(session: Session) -> dict[str, str]:
    display = session.msg("xwayland")["display"]
    return {"DISPLAY": display}


def _xclient(session: Session, *args: str) -> tuple[subprocess.Popen[bytes], list[int]]:
    process = session.spawn([sys.executable, "-m", "tests.tools.xclient", *args], env=_x_env(session),
                            stdout=subprocess.PIPE)
    line = read_line(process, 20, "the X client")
    assert line.startswith("ready "), line
    return process, [int(wid, 16) for wid in line.split()[1:]]


def _xterm(session: Session, *args: str, title: str = "xt") -> subprocess.Popen[bytes]:
    return session.spawn(["xterm", "-T", title, "-bg", "red", "-fg", "white", *args], env=_x_env(session))


def _by_title(session: Session, title: str) -> dict[str, Any] | None:
    return next((w for w in session.windows() if w["title"] == title), None)


def test_display_is_reserved_and_xwayland_starts_on_the_first_client(session: Session) -> None:
    line = read_line(session.process, 10, "the compositor")
    assert line.startswith("DISPLAY=:"), "orrery run says DISPLAY on the line after WAYLAND_DISPLAY"
    state = session.msg("xwayland")
    assert state == {"display": line.split("=", 1)[1], "pid": None, "running": False}, "nothing runs until asked"
    number = int(state["display"][1:])
    assert Path(f"/tmp/.X11-unix/X{number}").exists()
    assert Path(f"/tmp/.X{number}-lock").read_text().strip() == str(session.pid)

    started = time.monotonic()
    _xterm(session, title="first")
    window = session.wait_for_window("XTerm")
    elapsed = time.monotonic() - started
    assert window["title"] == "first" and window["xwayland"] is True
    assert window["decorations"] == "server" and window["frame"] is not None
    state = session.msg("xwayland")
    assert state["running"] and state["pid"] > 0
    assert elapsed < 10, f"the first X window took {elapsed:.1f} s"

    shot = session.screenshot()
    x, y = window["x"] + window["width"] // 2, window["y"] + window["height"] - 20
    assert shot.pixel(x, y) == (255, 0, 0), "xterm's red background is on screen where the window is"

    target = session.runtime_dir / "env.txt"
    session.msg("action", f"spawn env > {target}")
    wait_until(lambda: target.exists() and "WAYLAND_DISPLAY=" in target.read_text(), what="spawn's environment")
    assert f"\nDISPLAY={state['display']}\n" in "\n" + target.read_text(), "spawn bindings get DISPLAY"

    pid = session.pid
    session.stop()
    lock = Path(f"/tmp/.X{number}-lock")
    try:
        taken = lock.read_text().strip() != str(pid)  # a compositor started meanwhile took the number
    except FileNotFoundError:
        taken = False
    assert taken or not Path(f"/tmp/.X11-unix/X{number}").exists(), "the lock and the socket go with the compositor"


def test_typing_with_wtype_reaches_xterm(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "typed.txt"
    _xterm(session, "-e", "sh", "-c", f"read line; echo \"$line\" > {target}", title="typing")
    window = session.wait_for_window("XTerm", predicate=lambda w: w["focused"])
    assert window["title"] == "typing"
    time.sleep(0.5)  # xterm's shell reads once it runs
    # One wtype run (one keymap of its own): Xwayland 22 applies a client's later keymaps too late for the
    # keys right after them (a second run's Return arrives as the Escape of the keymap before it).
    assert session.run(["wtype", "hello x11", "-k", "Return"]).returncode == 0
    wait_until(lambda: target.exists() and target.read_text() == "hello x11\n", what="the typed line in the file")


def test_click_focuses_an_x_window_and_close_asks_it_nicely(session: Session) -> None:
    first = _xterm(session, title="one")
    wait_until(lambda: _by_title(session, "one"), what="the first xterm")
    _xterm(session, title="two")
    wait_until(lambda: (_by_title(session, "two") or {}).get("focused"), what="the second xterm focused")
    one = _by_title(session, "one")
    assert one is not None
    two = _by_title(session, "two")
    assert two is not None
    # a point of the first window that the second does not cover
    spots = [(one["x"] + dx, one["y"] + dy) for dx in (5, one["width"] - 5) for dy in (5, one["height"] - 5)]
    spot = next(((x, y) for x, y in spots if not (two["x"] <= x < two["x"] + two["width"]
                                                  and two["y"] <= y < two["y"] + two["height"])), None)
    if spot is None:
        session.msg("window", "move", str(one["id"]), "0", "40")
        one = _by_title(session, "one")
        assert one is not None
        spot = (one["x"] + 5, one["y"] + 5)
    session.pointer("move", str(spot[0]), str(spot[1]), "click", "left")
    wait_until(lambda: (_by_title(session, "one") or {}).get("focused"), what="a click to focus the first xterm")
    assert session.windows()[-1]["title"] == "one", "and raise it"

    session.msg("action", "close")  # the focused window: WM_DELETE_WINDOW (xterm exits on it)
    first.wait(10)
    wait_until(lambda: _by_title(session, "one") is None, what="the closed xterm to go")
    assert _by_title(session, "two") is not None


def test_close_kills_a_client_that_does_not_answer(session: Session) -> None:
    client, _ = _xclient(session, "normal", "--title", "stubborn")
    wait_until(lambda: _by_title(session, "stubborn"), what="the window")
    session.msg("action", "close")  # asked through WM_DELETE_WINDOW: it says "deleted" and stays
    assert read_line(client, 10) == "deleted"
    wait_until(lambda: _by_title(session, "stubborn (not responding: close again to end it)"), timeout=8,
               what="the title to offer the kill")
    session.msg("action", "close")  # asked again after the grace: killed (XKillClient)
    wait_until(lambda: _by_title(session, "stubborn") is None, what="the stubborn window to go")


def test_xwayland_killed_then_started_again(session: Session) -> None:
    session.spawn(["weston-simple-shm"])
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    _xterm(session, title="before")
    wait_until(lambda: _by_title(session, "before"), what="an xterm")
    pid = session.msg("xwayland")["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not session.msg("xwayland")["running"], what="Xwayland's death to be noticed")
    wait_until(lambda: _by_title(session, "before") is None, what="its windows to go")
    assert session.alive()
    assert [w["app_id"] for w in session.windows()] == ["org.freedesktop.weston.simple-shm"]
    _xterm(session, title="after")
    wait_until(lambda: _by_title(session, "after"), what="an xterm on a new Xwayland")
    assert session.msg("xwayland")["pid"] not in (None, pid)


def test_override_redirect_popup_is_placed_where_asked_without_a_frame(session: Session) -> None:
    _xclient(session, "normal", "--title", "main", "--color", "0000ff")
    wait_until(lambda: _by_title(session, "main"), what="the main window")
    _xclient(session, "popup", "--at", "100,120", "--size", "80x60", "--color", "00ff00")
    time.sleep(0.5)
    assert [w["title"] for w in session.windows()] == ["main"], "a popup is not a window"
    windows = session.msg("xwayland", "windows")
    popup = next(w for w in windows if w["override_redirect"] and w["mapped"])
    assert (popup["x"], popup["y"]) == (100, 120)
    shot = wait_until(lambda: (s := session.screenshot()).pixel(140, 150) == (0, 255, 0) and s,
                      what="the popup's pixels where it asked")
    assert shot.pixel(99, 119) != (0, 255, 0) and shot.pixel(180, 180) != (0, 255, 0)


def test_dialog_floats_centred_on_its_parent_while_tiling(runtime_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[tiling]\ndefault = true\n")
    session = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        _xterm(session, title="tile-a")
        wait_until(lambda: _by_title(session, "tile-a"), what="the first xterm")
        _xterm(session, title="tile-b")
        wait_until(lambda: _by_title(session, "tile-b"), what="the second xterm")
        a, b = wait_until(lambda: [w for w in session.windows() if w["tiled"] and w["app_id"] == "XTerm"
                                   and w["width"] > 500] if len(session.windows()) == 2 else None,
                          what="both xterms tiled side by side")
        assert a["x"] != b["x"] and a["y"] == b["y"]
        _xclient(session, "dialog", "--title", "app")
        dialog = wait_until(lambda: _by_title(session, "app dialog"), what="the dialog")
        assert dialog["floating"] and not dialog["tiled"]
    finally:
        session.stop()


def test_configure_request_moves_and_resizes_a_floating_window(session: Session) -> None:
    _, (wid,) = _xclient(session, "normal", "--title", "mover", "--size", "300x200")
    wait_until(lambda: _by_title(session, "mover"), what="the window")
    env = _x_env(session)
    session.run(["xdotool", "windowsize", str(wid), "400", "250"], env=env)
    session.run(["xdotool", "windowmove", str(wid), "200", "150"], env=env)
    wait_until(lambda: (w := _by_title(session, "mover")) and (w["x"], w["y"], w["width"], w["height"])
               == (200, 150, 400, 250), what="the window where and as large as it asked")


def test_absurd_size_hints_and_garbage_properties_break_nothing(session: Session) -> None:
    _xclient(session, "hints", "--title", "absurd", "--min", "100000x5", "--max", "3x3")
    window = wait_until(lambda: _by_title(session, "absurd"), what="the window with absurd hints")
    assert 0 < window["width"] < 20000 and 0 < window["height"] < 20000
    _xclient(session, "normal", "--title", "garbage", "--garbage")
    wait_until(lambda: _by_title(session, "garbage"), what="the window with malformed properties")
    session.msg("action", "maximize")
    wait_until(lambda: (_by_title(session, "garbage") or {}).get("maximized"), what="maximized")
    assert session.alive()


def test_net_wm_state_fullscreen_from_the_client(session: Session) -> None:
    _, (wid,) = _xclient(session, "normal", "--title", "fs", "--fullscreen")
    wait_until(lambda: (w := _by_title(session, "fs")) and w["fullscreen"] and w["width"] == 1280,
               what="the window fullscreen")
    props = session.run(["xprop", "-id", hex(wid), "_NET_WM_STATE"], env=_x_env(session)).stdout.decode()
    assert "_NET_WM_STATE_FULLSCREEN" in props


def test_ewmh_root_properties(session: Session) -> None:
    _xterm(session, title="ewmh")
    window = wait_until(lambda: _by_title(session, "ewmh"), what="an xterm")
    root = session.run(["xprop", "-root"], env=_x_env(session)).stdout.decode()
    assert "_NET_SUPPORTING_WM_CHECK(WINDOW)" in root and "_NET_SUPPORTED(ATOM)" in root
    client_list = next(line for line in root.splitlines() if line.startswith("_NET_CLIENT_LIST(WINDOW)"))
    active = next(line for line in root.splitlines() if line.startswith("_NET_ACTIVE_WINDOW(WINDOW)"))
    assert active.split()[-1] in client_list and active.split()[-1] != "0x0"
    assert window["pid"] is not None


def test_xeyes_and_xclock(session: Session) -> None:
    session.spawn(["xeyes"], env=_x_env(session))
    session.spawn(["xclock"], env=_x_env(session))
    wait_until(lambda: {w["app_id"] for w in session.windows()} >= {"XEyes", "XClock"}, what="xeyes and xclock")


def test_gtk3_on_x11_and_its_combo_box_menu_opens_over_the_combo(session: Session) -> None:
    env = {**_x_env(session), "GDK_BACKEND": "x11", "WAYLAND_DISPLAY": ""}
    session.spawn(["gtk3-demo"], env=env)
    main = session.wait_for_window("Gtk3-demo", timeout=30)
    assert main["xwayland"] and main["width"] > 100
    assert main["decorations"] == "none", "GTK draws its own title bar (_MOTIF_WM_HINTS): no frame of ours"
    # double-click the "Combo Boxes" demo in the list (where GTK's default theme puts that row)
    row = (main["x"] + 72, main["y"] + 247)
    session.pointer("move", str(row[0]), str(row[1]), "click", "left", "sleep", "0.05", "click", "left")
    demo = wait_until(lambda: next((w for w in session.windows() if w["title"] == "Combo Boxes"
                                    and w["decorations"] == "server"), None), timeout=15, what="the demo window")
    combo = (demo["x"] + 200, demo["y"] + 114)  # "Where are we ?"
    session.pointer("move", str(combo[0]), str(combo[1]), "click", "left")

    def menu() -> dict[str, Any] | None:
        return next((w for w in session.msg("xwayland", "windows") if w["override_redirect"] and w["mapped"]
                     and w["app_id"] == "Gtk3-demo" and w["width"] > 100), None)

    popup = wait_until(menu, what="the combo box's menu")
    assert popup["x"] <= combo[0] < popup["x"] + popup["width"] and popup["y"] <= combo[1] < popup["y"] + \
        popup["height"], f"the menu {popup} opens over the combo box at {combo}"
    shot = session.screenshot("gtk-menu.png")
    item = shot.region_colours(popup["x"] + 60, combo[1] - 2, 40, 4)  # the item under the pointer, highlighted
    below = shot.region_colours(popup["x"] + 60, combo[1] + 60, 40, 4)
    assert len(item) == 1 and item != below, "the menu's pixels are where X put it"


def test_xwayland_false_turns_x11_off(runtime_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text("xwayland = false\n")
    session = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        assert session.msg("xwayland") is None
        target = tmp_path / "env.txt"
        session.msg("action", f"spawn env > {target}")
        wait_until(lambda: target.exists() and "WAYLAND_DISPLAY=" in target.read_text(), what="spawn's environment")
        assert "\nDISPLAY=" not in "\n" + target.read_text(), "no DISPLAY when X11 is off"
    finally:
        session.stop()


def test_clipboard_both_ways(session: Session, tmp_path: Path) -> None:
    env = _x_env(session)
    _xterm(session, title="focus")  # an X window, so that Xwayland runs
    wait_until(lambda: _by_title(session, "focus"), what="an xterm")
    source = tmp_path / "x.txt"
    source.write_text("from X11 ✓")
    # xclip -i forks to serve the selection and keeps its stdout and stderr: they must not be pipes we wait on
    session.spawn(["xclip", "-i", "-selection", "clipboard", str(source)], env=env)
    wait_until(lambda: session.run(["wl-paste", "--no-newline"], timeout=15).stdout.decode() == "from X11 ✓",
               what="wl-paste to print what xclip copied")

    assert session.spawn(["wl-copy", "from Wayland ✓"]).wait(15) == 0
    wait_until(lambda: session.run(["xclip", "-o", "-selection", "clipboard"], env=env, timeout=15).stdout.decode()
               == "from Wayland ✓", what="xclip -o to print what wl-copy copied")

    session.spawn(["xclip", "-i", "-selection", "primary", str(source)], env=env)
    wait_until(lambda: session.run(["wl-paste", "--primary", "--no-newline"], timeout=15).stdout.decode()
               == "from X11 ✓", what="the primary selection from X11")

    big = tmp_path / "big.txt"
    big.write_bytes(b"0123456789abcdef" * (1 << 16))  # 1 MiB: an INCR transfer from xclip
    session.spawn(["xclip", "-i", "-selection", "clipboard", str(big)], env=env)
    wait_until(lambda: session.run(["wl-paste", "--no-newline"], timeout=15).stdout == big.read_bytes(),
               timeout=20, what="a large X selection in full")

    large = b"fedcba9876543210" * (3 << 16)  # 3 MiB from Wayland: INCR to xclip, in chunks
    assert session.spawn(["wl-copy"], stdin=subprocess.PIPE).communicate(large, timeout=15) == (None, None)
    wait_until(lambda: session.run(["xclip", "-o", "-selection", "clipboard"], env=env, timeout=15).stdout == large,
               timeout=20, what="a large Wayland selection in full")


def test_xterm_menu_opens_under_the_pointer(session: Session) -> None:
    _xterm(session, title="menu")
    window = wait_until(lambda: _by_title(session, "menu"), what="an xterm")
    x, y = window["x"] + 100, window["y"] + 40
    holder = session.spawn(["wtype", "-M", "ctrl", "-s", "3000", "-m", "ctrl"])  # Ctrl held while clicking
    time.sleep(0.5)
    session.pointer("move", str(x), str(y), "press", "left")
    try:
        menu = wait_until(lambda: next((w for w in session.msg("xwayland", "windows")
                                        if w["override_redirect"] and w["mapped"] and w["height"] > 100), None),
                          what="xterm's menu (override-redirect)")
        assert menu["x"] <= x < menu["x"] + menu["width"] and menu["y"] <= y < menu["y"] + menu["height"], \
            "the menu opens where the pointer pressed"
        assert [w["title"] for w in session.windows()] == ["menu"], "a menu is not a window"
        shot = session.screenshot()
        inside = shot.region_colours(menu["x"] + 4, menu["y"] + menu["height"] // 2, menu["width"] - 8, 20)
        assert len(inside) > 1, "the menu's text on its background"
    finally:
        session.pointer("release", "left")
        holder.wait(10)


def test_x_windows_on_a_scaled_output_keep_their_logical_size(runtime_dir: Path) -> None:
    session = Session(runtime_dir, outputs=("2560x1600@60",))
    try:
        session.msg("output", "scale", "HEADLESS-1", "2")
        _xterm(session, title="hidpi")
        window = wait_until(lambda: _by_title(session, "hidpi"), what="an xterm")
        assert window["buffer"] == [window["width"], window["height"]], "X11 draws at scale 1"
        info = session.run(["xdpyinfo"], env=_x_env(session)).stdout.decode() if shutil.which("xdpyinfo") else ""
        if info:
            assert "1280x800 pixels" in info, "the X screen is the layout in logical pixels"
        shot = session.screenshot()
        assert (shot.width, shot.height) == (2560, 1600)
        right, bottom = (window["x"] + window["width"]) * 2, (window["y"] + window["height"]) * 2
        assert shot.pixel(right - 6, bottom - 6) == (255, 0, 0), "drawn twice as large in physical pixels"
        assert shot.pixel(right + 6, bottom + 6) != (255, 0, 0)
    finally:
        session.stop()


def test_super_drag_moves_an_x_window_and_its_x_position_follows(session: Session) -> None:
    _, (wid,) = _xclient(session, "normal", "--title", "dragged")
    window = wait_until(lambda: _by_title(session, "dragged"), what="the window")
    start_x, start_y = window["x"] + 50, window["y"] + 50
    holder = session.spawn(["wtype", "-M", "logo", "-s", "2000", "-m", "logo"])
    wait_until(lambda: session.msg("seat")["modifiers"] == ["Mod4"], timeout=5, interval=0.01,
               what="Super to be held")
    session.pointer("move", str(start_x), str(start_y), "press", "left",
                    "move", str(start_x + 120), str(start_y + 40), "release", "left")
    holder.wait(10)
    moved = wait_until(lambda: (w := _by_title(session, "dragged")) and w["x"] != window["x"] and w,
                       what="the window moved")
    assert (moved["x"], moved["y"]) == (window["x"] + 120, window["y"] + 40)
    x_side = next(w for w in session.msg("xwayland", "windows") if w["window"] == wid)
    assert (x_side["x"], x_side["y"]) == (moved["x"], moved["y"]), "the X window is where it is shown"


def test_taskbar_lists_x_windows_and_middle_click_closes_xterm(session: Session, tmp_path: Path) -> None:
    from tests.layer_clients import BAR_HEIGHT, start_waybar, wait_for_buttons

    start_waybar(session, tmp_path)
    wait_for_buttons(session, 0)
    xterm = _xterm(session, title="taskbar")
    wait_until(lambda: _by_title(session, "taskbar"), what="an xterm")
    [(left, right, active)] = wait_for_buttons(session, 1)
    assert active, "the X window is the focused one, and its button says so"
    session.pointer("move", str((left + right) // 2), str(BAR_HEIGHT // 2), "click", "middle")
    assert xterm.wait(10) == 0, "xterm closed through WM_DELETE_WINDOW (it exits cleanly)"
    wait_for_buttons(session, 0)


def test_our_panel_lists_xterm_and_its_middle_click_closes_it(runtime_dir: Path, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    session = Session(runtime_dir, extra_env=env, shell=True)
    try:
        wait_until(lambda: [s for s in session.msg("layers") if s["namespace"] == "panel"], timeout=30,
                   what="the panel")
        xterm = _xterm(session, title="panel-closes")
        wait_until(lambda: _by_title(session, "panel-closes"), what="an xterm")
        [(left, right)] = wait_until(lambda: _runs(session.screenshot(), PANEL_HEIGHT // 2, 0, 1280, ACTIVE_TASK_RGB),
                                     timeout=15, what="xterm's taskbar entry, drawn active")
        session.pointer("move", str((left + right) // 2), str(PANEL_HEIGHT // 2), "click", "middle")
        assert xterm.wait(10) == 0, "xterm closed through WM_DELETE_WINDOW (it exits cleanly)"
    finally:
        assert session.stop() == 0, session.log_path.read_text(errors="replace")


def test_garbage_on_the_x_socket_and_xwayland_dying_mid_drag(session: Session) -> None:
    import socket as sockets

    number = session.msg("xwayland")["display"][1:]
    with sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM) as sock:  # not an X client at all
        sock.connect(f"/tmp/.X11-unix/X{number}")
        sock.sendall(os.urandom(4096))
        time.sleep(0.5)
    _, (wid,) = _xclient(session, "normal", "--title", "dragged")
    window = wait_until(lambda: _by_title(session, "dragged"), what="an X window after the garbage")
    holder = session.spawn(["wtype", "-M", "logo", "-s", "3000", "-m", "logo"])
    wait_until(lambda: session.msg("seat")["modifiers"] == ["Mod4"], timeout=5, interval=0.01,
               what="Super to be held")
    session.pointer("move", str(window["x"] + 20), str(window["y"] + 20), "press", "left", "move",
                    str(window["x"] + 60), str(window["y"] + 40))
    os.kill(session.msg("xwayland")["pid"], signal.SIGKILL)  # in the middle of the move
    session.pointer("move", str(window["x"] + 90), str(window["y"] + 70), "release", "left")
    holder.wait(10)
    wait_until(lambda: _by_title(session, "dragged") is None, what="the X window to go with Xwayland")
    assert session.alive()
    _xterm(session, title="again")
    wait_until(lambda: _by_title(session, "again"), what="X11 working again")
    assert wid


def test_xwayland_startup_starts_it_at_once(runtime_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text('xwayland = "startup"\n')
    session = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        state = wait_until(lambda: (s := session.msg("xwayland"))["running"] and s, what="Xwayland running")
        assert state["pid"] > 0
        _xterm(session, title="eager")
        wait_until(lambda: _by_title(session, "eager"), what="an xterm")
    finally:
        session.stop()


def test_window_rules_apply_to_x_windows_by_wm_class(runtime_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[[rules]]\napp_id = "XTerm"\nsize = [600, 400]\nposition = [40, 60]\n\n'
                      '[[rules]]\napp_id = "XClient"\ndecorations = "client"\nworkspace = 2\n')
    session = Session(runtime_dir, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    try:
        _xterm(session, title="ruled")
        wait_until(lambda: (w := _by_title(session, "ruled")) and (w["x"], w["y"], w["width"], w["height"])
                   == (40, 60, 600, 400), what="the xterm where and as large as the rule says")
        _xclient(session, "normal", "--title", "elsewhere")
        other = wait_until(lambda: _by_title(session, "elsewhere"), what="the X client")
        assert other["workspace"] == "2" and other["decorations"] == "none" and other["frame"] is None
    finally:
        session.stop()


def test_the_title_bar_shows_the_windows_own_net_wm_icon(session: Session) -> None:
    _xterm(session, title="iconic")
    window = session.wait_for_window("XTerm", predicate=lambda w: w["title"] == "iconic")
    wid = next(w["window"] for w in session.msg("xwayland", "windows") if w["managed"] == window["id"])
    green = 0xFF00FF00  # ARGB, opaque
    values = ", ".join(["6", "6", *[str(green)] * 36])  # (xprop sets at most 64 values)
    result = session.run(["xprop", "-id", str(wid), "-f", "_NET_WM_ICON", "32c", "-set", "_NET_WM_ICON", values],
                         env=_x_env(session))
    assert result.returncode == 0, result.stderr.decode()
    frame = window["frame"]
    bar = (frame["x"], frame["y"], window["width"] // 3, window["y"] - frame["y"])
    wait_until(lambda: (0, 255, 0) in session.screenshot().region_colours(*bar, step=1), timeout=10,
               what="the green icon at the left of the title bar")
