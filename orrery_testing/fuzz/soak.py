"""The long run (``make soak``): connect/bind/disconnect cycles, then the fuzzer for the rest of the time, and how
much the compositor's resident memory and open fds grew meanwhile.

Figures are taken with every hostile client gone and the bystander still drawing: at the start, after the
cycles, and at the end. A healthy compositor ends near where it started; a leak shows as steady growth.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .client import Client, Disconnected
from .health import Patient, Sick
from .protocol import Protocols, load
from .runner import Fuzzer, Report
from .strategies import bind_everything

SETTLE = 1.0  # seconds for the compositor to let go of what the last clients held


def cycle(path: Path, protocols: Protocols) -> None:
    """One client that connects, binds every global, makes a roundtrip and leaves."""
    client = Client(path, protocols)
    try:
        client.start()
        bind_everything(client, random.Random(0))
        client.roundtrip()
    except Disconnected:
        pass
    finally:
        client.close()


def figures(target: Patient) -> dict[str, int]:
    time.sleep(SETTLE)
    return {"rss_kb": target.rss_kb(), "fds": target.open_fds()}


def soak(seconds: float, cycles: int, seed: int, strategies: Sequence[str], log: Callable[[str], None]) -> int:
    """``cycles`` connection cycles, then fuzz until ``seconds`` have passed in all; print the growth as JSON and
    return 1 if the compositor broke."""
    protocols = load()
    began = time.monotonic()
    target = Patient()
    samples: dict[str, dict[str, int]] = {}
    fault = None
    try:
        target.examine()
        samples["start"] = figures(target)
        log(f"soak: start {samples['start']}")
        for number in range(1, cycles + 1):
            cycle(target.socket_path, protocols)
            if number % 1000 == 0:
                log(f"soak: {number} cycles, rss {target.rss_kb()} kB, {target.open_fds()} fds")
        target.examine()
        samples["after_cycles"] = figures(target)
        log(f"soak: after {cycles} cycles {samples['after_cycles']}")
    except Sick as sick:
        fault = sick.fault
    finally:
        target.stop()
    report = Report()
    if fault is None:
        left = max(0.0, seconds - (time.monotonic() - began))
        fuzzer = Fuzzer(seed, strategies, left, log=log)
        fuzzer.patient = lambda: _Measured(samples)
        report = fuzzer.run(minimize=False)
        fault = report.fault
    start, cycled = samples.get("start", {}), samples.get("after_cycles", {})
    fuzz_start, end = samples.get("fuzz_start", {}), samples.get("end", {})
    result = {
        "seconds": round(time.monotonic() - began), "cycles": cycles, "seed": seed,
        "fuzz": {"batches": report.batches, "steps": report.steps, "requests": report.requests},
        "samples": samples,
        "cycles_growth": _growth(start, cycled),
        "fuzz_growth": _growth(fuzz_start, end),
        "fault": str(fault) if fault else None,
    }
    print(json.dumps(result, indent=2))
    return 1 if fault else 0


def _growth(before: dict[str, int], after: dict[str, int]) -> dict[str, float] | None:
    if not before or not after:
        return None
    return {"rss_mb": round((after["rss_kb"] - before["rss_kb"]) / 1024, 1), "fds": after["fds"] - before["fds"]}


class _Measured(Patient):
    """A :class:`Patient` whose figures are taken once it is ready and again when it is stopped."""

    def __init__(self, samples: dict[str, dict[str, int]]) -> None:
        super().__init__()
        self.samples = samples
        self.examine()
        samples["fuzz_start"] = figures(self)

    def stop(self) -> None:
        if self.process.alive():
            self.samples["end"] = figures(self)
        super().stop()
