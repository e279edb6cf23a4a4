"""`make bench-shell` (part 2): from starting `orrery run` (headless, with the shell) to the panel's first frame.

    python bench/shell_startup.py [--reps 3]

The panel's surface is listed by the compositor once its first buffer is committed (a mapped layer surface), so
the time to the first ``panel`` entry of ``layers`` over IPC is the time to its first frame. A report, not a test.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compositor import ipc  # noqa: E402


def once(index: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as runtime:
        env = {**os.environ, "XDG_RUNTIME_DIR": runtime, "XDG_CONFIG_HOME": str(Path(runtime) / "config")}
        env.pop("WAYLAND_DISPLAY", None)
        name = f"bench-shell-{os.getpid()}-{index}"
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "compositor", "run", "--backend", "headless", "--socket",
                                    name, "--output", "1920x1080@60"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        try:
            assert process.stdout is not None
            process.stdout.readline()
            ready = time.monotonic() - started
            os.environ["XDG_RUNTIME_DIR"] = runtime
            while time.monotonic() - started < 60:
                if any(s["namespace"] == "panel" for s in ipc.request(name, "layers", [])):
                    return ready, time.monotonic() - started
                time.sleep(0.01)
            raise TimeoutError("no panel after 60 s")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    runs = [once(i) for i in range(args.reps)]
    ready = statistics.median(r[0] for r in runs)
    panel = statistics.median(r[1] for r in runs)
    print(f"shell start-up ({args.reps} runs, median): compositor accepting clients after {ready * 1000:.0f} ms, "
          f"panel's first frame after {panel * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
