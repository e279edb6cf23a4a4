"""Run the Wayland conformance suite (WLCS) against Orrery, serially, with a per-test timeout.

Each test suite (gtest "test case") runs in one ``wlcs`` process; a test that hangs past ``--timeout`` or
crashes the runner is recorded as failed and the rest of its suite is started again in a new process, so
one bad test can neither hang nor end the run. Prints a gtest-style summary, writes ``summary.json`` and
compares the failures with the expected-failures file: the run fails when a test fails that is not
listed, and when a listed test no longer fails (so the list only ever shrinks).

    python wlcs/run.py [--filter 'SelfTest.*:XdgPopupStable/*'] [--timeout 30]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
WLCS = "/usr/lib/x86_64-linux-gnu/wlcs/wlcs"
RESULT = re.compile(r"^\[\s*(OK|FAILED|SKIPPED|SKIP)\s*\] ([^\s,]+)")
RUN = re.compile(r"^\[ RUN      \] (\S+)\s*$")


@dataclass
class Results:
    outcome: dict[str, str] = field(default_factory=dict)  # test → passed | failed | skipped
    notes: dict[str, str] = field(default_factory=dict)  # test → "timed out after 30 s", "crashed"

    def count(self, what: str) -> int:
        return sum(1 for value in self.outcome.values() if value == what)


def list_tests(wlcs: str, integration: Path) -> list[str]:
    """Every enabled test, as ``Suite.name``, in the runner's order."""
    listing = subprocess.run([wlcs, str(integration), "--gtest_list_tests"], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    tests, suite = [], ""
    for line in listing.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            suite = line.split("#")[0].strip()
            continue
        name = line.split("#")[0].strip()
        if "DISABLED_" not in name and "DISABLED_" not in suite:
            tests.append(suite + name)
    return tests


def matches(test: str, gtest_filter: str) -> bool:
    """gtest's filter syntax: positive patterns, then optionally ``-`` and negative ones, ``:`` between."""
    positive, _, negative = "".join(gtest_filter.split()).partition("-")  # whitespace is ignored
    included = any(fnmatch.fnmatchcase(test, p) for p in (positive or "*").split(":") if p)
    return included and not any(fnmatch.fnmatchcase(test, p) for p in negative.split(":") if p)


def run_suite(wlcs: str, integration: Path, tests: list[str], timeout: float, results: Results,
              log: TextIO, compositor_log: Path) -> None:
    remaining = list(tests)
    while remaining:
        suite = remaining[0].rsplit(".", 1)[0]
        whole = len(remaining) == len(tests)
        gtest_filter = f"{suite}.*" if whole else ":".join(remaining)
        env = {**os.environ, "ORRERY_ROOT": str(ROOT), "ORRERY_WLCS_LOG": str(compositor_log)}
        process = subprocess.Popen([wlcs, str(integration), f"--gtest_filter={gtest_filter}"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
        assert process.stdout is not None
        current: str | None = None
        started = time.monotonic()
        pending = b""
        stop_reason = ""
        while True:
            wait = max(0.0, started + timeout - time.monotonic()) if current else timeout
            ready, _, _ = select.select([process.stdout], [], [], wait)
            if not ready:
                if current is not None:
                    stop_reason = f"timed out after {timeout:g} s"
                    os.killpg(process.pid, signal.SIGKILL)
                    break
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace")
                print(line, file=log)
                if match := RUN.match(line):
                    current, started = match.group(1), time.monotonic()
                elif current is not None and (match := RESULT.match(line)) and match.group(2) == current:
                    kind = match.group(1)
                    results.outcome[current] = {"OK": "passed", "FAILED": "failed"}.get(kind, "skipped")
                    if current in remaining:
                        remaining.remove(current)
                    current = None
        process.wait()
        if current is not None:  # hung (killed above) or crashed the runner mid-test
            results.outcome[current] = "failed"
            results.notes[current] = stop_reason or f"the runner died (exit status {process.returncode})"
            print(f"[  FAILED  ] {current} ({results.notes[current]})", file=log)
            remaining.remove(current)
            continue
        for test in remaining:  # the runner ended without running these: record why
            results.outcome[test] = "failed"
            results.notes[test] = f"not run (the runner exited with status {process.returncode})"
        return


def read_expected(path: Path) -> dict[str, str]:
    expected: dict[str, str] = {}
    if not path.exists():
        return expected
    for line in path.read_text().splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            expected[name.strip()] = reason.strip()
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wlcs", default=WLCS, help="the wlcs runner")
    parser.add_argument("--integration", type=Path, default=ROOT / "build/wlcs/orrery_wlcs.so")
    parser.add_argument("--filter", default="*", help="gtest filter: which tests to run")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one test may take")
    parser.add_argument("--expected", type=Path, default=ROOT / "wlcs/expected-failures.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "build/wlcs", help="summary.json and logs go here")
    args = parser.parse_args(argv)

    tests = [t for t in list_tests(args.wlcs, args.integration) if matches(t, args.filter)]
    suites: dict[str, list[str]] = {}
    for test in tests:
        suites.setdefault(test.rsplit(".", 1)[0], []).append(test)
    logs = args.out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = Results()
    began = time.monotonic()
    with open(args.out / "wlcs.log", "w") as log:
        for suite, members in suites.items():
            t0 = time.monotonic()
            compositor_log = logs / (suite.replace("/", "_") + ".log")
            compositor_log.unlink(missing_ok=True)
            run_suite(args.wlcs, args.integration, members, args.timeout, results, log, compositor_log)
            log.flush()
            outcome = [results.outcome.get(t, "failed") for t in members]
            print(f"{suite}: {outcome.count('passed')} passed, {outcome.count('failed')} failed, "
                  f"{outcome.count('skipped')} skipped ({time.monotonic() - t0:.1f} s)", flush=True)
    seconds = time.monotonic() - began

    expected = read_expected(args.expected)
    failed = [t for t in tests if results.outcome.get(t) == "failed"]
    listed = {t for t in tests if any(fnmatch.fnmatchcase(t, pattern) for pattern in expected)}
    unexpected_failures = [t for t in failed if t not in listed]
    unexpected_passes = [t for t in tests if t in listed and results.outcome.get(t) != "failed"]

    print(f"[==========] {len(tests)} tests from {len(suites)} test suites ran. ({seconds:.0f} s total)")
    print(f"[  PASSED  ] {results.count('passed')} tests.")
    print(f"[  SKIPPED ] {results.count('skipped')} tests (extensions Orrery does not implement).")
    if failed:
        print(f"[  FAILED  ] {len(failed)} tests, listed below:")
        for test in failed:
            mark = "" if test in listed else "   <- not in expected-failures"
            note = f" ({results.notes[test]})" if test in results.notes else ""
            print(f"[  FAILED  ] {test}{note}{mark}")
    summary = {"passed": results.count("passed"), "failed": len(failed), "skipped": results.count("skipped"),
               "total": len(tests), "seconds": round(seconds, 1), "filter": args.filter,
               "failures": failed, "unexpected_failures": unexpected_failures,
               "unexpected_passes": unexpected_passes, "notes": results.notes}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {args.out / 'summary.json'}; full output in {args.out / 'wlcs.log'}")

    status = 0
    if unexpected_failures:
        print(f"\n{len(unexpected_failures)} test(s) failed that {args.expected.name} does not list:")
        for test in unexpected_failures:
            print(f"  {test}")
        status = 1
    if unexpected_passes:
        print(f"\n{len(unexpected_passes)} test(s) listed in {args.expected.name} no longer fail; "
              "remove them from the list:")
        for test in unexpected_passes:
            print(f"  {test}  ({results.outcome.get(test)})")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
