"""The long run (``make soak``): connect/bind/disconnect cycles, then the fuzzer for the rest of the time, and how
much the compositor's resident memory and open fds grew meanwhile.

Figures are taken with every hostile client gone and the bystander still drawing: at the start, after the
cycles, and at the end. A healthy compositor ends near where it started; a leak shows as steady growth.
"""

from __future__ import annotations

import json
import random
import threading
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
    """On one compositor: ``cycles`` connection cycles, then fuzz until ``seconds`` have passed in all (with its
    RSS and fds sampled every minute); print the figures and their growth as JSON, and return 1 if it broke."""
    protocols = load()
    began = time.monotonic()
    samples: dict[str, dict[str, int]] = {}
    timeline: list[dict[str, float]] = []
    target = _Measured(samples)
    report, fault = Report(), None
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
    if fault is None:
        sampler = threading.Thread(target=_sample, args=(target, timeline, began), daemon=True)
        sampler.start()
        fuzzer = Fuzzer(seed, strategies, max(0.0, seconds - (time.monotonic() - began)), lambda: target, log)
        report = fuzzer.run(minimize=False)  # stops the target, which takes the "end" figures first
        fault = report.fault
    else:
        target.stop()
    result = {
        "seconds": round(time.monotonic() - began), "cycles": cycles, "seed": seed,
        "fuzz": {"batches": report.batches, "steps": report.steps, "requests": report.requests},
        "samples": samples, "timeline": timeline,
        "cycles_growth": _growth(samples.get("start", {}), samples.get("after_cycles", {})),
        "fuzz_growth": _growth(samples.get("after_cycles", {}), samples.get("end", {})),
        "fault": str(fault) if fault else None,
    }
    print(json.dumps(result, indent=2))
    return 1 if fault else 0


def _sample(target: Patient, timeline: list[dict[str, float]], began: float, every: float = 60.0) -> None:
    """RSS (MB) and open fds every ``every`` seconds while the compositor runs (with clients connected)."""
    while target.process.alive():
        try:
            timeline.append({"t": round(time.monotonic() - began), "rss_mb": round(target.rss_kb() / 1024, 1),
                             "fds": target.open_fds()})
        except OSError:
            return
        time.sleep(every)


def _growth(before: dict[str, int], after: dict[str, int]) -> dict[str, float] | None:
    if not before or not after:
        return None
    return {"rss_mb": round((after["rss_kb"] - before["rss_kb"]) / 1024, 1), "fds": after["fds"] - before["fds"]}


class _Measured(Patient):
    """A :class:`Patient` that takes its "end" figures (when still alive) as it is stopped."""

    def __init__(self, samples: dict[str, dict[str, int]]) -> None:
        super().__init__()
        self.samples = samples

    def stop(self) -> None:
        if self.process.alive():
            self.samples["end"] = figures(self)
        super().stop()
