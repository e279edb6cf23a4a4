"""`make bench`: every benchmark scenario on Orrery and on weston 10, side by side, in one run.

    python bench/run.py [--quick] [--reps N] [--out PATH] [--doc PATH | --no-doc] [--only NAME ...]

Each scenario starts a fresh compositor (its own XDG_RUNTIME_DIR and socket) per repetition, alternating
which compositor goes first. Results, per repetition and as medians over repetitions, go to
bench/results/latest.json; the table goes between the markers in docs/performance.md. ``--quick`` (a
minute or so) only proves that everything still runs: ``make test`` uses it and asserts no timing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # as a script its own directory is on sys.path, not the checkout

from bench.desktop import scenario_desktop, scenario_launcher  # noqa: E402
from bench.nested import NO_NESTED, scenario_nested  # noqa: E402
from bench.report import cpu_model, kept_from, versions, write_doc, write_results  # noqa: E402
from bench.wm import scenario_wm  # noqa: E402
from bench.xwayland import scenario_xwayland  # noqa: E402
from orrery_testing.process import (  # noqa: E402
    CompositorProcess,
    RuntimeDir,
    orrery_argv,
    read_line,
    stop_process,
    weston_argv,
)

RESULTS = ROOT / "bench" / "results" / "latest.json"
DOC = ROOT / "docs" / "performance.md"
WIDTH, HEIGHT, REFRESH_HZ = 1920, 1080, 60
COMPOSITORS = ("orrery", "weston")
SCENARIOS = ("load", "fullscreen", "input", "startup", "memory", "churn", "covered", "decorations", "wm", "nested",
             "xwayland", "desktop", "launcher")
LOAD_CLIENTS = 8
CLK_TCK = os.sysconf("SC_CLK_TCK")
NO_SEAT = "weston's headless backend has no wl_seat (and weston 10 no virtual pointer): nothing to measure"
NO_WM = "weston has no workspaces or tiling to ask for: nothing to compare"
NO_LAUNCHER = "weston has no launcher: nothing to compare"
# weston starts repainting this many ms before the (headless) vblank; 7 by default, which on these machines
# presents ≈ 37 frames a second under the load scenario. 15 is its fastest here (≈ 55; 16 is slower again):
# the row that compares the two compositors at nearly equal frame rates.
WESTON_FASTEST_REPAINT_WINDOW_MS = 15


@dataclass(frozen=True)
class Settings:
    reps: int
    load_seconds: float
    fullscreen_seconds: float
    input_samples: int
    startup_runs: int
    churn_count: int
    settle: float = 1.0  # after the compositor accepts clients, before we load it
    warmup: float = 1.0  # the presentation client's frames before its measuring window
    wm_samples: int = 40  # workspace switches, and tiling toggles, per repetition of scenario 9
    filter_rounds: int = 5  # the launcher's queries typed, per repetition of scenario 11


FULL = Settings(reps=5, load_seconds=10, fullscreen_seconds=10, input_samples=300, startup_runs=3,
                churn_count=200)
QUICK = Settings(reps=1, load_seconds=2, fullscreen_seconds=2, input_samples=40, startup_runs=1,
                 churn_count=10, settle=0.5, warmup=0.5, wm_samples=4, filter_rounds=1)


# -- processes ---------------------------------------------------------------------------------------
def compositor_argv(kind: str, name: str, xwayland: bool = False, weston_config: Path | None = None) -> list[str]:
    """``xwayland``: weston with its X11 support (Orrery has it unless orrery.toml says otherwise);
    ``weston_config``: a weston.ini for weston."""
    if kind == "orrery":
        return orrery_argv(name, (f"{WIDTH}x{HEIGHT}@{REFRESH_HZ}",))
    return weston_argv(name, "headless", (f"--width={WIDTH}", f"--height={HEIGHT}", *(["--xwayland"] if xwayland
                                                                                         else []),
                                          *([f"--config={weston_config}"] if weston_config else [])))


def proc_cpu_seconds(pid: int) -> float:
    """user + sys CPU time of one process (not its children), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime: fields 14 and 15 of stat(5)


def proc_status_mb(pid: int, key: str) -> float:
    """A kB line of /proc/PID/status (VmRSS, VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def bench_runtime(kind: str) -> RuntimeDir:
    """A temporary XDG_RUNTIME_DIR and socket name for one compositor of ``kind``."""
    return RuntimeDir(f"bench-{kind}")


class Server(CompositorProcess):
    """One compositor of ``kind`` (orrery or weston; ``argv`` by default :func:`compositor_argv`), started,
    accepting clients and then left ``settle`` seconds (weston's desktop-shell client draws its panel and
    background meanwhile). Both are ready when their socket accepts a connection."""

    def __init__(self, kind: str, runtime: RuntimeDir, settle: float, argv: list[str] | None = None) -> None:
        self.kind = kind
        super().__init__(argv or compositor_argv(kind, runtime.name), runtime, announces=False)
        time.sleep(settle)

    def client(self, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
        """``bench.client ARGS...`` with its stdout and stderr piped (for :func:`read_line`)."""
        return self.spawn(client_argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin)


@contextmanager
def server(kind: str, settings: Settings, xwayland: bool = False, weston_ini: str | None = None) -> Iterator[Server]:
    """``weston_ini``: a weston.ini for weston (written into its runtime directory)."""
    with bench_runtime(kind) as runtime:
        config = None
        if weston_ini is not None:
            config = runtime.dir / "weston.ini"
            config.write_text(weston_ini)
        started = Server(kind, runtime, settings.settle, compositor_argv(kind, runtime.name, xwayland, config))
        try:
            yield started
        finally:
            started.stop()


def client_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.client", *args]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency_figures(prefix: str, values: list[float]) -> dict[str, float | None]:
    if not values:
        return {f"{prefix}_median_ms": None, f"{prefix}_p99_ms": None}
    return {f"{prefix}_median_ms": statistics.median(values), f"{prefix}_p99_ms": percentile(values, 0.99)}


# -- scenarios ---------------------------------------------------------------------------------------
def measure_presenting(srv: Server, settings: Settings, seconds: float, *client_args: str) -> dict[str, Any]:
    """Run the presentation client; compositor CPU is sampled when its measuring window opens and closes."""
    client = srv.client("present", "--warmup", str(settings.warmup), "--seconds", str(seconds), *client_args)
    timeout = seconds + settings.warmup + 30
    if read_line(client, timeout) != "start":
        raise RuntimeError("presentation client: expected 'start'")
    cpu0, t0 = proc_cpu_seconds(srv.pid), time.monotonic()
    if read_line(client, timeout) != "end":
        raise RuntimeError("presentation client: expected 'end'")
    cpu1, t1 = proc_cpu_seconds(srv.pid), time.monotonic()
    result: dict[str, Any] = json.loads(read_line(client, timeout))
    client.wait(timeout)
    result["cpu_seconds"] = cpu1 - cpu0
    result["wall_seconds"] = t1 - t0
    return result


def scenario_load(srv: Server, settings: Settings) -> dict[str, dict[str, Any]]:
    """8 weston-simple-shm + our presentation client; the compositor's CPU, frames, latency, peak RSS."""
    shm_clients = [srv.spawn(["weston-simple-shm"]) for _ in range(LOAD_CLIENTS)]
    time.sleep(settings.settle)
    run = measure_presenting(srv, settings, settings.load_seconds, "--size", "256x256")
    seconds = run["seconds"]
    load = {
        "cpu_seconds": run["cpu_seconds"],
        "cpu_seconds_per_10s": run["cpu_seconds"] * 10 / run["wall_seconds"],
        "cpu_percent": 100 * run["cpu_seconds"] / run["wall_seconds"],
        "cpu_ms_per_frame": 1000 * run["cpu_seconds"] / max(1, run["presented"]),
        "frames_presented": run["presented"],
        "presented_hz": run["presented"] / seconds,
        "commits": run["commits"],
        "refresh_ms": run["refresh_ms"],
        **latency_figures("latency", run["latency_ms"]),
        "shm_clients_alive": sum(1 for c in shm_clients if c.poll() is None),
    }
    memory = {"vmhwm_mb": proc_status_mb(srv.pid, "VmHWM"), "vmrss_mb": proc_status_mb(srv.pid, "VmRSS")}
    if srv.kind == "orrery":  # the same load once more, laid out as weston lays it out (see spread_out)
        spread_out(srv)
        time.sleep(settings.warmup)
        again = measure_presenting(srv, settings, settings.load_seconds, "--size", "256x256")
        load["cpu_seconds_per_10s_spread"] = again["cpu_seconds"] * 10 / again["wall_seconds"]
    return {"load": load, "memory": memory}


def scenario_load_weston_fastest(settings: Settings) -> dict[str, Any]:
    """Scenario 1 once more on a weston told to start its repaints as early as it can
    (``repaint-window``), so that both compositors present nearly as many frames."""
    with server("weston", settings, weston_ini=f"[core]\nrepaint-window={WESTON_FASTEST_REPAINT_WINDOW_MS}\n") as srv:
        load = scenario_load(srv, settings)["load"]
    return {f"{key}_fastest": load[key] for key in ("cpu_seconds_per_10s", "cpu_ms_per_frame", "presented_hz")}


def spread_out(srv: Server, size: tuple[int, int] = (WIDTH, HEIGHT),
               msg: Callable[..., Any] | None = None) -> None:
    """Move Orrery's windows where weston's desktop-shell would have put them: each at a random place on
    the output of ``size`` (weston's initial placement), here from a fixed seed. Orrery puts new windows
    where they overlap least (scenario 1's eight side by side, none covering another), weston at random
    places where some overlap, and both draw only what shows; this measures Orrery on weston's layout.
    ``msg(*args)`` talks IPC (default ``srv.msg``, ``orrery msg``)."""
    msg = msg or srv.msg
    placement = random.Random(4)
    width, height = size
    for window in msg("windows"):
        x = placement.randrange(0, width - window["width"])
        y = placement.randrange(0, height - window["height"])
        msg("window", "move", str(window["id"]), str(x), str(y))


def scenario_covered(srv: Server, settings: Settings) -> dict[str, Any]:
    """Scenario 1's eight weston-simple-shm under a maximized window of opaque ARGB pixels that declares its
    opaque region, the presentation client on top; then, in the same session, the same window declaring
    none. The compositor's CPU per 10 s for each: what the opaque region saves (drawing only what shows,
    and, on Orrery, no frame callbacks for clients nothing of which shows, so they stop drawing)."""
    shm_clients = [srv.spawn(["weston-simple-shm"]) for _ in range(LOAD_CLIENTS)]
    time.sleep(settings.settle)  # as scenario 1: weston lists no windows, so both get the same time to map them
    cover = srv.client("cover", stdin=subprocess.PIPE)
    figures: dict[str, Any] = {}
    for variant, command in (("declared", None), ("undeclared", b"no-region\n")):
        if command is not None:
            assert cover.stdin is not None
            cover.stdin.write(command)
            cover.stdin.flush()
        if read_line(cover, 30) != ("mapped" if command is None else "ok"):
            raise RuntimeError("cover client: unexpected answer")
        time.sleep(settings.warmup)  # the covered clients settle into what this variant allows
        run = measure_presenting(srv, settings, settings.load_seconds, "--size", "256x256")
        figures[f"{variant}_cpu_seconds_per_10s"] = run["cpu_seconds"] * 10 / run["wall_seconds"]
        figures[f"{variant}_presented_hz"] = run["presented"] / run["seconds"]
    figures["shm_clients_alive"] = sum(1 for c in shm_clients if c.poll() is None)
    return figures


def scenario_decorations(srv: Server, settings: Settings) -> dict[str, Any]:
    """Scenario 1's load from eight of our own clients (weston-simple-shm never asks for decorations) and the
    presentation client, first undecorated, then asking for server-side decorations: the compositor's CPU per
    10 s for each, in the same session. Where the compositor offers no xdg-decoration (weston 10) both runs are
    undecorated."""
    figures: dict[str, Any] = {}
    for variant, options in (("off", ()), ("on", ("--decorations",))):
        clients = [srv.client("load", *options) for _ in range(LOAD_CLIENTS)]
        for client in clients:
            if read_line(client, 30, "load client") != "mapped":
                raise RuntimeError("load client: expected 'mapped'")
        time.sleep(settings.warmup)
        run = measure_presenting(srv, settings, settings.load_seconds, "--size", "256x256")
        figures[f"{variant}_cpu_seconds_per_10s"] = run["cpu_seconds"] * 10 / run["wall_seconds"]
        figures[f"{variant}_presented_hz"] = run["presented"] / run["seconds"]
        for client in clients:
            client.kill()
            client.wait()
        time.sleep(settings.settle)  # the windows are gone before the next variant maps its own
    return figures


def scenario_fullscreen(srv: Server, settings: Settings) -> dict[str, Any]:
    """One client redrawing a full-screen buffer every frame: CPU per presented frame, frame rate."""
    run = measure_presenting(srv, settings, settings.fullscreen_seconds, "--fullscreen")
    hz = run["presented"] / run["seconds"]
    refresh_hz = 1000 / run["refresh_ms"] if run["refresh_ms"] else REFRESH_HZ
    return {
        "cpu_ms_per_frame": 1000 * run["cpu_seconds"] / max(1, run["presented"]),
        "cpu_percent": 100 * run["cpu_seconds"] / run["wall_seconds"],
        "presented_hz": hz,
        "holds_refresh": hz >= 0.95 * refresh_hz,
        "buffer": f"{run['width']}x{run['height']}",
        **latency_figures("latency", run["latency_ms"]),
    }


def scenario_input(srv: Server, settings: Settings) -> dict[str, Any]:
    """Virtual-pointer motion → wl_pointer.motion in the same client, idle and under scenario 1's load."""
    figures: dict[str, Any] = {}
    for label in ("idle", "load"):
        shm_clients = []
        if label == "load":
            shm_clients = [srv.spawn(["weston-simple-shm"]) for _ in range(LOAD_CLIENTS)]
            time.sleep(settings.settle)
        client = srv.client("input", "--samples", str(settings.input_samples))
        run = json.loads(read_line(client, 60))
        client.wait(10)
        figures.update(latency_figures(label, run["latency_ms"]))
        figures[f"{label}_samples"] = run["samples"]
        for shm in shm_clients:
            shm.kill()
            shm.wait()
    return figures


def scenario_startup(kind: str, settings: Settings, argv: Callable[[str, str], list[str]] = compositor_argv,
                     timeout: float = 20.0) -> dict[str, Any]:
    """Launch → the socket accepts our client → its first frame is presented (client already running).
    ``argv(kind, socket name)`` is the compositor's command line; ``timeout`` its longest start."""
    connected: list[float] = []
    presented: list[float] = []
    for _ in range(settings.startup_runs):
        with bench_runtime(kind) as runtime:  # no Server: the launch itself is timed, from before the socket exists
            client = subprocess.Popen(client_argv("startup", "--socket", runtime.name, "--timeout", str(timeout)),
                                      env=runtime.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            process: subprocess.Popen[bytes] | None = None
            try:
                if read_line(client, max(30.0, timeout)) != "ready":
                    raise RuntimeError("startup client: expected 'ready'")
                launched = time.monotonic_ns()
                process = subprocess.Popen(argv(kind, runtime.name), env=runtime.env, cwd=ROOT,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                run = json.loads(read_line(client, timeout + 10))
                connected.append((run["connected_ns"] - launched) / 1e9)
                presented.append((run["presented_ns"] - launched) / 1e9)
            finally:
                for proc in (client, process):
                    if proc is not None:
                        stop_process(proc)
        time.sleep(0.2)
    return {"accepts_s": statistics.median(connected), "first_frame_s": statistics.median(presented),
            "runs": len(presented)}


def scenario_churn(srv: Server, settings: Settings) -> dict[str, Any]:
    """``churn_count`` clients in turn: connect, map a window, see it drawn, disconnect."""
    def churn(count: int) -> float:
        client = srv.client("churn", "--count", str(count))
        run = json.loads(read_line(client, 600))
        client.wait(30)
        return float(run["seconds"])

    churn(5)  # first-use allocations (caches, pools) are not growth
    time.sleep(0.3)
    before = proc_status_mb(srv.pid, "VmRSS")
    seconds = churn(settings.churn_count)
    time.sleep(0.5)
    after = proc_status_mb(srv.pid, "VmRSS")
    return {"clients": settings.churn_count, "seconds": seconds, "ms_per_client": 1000 * seconds / settings.churn_count,
            "rss_before_mb": before, "rss_after_mb": after, "rss_growth_mb": after - before}


def run_scenario(name: str, kind: str, settings: Settings) -> dict[str, Any]:
    """One repetition of one scenario (``load`` also yields ``memory``)."""
    if name == "startup":
        return {"startup": scenario_startup(kind, settings)}
    if name == "xwayland":
        return {"xwayland": scenario_xwayland(lambda: server(kind, settings, xwayland=True), kind,
                                              settings.startup_runs)}
    if name == "desktop":  # each compositor with its own shell: not the bare Server
        return {"desktop": scenario_desktop(kind, settings.load_seconds, settings.settle)}
    if name in ("input", "wm", "nested", "launcher") and kind == "weston":
        reasons = {"input": NO_SEAT, "wm": NO_WM, "nested": NO_NESTED, "launcher": NO_LAUNCHER}
        return {name: {"status": "n/a", "reason": reasons[name]}}
    if name == "nested":
        return {name: scenario_nested((WIDTH, HEIGHT, REFRESH_HZ),
                                      lambda runtime, argv, kind: Server(kind, runtime, settings.settle, argv),
                                      lambda srv: scenario_load(srv, settings))}
    runners: dict[str, Callable[[Server, Settings], Any]] = {
        "load": scenario_load, "fullscreen": scenario_fullscreen, "input": scenario_input,
        "churn": scenario_churn, "covered": scenario_covered, "decorations": scenario_decorations,
        "wm": lambda srv, settings: scenario_wm(srv, settings.wm_samples),
        "launcher": lambda srv, settings: scenario_launcher(srv, LOAD_CLIENTS, settings.settle,
                                                            settings.filter_rounds)}
    with server(kind, settings) as srv:
        result = runners[name](srv, settings)
        alive = srv.process.poll() is None
    if not alive:
        raise RuntimeError(f"{kind} died during {name}")
    if name == "load" and kind == "weston":
        result["load"].update(scenario_load_weston_fastest(settings))
    return result if name == "load" else {name: result}


# -- summary -----------------------------------------------------------------------------------------
def summarize(reps: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over repetitions of each number; booleans hold only if they held every time."""
    summary: dict[str, Any] = {}
    for key in reps[0]:
        values = [rep[key] for rep in reps if rep.get(key) is not None]
        if not values:
            summary[key] = None
        elif isinstance(values[0], bool):
            summary[key] = all(values)
        elif isinstance(values[0], int | float):
            summary[key] = statistics.median(values)
        else:
            summary[key] = values[0]
    return summary


@dataclass(frozen=True)
class TableRow:
    scenario: str
    key: str
    label: str
    unit: str
    digits: int = 1
    goal: str = ""
    weston_key: str = ""  # compare with this weston figure (default: the same key)


ROWS = (
    TableRow("load", "cpu_seconds_per_10s", "1 Load: compositor CPU (user+sys) per 10 s", "s", 2, "≤ 1.0× weston"),
    TableRow("load", "cpu_seconds_per_10s_spread",
             "1 Load, Orrery's windows placed as weston places them: CPU per 10 s", "s", 2, "≤ 1.0× weston",
             weston_key="cpu_seconds_per_10s"),
    TableRow("load", "cpu_ms_per_frame", "1 Load: compositor CPU per presented frame", "ms", 2, "≤ 0.8× weston"),
    TableRow("load", "presented_hz", "1 Load: frames presented to the presentation client", "/s", 1),
    TableRow("load", "cpu_seconds_per_10s",
             f"1 Load, weston at its fastest repaint (repaint-window={WESTON_FASTEST_REPAINT_WINDOW_MS}): CPU per 10 s",
             "s", 2, weston_key="cpu_seconds_per_10s_fastest"),
    TableRow("load", "cpu_ms_per_frame", "1 Load, weston at its fastest repaint: CPU per presented frame", "ms", 2,
             weston_key="cpu_ms_per_frame_fastest"),
    TableRow("load", "presented_hz", "1 Load, weston at its fastest repaint: frames presented", "/s", 1,
             weston_key="presented_hz_fastest"),
    TableRow("load", "latency_median_ms", "1 Load: commit→present, median", "ms", 1, "≤ 16.7 ms (one refresh)"),
    TableRow("load", "latency_p99_ms", "1 Load: commit→present, p99", "ms", 1),
    TableRow("fullscreen", "cpu_ms_per_frame", "2 Full-screen: compositor CPU per presented frame", "ms", 2),
    TableRow("fullscreen", "presented_hz", "2 Full-screen: frames presented", "/s", 1),
    TableRow("fullscreen", "holds_refresh", "2 Full-screen: holds the refresh rate (≥ 95 %)", ""),
    TableRow("input", "idle_median_ms", "3 Input: motion → wl_pointer.motion, idle, median", "ms", 2),
    TableRow("input", "idle_p99_ms", "3 Input: idle, p99", "ms", 2),
    TableRow("input", "load_median_ms", "3 Input: under scenario 1's 8 clients, median", "ms", 2),
    TableRow("input", "load_p99_ms", "3 Input: under load, p99", "ms", 2),
    TableRow("startup", "accepts_s", "4 Start-up: launch → socket accepts", "s", 3),
    TableRow("startup", "first_frame_s", "4 Start-up: launch → first frame presented", "s", 3, "≤ 2× weston"),
    TableRow("memory", "vmhwm_mb", "5 Memory: peak RSS (VmHWM) during scenario 1", "MB", 1, "< 80 MB"),
    TableRow("churn", "seconds", "6 Churn: {churn} clients connect, map, disconnect", "s", 2),
    TableRow("churn", "rss_growth_mb", "6 Churn: RSS growth", "MB", 1),
    TableRow("covered", "declared_cpu_seconds_per_10s",
             "7 Covered: scenario 1 under a window that declares its opaque region: CPU per 10 s", "s", 2),
    TableRow("covered", "undeclared_cpu_seconds_per_10s",
             "7 Covered, the same window declaring no opaque region: CPU per 10 s", "s", 2),
    TableRow("covered", "declared_presented_hz", "7 Covered: frames presented to the presentation client", "/s", 1),
    TableRow("decorations", "off_cpu_seconds_per_10s",
             "8 Decorations: scenario 1's load from our own clients, undecorated: CPU per 10 s", "s", 2),
    TableRow("decorations", "on_cpu_seconds_per_10s",
             "8 Decorations: the same clients with server-side decorations: CPU per 10 s", "s", 2),
    TableRow("wm", "switch_median_ms", "9 WM: workspace switch (10 + 10 windows) → on screen, median", "ms", 1),
    TableRow("wm", "switch_median_refreshes", "9 WM: workspace switch, median, in refreshes", "", 2,
             "≤ 1 refresh"),
    TableRow("wm", "switch_p99_refreshes", "9 WM: workspace switch, p99, in refreshes", "", 2),
    TableRow("wm", "tiling_median_ms", "9 WM: tiling toggled on/off, 20 windows re-laid out → on screen, median",
             "ms", 1),
    TableRow("wm", "tiling_median_refreshes", "9 WM: tiling re-layout, median, in refreshes", "", 2, "≤ 1 refresh"),
    TableRow("wm", "tiling_p99_refreshes", "9 WM: tiling re-layout, p99, in refreshes", "", 2),
    TableRow("wm", "tiling_committed_median_ms", "9 WM: re-layout, request → the last client's new buffer committed",
             "ms", 1),
    TableRow("nested", "cpu_seconds_per_10s", "10 Nested: scenario 1 in Orrery nested in another (wayland backend): "
             "CPU per 10 s", "s", 2),
    TableRow("nested", "vs_headless", "10 Nested: that CPU / the same load on Orrery headless (same repetition)", "×",
             2, "≤ 1.2× headless"),
    TableRow("nested", "vs_headless_per_frame", "10 Nested: CPU per presented frame / headless's", "×", 2),
    TableRow("nested", "presented_hz", "10 Nested: frames presented to the presentation client", "/s", 1),
    TableRow("nested", "latency_median_refreshes",
             "10 Nested: commit→present (the parent showed it), median, in refreshes", "", 2, "≤ 2 refreshes"),
    TableRow("xwayland", "cold_s", "11 X11: our X client launched → managed (WM_STATE), Xwayland not running", "s", 3),
    TableRow("xwayland", "warm_s", "11 X11: our X client launched → managed, Xwayland running", "s", 3),
    TableRow("xwayland", "xterm_cold_s", "11 X11: xterm launched → on screen, Xwayland not running", "s", 3,
             "< 1.5 s"),
    TableRow("xwayland", "xterm_warm_s", "11 X11: xterm launched → on screen, Xwayland running", "s", 3, "< 0.3 s"),
    TableRow("desktop", "rss_mb", "12 Desktop at rest, the launcher opened and closed: RSS of all its processes", "MB",
             1, "≤ 150 MB"),
    TableRow("desktop", "pss_mb", "12 Desktop at rest: PSS (shared pages shared out) of all its processes", "MB", 1),
    TableRow("desktop", "rss_mb", "12 Desktop at rest: RSS, against sway + waybar + swaybg", "MB", 1,
             weston_key="sway_rss_mb"),
    TableRow("desktop", "pss_mb", "12 Desktop at rest: PSS, against sway + waybar + swaybg", "MB", 1,
             weston_key="sway_pss_mb"),
    TableRow("desktop", "cpu_percent", "12 Desktop idle, its clock showing seconds: CPU of all its processes", "%", 2,
             "< 0.5 % of a core"),
    TableRow("desktop", "cpu_percent", "12 Desktop idle: CPU, against sway + waybar + swaybg", "%", 2,
             weston_key="sway_cpu_percent"),
    TableRow("launcher", "filter_p95_ms",
             "13 Launcher: filtering 2,000 entries under scenario 1's load, p95 per keystroke", "ms", 2, "< 5 ms"),
    TableRow("launcher", "filter_median_ms", "13 Launcher: filtering, median per keystroke", "ms", 2),
    TableRow("launcher", "filter_cpu_p95_ms", "13 Launcher: filtering, the launcher's CPU time, p95", "ms", 2),
    TableRow("launcher", "keystroke_p95_ms", "13 Launcher: the whole keystroke (filter, view, layout, drawing), p95",
             "ms", 2),
)


def cell(value: Any, row: TableRow) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.{row.digits}f}{(' ' + row.unit) if row.unit else ''}"


def goal_met(row: TableRow, orrery: Any, weston: Any) -> str:
    if not row.goal or orrery is None:
        return ""
    ratio = {"cpu_seconds_per_10s": 1.0, "cpu_seconds_per_10s_spread": 1.0, "cpu_ms_per_frame": 0.8,
             "first_frame_s": 2.0}.get(row.key)
    if ratio is not None:  # a goal relative to weston
        return "✅" if weston and orrery <= ratio * weston else "❌"
    limit = {"latency_median_ms": 1000 / REFRESH_HZ, "vmhwm_mb": 80.0, "xterm_cold_s": 1.5,
             "xterm_warm_s": 0.3, "switch_median_refreshes": 1.0, "tiling_median_refreshes": 1.0, "vs_headless": 1.2,
             "latency_median_refreshes": 2.0, "rss_mb": 150.0}.get(row.key)
    if limit is None:  # strictly below
        limit = {"cpu_percent": 0.5, "filter_p95_ms": 5.0}[row.key]
        return "✅" if orrery < limit else "❌"
    return "✅" if orrery <= limit else "❌"


def markdown_table(results: dict[str, Any]) -> str:
    meta = results["meta"]
    lines = [
        f"Produced {meta['finished']} by `{meta['command']}`: {meta['reps']} repetition(s), medians over them; "
        f"{meta['cpus']} CPUs ({meta['cpu_model']}), load average {meta['loadavg_before'][0]:.2f} before and "
        f"{meta['loadavg_after'][0]:.2f} after, {meta['duration_s']:.0f} s in all.",
    ]
    earlier = meta.get("earlier") or []
    if earlier:  # a run of some scenarios (--only) keeps the other rows of the runs before it
        older = {name for run in earlier for name in run["scenarios"]}
        lines[0] = f"Rows of {', '.join(n for n in results['scenarios'] if n not in older)}: p" + lines[0][1:]
    lines += [f"Rows of {', '.join(run['scenarios'])}: produced {run['finished']} by `{run['command']}`, "
              f"{run['reps']} repetition(s)." for run in earlier]
    lines += [
        "",
        "| figure | Orrery | weston | Orrery/weston | goal | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in ROWS:
        per_kind = results["scenarios"].get(row.scenario, {})
        medians = [per_kind.get(kind, {}).get("median", {}) for kind in COMPOSITORS]
        orrery, weston = medians[0].get(row.key), medians[1].get(row.weston_key or row.key)
        ratio = ""
        if isinstance(orrery, int | float) and isinstance(weston, int | float) and not isinstance(orrery, bool) \
                and weston:
            ratio = f"{orrery / weston:.2f}×"
        label = row.label.format(churn=meta["settings"]["churn_count"])
        lines.append(f"| {label} | {cell(orrery, row)} | {cell(weston, row)} | {ratio} | {row.goal} | "
                     f"{goal_met(row, orrery, weston)} |")
    return "\n".join(lines)


# -- main ----------------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs that only prove the benchmark works")
    parser.add_argument("--reps", type=int, help="repetitions (default 5, quick 1)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    parser.add_argument("--doc", type=Path, help=f"markdown to put the table in (default {DOC}; not with --quick)")
    parser.add_argument("--no-doc", action="store_true", help="do not touch the markdown")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these scenarios")
    parser.add_argument("--compositors", nargs="+", choices=COMPOSITORS, default=list(COMPOSITORS))
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.reps:
        settings = Settings(**{**asdict(settings), "reps": args.reps})
    doc = None if args.no_doc else (args.doc or (None if args.quick else DOC))
    args.argv = argv

    cache = use_private_bytecode_cache()
    try:
        return run(args, settings, doc)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def use_private_bytecode_cache() -> Path:
    """Let every Python process we start cache its bytecode in a directory of its own, and fill it.

    Installed Python programs start from compiled bytecode. Without a cache (this sandbox sets
    PYTHONDONTWRITEBYTECODE=1) each Orrery start would compile all of its modules again, about 0.1 s.
    """
    cache = Path(tempfile.mkdtemp(prefix="bench-pycache-"))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache)
    subprocess.run([sys.executable, "-c", "import compositor.cli, compositor.server, compositor.backends.headless, "
                    "compositor.ipc, compositor.xwayland.wm, bench.client, bench.xwayland, xcffib.xproto"],
                   cwd=ROOT, env=os.environ, check=True)
    return cache


def run(args: argparse.Namespace, settings: Settings, doc: Path | None) -> int:
    argv: list[str] = args.argv
    wanted = [name for name in SCENARIOS if not args.only or name in args.only]
    if "memory" in wanted and "load" not in wanted:
        wanted.insert(0, "load")  # memory is measured during the load scenario
    began = time.monotonic()
    loadavg_before = os.getloadavg()
    if loadavg_before[0] > 0.7 and not args.quick:
        print(f"bench: load average is {loadavg_before[0]:.2f}: other work will skew the figures", file=sys.stderr)
    reps: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rep in range(settings.reps):
        order = COMPOSITORS if rep % 2 == 0 else tuple(reversed(COMPOSITORS))
        for name in wanted:
            if name == "memory":
                continue
            for kind in order:
                if kind not in args.compositors:
                    continue
                print(f"bench: rep {rep + 1}/{settings.reps} {name} on {kind}", file=sys.stderr, flush=True)
                for scenario, figures in run_scenario(name, kind, settings).items():
                    reps.setdefault(scenario, {}).setdefault(kind, []).append(figures)

    scenarios, earlier = kept_from(args.out, wanted) if args.only else ({}, [])
    for name in SCENARIOS:
        for kind, runs in reps.get(name, {}).items():
            median = runs[0] if runs[0].get("status") == "n/a" else summarize(runs)
            scenarios.setdefault(name, {})[kind] = {"median": median, "reps": runs}
    results = {
        "meta": {
            "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "python bench/run.py " + " ".join(argv) if argv else "make bench",
            "quick": args.quick, "reps": settings.reps, "settings": asdict(settings),
            "output": f"{WIDTH}x{HEIGHT}@{REFRESH_HZ}", "cpus": os.cpu_count(), "cpu_model": cpu_model(),
            "loadavg_before": loadavg_before, "loadavg_after": os.getloadavg(),
            "duration_s": time.monotonic() - began, "versions": versions(), "earlier": earlier,
        },
        "scenarios": scenarios,
    }
    write_results(args.out, results)
    table = markdown_table(results)
    print(table)
    if doc is not None:
        write_doc(doc, table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
