"""What `orrery run` says where it cannot show a desktop: one line naming what is missing and what to do, no
traceback (this machine has no GPU; the VM test covers a GPU without a monitor)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.harness import ORRERY, ROOT


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    base = {key: value for key, value in os.environ.items()
            if key not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_ID", "XDG_SEAT", "XDG_VTNR")}
    return subprocess.run([*ORRERY, "run", "--no-shell", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**base, "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(tmp_path),
                                         "SEATD_SOCK": str(tmp_path / "no-seatd.sock"), **env})


def test_auto_without_a_display_or_a_seat_says_what_to_do(tmp_path: Path) -> None:
    done = run(tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("orrery: nowhere to show the desktop") and "--backend headless" in done.stderr


def test_the_drm_backend_without_a_gpu_or_seat_fails_in_one_line(tmp_path: Path) -> None:
    done = run(tmp_path, "--backend", "drm")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    # as root libseat may open a seat of its own; then the GPU is what is missing
    assert done.stderr.startswith(("orrery: no GPU found (/dev/dri/card* is missing)", "orrery: no seat to run on")), \
        done.stderr
