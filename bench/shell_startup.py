"""`make bench-shell` (part 2): from starting `orrery run` (headless, with the shell) to the panel's first frame.

    python bench/shell_startup.py [--reps 3]

The panel's surface is listed by the compositor once its first buffer is committed (a mapped layer surface), so
the time to the first ``panel`` entry of ``layers`` over IPC is the time to its first frame. A report, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orrery_testing.process import CompositorProcess, RuntimeDir, orrery_argv  # noqa: E402


def once() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as config, \
            RuntimeDir("bench-shell", extra_env={"XDG_CONFIG_HOME": config}) as runtime:  # no shell.toml: the defaults
        started = time.monotonic()
        compositor = CompositorProcess(orrery_argv(runtime.name, ("1920x1080@60",), shell=True), runtime, timeout=60)
        try:
            ready = time.monotonic() - started
            while time.monotonic() - started < 60:
                if any(s["namespace"] == "panel" for s in compositor.request("layers")):
                    return ready, time.monotonic() - started
                time.sleep(0.01)
            raise TimeoutError("no panel after 60 s")
        finally:
            compositor.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    runs = [once() for _ in range(args.reps)]
    ready = statistics.median(r[0] for r in runs)
    panel = statistics.median(r[1] for r in runs)
    print(f"shell start-up ({args.reps} runs, median): compositor accepting clients after {ready * 1000:.0f} ms, "
          f"panel's first frame after {panel * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
