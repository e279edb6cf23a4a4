"""Run a real `orrery run` process and real clients against it, and look at what it shows.

The process runner is :mod:`orrery_testing.process`, which the benchmarks use too; this adds what the tests
look at: windows, screenshots, the pointer.
"""

from __future__ import annotations

import mmap
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cairo
import pytest
from pywayland.client import Display
from pywayland.protocol.wayland import WlSeat

from orrery_testing.process import ORRERY, ROOT, CompositorProcess, RuntimeDir, orrery_argv, wait_until

__all__ = ["ORRERY", "ROOT", "Screenshot", "Session", "require", "wait_until"]


def require(tools: dict[str, str]) -> None:
    """Fail in one line when a program the test runs is missing: ``{"kitty": "kitty"}`` maps a command (or an
    absolute path) to the Debian package that has it, all in the Makefile's APT_PACKAGES."""
    missing = [f"{tool} (Debian package {package})" for tool, package in tools.items()
               if not (os.path.exists(tool) if tool.startswith("/") else shutil.which(tool))]
    if missing:
        pytest.fail(f"missing: {', '.join(missing)}; run `make setup`", pytrace=False)


class Screenshot:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.image = cairo.ImageSurface.create_from_png(str(path))
        self.width, self.height = self.image.get_width(), self.image.get_height()
        self._data = bytes(self.image.get_data())
        self._stride = self.image.get_stride()

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        offset = y * self._stride + x * 4
        b, g, r = self._data[offset], self._data[offset + 1], self._data[offset + 2]
        return r, g, b

    def region_colours(self, x: int, y: int, width: int, height: int, step: int = 4) -> set[tuple[int, int, int]]:
        return {self.pixel(px, py) for px in range(x, x + width, step) for py in range(y, y + height, step)}


class Session(CompositorProcess):
    """One ``orrery run`` process with its own XDG_RUNTIME_DIR (``runtime_dir``, left in place); clients started
    through it (``spawn``, ``run``) are stopped with it."""

    def __init__(self, runtime_dir: Path, outputs: Sequence[str] = ("1280x800@60",),
                 backend: str = "headless", extra_env: dict[str, str] | None = None, shell: bool = False) -> None:
        """``shell=True`` starts Orrery's own panel, launcher, switcher and background too (``orrery run`` without
        ``--no-shell``)."""
        runtime = RuntimeDir("orrery-test", runtime_dir, extra_env)
        super().__init__(orrery_argv(runtime.name, outputs, backend, shell), runtime, timeout=60)

    def pointer(self, *commands: str) -> None:
        """Drive the pointer with our virtual-pointer client, e.g. ``pointer("move", "10", "10", "click")``."""
        result = self.run([sys.executable, str(ROOT / "tests" / "tools" / "vpointer.py"), *commands])
        assert result.returncode == 0, result.stderr.decode()

    def windows(self) -> list[dict[str, Any]]:
        return self.msg("windows")  # type: ignore[no-any-return]

    def wait_for_window(self, app_id: str | None = None, timeout: float = 20.0,
                        predicate: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any]:
        def find() -> dict[str, Any] | None:
            for window in self.windows():
                if (app_id is None or window["app_id"] == app_id) and (predicate is None or predicate(window)):
                    return window
            return None
        return wait_until(find, timeout, interval=0.1, what=f"a window with app_id {app_id!r}")  # type: ignore[no-any-return]

    def screenshot(self, name: str = "shot.png") -> Screenshot:
        path = self.runtime_dir / name
        self.msg("screenshot", str(path))
        return Screenshot(path)


def keyboard_of(session: Session) -> Any:
    """A client's wl_keyboard: its display, and a function answering the last repeat_info (rate, delay) and keymap
    (its text) it got, each time it is called."""
    os.environ["XDG_RUNTIME_DIR"] = session.env["XDG_RUNTIME_DIR"]
    display = Display(session.name)
    display.connect()
    got: dict[str, Any] = {}

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        if interface == "wl_seat":
            got["seat"] = registry.bind(name, WlSeat, 5)

    registry = display.get_registry()
    registry.dispatcher["global"] = on_global
    display.roundtrip()
    keyboard = got["seat"].get_keyboard()

    def on_keymap(_keyboard: Any, _format: int, fd: int, size: int) -> None:
        with mmap.mmap(fd, size, prot=mmap.PROT_READ) as mapped:
            got["keymap"] = mapped[:size].rstrip(b"\0").decode()
        os.close(fd)

    keyboard.dispatcher["keymap"] = on_keymap
    keyboard.dispatcher["repeat_info"] = lambda _keyboard, rate, delay: got.update(repeat=(rate, delay))

    def latest() -> tuple[tuple[int, int], str]:
        display.roundtrip()
        return got.get("repeat", (0, 0)), str(got["keymap"])

    return display, latest
