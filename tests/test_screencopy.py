"""Screenshot tools over zwlr_screencopy_manager_v1: grim's pictures are the frames Orrery shows, pixel for pixel,
and requests grim would never send get the protocol's answers while the compositor carries on."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import cairo
import pytest

from tests.harness import Session, wait_until

PROBE = [sys.executable, "-m", "tests.tools.screencopy_probe"]
WINDOW = [sys.executable, "-m", "tests.tools.opaque_window"]


def colours(image: cairo.ImageSurface, box: tuple[int, int, int, int] | None = None) -> bytes:
    """The image's (or a rectangle's) colour bytes, B, G, R per pixel (the padding byte differs between PNG
    readers)."""
    x, y, width, height = box or (0, 0, image.get_width(), image.get_height())
    data, stride = bytes(image.get_data()), image.get_stride()
    rows = b"".join(data[(y + row) * stride + x * 4:(y + row) * stride + (x + width) * 4] for row in range(height))
    return bytes(byte for index, byte in enumerate(rows) if index % 4 != 3)


def load(path: Path) -> cairo.ImageSurface:
    return cairo.ImageSurface.create_from_png(str(path))


def grim(session: Session, path: Path, *options: str) -> cairo.ImageSurface:
    result = session.run(["grim", *options, str(path)])
    assert result.returncode == 0, f"grim {' '.join(options)} failed: {result.stderr.decode()}"
    return load(path)


def show_windows(session: Session) -> None:
    """Two windows with known pictures, one of them half transparent, so the frame has something to compare."""
    for argv in ([*WINDOW, "solid", "d02020", "red"], [*WINDOW, "bands", "bands"]):  # in turn: bands on top
        client = session.spawn(argv, stdout=subprocess.PIPE)
        assert client.stdout is not None and client.stdout.readline().strip() == b"mapped"
    session.msg("window", "move", str(session.wait_for_window("bands")["id"]), "100", "150")
    session.msg("window", "move", str(session.wait_for_window("red")["id"]), "560", "100")  # across two outputs


def probe(session: Session, *args: str) -> tuple[list[dict[str, object]], str]:
    result = session.run([*PROBE, *args])
    lines = [json.loads(line) for line in result.stdout.decode().splitlines() if line.startswith("{")]
    return lines, result.stderr.decode()


@pytest.fixture
def two_outputs(runtime_dir: Path) -> object:
    compositor = Session(runtime_dir, outputs=("640x480@60", "800x600@60"))
    yield compositor
    assert compositor.stop() == 0, compositor.log_text()


def test_grim_whole_output_and_region_match_the_screenshot(session: Session, tmp_path: Path) -> None:
    show_windows(session)
    shot = session.screenshot().image
    whole = grim(session, tmp_path / "whole.png")
    assert (whole.get_width(), whole.get_height()) == (1280, 800)
    assert colours(whole) == colours(shot), "grim saw the frame the compositor shows"
    region = grim(session, tmp_path / "region.png", "-g", "90,140 333x222")
    assert (region.get_width(), region.get_height()) == (333, 222)
    assert colours(region) == colours(shot, (90, 140, 333, 222)), "grim -g saw that part of it"


def test_grim_of_a_scaled_output_matches_the_screenshot(two_outputs: Session, tmp_path: Path) -> None:
    session = two_outputs
    show_windows(session)
    session.msg("output", "scale", "HEADLESS-2", "2")
    shot = session.screenshot().image  # the layout at scale 2: HEADLESS-2 pixel for pixel at (1280, 0)
    right = grim(session, tmp_path / "right.png", "-o", "HEADLESS-2")
    assert (right.get_width(), right.get_height()) == (800, 600)
    assert colours(right) == colours(shot, (1280, 0, 800, 600))
    assert colours(right, (4, 220, 1, 1)) == bytes((0x20, 0x20, 0xd0)), "the window reaches onto HEADLESS-2"
    part = grim(session, tmp_path / "part.png", "-g", "650,90 100x50")  # logical: HEADLESS-2 starts at x=640
    assert (part.get_width(), part.get_height()) == (200, 100), "grim asks for physical pixels of a scale-2 output"
    assert colours(part) == colours(shot, (1300, 180, 200, 100))


def test_grim_draws_the_pointer_only_when_asked(session: Session, tmp_path: Path) -> None:
    session.pointer("move", "400", "300")
    shot = session.screenshot().image
    plain = grim(session, tmp_path / "plain.png")
    assert colours(plain) == colours(shot), "no pointer: the headless frame has none"
    with_cursor = grim(session, tmp_path / "cursor.png", "-c")
    assert colours(with_cursor, (400, 300, 16, 16)) != colours(shot, (400, 300, 16, 16)), "grim -c shows the pointer"
    assert colours(with_cursor, (600, 500, 100, 100)) == colours(shot, (600, 500, 100, 100)), "and nothing else changed"


def test_copy_with_damage_waits_for_a_change_and_says_where(session: Session) -> None:
    process = subprocess.Popen([*PROBE, "damage"], env=session.client_env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None and process.stdin is not None
        first = json.loads(process.stdout.readline())
        assert first == {"ready": True, "damage": [[0, 0, 1280, 800]]}, "the first copy is all new"
        process.stdin.write(b"\n")
        process.stdin.flush()  # the second copy now waits for something to change
        window = session.spawn([*WINDOW, "solid", "20d020", "green"], stdout=subprocess.PIPE)
        assert window.stdout is not None and window.stdout.readline().strip() == b"mapped"
        placed = session.wait_for_window("green")
        second = json.loads(process.stdout.readline())
        assert second["ready"]
        [[x, y, width, height]] = second["damage"]
        assert x <= placed["x"] and y <= placed["y"] and x + width >= placed["x"] + placed["width"] \
            and y + height >= placed["y"] + placed["height"], f"the damage {second} covers the new window {placed}"
        assert width * height < 1280 * 800, "and not the whole output"
        process.stdin.write(b"\n")
        process.stdin.flush()
    finally:
        process.kill()
        process.wait()


def test_bad_capture_requests_get_the_protocol_answers(two_outputs: Session, tmp_path: Path) -> None:
    session = two_outputs
    for scenario, message in (("wrong-size", "the buffer must be XRGB8888"),
                              ("wrong-format", "the buffer must be XRGB8888"),
                              ("copy-twice", "already copied")):
        lines, stderr = probe(session, scenario)
        assert lines == [{"disconnected": True}] and message in stderr, f"{scenario}: {lines} {stderr}"
    assert probe(session, "region", "600", "400", "1000", "1000")[0] == [{"buffer": [40, 80, 160]}], "clipped"
    assert probe(session, "region", "0", "0", str(2**31 - 1), str(2**31 - 1))[0] == [{"buffer": [640, 480, 2560]}]
    for region in (("700", "0", "10", "10"), ("0", "0", "-5", "5"), (str(-2**31), str(-2**31), str(2**31 - 1), "9")):
        assert probe(session, "region", *region)[0] == [{"failed": True}], f"region {region} misses the output"
    assert probe(session, "off-while-waiting", "HEADLESS-2")[0] == [{"failed": True, "damage": []}]
    session.run(["wlr-randr", "--output", "HEADLESS-2", "--on"])
    assert probe(session, "unplugged", "HEADLESS-2")[0] == [{"failed": True}], "an output switched off is not copied"
    shot = session.screenshot().image
    assert colours(grim(session, tmp_path / "after.png")) == colours(shot), "and grim still works"


def test_grim_of_a_turned_output_matches_the_upright_screenshot(session: Session, tmp_path: Path) -> None:
    show_windows(session)  # the bands window at (100, 150): opaque blue on its left
    for transform, size in (("90", (800, 1280)), ("flipped-180", (1280, 800)), ("270", (800, 1280))):
        result = session.run(["wlr-randr", "--output", "HEADLESS-1", "--transform", transform])
        assert result.returncode == 0, result.stderr.decode()
        shot = session.screenshot().image
        assert (shot.get_width(), shot.get_height()) == size
        assert colours(shot, (110, 160, 1, 1)) == bytes((0xff, 0, 0)), f"{transform}: the window is where it was"
        picture = grim(session, tmp_path / f"{transform}.png")
        assert colours(picture) == colours(shot), f"{transform}: grim turns the frame as the screenshot does"


def test_a_flood_of_copies_is_served_while_the_compositor_answers(session: Session) -> None:
    flood = session.spawn([*PROBE, "flood", "600"], stdout=subprocess.PIPE)
    assert flood.stdout is not None
    started = time.monotonic()
    session.msg("outputs", timeout=5)
    assert time.monotonic() - started < 5, "the compositor answers meanwhile"
    assert json.loads(flood.stdout.readline()) == {"ready": 600, "failed": 0}


def test_wf_recorder_gets_frames_only_when_the_screen_changes(session: Session, tmp_path: Path) -> None:
    show_windows(session)
    frame_bytes = 1280 * 800 * 4
    raw = tmp_path / "recording.raw"  # bgr0 frames one after another: the framebuffer's own layout
    recorder = session.spawn(["wf-recorder", "-m", "rawvideo", "-c", "rawvideo", "-f", str(raw)],
                             stderr=subprocess.PIPE)
    window = str(session.wait_for_window("bands")["id"])
    wait_until(lambda: raw.exists(), timeout=20, what="wf-recorder to start")
    time.sleep(1.5)  # nothing moves: about 90 frames of the output, not one new picture
    for step in range(10):
        session.msg("window", "move", window, str(100 + 20 * step), "150")
        time.sleep(0.1)
    time.sleep(0.2)
    top = (0, 0, 1280, 350)  # the windows; wf-recorder asks for the pointer too, at the output's centre
    shot = colours(session.screenshot().image, top)
    recorder.send_signal(signal.SIGINT)
    time.sleep(0.2)
    session.msg("window", "move", window, "100", "150")  # it waits for a change before it sees the signal
    assert recorder.wait(timeout=20) == 0, recorder.stderr.read().decode() if recorder.stderr else ""
    frames = raw.stat().st_size // frame_bytes
    assert 6 <= frames <= 20, f"{frames} frames: about one per change, none while nothing changed"
    data = raw.read_bytes()
    recorded = [colours(cairo.ImageSurface.create_for_data(bytearray(data[n * frame_bytes:(n + 1) * frame_bytes]),
                                                           cairo.FORMAT_RGB24, 1280, 800), top) for n in range(frames)]
    assert shot in recorded, "the screen after the last move was recorded as it is"
