"""`bench/run.py --quick` still runs every scenario on both compositors (no timing is asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ROOT, require

SCENARIOS = ("load", "fullscreen", "input", "startup", "memory", "churn", "covered", "decorations", "wm", "nested",
             "xwayland", "desktop", "launcher")


@pytest.mark.timeout(300)
def test_quick_benchmark_covers_every_scenario(tmp_path: Path) -> None:
    require({"weston": "weston"})
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--no-doc", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert result.returncode == 0, result.stderr[-4000:]
    scenarios = json.loads(out.read_text())["scenarios"]
    for name in SCENARIOS:
        for compositor in ("orrery", "weston"):
            figures = scenarios[name][compositor]["median"]
            assert figures, f"{name} on {compositor}: no figures"
            if name in ("input", "wm", "nested", "launcher") and compositor == "weston":
                assert figures["status"] == "n/a"  # no seat in weston's headless backend; no workspaces, tiling,
                # launcher; not nested
            else:
                assert all(value is not None for value in figures.values()), f"{name} on {compositor}: {figures}"
    assert scenarios["load"]["orrery"]["median"]["frames_presented"] > 0
    assert scenarios["load"]["orrery"]["median"]["cpu_seconds_per_10s_spread"] > 0  # windows spread out
    assert scenarios["input"]["orrery"]["median"]["idle_samples"] > 0
    assert scenarios["decorations"]["orrery"]["median"]["on_presented_hz"] > 0  # decorated clients' load ran
    for compositor in ("orrery", "weston"):  # the whole desktop: the compositor and its shell's processes
        assert scenarios["desktop"][compositor]["median"]["processes"] >= 2
    assert scenarios["launcher"]["orrery"]["median"]["keystrokes"] > 0
    wm = scenarios["wm"]["orrery"]["median"]
    assert wm["switch_samples"] > 0 and wm["tiling_samples"] > 0 and wm["tiling_median_ms"] > 0
    assert scenarios["nested"]["orrery"]["median"]["presented_hz"] > 0  # the load ran inside the nested Orrery
    assert scenarios["xwayland"]["orrery"]["median"]["xterm_cold_s"] > 0  # an X11 window on Orrery
    assert scenarios["xwayland"]["weston"]["median"]["cold_s"] > 0  # and on weston --xwayland
