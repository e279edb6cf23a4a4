"""The x11 backend nested in Xvfb: client pixels show in the X window, X input reaches clients, resizing
the X window resizes the output, closing it ends the session."""

from __future__ import annotations

import ctypes
import os
import select
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Screenshot, Session, require, wait_until

IMPORT = "/usr/bin/import"  # imagemagick's (a stand-in `convert` may shadow it in /usr/local/bin)



@pytest.fixture(autouse=True)
def tools() -> None:
    require({"Xvfb": "xvfb", "xdotool": "xdotool", IMPORT: "imagemagick"})


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    """A fresh Xvfb on the first free display number (it tells us which through -displayfd)."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        text = b""
        while not text.endswith(b"\n"):
            ready, _, _ = select.select([read_end], [], [], 10)
            chunk = os.read(read_end, 16) if ready else b""
            if not chunk:
                raise RuntimeError("Xvfb did not start")
            text += chunk
        yield f":{int(text)}"
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def nested(runtime_dir: Path, x_display: str) -> Iterator[Session]:
    compositor = Session(runtime_dir, backend="x11", extra_env={"DISPLAY": x_display})
    yield compositor
    code = compositor.stop()
    log = compositor.log_path.read_text(errors="replace")
    assert code == 0, f"compositor exited with {code}:\n{log}"


class XScreen:
    """xdotool and imagemagick against the Xvfb the compositor is nested in."""

    def __init__(self, display: str, directory: Path) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.directory = directory
        self.shots = 0

    def run(self, *argv: str) -> str:
        result = subprocess.run(argv, env=self.env, capture_output=True, timeout=10)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {result.stderr.decode()}")
        return result.stdout.decode()

    def orrery_window(self) -> int:
        def find() -> int | None:
            result = subprocess.run(["xdotool", "search", "--name", "^Orrery$"], env=self.env,
                                    capture_output=True, timeout=10)
            ids = result.stdout.split()
            return int(ids[0]) if ids else None
        return int(wait_until(find, 10, what="the Orrery X window"))

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        values = dict(line.split("=", 1) for line in self.run("xdotool", "getwindowgeometry", "--shell",
                                                               str(window)).split())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def screenshot(self) -> Screenshot:
        self.shots += 1
        path = self.directory / f"x-root-{self.shots}.png"
        self.run(IMPORT, "-window", "root", f"png24:{path}")
        return Screenshot(path)


@pytest.fixture
def x_screen(x_display: str, tmp_path: Path) -> XScreen:
    return XScreen(x_display, tmp_path)


def test_client_pixels_and_our_pointer_show_in_the_x_window(nested: Session, x_screen: XScreen) -> None:
    xid = x_screen.orrery_window()
    x_screen.run("xdotool", "mousemove", "--window", str(xid), "100", "600")
    nested.spawn(["weston-simple-shm"])
    window = nested.wait_for_window("org.freedesktop.weston.simple-shm")
    left, top, width, height = x_screen.geometry(xid)
    assert (width, height) == (1280, 800)
    wx, wy = left + window["x"], top + window["y"]

    def colourful() -> Screenshot | None:
        shot = x_screen.screenshot()
        return shot if len(shot.region_colours(wx + 30, wy + 30, 190, 190)) > 20 else None
    shot = wait_until(colourful, 10, interval=0.2, what="simple-shm's pattern in the X window")
    assert shot.pixel(wx + 5, wy + 5) == (255, 255, 255)  # its white border
    ours = nested.screenshot()
    for x, y in ((5, 5), (window["x"] - 3, window["y"] - 3), (1200, 700)):
        assert shot.pixel(left + x, top + y) == ours.pixel(x, y)
    # The pointer is drawn over the output in the window, but is not part of the output's picture.
    background = ours.pixel(100, 600)
    assert ours.region_colours(96, 596, 16, 16, step=1) == {background}
    assert len(shot.region_colours(left + 96, top + 596, 16, 16, step=1)) > 1


def test_x_clicks_and_keys_reach_a_terminal(nested: Session, x_screen: XScreen, tmp_path: Path) -> None:
    target = tmp_path / "typed.txt"
    nested.spawn(["foot", "sh"], env={"SHELL": "/bin/sh"})
    window = nested.wait_for_window("foot")
    xid = x_screen.orrery_window()
    # foot asks for server-side decorations: a double click on the title bar we draw above it maximizes it.
    frame = window["frame"]
    title_height = window["y"] - frame["y"] - (window["x"] - frame["x"])
    x_screen.run("xdotool", "mousemove", "--window", str(xid), str(window["x"] + 60),
                 str(window["y"] - title_height // 2), "click", "--repeat", "2", "--delay", "80", "1")
    nested.wait_for_window("foot", 10, predicate=lambda w: w["maximized"])
    x_screen.run("xdotool", "mousemove", "--window", str(xid), "400", "400", "click", "1")
    # A virtual keyboard types first with a keymap of its own; the X keyboard must get ours back.
    virtual = tmp_path / "virtual.txt"
    assert nested.run(["wtype", f"echo virtual > {virtual}"]).returncode == 0
    assert nested.run(["wtype", "-k", "Return"]).returncode == 0
    wait_until(lambda: virtual.exists() and virtual.read_text() == "virtual\n", 10, what="wtype's command")
    x_screen.run("xdotool", "type", "--delay", "15", f"echo nested > {target}")
    x_screen.run("xdotool", "key", "Return")
    wait_until(lambda: target.exists() and target.read_text() == "nested\n", 10, what="foot to run the command")


def test_resizing_the_x_window_resizes_the_output(nested: Session, x_screen: XScreen) -> None:
    nested.spawn(["foot", "--maximized", "sh"], env={"SHELL": "/bin/sh"})
    nested.wait_for_window("foot", predicate=lambda w: w["maximized"] and w["width"] == 1280)
    xid = x_screen.orrery_window()
    x_screen.run("xdotool", "windowsize", str(xid), "1000", "700")
    wait_until(lambda: [(o["width"], o["height"]) for o in nested.msg("outputs")] == [(1000, 700)], 10,
               what="the output to take the window's size")
    # the maximized terminal (below its title bar) is reconfigured to the new size and redraws at it
    nested.wait_for_window("foot", predicate=lambda w: (w["width"], w["y"] + w["height"]) == (1000, 700))
    left, top, _, _ = x_screen.geometry(xid)
    background = nested.screenshot().pixel(990, 690)

    def repainted() -> bool:
        shot = x_screen.screenshot()
        return shot.pixel(left + 990, top + 690) == background and shot.pixel(left + 1010, top + 100) != background
    wait_until(repainted, 10, interval=0.2, what="the X window to show the resized output")


def test_closing_the_x_window_stops_the_compositor(nested: Session, x_screen: XScreen) -> None:
    from pyglet.libs.x11 import xlib

    xid = x_screen.orrery_window()
    display = xlib.XOpenDisplay(x_screen.env["DISPLAY"].encode())
    assert display
    try:
        event = xlib.XEvent()
        event.xclient.type = xlib.ClientMessage
        event.xclient.window = xid
        event.xclient.message_type = xlib.XInternAtom(display, b"WM_PROTOCOLS", False)
        event.xclient.format = 32
        event.xclient.data.l[0] = xlib.XInternAtom(display, b"WM_DELETE_WINDOW", False)
        xlib.XSendEvent(display, xid, False, xlib.NoEventMask, ctypes.byref(event))
        xlib.XFlush(display)
    finally:
        xlib.XCloseDisplay(display)
    assert nested.process.wait(timeout=10) == 0
