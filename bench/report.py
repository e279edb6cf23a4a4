"""What bench/run.py (and bench/drm.py) write: the results file, the table in the markdown, the machine."""

from __future__ import annotations

import json
import platform
import subprocess
from pathlib import Path
from typing import Any

TABLE_START, TABLE_END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"


def write_doc(doc: Path, table: str, start: str = TABLE_START, end: str = TABLE_END) -> None:
    """Put ``table`` between the markers ``start`` and ``end`` of ``doc`` (appended when they are missing)."""
    text = doc.read_text() if doc.exists() else f"# Performance\n\n{start}\n{end}\n"
    head, found, rest = text.partition(start)
    if not found:
        text, head, rest = text + f"\n{start}\n{end}\n", text + "\n", f"\n{end}\n"
    _, found, tail = rest.partition(end)
    doc.write_text(f"{head}{start}\n{table}\n{end}{tail}")


def write_results(out: Path, results: dict[str, Any]) -> None:
    """Write ``results``'s keys into the JSON file ``out``, keeping the keys other suites wrote there (bench/drm.py
    keeps its figures under "drm")."""
    merged: dict[str, Any] = {}
    if out.exists():
        try:
            merged = json.loads(out.read_text())
        except ValueError:
            merged = {}
    merged.update(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(merged, indent=2) + "\n")


def versions() -> dict[str, str]:
    weston = subprocess.run(["weston", "--version"], capture_output=True, text=True).stdout.strip()
    return {"python": platform.python_version(), "weston": weston, "kernel": platform.release()}


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def kept_from(out: Path, wanted: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """For a run of some scenarios (``--only``): the other scenarios' results from ``out``, and the runs that
    produced them (``meta["earlier"]``: finished, command, reps and the scenarios of each), so that the table keeps
    their rows and says where they come from."""
    try:
        previous = json.loads(out.read_text())
    except (OSError, ValueError):
        return {}, []
    kept = {name: figures for name, figures in previous.get("scenarios", {}).items() if name not in wanted}
    meta = previous.get("meta", {})
    ran = [name for name in previous.get("scenarios", {})
           if not any(name in run["scenarios"] for run in meta.get("earlier") or [])]
    runs = [*(meta.get("earlier") or []),
            {"finished": meta.get("finished"), "command": meta.get("command"), "reps": meta.get("reps"),
             "scenarios": ran}]
    earlier = [{**run, "scenarios": [name for name in run["scenarios"] if name in kept]} for run in runs]
    return kept, [run for run in earlier if run["scenarios"]]
