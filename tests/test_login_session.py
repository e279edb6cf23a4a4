"""Logging into Orrery, as a person at a machine would: a VM with a virtual GPU, keyboard and tablet boots; the
display manager greetd logs a user into the session command of the installed ``orrery.desktop``; then,
each from the QEMU side (the display as QEMU shows it, keys and clicks sent to the VM's devices):

1. the panel and the background, drawn by Orrery on the virtio-gpu output;
2. frames are paced by the display's page flips (presentation feedback with the hardware's flags);
3. a Super tap opens the launcher, ``foot`` + Return opens a terminal, and a command typed into it runs;
4. a click on the panel's launcher button opens the launcher;
5. Ctrl+Alt+F2 shows the text console, Ctrl+Alt+F1 brings the desktop back, drawn again (and what the
   display showed before, drawn frame by frame where things changed, equals that full repaint);
6. the monitor's modes and EDID identity are listed, and switching the mode changes what the display shows;
7. a second monitor plugged in gets a panel of its own; unplugged, its window comes back to the first;
8. a touchpad plugged in (through uinput) clicks with a tap, as libinput's tapping, on by default, makes it;
9. ``kill -9`` of the compositor gives the VT back to the text console (the greeter's prompt), and logging
   in at the greeter starts the session again (this time with the pointer drawn into frames, as orrery.toml
   asks: it shows in the screendump, where the hardware cursor of the first session did not), whose panel
   opens the launcher;
10. in that session, with a German keymap from orrery.toml, a USB keyboard plugged in, out and in again types
   with that layout (Y types Z);
11. the quit binding (Super+Shift+Escape, then Return to answer its question) ends the session cleanly: status 0, the
    greeter is back;
12. a GPU with no monitor connected is a one-line error, and the console stays usable.

Screendumps are kept in ``build/session-test/``. Checks from inside the VM (which layer surfaces are mapped,
the file the terminal wrote) go through a small agent in the guest. One VM boot serves all checks, in order.
"""

from __future__ import annotations

import array
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import cairo
import pytest

from tests.harness import ROOT, wait_until
from tests.vm import VirtualMachine, VmError, why_no_vm

OUT = ROOT / "build" / "session-test"
PREFIX = ROOT / "build" / "session-prefix"
USER, PASSWORD = "tester", "tester"
SESSION_LOG = f"/home/{USER}/.local/state/orrery/session.log"
pytestmark = pytest.mark.timeout(1500)


def wait_for(what: str, check: Callable[[], Any], timeout: float, interval: float = 1.0) -> Any:
    return wait_until(check, timeout, interval, what)


class VmDesktop:
    """The VM, and what the tests ask of the session inside it."""

    def __init__(self, vm: VirtualMachine) -> None:
        self.vm = vm
        self.socket = ""

    def find_session(self, timeout: float = 300) -> None:
        """Wait for a compositor's IPC socket in the user's runtime dir whose panel and background are mapped."""
        def up() -> bool:
            found = self.vm.run("ls -t /run/user/*/orrery-*.sock 2>/dev/null || true").split()
            for path in found:
                try:
                    names = {layer["namespace"] for layer in self.vm.ipc(path, "layers")}
                except VmError:
                    continue  # a socket left by a killed compositor
                launcher = path.replace("/orrery-", "/").removesuffix(".sock") + ".launcher"
                # accepts, not only exists: a killed session leaves its launcher's socket file behind
                if {"panel", "background"} <= names and self.vm.run(
                        f"/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])'"
                        f" {launcher} 2>/dev/null && echo yes || true"):
                    self.socket = path
                    return True
            return False

        wait_for("the session's panel and background, and its launcher listening", up, timeout)

    def ipc(self, command: str, *args: str) -> Any:
        return self.vm.ipc(self.socket, command, *args)

    def layers(self) -> set[str]:
        return {layer["namespace"] for layer in self.ipc("layers")}

    def composed(self, name: str) -> cairo.ImageSurface:
        """The frame the compositor composed (``orrery msg screenshot``), copied out of the VM."""
        self.ipc("screenshot", f"/tmp/{name}.png")
        path = OUT / f"{name}-orrery.png"
        path.write_bytes(self.vm.read(f"/tmp/{name}.png"))
        return cairo.ImageSurface.create_from_png(str(path))

    def screen_shows_orrery(self, name: str, timeout: float = 60) -> cairo.ImageSurface:
        """Wait until QEMU's display shows exactly the frame Orrery composed; returns the screendump."""
        last: list[int] = []

        def same() -> cairo.ImageSurface | None:
            shown = self.vm.screendump(OUT / f"{name}.png")
            different = differing_pixels(shown, self.composed(name))
            last[:] = [different]
            return shown if different == 0 else None

        try:
            return wait_for(f"the display to show Orrery's frame ({name})", same, timeout, interval=2.0)
        except TimeoutError as error:
            raise AssertionError(f"{error}: {last[0] if last else '?'} pixels differ (build/session-test/"
                                 f"{name}.png against {name}-orrery.png)") from None

    def active_vt(self) -> str:
        return self.vm.run("cat /sys/class/tty/tty0/active").strip()


def pixels(image: cairo.ImageSurface) -> array.array[int]:
    """The image's pixels as 32-bit words with the unused byte cleared."""
    image.flush()
    words = array.array("I", bytes(image.get_data()))
    stride = image.get_stride() // 4
    width = image.get_width()
    rows = [words[row * stride:row * stride + width] for row in range(image.get_height())]
    flat = array.array("I")
    for row in rows:
        flat.extend(row)
    return array.array("I", (word & 0xFFFFFF for word in flat))


def differing_pixels(a: cairo.ImageSurface, b: cairo.ImageSurface) -> int:
    if (a.get_width(), a.get_height()) != (b.get_width(), b.get_height()):
        return a.get_width() * a.get_height()
    return sum(1 for x, y in zip(pixels(a), pixels(b), strict=True) if x != y)


def colour(image: cairo.ImageSurface, x: int, y: int) -> tuple[int, int, int]:
    image.flush()
    data = image.get_data()
    offset = y * image.get_stride() + x * 4
    return data[offset + 2], data[offset + 1], data[offset]


def looks_like_text_console(image: cairo.ImageSurface) -> bool:
    """Mostly black, with some light text: a Linux console (fbcon), not a desktop."""
    words = pixels(image)
    black = sum(1 for w in words if w == 0)
    light = sum(1 for w in words if (w >> 16) > 150 and ((w >> 8) & 0xFF) > 150 and (w & 0xFF) > 150)
    return black > 0.85 * len(words) and light > 40


@pytest.fixture(scope="module")
def desktop() -> Iterator[VmDesktop]:
    reason = why_no_vm()
    if reason:
        pytest.fail(reason, pytrace=False)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    subprocess.run(["fc-cache"], check=False)  # the guest reads these caches (else it rebuilds them: ~30 s)
    # the session as display managers find it: make install, then the installed entry's Exec line
    install = subprocess.run(["make", "-s", "install", f"PREFIX={PREFIX}"], cwd=ROOT, capture_output=True, text=True)
    assert install.returncode == 0, f"make install failed:\n{install.stdout}\n{install.stderr}"
    entry = (PREFIX / "share" / "wayland-sessions" / "orrery.desktop").read_text()
    command = next(line.split("=", 1)[1] for line in entry.splitlines() if line.startswith("Exec="))
    cached = dict.fromkeys(["/usr", str(ROOT), sys.base_prefix])  # where the session and our tools run from
    vm = VirtualMachine(f"bash {ROOT / 'tests/session/guest_init.sh'}", OUT, cached_dirs=cached,
                        environment={"SESSION_CMD": command, "TEST_USER": USER}, heads=2)
    try:
        vm.wait_line("GUEST_AGENT: READY", 300)
        yield VmDesktop(vm)
    finally:
        try:
            (OUT / "session.log").write_bytes(vm.read(SESSION_LOG))
        except VmError:
            pass
        vm.close()


def test_1_panel_and_background_on_the_virtual_gpu(desktop: VmDesktop) -> None:
    desktop.find_session()
    shown = desktop.screen_shows_orrery("1-desktop")
    assert not looks_like_text_console(shown)
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    assert (panel["x"], panel["y"], panel["width"]) == (0, 0, shown.get_width())
    # the panel's strip is drawn in another colour than the background below it
    below = colour(shown, shown.get_width() // 2, shown.get_height() // 2)
    strip = {colour(shown, x, panel["height"] // 2) for x in range(0, shown.get_width(), 7)}
    assert below not in strip or len(strip) > 3
    assert colour(shown, 3, panel["height"] + 20) == colour(shown, shown.get_width() - 4, shown.get_height() - 4)


def test_2_frames_are_paced_by_page_flips(desktop: VmDesktop) -> None:
    """A client that redraws at every frame callback, with presentation feedback (bench/client.py)."""
    display = desktop.socket.rsplit("/orrery-", 1)[1].removesuffix(".sock")
    runtime = desktop.socket.rsplit("/", 1)[0]
    answer = desktop.vm.run(f"cd {ROOT} && XDG_RUNTIME_DIR={runtime} WAYLAND_DISPLAY={display} "
                            f"{ROOT}/.venv/bin/python -m bench.client present --warmup 1 --seconds 3", timeout=120)
    result = json.loads(answer.strip().splitlines()[-1])
    refresh = result["refresh_ms"]
    assert 12 < refresh < 15  # the virtual monitor's 75 Hz
    assert result["flags"] == [0x7]  # vsync | hw_clock | hw_completion: shown by a page flip
    assert result["presented"] >= 10 and result["discarded"] == 0
    times = result["presented_ms"]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) > refresh / 2  # never two frames within one vblank


def test_3_keys_open_the_launcher_then_a_terminal_that_runs_what_is_typed(desktop: VmDesktop) -> None:
    desktop.vm.sendkey("meta_l")
    wait_for("the launcher after a Super tap", lambda: "launcher" in desktop.layers(), 60, 0.5)
    desktop.screen_shows_orrery("3-launcher")
    desktop.vm.type("foot")
    time.sleep(1)
    desktop.vm.sendkey("ret")

    def foot_has_the_keyboard() -> bool:
        windows = desktop.ipc("windows")
        return "launcher" not in desktop.layers() and any(w["app_id"] == "foot" and w["focused"] for w in windows)

    wait_for("a focused foot window, the launcher closed", foot_has_the_keyboard, 120)
    time.sleep(2)  # foot's shell prints its prompt
    desktop.vm.type("echo ok > /tmp/typed-in-foot\n")
    written = wait_for("the file the command typed into foot writes",
                       lambda: desktop.vm.run("cat /tmp/typed-in-foot 2>/dev/null || true"), 30)
    assert written == "ok\n"
    owner = desktop.vm.run("stat -c %U /tmp/typed-in-foot").strip()
    assert owner == USER  # the session runs as the user who logged in, not as root
    desktop.screen_shows_orrery("3-foot")


def test_4_a_click_on_the_panels_launcher_button(desktop: VmDesktop) -> None:
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    desktop.vm.click(40, panel["y"] + panel["height"] // 2)  # the first thing on the panel: "Applications"
    wait_for("the launcher after a click on its button", lambda: "launcher" in desktop.layers(), 60, 0.5)
    desktop.screen_shows_orrery("4-launcher-clicked")
    desktop.vm.sendkey("esc")
    wait_for("the launcher to close on Escape", lambda: "launcher" not in desktop.layers(), 120)
    desktop.screen_shows_orrery("4-launcher-closed")


def test_5_ctrl_alt_f2_shows_the_console_and_f1_the_desktop_again(desktop: VmDesktop) -> None:
    before = desktop.active_vt()
    desktop.vm.sendkey("ctrl-alt-f2")
    wait_for("VT 2", lambda: desktop.active_vt() == "tty2", 30)
    console = wait_for("the text console on the display", lambda: looks_like_text_console(
        desktop.vm.screendump(OUT / "5-console.png")), 30, 2.0)
    assert console
    desktop.vm.sendkey("ctrl-alt-f1")
    wait_for(f"back on {before}", lambda: desktop.active_vt() == before, 30)
    again = desktop.screen_shows_orrery("5-desktop-again")
    # Coming back repaints everything; before, frames were drawn only where the screen changed, into two
    # buffers in turn (buffer age). Both must show the same desktop (but for the panel's clock).
    closed = cairo.ImageSurface.create_from_png(str(OUT / "4-launcher-closed.png"))
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    assert differing_pixels(crop(closed, panel["height"]), crop(again, panel["height"])) == 0


def crop(image: cairo.ImageSurface, top: int) -> cairo.ImageSurface:
    """``image`` without its top ``top`` rows."""
    out = cairo.ImageSurface(cairo.FORMAT_RGB24, image.get_width(), image.get_height() - top)
    ctx = cairo.Context(out)
    ctx.set_source_surface(image, 0, -top)
    ctx.paint()
    return out


def test_6_modes_from_the_monitor_and_a_mode_switch(desktop: VmDesktop) -> None:
    output = next(o for o in desktop.ipc("outputs") if o["name"] == "Virtual-1")
    # QEMU's virtual monitor identifies itself in its EDID; the names come from hwdata's PNP ID list
    assert (output["make"], output["model"]) == ("Red Hat, Inc.", "QEMU Monitor")
    assert output["mode"].startswith("1280x800@")
    assert {(1024, 768), (1920, 1080)} <= {(m["width"], m["height"]) for m in output["modes"]}
    assert [m for m in output["modes"] if m["current"]][0]["preferred"]
    desktop.ipc("output", "mode", "Virtual-1", "1024x768")
    shown = desktop.screen_shows_orrery("6-mode-1024x768")
    assert (shown.get_width(), shown.get_height()) == (1024, 768)
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    assert panel["width"] == 1024  # the shell followed
    desktop.ipc("output", "mode", "Virtual-1", "1280x800")
    shown = desktop.screen_shows_orrery("6-mode-back")
    assert (shown.get_width(), shown.get_height()) == (1280, 800)


def plug(desktop: VmDesktop, state: str) -> None:
    """Force the virtual GPU's second connector connected (``on``) or not (``off``). virtio-gpu sends no uevent
    for a forced connector (a real cable makes the kernel send ``change`` with HOTPLUG=1), so the test sends the
    ``change`` event of the GPU itself, through udev as the kernel's would come."""
    desktop.vm.run(f"echo {state} > /sys/class/drm/card0-Virtual-2/status && "
                   "udevadm trigger --action=change --settle /sys/class/drm/card0")


def test_7_a_monitor_plugged_in_and_out(desktop: VmDesktop) -> None:
    plug(desktop, "on")
    second = wait_for("a second output", lambda: next((o for o in desktop.ipc("outputs")
                                                       if o["name"] == "Virtual-2"), None), 60)
    assert second["x"] == 1280
    wait_for("a panel on the second output", lambda: any(
        layer["namespace"] == "panel" and layer["output"] == "Virtual-2" for layer in desktop.ipc("layers")), 120)
    foot = next(w for w in desktop.ipc("windows") if w["app_id"] == "foot")
    desktop.ipc("window", "move", str(foot["id"]), str(second["x"] + 50), "100")
    plug(desktop, "off")
    wait_for("the second output gone", lambda: [o["name"] for o in desktop.ipc("outputs")] == ["Virtual-1"], 60)
    moved = next(w for w in desktop.ipc("windows") if w["app_id"] == "foot")
    assert moved["x"] >= 0 and moved["x"] + moved["width"] <= 1280 and 0 <= moved["y"] < 800
    desktop.vm.run("echo detect > /sys/class/drm/card0-Virtual-2/status")
    desktop.screen_shows_orrery("7-after-unplug")


def near(seat: dict[str, float], spot: tuple[int, int]) -> bool:
    return abs(seat["x"] - spot[0]) < 2 and abs(seat["y"] - spot[1]) < 2


def pointer_pixels(image: cairo.ImageSurface, x: int, y: int, background: tuple[int, int, int]) -> int:
    """How many pixels of the 16x16 square right below (x, y) are not the background: an arrow's."""
    return sum(1 for px in range(x, x + 16) for py in range(y, y + 16) if colour(image, px, py) != background)


def test_8_a_tap_on_a_touchpad_clicks(desktop: VmDesktop) -> None:
    vm = desktop.vm
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    button = (40, panel["y"] + panel["height"] // 2)  # "Applications"
    vm.move(*button)
    wait_for("the pointer on the launcher button", lambda: near(desktop.ipc("seat"), button), 30, 0.5)
    assert "launcher" not in desktop.layers()
    compositor = vm.run(f"pgrep -u {USER} -f -n 'python -P -m compositor.session'").strip()
    output = vm.run(f"/usr/bin/python3 {ROOT}/tests/session/touchpad.py --by {compositor}", timeout=120)
    assert "TOUCHPAD: tapped" in output
    wait_for("the launcher, opened by the tap's click", lambda: "launcher" in desktop.layers(), 60, 0.5)
    vm.sendkey("esc")
    wait_for("the launcher to close", lambda: "launcher" not in desktop.layers(), 120)


def test_9_a_killed_compositor_leaves_a_console_and_the_greeter_logs_in_again(desktop: VmDesktop) -> None:
    vm = desktop.vm
    spot = (700, 720)  # on the background, below foot
    vm.move(*spot)
    wait_for("the pointer there", lambda: near(desktop.ipc("seat"), spot), 30, 0.5)
    hardware = vm.screendump(OUT / "9-hardware-pointer.png")
    background = colour(hardware, spot[0] - 20, spot[1] - 20)
    assert pointer_pixels(hardware, *spot, background) == 0  # a cursor plane: not in the frame
    # the next session draws the pointer into its frames (for GPUs without a cursor plane), with a German keymap
    vm.run(f"runuser -u {USER} -- sh -c 'mkdir -p ~/.config/orrery && printf \"[drm]\\nhardware_cursor = false\\n"
           f"[keyboard]\\nlayout = \\\"de\\\"\\n\" > ~/.config/orrery/orrery.toml'")
    pid = vm.run(f"pgrep -u {USER} -f -n 'python -P -m compositor.session'").strip()
    vm.run(f"kill -9 {pid}")
    wait_for("the greeter (agreety) on the console", lambda: vm.run("pgrep -x agreety || true").strip(), 60)
    wait_for("the greeter's prompt on the display",
             lambda: looks_like_text_console(vm.screendump(OUT / "9-greeter.png")), 60, 2.0)
    vm.type(USER + "\n")
    time.sleep(3)  # PAM asks for the password and turns echo off
    vm.type(PASSWORD + "\n")
    old = desktop.socket
    desktop.socket = ""
    desktop.find_session()
    assert vm.run(f"pgrep -u {USER} -f -n 'python -P -m compositor.session'").strip() != pid
    vm.move(spot[0] + 9, spot[1] + 9)  # the tablet reports only changes: the new session learns where it is
    vm.move(*spot)
    wait_for("the pointer there", lambda: near(desktop.ipc("seat"), spot), 30, 0.5)
    software = desktop.screen_shows_orrery("9-desktop-after-login")
    assert pointer_pixels(software, *spot, background) > 20
    assert old  # (the first session's socket may be reused by the new one; what matters is a new process)
    panel = next(layer for layer in desktop.ipc("layers") if layer["namespace"] == "panel")
    vm.click(40, panel["y"] + panel["height"] // 2)  # the new session's shell works: "Applications"
    wait_for("the launcher after a click in the new session", lambda: "launcher" in desktop.layers(), 60, 0.5)
    vm.sendkey("esc")
    wait_for("the launcher to close", lambda: "launcher" not in desktop.layers(), 120)


def usb_interrupts(vm: VirtualMachine) -> int:
    """Interrupts the guest's USB controller (xhci) has taken."""
    lines = [line for line in vm.run("cat /proc/interrupts").splitlines() if "xhci" in line]
    return sum(int(field) for line in lines for field in line.split()[1:3] if field.isdigit())


def test_10_a_usb_keyboard_plugged_in_out_and_in_again_types_with_the_sessions_layout(desktop: VmDesktop) -> None:
    """The second session has a German keymap (orrery.toml): where a US keyboard has Y, it types Z."""
    vm = desktop.vm
    home = f"/home/{USER}"
    desktop.ipc("action", "spawn", "foot")
    wait_for("a focused foot", lambda: any(w["app_id"] == "foot" and w["focused"] for w in desktop.ipc("windows")),
             60)
    time.sleep(2)  # the shell's prompt
    for attempt, keys in enumerate(("touch y\n", "touch yy\n"), start=1):
        vm.plug_usb_keyboard("usbkbd")
        wait_for("the USB keyboard in the VM", lambda: "QEMU USB Keyboard" in vm.run("cat /proc/bus/input/devices"), 60)
        time.sleep(2)  # libinput opens it
        before = usb_interrupts(vm)
        vm.type_on_usb_keyboard(keys)
        assert usb_interrupts(vm) - before >= len(keys)  # the keys came through the USB controller
        made = "z" * attempt
        wait_for(f"{home}/{made} (typed as {keys.strip()!r} on the USB keyboard)",
                 lambda: vm.run(f"test -e {home}/{made} && echo yes || true"), 30)  # noqa: B023
        assert not vm.run(f"ls {home}/y {home}/yy 2>/dev/null || true").strip()
        vm.unplug("usbkbd")
        wait_for("the USB keyboard gone", lambda: "QEMU USB Keyboard" not in vm.run("cat /proc/bus/input/devices"),
                 60)


def test_11_the_quit_binding_ends_the_session_cleanly(desktop: VmDesktop) -> None:
    vm = desktop.vm
    vm.sendkey("meta_l-shift-esc")
    wait_for("the quit question on screen", lambda: desktop.ipc("seat")["asking"], 60, 0.5)
    vm.sendkey("ret")
    log = wait_for("the session to end", lambda: "exited with status" in (
        text := vm.run(f"tail -5 {SESSION_LOG}")) and text, 60)
    assert "exited with status 0" in log, log
    wait_for("the greeter's prompt on the display",
             lambda: looks_like_text_console(vm.screendump(OUT / "11-greeter-after-exit.png")), 60, 2.0)
    assert desktop.active_vt() == "tty1"


def test_12_a_gpu_without_a_monitor_is_a_one_line_error_and_the_console_stays(desktop: VmDesktop) -> None:
    vm = desktop.vm
    vm.run("echo off > /sys/class/drm/card0-Virtual-1/status")
    try:
        answer = vm.agent({"run": f"runuser -u {USER} -- env XDG_RUNTIME_DIR=/run/user/$(id -u {USER}) "
                                  f"{PREFIX}/bin/orrery run --backend drm --no-shell 2>&1 >/dev/null"})
    finally:
        vm.run("echo detect > /sys/class/drm/card0-Virtual-1/status")
    assert answer["status"] == 1
    assert answer["output"] == ("orrery: no monitor is connected to /dev/dri/card0: connect one (or choose another "
                                "GPU with [drm] device in orrery.toml)\n")
    wait_for("the greeter's prompt still on the display",
             lambda: looks_like_text_console(vm.screendump(OUT / "12-console-after-error.png")), 60, 2.0)
