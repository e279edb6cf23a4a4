"""Run a real `orrery run` process and real clients against it, and look at what it shows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cairo

ROOT = Path(__file__).resolve().parent.parent
ORRERY = [sys.executable, "-m", "compositor"]


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05,
               what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


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


class Session:
    """One compositor process with its own XDG_RUNTIME_DIR; clients started through it."""

    def __init__(self, runtime_dir: Path, outputs: Sequence[str] = ("1280x800@60",),
                 backend: str = "headless", extra_env: dict[str, str] | None = None, shell: bool = False) -> None:
        """``shell=True`` starts Orrery's own panel, launcher and background too (``orrery run`` without
        ``--no-shell``)."""
        self.runtime_dir = runtime_dir
        self.name = f"orrery-test-{os.getpid()}-{time.monotonic_ns() % 100000}"
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime_dir), **(extra_env or {})}
        self.env.pop("WAYLAND_DISPLAY", None)
        argv = [*ORRERY, "run", "--backend", backend, "--socket", self.name, *([] if shell else ["--no-shell"])]
        for output in outputs:
            argv += ["--output", output]
        self.log_path = runtime_dir / "compositor.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen(argv, env=self.env, stdout=subprocess.PIPE, stderr=self.log, cwd=ROOT)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        if line != f"WAYLAND_DISPLAY={self.name}":
            self.process.kill()
            raise RuntimeError(f"compositor did not start: {line!r}\n{self.log_path.read_text()}")
        self.client_env = {**self.env, "WAYLAND_DISPLAY": self.name, "GDK_BACKEND": "wayland",
                           "XDG_SESSION_TYPE": "wayland"}
        self.client_env.pop("DISPLAY", None)
        self.clients: list[subprocess.Popen[bytes]] = []

    # -- clients -----------------------------------------------------------------------------------------
    def spawn(self, argv: Sequence[str], env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[bytes]:
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        process = subprocess.Popen(list(argv), env={**self.client_env, **(env or {})}, **kwargs)
        self.clients.append(process)
        return process

    def run(self, argv: Sequence[str], timeout: float = 20, env: dict[str, str] | None = None,
            **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(list(argv), env={**self.client_env, **(env or {})}, timeout=timeout,
                              capture_output=True, **kwargs)

    def pointer(self, *commands: str) -> None:
        """Drive the pointer with our virtual-pointer client, e.g. ``pointer("move", "10", "10", "click")``."""
        result = self.run([sys.executable, str(ROOT / "tests" / "tools" / "vpointer.py"), *commands])
        assert result.returncode == 0, result.stderr.decode()

    # -- IPC -----------------------------------------------------------------------------------------
    def msg(self, *args: str) -> Any:
        result = subprocess.run([*ORRERY, "msg", "--socket", self.name, *args], env=self.env,
                                capture_output=True, timeout=20, cwd=ROOT)
        if result.returncode != 0:
            raise RuntimeError(f"orrery msg {' '.join(args)} failed: {result.stderr.decode()}")
        out = result.stdout.decode().strip()
        return json.loads(out) if out else None

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

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        for client in self.clients:
            if client.poll() is None:
                client.kill()
                client.wait()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode
