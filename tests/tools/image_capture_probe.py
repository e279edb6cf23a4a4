"""An ext_image_copy_capture_manager_v1 client (no packaged tool speaks it on Debian 12), one scenario per run.

    python -m tests.tools.image_capture_probe output NAME PATH     # one frame of an output, saved as PNG
    python -m tests.tools.image_capture_probe window APP_ID PATH   # one frame of a window alone, saved as PNG
    python -m tests.tools.image_capture_probe wrong-size NAME      # a buffer one pixel too small
    python -m tests.tools.image_capture_probe no-buffer NAME       # capture with no buffer attached
    python -m tests.tools.image_capture_probe twice NAME           # capture the same frame twice
    python -m tests.tools.image_capture_probe bad-option NAME      # create_session with an unknown option
    python -m tests.tools.image_capture_probe closing APP_ID       # a session on a window, which then closes

Prints JSON lines: ``{"size": [w, h], "formats": [...]}`` for a session's constraints, then
``{"ready": true, "damage": [...]}`` or ``{"failed": REASON}``, ``{"stopped": true}`` for a stopped session,
``{"disconnected": true}`` after a protocol error (libwayland prints it on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import cairo
from pywayland.protocol.ext_foreign_toplevel_list_v1 import ExtForeignToplevelListV1
from pywayland.protocol.ext_image_capture_source_v1 import (
    ExtForeignToplevelImageCaptureSourceManagerV1,
    ExtOutputImageCaptureSourceManagerV1,
)
from pywayland.protocol.ext_image_copy_capture_v1 import ExtImageCopyCaptureManagerV1
from pywayland.protocol.wayland import WlOutput, WlShm

from orrery_testing.client import connect
from orrery_testing.shm import ARGB8888, XRGB8888, ShmPool

CAIRO_FORMATS = {ARGB8888: cairo.FORMAT_ARGB32, XRGB8888: cairo.FORMAT_RGB24}


def say(**result: Any) -> None:
    print(json.dumps(result), flush=True)


class Probe:
    def __init__(self) -> None:
        self.display, bound = connect({WlShm: 1, ExtImageCopyCaptureManagerV1: 1,
                                       ExtOutputImageCaptureSourceManagerV1: 1,
                                       ExtForeignToplevelImageCaptureSourceManagerV1: 1,
                                       ExtForeignToplevelListV1: 1})
        self.shm = bound["wl_shm"]
        self.manager = bound["ext_image_copy_capture_manager_v1"]
        self.output_sources = bound["ext_output_image_capture_source_manager_v1"]
        self.window_sources = bound["ext_foreign_toplevel_image_capture_source_manager_v1"]
        self.outputs: dict[str, Any] = {}
        self.toplevels: dict[str, Any] = {}
        self.proxies: list[Any] = []

        def toplevel(_list: Any, handle: Any) -> None:
            self.proxies.append(handle)
            handle.dispatcher["app_id"] = lambda h, app_id: self.toplevels.__setitem__(app_id, h)

        bound["ext_foreign_toplevel_list_v1"].dispatcher["toplevel"] = toplevel
        registry = self.display.get_registry()  # a second registry: it lists the globals again

        def on_global(registry: Any, name: int, interface: str, version: int) -> None:
            if interface == "wl_output":
                output = registry.bind(name, WlOutput, min(version, 4))
                output.dispatcher["name"] = lambda proxy, text: self.outputs.__setitem__(text, proxy)
                self.proxies.append(output)

        registry.dispatcher["global"] = on_global
        self.proxies.append(registry)
        for _ in range(3):
            self.display.roundtrip()

    def dispatch(self) -> bool:
        try:
            if self.display.dispatch(block=True) != -1:
                return True
        except RuntimeError:  # pywayland raises for a protocol error
            pass
        say(disconnected=True)
        return False

    def session(self, source: Any, options: int = 0) -> tuple[Any, dict[str, Any]]:
        session = self.manager.create_session(source, options)
        state: dict[str, Any] = {"formats": []}
        session.dispatcher["buffer_size"] = lambda _s, w, h: state.__setitem__("size", [w, h])
        session.dispatcher["shm_format"] = lambda _s, fmt: state["formats"].append(fmt)
        session.dispatcher["done"] = lambda _s: state.__setitem__("done", True)
        session.dispatcher["stopped"] = lambda _s: state.__setitem__("stopped", True)
        while "done" not in state and "stopped" not in state:
            if not self.dispatch():
                os._exit(0)
        say(**({"stopped": True} if "stopped" in state else {"size": state["size"], "formats": state["formats"]}))
        return session, state

    def frame(self, session: Any, buffer: Any | None, captures: int = 1) -> dict[str, Any]:
        frame = session.create_frame()
        result: dict[str, Any] = {"damage": []}
        frame.dispatcher["damage"] = lambda _f, x, y, w, h: result["damage"].append([x, y, w, h])
        frame.dispatcher["ready"] = lambda _f: result.__setitem__("ready", True)
        frame.dispatcher["failed"] = lambda _f, reason: result.__setitem__("failed", reason)
        if buffer is not None:
            frame.attach_buffer(buffer)
        for _ in range(captures):
            frame.capture()
        while "ready" not in result and "failed" not in result:
            if not self.dispatch():
                os._exit(0)
        say(**result)
        return result


def capture_to_png(probe: Probe, source: Any, path: str, shm_format: int) -> None:
    session, state = probe.session(source)
    width, height = state["size"]
    pool = ShmPool(probe.shm, width * height * 4)
    if "ready" in probe.frame(session, pool.buffer(0, width, height, shm_format)):
        image = cairo.ImageSurface.create_for_data(bytearray(pool.memory[:]), CAIRO_FORMATS[shm_format],
                                                   width, height, width * 4)
        image.write_to_png(path)


def main(argv: list[str]) -> int:
    probe = Probe()
    mode, name = argv[0], argv[1]
    if mode == "output":
        capture_to_png(probe, probe.output_sources.create_source(probe.outputs[name]), argv[2], XRGB8888)
    elif mode == "window":
        capture_to_png(probe, probe.window_sources.create_source(probe.toplevels[name]), argv[2], ARGB8888)
    elif mode == "closing":
        session, state = probe.session(probe.window_sources.create_source(probe.toplevels[name]))
        stopped: list[bool] = []
        session.dispatcher["stopped"] = lambda _s: stopped.append(True)
        print(json.dumps({"waiting": True}), flush=True)
        while not stopped:
            if not probe.dispatch():
                return 0
        say(stopped=True)
    else:
        source = probe.output_sources.create_source(probe.outputs[name])
        if mode == "bad-option":
            probe.manager.create_session(source, 2)
            probe.display.roundtrip()
            probe.dispatch()
            return 0
        session, state = probe.session(source)
        width, height = state["size"]
        if mode == "wrong-size":
            probe.frame(session, ShmPool(probe.shm, width * height * 4).buffer(0, width - 1, height, XRGB8888))
        elif mode == "no-buffer":
            probe.frame(session, None)
        elif mode == "twice":
            probe.frame(session, ShmPool(probe.shm, width * height * 4).buffer(0, width, height, XRGB8888), 2)
        else:
            print(f"unknown mode {mode}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(sys.argv[1:]))  # skip pywayland's teardown of a possibly dead connection
