"""The wayland backend: Orrery nested as a window in another Wayland compositor (a headless Orrery, and headless
weston). What the inner Orrery shows is in the outer one's screenshot, typing into the outer reaches a client of the
inner, the clipboard is shared, resizing the outer window resizes the inner output, Ctrl+Alt+G grabs the pointer,
and the inner stops with status 0 when its window is closed or its parent goes away."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orrery_testing.process import CompositorProcess, RuntimeDir, weston_argv
from tests.harness import ORRERY, ROOT, Screenshot, Session, keyboard_of, wait_until

TITLE = "Orrery — WL-1"


@pytest.fixture
def outer(runtime_dir: Path) -> Iterator[Session]:
    compositor = Session(runtime_dir, extra_env={"XKB_DEFAULT_LAYOUT": "fr"})
    yield compositor
    code = compositor.stop()
    assert code == 0, f"the outer compositor exited with {code}:\n{compositor.log_text()}"


def nested(runtime_dir: Path, parent: str, backend: str = "wayland") -> Session:
    return Session(runtime_dir, backend=backend, extra_env={"WAYLAND_DISPLAY": parent})


@pytest.fixture
def inner(runtime_dir: Path, outer: Session) -> Iterator[Session]:
    compositor = nested(runtime_dir, outer.name)
    yield compositor
    code = compositor.stop()
    assert code == 0, f"the nested compositor exited with {code}:\n{compositor.log_text()}"


def orrery_window(outer: Session) -> dict[str, Any]:
    return outer.wait_for_window("orrery", predicate=lambda window: window["title"] == TITLE)


def inner_output(inner: Session) -> dict[str, Any]:
    outputs = inner.msg("outputs")
    assert [output["name"] for output in outputs] == ["WL-1"]
    return outputs[0]  # type: ignore[no-any-return]


def test_a_client_inside_shows_in_the_outer_screenshot_and_typing_reaches_it(
        outer: Session, inner: Session, tmp_path: Path) -> None:
    typed = tmp_path / "typed.txt"
    inner.spawn(["foot", "sh", "-c", f"cat > {typed}"])
    foot = inner.wait_for_window("foot")
    window = orrery_window(outer)
    assert window["decorations"] == "server"  # the parent's title bar, as xdg-decoration asked
    assert window["buffer"] == [1280, 800]

    def same_pixels() -> Screenshot | None:
        inside, outside = inner.screenshot("inner.png"), outer.screenshot("outer.png")
        points = [(foot["x"] + dx, foot["y"] + dy) for dx in (5, 100, 300) for dy in (5, 50, 200)]
        points += [(10, 10), (1270, 700)]  # (the window reaches below the outer output, by its title bar)
        same = all(inside.pixel(x, y) == outside.pixel(window["x"] + x, window["y"] + y) for x, y in points)
        return outside if same else None
    wait_until(same_pixels, 10, interval=0.2, what="the inner compositor's picture in the outer's screenshot")

    assert outer.windows()[0]["focused"]
    result = outer.run(["wtype", "bonjour nested", "-k", "Return"])  # on the outer display
    assert result.returncode == 0, result.stderr.decode()
    wait_until(lambda: typed.exists() and typed.read_text() == "bonjour nested\n", 10,
               what="the text typed into the outer compositor in foot inside the inner one")


def test_the_parent_keymap_is_used_inside(outer: Session, inner: Session) -> None:
    outside_display, outside = keyboard_of(outer)
    inside_display, inside = keyboard_of(inner)
    try:
        keymap_outside, keymap_inside = outside()[1], inside()[1]
    finally:
        outside_display.disconnect()
        inside_display.disconnect()
    assert re.search(r"key <AD01>\s*\{\s*\[\s*a\s*,", keymap_outside)  # French: A where US has Q
    assert keymap_inside == keymap_outside


def copy(session: Session, text: str, *options: str) -> None:
    # wl-copy forks a child to serve the selection; it ends when its compositor does
    assert session.spawn(["wl-copy", *options, text]).wait(timeout=15) == 0


def paste(session: Session, *options: str) -> str:
    result = session.run(["wl-paste", "--no-newline", *options], timeout=15)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_the_clipboard_and_primary_selection_are_shared_with_the_parent(outer: Session, inner: Session) -> None:
    orrery_window(outer)
    copy(inner, "copied inside")
    assert paste(outer) == "copied inside"
    copy(outer, "copied outside")
    wait_until(lambda: orrery_window(outer)["focused"], 10, what="the nested window focused again")
    assert paste(inner) == "copied outside"
    copy(inner, "inside again")
    assert paste(outer) == "inside again"
    copy(inner, "primary inside", "--primary")  # the middle-click selection too, separately
    assert paste(outer, "--primary") == "primary inside"
    assert paste(outer) == "inside again"


def test_resizing_the_outer_window_resizes_the_inner_output(outer: Session, inner: Session) -> None:
    inner.spawn(["foot"])
    inner.wait_for_window("foot")
    inner.msg("action", "maximize")  # a maximized window inside follows the output
    orrery_window(outer)
    assert (inner_output(inner)["width"], inner_output(inner)["height"]) == (1280, 800)
    inner.msg("output", "mode", "WL-1", "1024x768")  # a floating window: ours to size
    wait_until(lambda: outer.windows()[0]["buffer"] == [1024, 768], 10, what="the window at the mode asked for")
    assert (inner_output(inner)["width"], inner_output(inner)["height"]) == (1024, 768)
    outer.msg("action", "maximize")
    maximized = outer.wait_for_window("orrery", predicate=lambda window: window["maximized"] and window["height"] < 800)

    def resized() -> dict[str, Any] | None:
        output = inner_output(inner)
        return output if (output["width"], output["height"]) == (maximized["width"], maximized["height"]) else None
    wait_until(resized, 10, what=f"the inner output at the maximized size {maximized['width']}x{maximized['height']}")
    assert (maximized["width"], maximized["height"]) != (1280, 800)
    with pytest.raises(RuntimeError, match="while it is maximized"):
        inner.msg("output", "mode", "WL-1", "800x600")
    wait_until(lambda: inner.windows()[0]["y"] + inner.windows()[0]["height"] == maximized["height"], 10,
               what="the maximized window inside reconfigured to the new size")
    outer.msg("action", "fullscreen")
    wait_until(lambda: (inner_output(inner)["width"], inner_output(inner)["height"]) == (1280, 800), 10,
               what="the inner output at the outer's fullscreen size")
    wait_until(lambda: outer.windows()[0]["buffer"] == [1280, 800], 10, what="a frame of the new size")


def test_closing_the_outer_window_stops_the_inner_compositor_cleanly(runtime_dir: Path, outer: Session) -> None:
    inner = nested(runtime_dir, outer.name)
    try:
        client = inner.spawn(["foot"])
        inner.wait_for_window("foot")
        orrery_window(outer)
        outer.msg("action", "close")
        assert inner.process.wait(timeout=15) == 0, inner.log_text()
        assert client.wait(timeout=10) is not None  # foot saw its compositor go
        assert "Traceback" not in inner.log_text()
    finally:
        inner.stop()


def test_losing_the_parent_ends_the_inner_compositor_with_status_0(runtime_dir: Path) -> None:
    parent = Session(runtime_dir)
    inner = nested(runtime_dir, parent.name)
    try:
        client = inner.spawn(["foot"])
        inner.wait_for_window("foot")
        parent.process.kill()
        parent.process.wait()
        assert inner.process.wait(timeout=15) == 0, inner.log_text()
        assert client.wait(timeout=10) is not None
        log = inner.log_text()
        assert "Traceback" not in log and "ended the connection" in log, log
    finally:
        inner.stop()
        parent.stop()


def test_auto_nests_in_the_wayland_compositor_orrery_was_started_in(runtime_dir: Path, outer: Session) -> None:
    inner = nested(runtime_dir, outer.name, backend="auto")
    try:
        assert inner_output(inner)["model"] == "nested"
        assert orrery_window(outer)["pid"] == inner.pid
    finally:
        assert inner.stop() == 0


def test_without_a_parent_compositor_it_says_so_in_one_line(runtime_dir: Path) -> None:
    env = {**RuntimeDir("missing", runtime_dir).env, "WAYLAND_DISPLAY": "no-such-compositor"}
    done = subprocess.run([*ORRERY, "run", "--no-shell", "--backend", "wayland"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("orrery: cannot connect to the Wayland compositor 'no-such-compositor'"), done.stderr


def test_nested_in_headless_weston_frames_are_paced_by_weston(runtime_dir: Path) -> None:
    assert shutil.which("weston"), "weston is not installed (Debian package weston)"
    runtime = RuntimeDir("weston", runtime_dir)
    weston = CompositorProcess(weston_argv(runtime.name, options=["--width=1024", "--height=768"]), runtime,
                               announces=False)
    inner = nested(runtime_dir, weston.name)
    try:
        assert (inner_output(inner)["width"], inner_output(inner)["height"]) == (1280, 800)
        inner.spawn(["weston-simple-shm"])
        window = inner.wait_for_window("org.freedesktop.weston.simple-shm")

        points = [(window["x"] + x, window["y"] + y) for x in range(20, 240, 20) for y in range(20, 240, 20)]
        first = inner.screenshot("first.png")
        # simple-shm draws a new picture on each frame callback, which the inner sends once weston showed its frame
        wait_until(lambda: any(inner.screenshot("later.png").pixel(x, y) != first.pixel(x, y) for x, y in points), 10,
                   interval=0.2, what="simple-shm animating inside Orrery nested in weston")
    finally:
        code = inner.stop()
        weston.stop()
        assert code == 0, inner.log_text()


def test_the_pointer_and_ctrl_alt_g_confining_it_to_the_nested_window(runtime_dir: Path) -> None:
    # (the outer Orrery has nothing to grab: its own Ctrl+Alt+G binding lets the keys through to the inner one)
    outer = Session(runtime_dir, outputs=("1920x1080@60",))
    inner = Session(runtime_dir, outputs=("800x600@60",), backend="wayland", extra_env={"WAYLAND_DISPLAY": outer.name})
    try:
        window = orrery_window(outer)
        right = window["x"] + window["width"]
        outer.msg("pointer", "move", str(window["x"] + 400), str(window["y"] + 300))
        # the pointer inside follows, and the outer shows Orrery's own pointer image as the window's cursor
        wait_until(lambda: (inner.msg("seat")["x"], inner.msg("seat")["y"]) == (400, 300), 10,
                   what="the inner pointer where the outer one is over its window")
        assert outer.msg("seat")["cursor"] == "client surface"

        def grab() -> None:
            result = outer.run(["wtype", "-M", "ctrl", "-M", "alt", "g", "-m", "alt", "-m", "ctrl"])
            assert result.returncode == 0, result.stderr.decode()

        grab()
        wait_until(lambda: outer.windows()[0]["title"] == f"{TITLE} (input grabbed)", 10,
                   what="the nested window's title saying the input is grabbed")
        assert outer.msg("pointer", "move-by", "3000", "0")["x"] < right  # held inside the window
        grab()
        wait_until(lambda: outer.windows()[0]["title"] == TITLE, 10, what="the grab given back")
        assert outer.msg("pointer", "move-by", "3000", "0")["x"] == 1919
    finally:
        assert inner.stop() == 0, inner.log_text()
        assert outer.stop() == 0


def test_scrolling_over_the_outer_window_scrolls_a_client_inside(outer: Session, inner: Session) -> None:
    inner.spawn(["foot", "sh", "-c", "seq 1 300; exec sleep 60"])  # more lines than fit: a scrollback
    foot = inner.wait_for_window("foot")
    window = orrery_window(outer)
    region = (foot["x"] + 10, foot["y"] + 10, foot["width"] - 20, foot["height"] - 20)
    before = wait_until(lambda: (shot := inner.screenshot("before.png")) and len(shot.region_colours(*region)) > 1
                        and shot, 10, what="foot showing the numbers")
    over = (window["x"] + foot["x"] + foot["width"] // 2, window["y"] + foot["y"] + foot["height"] // 2)
    outer.pointer("move", str(over[0]), str(over[1]), "scroll", "-5")  # wheel notches up, on the outer display

    def scrolled() -> bool:
        shot = inner.screenshot("after.png")
        x, y, width, height = region
        return any(shot.pixel(px, py) != before.pixel(px, py) for px in range(x, x + width, 3)
                   for py in range(y, y + height, 3))
    wait_until(scrolled, 10, interval=0.2, what="foot inside showing its scrollback")


def test_nothing_is_drawn_inside_while_the_outer_compositor_hides_the_window(outer: Session, inner: Session) -> None:
    inner.spawn(["weston-simple-shm"])  # draws a new picture on every frame callback
    window = inner.wait_for_window("org.freedesktop.weston.simple-shm")
    orrery_window(outer)
    points = [(window["x"] + x, window["y"] + y) for x in range(20, 240, 20) for y in range(20, 240, 20)]

    def animating() -> bool:
        first = inner.screenshot("first.png")
        time.sleep(0.3)
        later = inner.screenshot("later.png")
        return any(later.pixel(x, y) != first.pixel(x, y) for x, y in points)
    assert wait_until(animating, 10, what="simple-shm animating while the window shows")
    outer.msg("action", "minimize")  # the outer sends no frame callbacks for a minimized window
    wait_until(lambda: outer.windows()[0]["minimized"], 10, what="the nested window minimized")
    time.sleep(0.5)  # (the frame in flight when it was minimized)
    assert not animating(), "frames were drawn inside while the outer compositor hid the window"


def test_a_parent_without_xdg_shell_is_one_clear_line(runtime_dir: Path) -> None:
    runtime = RuntimeDir("weston", runtime_dir)  # weston's fullscreen shell offers no xdg_wm_base
    weston = CompositorProcess(weston_argv(runtime.name, options=["--shell=fullscreen-shell.so"]), runtime,
                               announces=False)
    try:
        env = {**RuntimeDir("inner", runtime_dir).env, "WAYLAND_DISPLAY": weston.name}
        done = subprocess.run([*ORRERY, "run", "--no-shell", "--backend", "wayland"], capture_output=True,
                              text=True, timeout=60, cwd=ROOT, env=env)
    finally:
        weston.stop()
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "lacks xdg_wm_base" in done.stderr, done.stderr
