"""Is the compositor still well? An Orrery process with a bystander client (weston-simple-shm), and the checks the
fuzzer makes after every batch: it is alive, answers ``orrery msg`` within a second, and the bystander is still
mapped and still animating (its pixels in screenshots change over time).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cairo

from orrery_testing.process import CompositorProcess, RuntimeDir, orrery_argv, wait_until

BYSTANDER = ["weston-simple-shm"]
BYSTANDER_APP_ID = "org.freedesktop.weston.simple-shm"
OUTPUT = "800x600@60"
ANSWER_WITHIN = 1.0  # seconds for an ``orrery msg`` answer
SCREENSHOT_WITHIN = 5.0  # a screenshot also encodes a PNG: on a busy machine that alone can take a second
ANIMATION_WITHIN = 3.0  # seconds for the bystander's pixels to change
FD_SLACK = 64  # more open fds than at the start, with every hostile client gone, is a leak


@dataclass(frozen=True)
class Fault:
    """Why the compositor is not well: ``kind`` is died, unresponsive, ipc-failed (an ``orrery msg`` command such
    as screenshot answered with an error), fd-leak, bystander-gone or bystander-frozen."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class Sick(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


class Watch:
    """While a batch runs: ``orrery msg windows`` again and again from a thread of its own, and the longest it
    took to answer (``worst``, seconds). A client that floods the compositor shows here as a stall for everyone."""

    def __init__(self, process: CompositorProcess, every: float = 0.2) -> None:
        self.process = process
        self.every = every
        self.worst = 0.0
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._halt.is_set() and self.process.alive():
            began = time.monotonic()
            try:
                self.process.request("windows", timeout=30)
            except (OSError, RuntimeError, ValueError):
                return
            self.worst = max(self.worst, time.monotonic() - began)
            self._halt.wait(self.every)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._halt.set()
        self._thread.join(35)


class Patient:
    """``orrery run --no-shell`` on one 800×600 output in a private runtime directory, weston-simple-shm mapped on
    it. ``socket_path`` is where hostile clients connect."""

    def __init__(self, argv_extra: tuple[str, ...] = ()) -> None:
        self.runtime = RuntimeDir("orrery-fuzz")
        try:
            self.process = CompositorProcess([*orrery_argv(self.runtime.name, (OUTPUT,)), *argv_extra], self.runtime)
        except Exception:
            self.runtime.cleanup()
            raise
        self.log_offset = 0
        self.bystander = self.process.spawn(BYSTANDER)
        wait_until(self._bystander_window, timeout=20, what="weston-simple-shm to map")
        self.fds_at_start = self.open_fds()

    @property
    def socket_path(self) -> Path:
        return self.runtime.dir / self.runtime.name

    @property
    def pid(self) -> int:
        return self.process.pid

    def request(self, command: str, *args: str, timeout: float = ANSWER_WITHIN) -> Any:
        """An IPC command's answer; Sick(unresponsive) if it takes longer than ``timeout`` seconds."""
        if not self.process.alive():
            raise Sick(Fault("died", f"exit status {self.process.process.poll()}\n{self.process.log_text(2000)}"))
        began = time.monotonic()
        try:
            return self.process.request(command, *args, timeout=timeout)
        except RuntimeError as error:  # it answered, with an error: a screenshot that cannot be taken, say
            raise Sick(Fault("ipc-failed", str(error))) from error
        except (TimeoutError, ConnectionError, OSError, ValueError) as error:
            if isinstance(error, ConnectionError):
                time.sleep(0.3)  # a reset connection is most often a compositor dying: give it time to be reaped
            if not self.process.alive():
                raise Sick(Fault("died", f"exit status {self.process.process.poll()}\n"
                                 f"{self.process.log_text(2000)}")) from error
            raise Sick(Fault("unresponsive", f"orrery msg {command}: no answer within {timeout:.1f} s "
                             f"({type(error).__name__} after {time.monotonic() - began:.2f} s)")) from error

    def open_fds(self) -> int:
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def _bystander_window(self) -> dict[str, Any] | None:
        windows = self.request("windows", timeout=10)
        return next((w for w in windows if w["app_id"] == BYSTANDER_APP_ID), None)

    def watch(self) -> Watch:
        """A :class:`Watch` of this compositor, for ``with``."""
        return Watch(self.process)

    def responsive(self) -> float:
        """How long ``orrery msg windows`` took; Sick if over a second or the compositor died."""
        began = time.monotonic()
        self.request("windows")
        return time.monotonic() - began

    def examine(self) -> None:
        """Every check: alive, answering within a second, the bystander mapped and animating. Sick if not."""
        self.responsive()
        if self.bystander.poll() is not None:
            raise Sick(Fault("bystander-gone", f"weston-simple-shm exited with {self.bystander.returncode}"))
        window = self.request("windows")
        found = next((w for w in window if w["app_id"] == BYSTANDER_APP_ID), None)
        if found is None:
            raise Sick(Fault("bystander-gone", "weston-simple-shm's window is no longer listed"))
        open_fds = self.open_fds()
        if open_fds > self.fds_at_start + FD_SLACK:
            raise Sick(Fault("fd-leak", f"{open_fds} fds open with every hostile client gone, "
                             f"{self.fds_at_start} at the start"))
        box = (int(found["x"]) + 20, int(found["y"]) + 20, 200, 200)
        first = self._pixels(box, "a")
        deadline = time.monotonic() + ANIMATION_WITHIN
        while self._pixels(box, "b") == first:
            if time.monotonic() > deadline:
                raise Sick(Fault("bystander-frozen", f"weston-simple-shm's pixels at {box} did not change in "
                                 f"{ANIMATION_WITHIN:.0f} s; its window: {found}; workspaces: "
                                 f"{self.request('workspaces')}"))
            time.sleep(0.05)

    def _pixels(self, box: tuple[int, int, int, int], name: str) -> bytes:
        path = self.runtime.dir / f"fuzz-{name}.png"
        self.request("screenshot", str(path), timeout=SCREENSHOT_WITHIN)
        image = cairo.ImageSurface.create_from_png(str(path))
        stride, data = image.get_stride(), bytes(image.get_data())
        x, y, width, height = box
        x, y = max(0, x), max(0, y)
        width, height = min(width, image.get_width() - x), min(height, image.get_height() - y)
        return b"".join(data[row * stride + x * 4: row * stride + (x + width) * 4] for row in range(y, y + height))

    def new_log(self) -> str:
        """What the compositor logged since the last call."""
        text = self.process.log_path.read_text(errors="replace")
        fresh, self.log_offset = text[self.log_offset:], len(text)
        return fresh

    def stop(self) -> None:
        self.process.stop()
        self.runtime.cleanup()
