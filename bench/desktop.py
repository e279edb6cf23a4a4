"""Scenarios 10 and 11 of bench/run.py: the whole desktop at rest, and the launcher's filtering under load.

``desktop`` (:func:`scenario_desktop`): a compositor with its shell on a 1920×1080 output, its clock showing
seconds, left alone: the resident memory of every process of the desktop (the compositor and all it started,
summed: RSS, and PSS, which shares each shared page out among the processes that map it) and the CPU they use
together over ``seconds``, in % of one core.

- Orrery: ``orrery run`` with its shell (``[panel] clock_format = "%H:%M:%S"``); the launcher is opened and closed
  once (it is the client that holds most while open) and the desktop then left idle for :data:`IDLE` seconds.
- weston: weston 10 with its desktop-shell (``weston-desktop-shell``, ``weston-keyboard``), ``clock-format=seconds``.
- sway 1.7 (in the weston run; when installed): sway, waybar (workspaces, window title, a clock with seconds) and
  swaybg (the output's ``bg``), sway run as an unprivileged user (it refuses root) with the headless wlroots
  backend and the pixman renderer.

``launcher`` (:func:`scenario_launcher`, Orrery only): scenario 1's load (eight weston-simple-shm and the
presentation client) on a compositor without shell, and meanwhile, in a process of its own
(``python -m bench.desktop filter``), the launcher app over 2,000 generated desktop entries, typed into a letter at
a time, :data:`KEY_INTERVAL` apart: per keystroke, the filtering (``AppIndex.search`` as the launcher calls it),
and the whole keystroke (the key event, the update, the view, layout and drawing of the changed rows), each in
wall-clock time (what the user waits, including any time the scheduler gives the loaded cores to others) and in
the launcher's own CPU time.
"""

from __future__ import annotations

import json
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
IDLE = 8.0  # after the launcher closed: surfaces let go of their canvas 5 s after their last frame
ENTRIES = 2000
KEY_INTERVAL = 0.03  # s between two keys (a fast typist's are ≈ 0.1 s apart)
UNPRIVILEGED = 65534  # nobody: sway will not run as root
WESTON_INI = "[core]\nidle-time=0\n[shell]\nclock-format=seconds\npanel-position=top\n"
SWAY_CONFIG = """xwayland disable
output * resolution 1920x1080 bg #1b1d23 solid_color
exec waybar -c {dir}/waybar.json -s /dev/null
"""
WAYBAR_CONFIG = {"layer": "top", "position": "top", "modules-left": ["sway/workspaces"],
                 "modules-center": ["sway/window"], "modules-right": ["clock"],
                 "clock": {"interval": 1, "format": "{:%H:%M:%S}"}}


# -- processes -------------------------------------------------------------------------------------------
def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB, from /proc/PID/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def command(pid: int) -> str:
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = [Path(argv[0].decode(errors="replace")).name, *(a.decode(errors="replace") for a in argv[1:3] if a)]
    return " ".join(words)


def with_runtime_dir(directory: Path) -> list[int]:
    """The processes whose environment has ``XDG_RUNTIME_DIR=directory`` (sway's children are not its children:
    it forks twice)."""
    wanted = f"XDG_RUNTIME_DIR={directory}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def measure(pids: list[int], seconds: float) -> dict[str, Any]:
    """Memory of the processes ``pids`` now, then the CPU they use together over ``seconds``."""
    per_process: dict[str, list[float]] = {}
    rss = pss = 0.0
    for pid in pids:
        try:
            one_rss, one_pss = memory_mb(pid)
            per_process[f"{pid} {command(pid)}"] = [round(one_rss, 1), round(one_pss, 1)]
        except (OSError, KeyError):
            continue  # gone meanwhile
        rss, pss = rss + one_rss, pss + one_pss
    before = {pid: cpu_seconds(pid) for pid in pids if Path(f"/proc/{pid}").exists()}
    started = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - started
    used = 0.0
    for pid, was in before.items():
        try:
            used += cpu_seconds(pid) - was
        except OSError:
            pass
    return {"rss_mb": rss, "pss_mb": pss, "processes": len(per_process), "cpu_percent": 100 * used / wall,
            "per_process": per_process}


# -- scenario 10: the desktop at rest ------------------------------------------------------------------------
def scenario_desktop(kind: str, seconds: float, settle: float) -> dict[str, Any]:
    """Orrery's desktop, or weston's and then sway's (``kind`` "weston"): memory and idle CPU of each."""
    if kind == "orrery":
        return _prefixed("", _orrery_desktop(seconds))
    figures = _prefixed("", _weston_desktop(seconds, settle))
    sway = _sway_desktop(seconds, settle)
    figures.update(_prefixed("sway_", sway) if sway else {"sway_status": "not installed"})
    return figures


def _prefixed(prefix: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {prefix + key: value for key, value in figures.items()}


def _orrery_desktop(seconds: float) -> dict[str, Any]:
    from orrery_testing.process import CompositorProcess, RuntimeDir, orrery_argv, wait_until  # noqa: PLC0415
    from protocols import shell_control  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as config, \
            RuntimeDir("bench-desktop", extra_env={"XDG_CONFIG_HOME": config}) as runtime:
        (Path(config) / "orrery").mkdir()
        (Path(config) / "orrery" / "shell.toml").write_text('[panel]\nclock_format = "%H:%M:%S"\n')
        srv = CompositorProcess(orrery_argv(runtime.name, ("1920x1080@60",), shell=True), runtime, timeout=60)
        try:
            def layers() -> set[str]:
                return {s["namespace"] for s in srv.request("layers")}

            wait_until(lambda: {"panel", "background"} <= layers() and
                       (runtime.dir / f"{runtime.name}.launcher").exists(), timeout=60, what="the shell")
            for command_, shown in (("show", True), ("hide", False)):
                shell_control.send(runtime.name, "launcher", command_, str(runtime.dir))
                wait_until(lambda shown=shown: ("launcher" in layers()) == shown, timeout=30,
                           what=f"the launcher {'open' if shown else 'closed'}")
            time.sleep(IDLE)
            return measure(process_tree(srv.pid), seconds)
        finally:
            srv.stop()


def _weston_desktop(seconds: float, settle: float) -> dict[str, Any]:
    from orrery_testing.process import CompositorProcess, RuntimeDir, weston_argv  # noqa: PLC0415

    with RuntimeDir("bench-desktop-weston") as runtime:
        ini = runtime.dir / "weston.ini"
        ini.write_text(WESTON_INI)
        argv = weston_argv(runtime.name, "headless", ("--width=1920", "--height=1080", f"--config={ini}"))
        srv = CompositorProcess(argv, runtime, announces=False)
        try:
            time.sleep(settle + 2)  # its panel, background and keyboard drawn
            return measure(process_tree(srv.pid), seconds)
        finally:
            srv.stop()


@contextmanager
def _unprivileged_dir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="bench-sway-"))
    try:
        if os.geteuid() == 0:
            os.chown(directory, UNPRIVILEGED, UNPRIVILEGED)
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _sway_desktop(seconds: float, settle: float) -> dict[str, Any] | None:
    """sway + waybar + swaybg, or None when sway, waybar or swaybg is not installed."""
    if not all(shutil.which(tool) for tool in ("sway", "waybar", "swaybg")):
        return None
    with _unprivileged_dir() as directory:
        (directory / "config").write_text(SWAY_CONFIG.format(dir=directory))
        (directory / "waybar.json").write_text(json.dumps(WAYBAR_CONFIG))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(directory),
               "XDG_RUNTIME_DIR": str(directory), "XDG_CONFIG_HOME": str(directory),
               "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
               "WLR_HEADLESS_OUTPUTS": "1", "LANG": os.environ.get("LANG", "C.UTF-8")}
        drop = ["setpriv", f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}", "--clear-groups"] \
            if os.geteuid() == 0 else []
        log = (directory / "sway.log").open("wb")
        sway = subprocess.Popen([*drop, "sway", "-c", str(directory / "config")], env=env, stdout=log, stderr=log,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while not {"waybar", "swaybg"} <= {command(p).split()[0] for p in with_runtime_dir(directory)}:
                if sway.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"sway did not start its bar and background: "
                                       f"{(directory / 'sway.log').read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
            time.sleep(settle + 2)
            return measure(with_runtime_dir(directory), seconds)
        finally:
            sway.terminate()  # it ends its clients
            try:
                sway.wait(10)
            except subprocess.TimeoutExpired:
                sway.kill()
                sway.wait()
            for pid in with_runtime_dir(directory):  # whatever outlived it
                os.kill(pid, 9)
            log.close()


# -- scenario 11: the launcher's filtering under load --------------------------------------------------------
def scenario_launcher(srv: Any, load_clients: int, settle: float, rounds: int) -> dict[str, Any]:
    """The launcher's keystrokes (``python -m bench.desktop filter``) while scenario 1's load runs on ``srv``."""
    shm_clients = [srv.spawn(["weston-simple-shm"]) for _ in range(load_clients)]
    present = srv.client("present", "--warmup", "0.5", "--seconds", "600", "--size", "256x256")
    time.sleep(settle)
    try:
        result = subprocess.run([sys.executable, "-m", "bench.desktop", "filter", "--rounds", str(rounds)],
                                cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    finally:
        present.kill()
        present.wait()
    figures: dict[str, Any] = json.loads(result.stdout)
    figures["loadavg"] = os.getloadavg()[0]
    figures["shm_clients_alive"] = sum(1 for c in shm_clients if c.poll() is None)
    return figures


def filter_main(rounds: int, entries: int = ENTRIES) -> dict[str, Any]:
    """Type the queries of bench/shell_launcher_filter.py into the launcher app (headless), a letter at a time."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.environ.update(XDG_DATA_HOME=str(base / "data"), XDG_DATA_DIRS=str(base / "none"),
                          XDG_CONFIG_HOME=str(base / "config"), XDG_STATE_HOME=str(base / "state"),
                          XDG_RUNTIME_DIR=tmp)
        from bench.shell_launcher_filter import QUERIES, generate  # noqa: PLC0415
        from shell.launcher import Command, Launcher  # noqa: PLC0415
        from widgets.testing import Simulator  # noqa: PLC0415

        rng = random.Random(7)
        generate(base / "data" / "applications", entries, rng)
        with Simulator(Launcher(None, "bench"), (600, 420)) as sim:
            sim.runtime.queue.append(Command("show"))
            sim.runtime.flush()
            sim.settle()
            for number in rng.sample(range(entries), 50):  # launched before: lifted among equals
                sim.state.history.record(f"org.bench.App{number}.desktop")
            sim.render()
            times: dict[str, list[float]] = {"filter": [], "filter_cpu": [], "keystroke": [], "keystroke_cpu": []}

            def timed(what: str, action: Callable[[], object]) -> None:
                time.sleep(KEY_INTERVAL)  # between two keys the launcher sleeps, and wakes to a fresh time slice
                wall, cpu = time.perf_counter(), time.thread_time()
                action()
                times[what].append((time.perf_counter() - wall) * 1000)
                times[f"{what}_cpu"].append((time.thread_time() - cpu) * 1000)

            for _ in range(rounds):
                for query in QUERIES:
                    for end in range(1, len(query) + 1):
                        typed, state = query[:end], sim.state
                        timed("filter", lambda: state.index.search(typed, state.history, 8))  # noqa: B023
                        timed("keystroke", lambda: (sim.type(typed[-1]), sim.render()))  # noqa: B023
                    for _ in query:
                        sim.key("BackSpace")
                    sim.render()
    figures: dict[str, Any] = {"entries": entries, "keystrokes": len(times["filter"])}
    for what, values in times.items():
        figures[f"{what}_median_ms"], figures[f"{what}_p95_ms"] = statistics.median(values), _p95(values)
    return figures


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    if sys.argv[1:2] != ["filter"]:
        sys.exit("usage: python -m bench.desktop filter [--rounds N]")
    rounds = int(sys.argv[3]) if sys.argv[2:3] == ["--rounds"] else 5
    print(json.dumps(filter_main(rounds)))
