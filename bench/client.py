"""The benchmark's own Wayland clients (one process each; the compositor is $WAYLAND_DISPLAY).

    python -m bench.client present --warmup S --seconds S [--size WxH | --fullscreen]
    python -m bench.client input --samples N
    python -m bench.client startup --socket NAME --timeout S
    python -m bench.client churn --count N
    python -m bench.client cover
    python -m bench.client load [--size WxH] [--decorations]
    python -m bench.client wm            (scenario 9's windows, driven on stdin: see bench/wm.py)

Each prints its result as one JSON line on stdout (``present`` first prints ``start`` and ``end`` lines
when its measuring window opens and closes, so the caller can sample the compositor's CPU in between).
Latencies are in milliseconds; ``startup`` reports CLOCK_MONOTONIC instants in nanoseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import sys
import time
from typing import Any

from bench.wayland import Connection, ShmWindow
from bench.wm import wm_client
from orrery_testing.shm import ARGB8888, rgb_pixel, shm_buffer, solid


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def present(args: argparse.Namespace) -> dict[str, Any]:
    """Redraw and commit the whole window once per frame callback, with presentation feedback each time."""
    conn = Connection()
    if conn.globals.presentation is None:
        raise SystemExit("the compositor has no wp_presentation")
    if args.fullscreen:
        width, height = conn.globals.output_size
    else:
        width, height = (int(part) for part in args.size.split("x"))
    window = ShmWindow(conn, width, height, "bench-present", fullscreen=args.fullscreen)
    patterns = [solid(width, height, (0x30, 0x60, 0x90)), solid(width, height, (0x90, 0x60, 0x30))]
    measured: list[Any] = []
    start = time.monotonic() + args.warmup
    end = start + args.seconds
    started = False
    drawn = 0
    while (now := time.monotonic()) < end:
        if not started and now >= start:
            started = True
            emit("start")
        index = window.free_buffer() if window.frame_done else None
        if index is not None:
            window.fill(index, patterns[drawn % 2])
            drawn += 1
            frame = window.commit(index)
            if started:
                measured.append(frame)
        conn.pump(min((end if started else start) - now, 0.05))
    emit("end")
    drain_until = time.monotonic() + 0.5
    while time.monotonic() < drain_until and any(f.presented_ns is None and not f.discarded for f in measured):
        conn.pump(0.05)
    presented = [f for f in measured if f.presented_ns is not None]
    latencies = [(f.presented_ns - f.commit_ns) / 1e6 for f in presented if f.presented_ns is not None]
    shown = [f.presented_ns for f in presented if f.presented_ns is not None]
    refresh = [f.refresh_ns for f in presented if f.refresh_ns]
    return {
        "width": width, "height": height, "seconds": args.seconds,
        "commits": len(measured), "presented": len(presented),
        "discarded": sum(1 for f in measured if f.discarded),
        "refresh_ms": (sorted(refresh)[len(refresh) // 2] / 1e6) if refresh else None,
        "latency_ms": latencies,
        "flags": sorted({f.flags for f in presented}),  # wp_presentation_feedback.kind values seen
        "seq": [presented[0].seq, presented[-1].seq] if presented else None,  # first and last
        # when each presented frame was shown, relative to the first: the compositor's pacing
        "presented_ms": [(when - shown[0]) / 1e6 for when in shown],
    }


def pointer_input(args: argparse.Namespace) -> dict[str, Any]:
    """Inject virtual-pointer motion over our own window; time injection → wl_pointer.motion arrival."""
    conn = Connection()
    found = conn.globals
    if found.vpointer_manager is None or found.seat is None:
        raise SystemExit("the compositor has no wl_seat or zwlr_virtual_pointer_manager_v1")
    state: dict[str, Any] = {"entered": False, "motions": 0, "at": 0, "expect": 0}
    pointer = found.seat.get_pointer()  # before mapping, so the pointer sees the enter

    def motion(_p: Any, _time: int, _x: float, _y: float) -> None:
        state["motions"] += 1
        state["at"] = time.monotonic_ns()

    pointer.dispatcher["enter"] = lambda *_args: state.update(entered=True)
    pointer.dispatcher["leave"] = lambda *_args: state.update(entered=False)
    pointer.dispatcher["motion"] = motion
    vpointer = found.vpointer_manager.create_virtual_pointer(found.seat)
    width, height = found.output_size
    cx, cy = width // 2, height // 2

    def move(x: int, y: int) -> int:
        sent = time.monotonic_ns()
        vpointer.motion_absolute(sent // 1_000_000 & 0xFFFFFFFF, x, y, width, height)
        vpointer.frame()
        conn.display.flush()
        return sent

    window = ShmWindow(conn, width, height, "bench-input", count=1, fullscreen=True)  # under the pointer
    window.fill(0, solid(width, height, (0x50, 0x50, 0x50)))
    window.commit(0, feedback=False)
    window.wait_for_frame()
    move(10, 10)
    move(cx, cy)
    conn.wait_for(lambda: state["entered"])
    rng = random.Random(4)
    latencies: list[float] = []
    for sample in range(args.samples):
        state["expect"] = state["motions"] + 1
        sent = move(cx + (40 if sample % 2 else -40) + rng.randint(-5, 5), cy + rng.randint(-30, 30))
        conn.wait_for(lambda: state["motions"] >= state["expect"], timeout=5)
        latencies.append((state["at"] - sent) / 1e6)
        time.sleep(rng.uniform(0.002, 0.012))  # sample at every phase of the compositor's frame clock
    return {"samples": len(latencies), "latency_ms": latencies}


def startup(args: argparse.Namespace) -> dict[str, Any]:
    """Connect as soon as the socket accepts, map a window, wait until its first frame is presented."""
    path = os.path.join(os.environ["XDG_RUNTIME_DIR"], args.socket)
    emit("ready")
    deadline = time.monotonic() + args.timeout
    while True:
        if time.monotonic() > deadline:
            raise SystemExit("the socket never accepted a connection")
        if not os.path.exists(path):  # a stat per millisecond: we must not slow the compositor down
            time.sleep(0.001)
            continue
        try:
            conn = Connection(args.socket)
            break
        except (ValueError, RuntimeError):
            time.sleep(0.001)
    connected = time.monotonic_ns()
    window = ShmWindow(conn, 64, 64, "bench-startup", count=1)
    window.fill(0, solid(64, 64, (0x20, 0x80, 0x20)))
    frame = window.commit(0)
    conn.wait_for(lambda: frame.presented_ns is not None or frame.discarded, timeout=args.timeout)
    return {"connected_ns": connected, "presented_ns": time.monotonic_ns(), "discarded": frame.discarded}


def churn(args: argparse.Namespace) -> dict[str, Any]:
    """Connect, map a 200×200 window, see it drawn (frame callback), disconnect; ``count`` times."""
    pattern = solid(200, 200, (0x80, 0x20, 0x80))
    kept: list[Any] = []  # pywayland must not collect proxies of closed connections mid-loop
    began = time.monotonic()
    for index in range(args.count):
        conn = Connection()
        window = ShmWindow(conn, 200, 200, f"bench-churn-{index}", count=1)
        window.fill(0, pattern)
        window.commit(0, feedback=False)
        window.wait_for_frame()
        window.close()
        conn.disconnect()
        kept.append((conn, window))
    return {"count": args.count, "seconds": time.monotonic() - began}


def cover(args: argparse.Namespace) -> dict[str, Any]:
    """A maximized window of opaque pixels in an ARGB8888 buffer (as GTK, Qt and foot draw), drawn once, that
    declares its opaque region (wl_surface.set_opaque_region). Prints ``mapped`` once it is shown; a line
    ``no-region`` on stdin makes it declare none (the same pixels: nothing changes on screen, but the
    compositor can no longer tell that nothing under it shows), answered with ``ok``."""
    conn = Connection()
    found = conn.globals
    surface = found.compositor.create_surface()
    xdg_surface = found.wm_base.get_xdg_surface(surface)
    toplevel = xdg_surface.get_toplevel()
    toplevel.set_app_id("bench-cover")
    toplevel.set_maximized()
    size, serials = [0, 0], []
    toplevel.dispatcher["configure"] = lambda _t, width, height, _states: size.__setitem__(slice(None), [width, height])
    xdg_surface.dispatcher["configure"] = lambda _s, serial: serials.append(serial)
    surface.commit()
    conn.wait_for(lambda: bool(serials) and size[0] > 0)
    xdg_surface.ack_configure(serials[-1])
    width, height = size
    buffer = shm_buffer(found.shm, width, height, rgb_pixel((0x30, 0x40, 0x50)), ARGB8888, "bench-cover")
    region = found.compositor.create_region()
    region.add(0, 0, width, height)
    surface.set_opaque_region(region)
    region.destroy()
    surface.attach(buffer, 0, 0)
    surface.damage(0, 0, width, height)
    surface.commit()
    conn.display.roundtrip()
    emit("mapped")
    while True:  # answer the compositor's pings meanwhile
        ready, _, _ = select.select([sys.stdin, conn.display.get_fd()], [], [])
        if sys.stdin in ready:
            line = sys.stdin.readline()
            if not line:
                break
            if line.strip() == "no-region":
                surface.set_opaque_region(None)
                surface.commit()
                conn.display.roundtrip()
                emit("ok")
        conn.pump(0)
    return {"width": width, "height": height}


def load(args: argparse.Namespace) -> dict[str, Any]:
    """A window redrawn every frame as weston-simple-shm redraws its own (whole-surface damage, two buffers),
    without drawing pixels each time: only the compositor's work counts. ``--decorations`` asks for
    server-side decorations. Prints ``mapped`` once it is shown, then runs until it is killed."""
    width, height = (int(part) for part in args.size.split("x"))
    conn = Connection()
    window = ShmWindow(conn, width, height, "bench-load", count=2, decorations=args.decorations)
    for index, colour in enumerate(((0x20, 0x60, 0xA0), (0xA0, 0x60, 0x20))):
        window.fill(index, solid(width, height, colour))
    window.commit(0, feedback=False)
    window.wait_for_frame()
    emit("mapped")
    while True:
        window.wait_for_frame(timeout=3600)
        free = window.free_buffer()
        if free is None:
            conn.pump(0.05)
            continue
        window.commit(free, feedback=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.client", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("present")
    p.add_argument("--size", default="256x256")
    p.add_argument("--fullscreen", action="store_true")
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--seconds", type=float, default=10.0)
    p = commands.add_parser("input")
    p.add_argument("--samples", type=int, default=300)
    p = commands.add_parser("startup")
    p.add_argument("--socket", required=True)
    p.add_argument("--timeout", type=float, default=20.0)
    p = commands.add_parser("churn")
    p.add_argument("--count", type=int, default=200)
    commands.add_parser("cover")
    p = commands.add_parser("load")
    p.add_argument("--size", default="250x250")  # weston-simple-shm's size
    p.add_argument("--decorations", action="store_true")
    commands.add_parser("wm")
    args = parser.parse_args(argv)
    run = {"present": present, "input": pointer_input, "startup": startup, "churn": churn,
           "cover": cover, "load": load, "wm": lambda _args: wm_client()}[args.command]
    emit(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip pywayland's teardown
