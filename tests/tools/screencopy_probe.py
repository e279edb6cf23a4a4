"""A zwlr_screencopy_manager_v1 client that sends what grim never would, one scenario per run.

    python -m tests.tools.screencopy_probe region X Y W H       # capture_output_region of the first output
    python -m tests.tools.screencopy_probe wrong-size           # copy into a buffer one pixel too narrow
    python -m tests.tools.screencopy_probe wrong-format         # copy into an ARGB8888 buffer
    python -m tests.tools.screencopy_probe copy-twice           # copy, then copy again on the same frame
    python -m tests.tools.screencopy_probe unplugged NAME       # switch NAME off (wlr-randr), then capture it
    python -m tests.tools.screencopy_probe off-while-waiting NAME  # capture NAME, switch it off, then copy
    python -m tests.tools.screencopy_probe damage               # copy_with_damage twice (reads a line between)
    python -m tests.tools.screencopy_probe flood N              # N copies of a 64×64 region asked at once

Prints one JSON line per result: ``{"buffer": [w, h, stride]}``, ``{"ready": true, "damage": [...]}``,
``{"failed": true}``, or ``{"disconnected": true}`` when the compositor sent a protocol error (libwayland prints
the error on stderr).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlOutput, WlShm

from orrery_testing.client import connect
from orrery_testing.shm import ARGB8888, XRGB8888, ShmPool
from protocols.wlr_screencopy_unstable_v1 import ZwlrScreencopyManagerV1


def say(**result: Any) -> None:
    print(json.dumps(result), flush=True)


class Probe:
    def __init__(self) -> None:
        self.display: Display
        self.display, bound = connect({WlShm: 1, ZwlrScreencopyManagerV1: 3})
        self.shm, self.manager = bound["wl_shm"], bound["zwlr_screencopy_manager_v1"]
        self.outputs: dict[str, Any] = {}
        self.registry = self.display.get_registry()  # a second registry: it lists the globals again
        pending: list[Any] = []

        def on_global(registry: Any, name: int, interface: str, version: int) -> None:
            if interface == "wl_output":
                output = registry.bind(name, WlOutput, min(version, 4))
                output.dispatcher["name"] = lambda proxy, text: self.outputs.__setitem__(text, proxy)
                pending.append(output)

        self.registry.dispatcher["global"] = on_global
        self.display.roundtrip()  # the globals
        self.display.roundtrip()  # the outputs' names
        self.pending = pending  # the proxies stay alive

    def frame(self, output: Any, region: tuple[int, int, int, int] | None = None) -> tuple[Any, dict[str, Any]]:
        """A frame and what it announced (``buffer``: width, height, stride), or ``failed``."""
        frame = (self.manager.capture_output(0, output) if region is None
                 else self.manager.capture_output_region(0, output, *region))
        state: dict[str, Any] = {"damage": []}
        frame.dispatcher["buffer"] = lambda _f, fmt, w, h, stride: state.__setitem__("buffer", [w, h, stride])
        frame.dispatcher["buffer_done"] = lambda _f: state.__setitem__("done", True)
        frame.dispatcher["failed"] = lambda _f: state.__setitem__("failed", True)
        frame.dispatcher["ready"] = lambda _f, *_t: state.__setitem__("ready", True)
        frame.dispatcher["damage"] = lambda _f, x, y, w, h: state["damage"].append([x, y, w, h])
        self.wait(state, ("done", "failed"))
        return frame, state

    def wait(self, state: dict[str, Any], keys: tuple[str, ...]) -> bool:
        """Dispatch until one of ``keys`` is in ``state``; False when the compositor disconnected us."""
        while not any(key in state for key in keys):
            if self.display.dispatch(block=True) == -1:
                say(disconnected=True)
                return False
        return True

    def buffer(self, width: int, height: int, shm_format: int = XRGB8888) -> Any:
        return ShmPool(self.shm, max(1, width * height * 4)).buffer(0, width, height, shm_format)

    def first_output(self) -> Any:
        return self.outputs[sorted(self.outputs)[0]]

    def copy(self, frame: Any, state: dict[str, Any], buffer: Any, with_damage: bool = False) -> None:
        (frame.copy_with_damage if with_damage else frame.copy)(buffer)
        if self.wait(state, ("ready", "failed")):
            say(**{key: state[key] for key in ("ready", "failed", "damage") if key in state})

    def roundtrip_or_report(self) -> None:
        if self.display.roundtrip() == -1:
            say(disconnected=True)
        else:
            say(connected=True)


def main(argv: list[str]) -> int:
    probe = Probe()
    mode = argv[0]
    if mode == "region":
        _frame, state = probe.frame(probe.first_output(), tuple(int(v) for v in argv[1:5]))  # type: ignore[arg-type]
        say(**{key: state[key] for key in ("buffer", "failed") if key in state})
    elif mode in ("wrong-size", "wrong-format", "copy-twice"):
        frame, state = probe.frame(probe.first_output())
        width, height, _stride = state["buffer"]
        if mode == "wrong-size":
            frame.copy(probe.buffer(width - 1, height))
        elif mode == "wrong-format":
            frame.copy(probe.buffer(width, height, ARGB8888))
        else:
            frame.copy(probe.buffer(width, height))
            frame.copy(probe.buffer(width, height))
        probe.roundtrip_or_report()
    elif mode == "unplugged":
        output = probe.outputs[argv[1]]
        subprocess.run(["wlr-randr", "--output", argv[1], "--off"], check=True)
        probe.display.roundtrip()
        _frame, state = probe.frame(output)
        say(**{key: state[key] for key in ("buffer", "failed") if key in state})
    elif mode == "off-while-waiting":
        frame, state = probe.frame(probe.outputs[argv[1]])
        width, height, _stride = state["buffer"]
        subprocess.run(["wlr-randr", "--output", argv[1], "--off"], check=True)
        probe.display.roundtrip()
        probe.copy(frame, state, probe.buffer(width, height))
    elif mode == "damage":
        output = probe.first_output()
        for _ in range(2):
            frame, state = probe.frame(output)
            width, height, _stride = state["buffer"]
            probe.copy(frame, state, probe.buffer(width, height), with_damage=True)
            sys.stdin.readline()  # the test changes something on screen, then says go on
    elif mode == "flood":
        count, side = int(argv[1]), 64
        pool = ShmPool(probe.shm, count * side * side * 4)
        results: list[dict[str, Any]] = []
        frames: list[Any] = []  # the proxies stay alive, or their events find no handler
        for index in range(count):
            frame = probe.manager.capture_output_region(0, probe.first_output(), 0, 0, side, side)
            state: dict[str, Any] = {}
            frame.dispatcher["ready"] = lambda _f, *_t, state=state: state.__setitem__("ready", True)
            frame.dispatcher["failed"] = lambda _f, state=state: state.__setitem__("failed", True)
            frame.copy(pool.buffer(index * side * side * 4, side, side, XRGB8888))
            results.append(state)
            frames.append(frame)
        while not all(results):
            if probe.display.dispatch(block=True) == -1:
                say(disconnected=True)
                return 0
        say(ready=sum("ready" in state for state in results), failed=sum("failed" in state for state in results))
    else:
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(sys.argv[1:]))  # skip pywayland's teardown of a possibly dead connection
