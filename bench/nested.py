"""Scenario 10 of bench/run.py, ``nested``: scenario 1's load on Orrery nested in a Wayland compositor (the wayland
backend, a window of another Orrery, headless at 60 Hz) next to the same load on Orrery's headless backend, in the
same repetition.

The figure is the nested Orrery's CPU only (the parent is another process): it copies nothing more than headless (it
draws straight into the wl_shm buffers it hands the parent) but is paced by the parent's frame callbacks. The parent
is an Orrery rather than weston because weston's headless backend runs at about 39 Hz, which would pace the nested
Orrery to fewer frames than the headless one draws. Commit→present is measured by the same presentation client,
inside: the nested Orrery reports the parent's presentation times, so it includes the parent showing the frame.
Orrery only (weston nested in weston is another question).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orrery_testing.process import CompositorProcess, RuntimeDir, orrery_argv

NO_NESTED = "a nested Orrery's cost against Orrery headless: no weston figure to compare"

# (runtime, argv, kind) → a started bench Server; a Server → scenario 1's figures
Start = Callable[[RuntimeDir, list[str], str], Any]
Load = Callable[[Any], dict[str, Any]]


def _load_on(start: Start, load: Load, runtime: RuntimeDir, argv: list[str], kind: str) -> dict[str, Any]:
    server = start(runtime, argv, kind)  # (not "orrery": scenario 1 would measure a second, spread-out layout)
    try:
        figures: dict[str, Any] = load(server)["load"]
        if server.process.poll() is not None:
            raise RuntimeError("Orrery died during the nested scenario")
        return figures
    finally:
        server.stop()


def scenario_nested(output: tuple[int, int, int], start: Start, load: Load) -> dict[str, Any]:
    """One repetition: scenario 1 headless, then nested (``output``: width, height, Hz)."""
    width, height, hz = output
    mode = f"{width}x{height}@{hz}"
    with RuntimeDir("bench-orrery") as runtime:
        headless = _load_on(start, load, runtime, orrery_argv(runtime.name, (mode,)), "orrery-headless")
    with RuntimeDir("bench-parent") as runtime:
        # room for the window and the title bar the parent gives it
        parent = CompositorProcess(orrery_argv(runtime.name, (f"{width}x{height + 120}@{hz}",)), runtime)
        try:
            inner = RuntimeDir("bench-nested", runtime.dir, {"WAYLAND_DISPLAY": parent.name})
            nested = _load_on(start, load, inner, orrery_argv(inner.name, (mode,), "wayland"), "orrery-nested")
        finally:
            parent.stop()
    refresh_ms = 1000 / hz
    median = nested["latency_median_ms"]
    return {
        "cpu_seconds_per_10s": nested["cpu_seconds_per_10s"],
        "headless_cpu_seconds_per_10s": headless["cpu_seconds_per_10s"],
        "vs_headless": nested["cpu_seconds_per_10s"] / max(1e-9, headless["cpu_seconds_per_10s"]),
        "cpu_ms_per_frame": nested["cpu_ms_per_frame"],
        "headless_cpu_ms_per_frame": headless["cpu_ms_per_frame"],
        # per 10 s flatters the nested Orrery when the parent paces it to fewer frames (a busy machine)
        "vs_headless_per_frame": nested["cpu_ms_per_frame"] / max(1e-9, headless["cpu_ms_per_frame"]),
        "presented_hz": nested["presented_hz"],
        "latency_median_ms": median,
        "latency_median_refreshes": median / refresh_ms if median is not None else None,
    }
