"""The hostile-client fuzzer's command line (``make fuzz``, ``make soak``).

    python -m orrery_testing.fuzz run [--seconds 60] [--seed N] [--strategies default|all|NAME,...] [--no-minimize]
    python -m orrery_testing.fuzz replay PLAN...      # PLAN is strategy:seed:budget, as a reproducer prints it
    python -m orrery_testing.fuzz soak [--seconds 1800] [--cycles 10000] [--seed N]
    python -m orrery_testing.fuzz strategies          # their names, and the known faults some of them aim at

``run`` and ``replay`` exit with 1 when the compositor died, stopped answering or stopped drawing the bystander,
after printing the fault and (``run``) the smallest batch that still causes it on a fresh compositor.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from .health import Patient
from .runner import Fuzzer, Report
from .strategies import DEFAULT, KNOWN_FAULTS, STRATEGIES, Plan


def strategy_list(text: str) -> list[str]:
    if text == "default":
        return list(DEFAULT)
    if text == "all":
        return list(STRATEGIES)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STRATEGIES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown strategies {unknown} (known: {', '.join(STRATEGIES)})")
    return names


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def summary(report: Report, seed: int) -> int:
    print(f"fuzz: seed {seed}, {report.batches} batches, {report.steps} steps, {report.requests} requests; "
          f"steps ended: {json.dumps(report.ended)}")
    print(f"fuzz: the longest orrery msg took to answer while a batch ran: {report.worst_stall[0]:.2f} s "
          f"(batch {report.worst_stall[1]}); open fds {report.fds[0]} at the start, {report.fds[1]} at the end")
    for line, where in sorted(report.log_trouble.items()):
        print(f"fuzz: compositor logged (after batch {', '.join(where[:3])}{' ...' if len(where) > 3 else ''}): "
              f"{line}")
    if report.fault is None:
        print("fuzz: the compositor stayed well")
        return 0
    print(f"fuzz: FAULT {report.fault}")
    print(f"fuzz: batch: {' '.join(str(p) for p in report.batch)}")
    if report.reproducer:
        print("fuzz: reproduce with: python -m orrery_testing.fuzz replay "
              + " ".join(str(p) for p in report.reproducer))
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orrery_testing.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="fuzz a fresh Orrery for a while")
    run.add_argument("--seconds", type=float, default=60)
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--strategies", type=strategy_list, default=list(DEFAULT),
                     help="default (all but those aimed at faults not fixed yet), all, or a comma-separated list")
    run.add_argument("--first-batch", type=int, default=0, help="start from this batch of the seed")
    run.add_argument("--no-minimize", action="store_true", help="report a fault without shrinking its batch")
    run.add_argument("--stall-limit", type=float, help="fail when orrery msg takes longer than this many seconds "
                     "to answer while a batch runs (default: only report the longest)")
    replay = commands.add_parser("replay", help="run plans as one batch against a fresh Orrery")
    replay.add_argument("plans", nargs="+", type=Plan.parse)
    replay.add_argument("--stall-limit", type=float, help="as for run")
    soak = commands.add_parser("soak", help="fuzz for long and cycle connections; RSS and fd growth")
    soak.add_argument("--seconds", type=float, default=1800)
    soak.add_argument("--cycles", type=int, default=10_000)
    soak.add_argument("--seed", type=int, default=1)
    soak.add_argument("--strategies", type=strategy_list, default=list(DEFAULT))
    commands.add_parser("strategies", help="list the strategies")
    args = parser.parse_args(argv)

    if args.command == "strategies":
        for name in STRATEGIES:
            print(f"{name}{'  (known fault: ' + KNOWN_FAULTS[name] + ')' if name in KNOWN_FAULTS else ''}")
        return 0
    if args.command == "run":
        fuzzer = Fuzzer(args.seed, args.strategies, args.seconds, log=log, stall_limit=args.stall_limit)
        return summary(fuzzer.run(args.first_batch, minimize=not args.no_minimize), args.seed)
    if args.command == "replay":
        fuzzer = Fuzzer(0, list(STRATEGIES), 0, log=log, stall_limit=args.stall_limit)
        target = Patient()
        try:
            fault, outcomes = fuzzer.attempt(target, args.plans)
        finally:
            target.stop()
        for outcome in outcomes:
            print(f"fuzz: {outcome.plan}: {outcome.sent} sent, {outcome.ended}")
        print(f"fuzz: the longest orrery msg took to answer meanwhile: {fuzzer.worst_stall:.2f} s")
        print(f"fuzz: FAULT {fault}" if fault else "fuzz: the compositor stayed well")
        return 1 if fault else 0
    from .soak import soak as run_soak

    return run_soak(args.seconds, args.cycles, args.seed, args.strategies, log)


if __name__ == "__main__":
    sys.exit(main())
