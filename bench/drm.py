"""`make bench-drm`: Orrery's DRM backend next to weston's (drm-backend.so --use-pixman), in one VM.

    python bench/drm.py [--quick] [--reps N] [--out PATH] [--doc PATH | --no-doc]

The host boots one VM of this machine (tests/vm.py: virtme-ng, a virtio-gpu display of 1280x800 at 75 Hz,
2 vCPUs) and, through the guest agent, runs each scenario inside it as ``bench/drm.py guest KIND SCENARIO``: one
compositor at a time on the DRM device, as root (Orrery through seatd; weston through its direct launcher, see
``guest_argv``), with the same clients as bench/run.py (``bench.client``, weston-simple-shm). CPU is read from
/proc/PID/stat inside the guest. Repetitions alternate which compositor goes first; the medians over them and the
ratios Orrery/weston go to bench/results/latest.json under "drm" and to the table between the ``bench:drm``
markers in docs/performance.md. A first launch of each compositor, not counted, fills the guest's bytecode
cache. Without KVM the VM runs under TCG emulation: absolute figures are an order of magnitude above those of
real hardware, and even the ratios shift (docs/performance.md says how). ``--quick`` only proves that it still
runs (about 2 minutes; not part of ``make test``).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    COMPOSITORS,
    LOAD_CLIENTS,
    RESULTS,
    Server,
    Settings,
    TableRow,
    bench_runtime,
    client_argv,
    cpu_model,
    percentile,
    proc_cpu_seconds,
    proc_status_mb,
    scenario_startup,
    spread_out,
    summarize,
    write_doc,
    write_results,
)
from orrery_testing.process import CompositorProcess, orrery_argv, read_line, weston_argv  # noqa: E402

if TYPE_CHECKING:
    from tests.vm import VirtualMachine

DOC = ROOT / "docs" / "performance.md"
TABLE_START, TABLE_END = "<!-- bench:drm:start -->", "<!-- bench:drm:end -->"
WORK = ROOT / "build" / "bench-drm"  # the VM's console log and sockets
SCENARIOS = ("startup", "load")
COLD_START_TIMEOUT = 600  # the first launch compiles every module: minutes under TCG on a busy host
RESULT_MARK = "BENCH_DRM_RESULT "
GUEST_PYCACHE = "/tmp/bench-pycache"  # bytecode cache in the guest (the checkout is mounted read-only)
LOAD_SIZE = "256x256"

# Fields of bench/run.py's Settings that this benchmark does not use are 0.
FULL = Settings(reps=5, load_seconds=10, fullscreen_seconds=0, input_samples=0, startup_runs=3, churn_count=0,
                settle=3.0, warmup=2.0)
QUICK = Settings(reps=1, load_seconds=2, fullscreen_seconds=0, input_samples=0, startup_runs=1, churn_count=0,
                 settle=2.0, warmup=1.0)


# -- inside the guest ----------------------------------------------------------------------------------------
def active_vt() -> int:
    return int(Path("/sys/class/tty/tty0/active").read_text().strip().removeprefix("tty"))


def guest_argv(kind: str, name: str) -> list[str]:
    """The compositor on the VM's DRM device. Debian's weston 10 is built without its libseat launcher (it tries
    logind, weston-launch and the direct launcher only) and there is no logind in the VM, so weston runs as root
    with the direct launcher, which needs the VT named (``--tty``: the agent's stdin is no terminal)."""
    if kind == "orrery":
        return orrery_argv(name, outputs=(), backend="drm")
    return weston_argv(name, "drm", (f"--tty={active_vt()}",))


def busy_cpu_seconds() -> float:
    """Non-idle time of all the guest's CPUs (/proc/stat), in seconds."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def measure(srv: Server, settings: Settings) -> dict[str, Any]:
    """The presentation client's measuring window, which brackets the compositor's CPU (and the whole guest's,
    to show how busy the 2 vCPUs are)."""
    client = srv.client("present", "--warmup", str(settings.warmup), "--seconds", str(settings.load_seconds),
                        "--size", LOAD_SIZE)
    timeout = settings.load_seconds + settings.warmup + 120  # the client's own start takes seconds under TCG
    if read_line(client, timeout) != "start":
        raise RuntimeError("presentation client: expected 'start'")
    cpu0, busy0, t0 = proc_cpu_seconds(srv.pid), busy_cpu_seconds(), time.monotonic()
    if read_line(client, timeout) != "end":
        raise RuntimeError("presentation client: expected 'end'")
    cpu1, busy1, t1 = proc_cpu_seconds(srv.pid), busy_cpu_seconds(), time.monotonic()
    run = json.loads(read_line(client, timeout))
    client.wait(timeout)
    cpu, wall, presented = cpu1 - cpu0, t1 - t0, run["presented"]
    refresh = run["refresh_ms"] or 0.0
    latencies: list[float] = run["latency_ms"]
    shown: list[float] = run["presented_ms"]
    intervals = [b - a for a, b in zip(shown, shown[1:], strict=False)]
    return {
        "cpu_seconds": cpu,
        "cpu_ms_per_frame": 1000 * cpu / max(1, presented),
        "cpu_seconds_per_10s": cpu * 10 / wall,
        "guest_cpus_busy_percent": 100 * (busy1 - busy0) / wall / (os.cpu_count() or 1),
        "frames_presented": presented,
        "presented_hz": presented / run["seconds"],
        "commits": run["commits"],
        "discarded": run["discarded"],
        "refresh_ms": run["refresh_ms"],
        "latency_median_ms": statistics.median(latencies) if latencies else None,
        "latency_p99_ms": percentile(latencies, 0.99) if latencies else None,
        "latency_median_refreshes": statistics.median(latencies) / refresh if latencies and refresh else None,
        "latency_p99_refreshes": percentile(latencies, 0.99) / refresh if latencies and refresh else None,
        # pacing: at most one frame per refresh, so no two presentations much closer than a refresh
        "interval_median_ms": statistics.median(intervals) if intervals else None,
        "intervals_under_half_refresh": sum(1 for i in intervals if i < refresh / 2),
        "feedback_flags": run["flags"],
        "feedback_seq": run["seq"],
    }


def guest_load(srv: Server, settings: Settings) -> dict[str, Any]:
    """Scenario 1 of bench/run.py on the DRM output: 8 weston-simple-shm and the presentation client. On Orrery
    once more with the windows spread out as weston places them (bench/run.py's spread_out)."""
    shm_clients = [srv.spawn(["weston-simple-shm"]) for _ in range(LOAD_CLIENTS)]
    time.sleep(settings.settle)
    figures = measure(srv, settings)
    if srv.kind == "orrery":
        output = srv.request("outputs")[0]  # not ``orrery msg``: a Python start takes seconds under TCG
        spread_out(srv, (output["width"], output["height"]), srv.request)
        time.sleep(settings.warmup)
        figures.update({f"{key}_spread": value for key, value in measure(srv, settings).items()
                        if key in ("cpu_ms_per_frame", "presented_hz", "latency_median_ms", "latency_p99_ms")})
    figures["shm_clients_alive"] = sum(1 for c in shm_clients if c.poll() is None)
    figures["vmhwm_mb"] = proc_status_mb(srv.pid, "VmHWM")
    return figures


def guest_warm_up(kind: str) -> dict[str, Any]:
    """One launch, not measured, with a short presentation client: compiles the modules both use into the
    bytecode cache and reads the files into the guest's cache, as a second launch of an installed program finds
    them. Returns how long the cold start took."""
    with bench_runtime(kind) as runtime:
        started = time.monotonic()
        compositor = CompositorProcess(guest_argv(kind, runtime.name), runtime, announces=False,
                                       timeout=COLD_START_TIMEOUT)
        try:
            accepted = time.monotonic() - started
            compositor.run(client_argv("present", "--warmup", "0.2", "--seconds", "0.5"), check=True,
                           timeout=COLD_START_TIMEOUT)
        finally:
            compositor.stop(timeout=30)
    return {"cold_accepts_s": accepted}


def guest_main(kind: str, scenario: str, settings: Settings) -> dict[str, Any]:
    if scenario == "warm-up":
        return guest_warm_up(kind)
    if scenario == "startup":
        return scenario_startup(kind, settings, guest_argv, timeout=COLD_START_TIMEOUT / 2)
    with bench_runtime(kind) as runtime:
        srv = Server(kind, runtime, settings.settle, guest_argv(kind, runtime.name))
        try:
            figures = guest_load(srv, settings)
            alive = srv.alive()
        finally:
            srv.stop()
    if not alive:
        raise RuntimeError(f"{kind} died during the load")
    return figures


# -- on the host ---------------------------------------------------------------------------------------------
def boot() -> VirtualMachine:
    """The VM: seatd, a writable HOME and bytecode cache, then the guest agent (as tests/test_login_session.py)."""
    from tests.vm import VirtualMachine, why_no_vm

    reason = why_no_vm()
    if reason:
        raise SystemExit(f"bench/drm.py: {reason}")
    # the directories Python starts from, cached (see tests/vm.py): the interpreter's prefix too, since .venv
    # links to it
    cached = ["/usr", os.path.realpath(sys.base_prefix), str(ROOT)]
    command = ("unset PYTHONDONTWRITEBYTECODE; mkdir -p -m 700 /tmp/bench-home; "
               "seatd -g video -l info > /tmp/seatd.log 2>&1 & "
               f"exec /usr/bin/python3 {shlex.quote(str(ROOT / 'tests/session/guest_agent.py'))}")
    vm = VirtualMachine(command, WORK, cached_dirs=cached,
                        environment={"HOME": "/tmp/bench-home", "PYTHONPYCACHEPREFIX": GUEST_PYCACHE})
    try:
        vm.wait_line("GUEST_AGENT: READY", 600)
    except Exception:
        vm.close()
        raise
    return vm


def qemu_pid(vm: VirtualMachine) -> int | None:
    """The QEMU process of ``vm`` (a grandchild of vng), found by its monitor socket on its command line."""
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0") if entry.name.isdigit() else []
        except OSError:
            continue
        if argv and argv[0].endswith(b"qemu-system-x86_64") and any(str(vm.monitor_path).encode() in a for a in argv):
            return int(entry.name)
    return None


def in_guest(vm: VirtualMachine, kind: str, scenario: str, settings: Settings) -> dict[str, Any]:
    """One scenario on one compositor, run inside the VM by this script's ``guest`` command. Adds what the host
    saw meanwhile: its load average after, and how many host CPUs QEMU used (2 would be both vCPUs busy all the
    time; well below the guest's own busy share would mean the host starved the VM)."""
    command = (f"cd {shlex.quote(str(ROOT))} && {shlex.quote(sys.executable)} bench/drm.py guest {kind} {scenario} "
               f"--settings {shlex.quote(json.dumps(asdict(settings)))}")
    qemu = qemu_pid(vm)
    cpu0, t0 = (proc_cpu_seconds(qemu) if qemu else 0.0), time.monotonic()
    output: str = vm.run(command, timeout=900)
    cpu1, t1 = (proc_cpu_seconds(qemu) if qemu else 0.0), time.monotonic()
    for line in output.splitlines():
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_MARK))
            result.update(host_loadavg=os.getloadavg()[0], vm_host_cpus=(cpu1 - cpu0) / (t1 - t0) if qemu else None,
                          seconds=t1 - t0)
            return result
    raise RuntimeError(f"no result from the guest for {scenario} on {kind}:\n{output[-3000:]}")



ROWS = (
    TableRow("startup", "first_frame_s", "1 Launch → a client's first frame presented on the DRM output", "s", 2),
    TableRow("startup", "accepts_s", "1 Launch → socket accepts", "s", 2),
    TableRow("load", "cpu_ms_per_frame", "2 Load: compositor CPU per presented frame", "ms", 1, "≤ 1.5× weston"),
    TableRow("load", "cpu_ms_per_frame_spread", "2 Load, Orrery's windows placed as weston places them: CPU per frame",
             "ms", 1, weston_key="cpu_ms_per_frame"),
    TableRow("load", "cpu_seconds_per_10s", "2 Load: compositor CPU per 10 s", "s", 2),
    TableRow("load", "presented_hz", "2 Load: frames presented to the presentation client", "/s", 1),
    TableRow("load", "guest_cpus_busy_percent", "2 Load: the guest's 2 vCPUs busy", "%", 0),
    TableRow("load", "latency_median_ms", "3 Load: commit→present, median", "ms", 1),
    TableRow("load", "latency_median_refreshes", "3 Load: commit→present, median, in refreshes", "", 2, "≤ 1 refresh"),
    TableRow("load", "latency_p99_ms", "3 Load: commit→present, p99", "ms", 1),
    TableRow("load", "latency_p99_refreshes", "3 Load: commit→present, p99, in refreshes", "", 2, "≤ 2 refreshes"),
)


def goal_met(row: TableRow, orrery: Any, weston: Any) -> str:
    if not row.goal or not isinstance(orrery, int | float):
        return ""
    if row.key == "cpu_ms_per_frame":
        return ("✅" if orrery <= 1.5 * weston else "❌") if isinstance(weston, int | float) and weston else ""
    return "✅" if orrery <= {"latency_median_refreshes": 1.0, "latency_p99_refreshes": 2.0}[row.key] else "❌"


def markdown_table(results: dict[str, Any]) -> str:
    meta = results["meta"]
    load_before, load_after = meta["host_loadavg_before"], meta["host_loadavg_after"]
    lines = [
        f"Produced {meta['finished']} by `{meta['command']}`: {meta['reps']} repetition(s), medians over them, in one "
        f"VM ({meta['accel']}: {meta['guest_cpus']} vCPUs, virtio-gpu {meta['mode']}); host: {meta['host_cpus']} "
        f"CPUs ({meta['cpu_model']}), 1-minute load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
        f"(at most {meta['host_loadavg_max']:.2f} between scenarios, the VM's own 2 vCPUs included); during the loads "
        f"QEMU had {meta['vm_host_cpus_load']:.2f} host CPUs (median); {meta['duration_s']:.0f} s in all, "
        f"{meta['boot_s']:.0f} s of it booting.",
        "",
        "| figure | Orrery | weston | Orrery/weston | goal | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in ROWS:
        per_kind = results["scenarios"].get(row.scenario, {})
        orrery = per_kind.get("orrery", {}).get("median", {}).get(row.key)
        weston = per_kind.get("weston", {}).get("median", {}).get(row.weston_key or row.key)
        ratio = f"{orrery / weston:.2f}×" if isinstance(orrery, int | float) and isinstance(weston, int | float) \
            and weston else ""
        cells = [f"{v:.{row.digits}f}{(' ' + row.unit) if row.unit else ''}" if isinstance(v, int | float) else "n/a"
                 for v in (orrery, weston)]
        lines.append(f"| {row.label} | {cells[0]} | {cells[1]} | {ratio} | {row.goal} | "
                     f"{goal_met(row, orrery, weston)} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["guest"]:
        guest = argparse.ArgumentParser(prog="bench/drm.py guest")
        guest.add_argument("kind", choices=COMPOSITORS)
        guest.add_argument("scenario", choices=(*SCENARIOS, "warm-up"))
        guest.add_argument("--settings", required=True, help="bench/run.py's Settings as JSON")
        args = guest.parse_args(argv[1:])
        figures = guest_main(args.kind, args.scenario, Settings(**json.loads(args.settings)))
        print(RESULT_MARK + json.dumps(figures), flush=True)
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs that only prove the benchmark works")
    parser.add_argument("--reps", type=int, help="repetitions (default 5, quick 1)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results, under \"drm\" (default {RESULTS})")
    parser.add_argument("--doc", type=Path, help=f"markdown to put the table in (default {DOC}; not with --quick)")
    parser.add_argument("--no-doc", action="store_true", help="do not touch the markdown")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.reps:
        settings = Settings(**{**asdict(settings), "reps": args.reps})
    doc = None if args.no_doc else (args.doc or (None if args.quick else DOC))
    return run(args, argv, settings, doc)


def run(args: argparse.Namespace, argv: list[str], settings: Settings, doc: Path | None) -> int:
    from tests.vm import use_kvm

    began = time.monotonic()
    loadavg_before = os.getloadavg()
    print(f"bench-drm: host load average {loadavg_before[0]:.2f} {loadavg_before[1]:.2f} {loadavg_before[2]:.2f}",
          file=sys.stderr, flush=True)
    if loadavg_before[0] > 1.5 and not args.quick:
        print("bench-drm: the host is busy (another VM?): the figures will be skewed", file=sys.stderr)
    loads = [loadavg_before[0]]
    vm = boot()
    booted = time.monotonic() - began
    print(f"bench-drm: VM up after {booted:.0f} s", file=sys.stderr, flush=True)
    reps: dict[str, dict[str, list[dict[str, Any]]]] = {}
    try:
        guest_facts = vm.run("nproc; cat /sys/class/drm/card0-*/modes | head -1; weston --version").split()
        cold: dict[str, float] = {}
        for kind in COMPOSITORS:
            print(f"bench-drm: warm-up launch of {kind}", file=sys.stderr, flush=True)
            cold[kind] = in_guest(vm, kind, "warm-up", settings)["cold_accepts_s"]
        for rep in range(settings.reps):
            order = COMPOSITORS if rep % 2 == 0 else tuple(reversed(COMPOSITORS))
            for scenario in SCENARIOS:
                for kind in order:
                    print(f"bench-drm: {time.monotonic() - began:4.0f} s: rep {rep + 1}/{settings.reps} {scenario} on "
                          f"{kind}", file=sys.stderr, flush=True)
                    figures = in_guest(vm, kind, scenario, settings)
                    reps.setdefault(scenario, {}).setdefault(kind, []).append(figures)
                    loads.append(figures["host_loadavg"])
    except BaseException:
        print(f"bench-drm: the VM's console is in {WORK / 'console.log'}", file=sys.stderr)
        raise
    finally:
        vm.close()

    scenarios = {name: {kind: {"median": summarize(runs), "reps": runs} for kind, runs in reps[name].items()}
                 for name in SCENARIOS}
    loadavg_after = os.getloadavg()
    refresh_ms = next((rep["refresh_ms"] for runs in reps["load"].values() for rep in runs if rep["refresh_ms"]), None)
    results = {
        "meta": {
            "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "python bench/drm.py " + " ".join(argv) if argv else "make bench-drm",
            "quick": args.quick, "reps": settings.reps, "settings": asdict(settings),
            "accel": "KVM" if use_kvm() else "TCG emulation", "guest_cpus": int(guest_facts[0]),
            "mode": f"{guest_facts[1]} at {1000 / refresh_ms:.1f} Hz" if refresh_ms else guest_facts[1],
            "weston": " ".join(guest_facts[2:]), "host_cpus": os.cpu_count(), "cpu_model": cpu_model(),
            "host_loadavg_before": loadavg_before, "host_loadavg_after": loadavg_after,
            "host_loadavg_max": max(loads + [loadavg_after[0]]),
            "vm_host_cpus_load": statistics.median(rep["vm_host_cpus"] or 0.0 for runs in reps["load"].values()
                                                   for rep in runs),
            "boot_s": booted, "cold_start_accepts_s": cold, "duration_s": time.monotonic() - began,
        },
        "scenarios": scenarios,
    }
    write_results(args.out, {"drm": results})
    table = markdown_table(results)
    print(table)
    if doc is not None:
        write_doc(doc, table, TABLE_START, TABLE_END)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
