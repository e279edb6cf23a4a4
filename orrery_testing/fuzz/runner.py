"""Batches of hostile steps against a compositor, a health check after each, and the shrinking of a batch that
broke it down to a reproducer.

A batch is a few :class:`~orrery_testing.fuzz.strategies.Plan` s drawn from ``Random(f"{seed}/{batch}")``: each
runs on a connection of its own, all stay connected until the batch ends (so one client's state is there while the
next attacks), then the compositor must answer within a second, the connections close, and the bystander must still
be drawn. The same seed and strategies give the same batches.
"""

from __future__ import annotations

import random
import re
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import wire
from .client import Client, Disconnected, OutOfBudget
from .health import Fault, Patient, Sick
from .protocol import Protocols, load
from .strategies import STRATEGIES, Plan

BUDGETS = (30, 100, 300, 800)
# their faults take depth or volume to show
BUDGET_SCALE = {"chains": 5, "regions": 50, "keymap_leak": 2, "keymap_shrink": 2}
LOG_TROUBLE = re.compile(r"^.*(?:Traceback|Error|failed|Exception).*$", re.MULTILINE)


@dataclass
class Outcome:
    """What one step did: requests sent, and how it ended (the protocol error it got, or why it stopped)."""

    plan: Plan
    sent: int
    ended: str


@dataclass
class Report:
    batches: int = 0
    steps: int = 0
    requests: int = 0
    ended: dict[str, int] = field(default_factory=dict)  # how steps ended, counted ("budget", "error", ...)
    fault: Fault | None = None
    batch: list[Plan] = field(default_factory=list)  # the batch that broke it
    reproducer: list[Plan] = field(default_factory=list)  # the smallest batch found that still does
    worst_stall: tuple[float, str] = (0.0, "")  # the longest ``orrery msg`` took during a batch, and which batch
    fds: tuple[int, int] = (0, 0)  # the compositor's open fds at the start and at the end
    log_trouble: dict[str, list[str]] = field(default_factory=dict)  # a log line -> the batches after which it came


def family(kind: str) -> str:
    """Faults that are one symptom seen at different moments: a stall during the batch, or no answer after it."""
    return "slow" if kind in ("stalled", "unresponsive") else kind


def plan_batch(seed: int, batch: int, strategies: Sequence[str], max_steps: int = 3) -> list[Plan]:
    rng = random.Random(f"{seed}/{batch}")
    plans = []
    for _ in range(rng.randint(1, max_steps)):
        strategy = rng.choice(list(strategies))
        plans.append(Plan(strategy, rng.getrandbits(32), rng.choice(BUDGETS) * BUDGET_SCALE.get(strategy, 1)))
    return plans


def run_step(path: Path, protocols: Protocols, plan: Plan) -> tuple[Client | None, Outcome]:
    """Connect and run ``plan``; the client (still connected, unless the compositor hung up) and how it ended."""
    try:
        client = Client(path, protocols, plan.budget)
    except OSError as error:
        return None, Outcome(plan, 0, f"connect failed: {error}")
    try:
        STRATEGIES[plan.strategy](client, random.Random(plan.seed))
        ended = "done"
    except OutOfBudget:
        ended = "budget"
    except Disconnected as error:
        ended = f"disconnected: {error}"
    except (TimeoutError, wire.Closed, ConnectionError) as error:
        ended = f"stalled: {type(error).__name__}"
    except Exception:  # a bug of the strategy's, not the compositor's: say so and go on
        ended = "strategy failed: " + traceback.format_exc(limit=3).strip().splitlines()[-1]
    return client, Outcome(plan, client.sent, ended)


def run_batch(path: Path, protocols: Protocols, plans: Sequence[Plan],
              between: Callable[[], object] = lambda: None, outcomes: list[Outcome] | None = None) -> list[Outcome]:
    """Every plan on its own connection, all left open until ``between`` (the in-batch check) has run; how each
    ended is appended to ``outcomes`` as it ends (so it is there even when ``between`` raises)."""
    clients: list[Client] = []
    outcomes = [] if outcomes is None else outcomes
    try:
        for plan in plans:
            client, outcome = run_step(path, protocols, plan)
            outcomes.append(outcome)
            if client is not None:
                clients.append(client)
        between()
    finally:
        for client in clients:
            client.close()
    return outcomes


class Fuzzer:
    """Fuzz a fresh Orrery (made by ``patient``) for ``seconds`` from ``seed`` with ``strategies``; ``log`` gets a
    line per batch."""

    def __init__(self, seed: int, strategies: Sequence[str], seconds: float,
                 patient: Callable[[], Patient] = Patient, log: Callable[[str], None] = print,
                 max_steps: int = 3, stall_limit: float | None = None) -> None:
        self.seed = seed
        self.stall_limit = stall_limit  # the longest ``orrery msg`` may take during a batch (None: only measured)
        self.worst_stall = 0.0
        self.strategies = list(strategies)
        self.seconds = seconds
        self.patient = patient
        self.log = log
        self.max_steps = max_steps
        self.protocols = load()

    def run(self, first_batch: int = 0, minimize: bool = True) -> Report:
        report = Report()
        target = self.patient()
        deadline = time.monotonic() + self.seconds
        batch = first_batch
        try:
            while time.monotonic() < deadline:
                plans = plan_batch(self.seed, batch, self.strategies, self.max_steps)
                fault, outcomes = self.attempt(target, plans)
                report.batches += 1
                if self.worst_stall > report.worst_stall[0]:
                    report.worst_stall = (self.worst_stall, f"{self.seed}/{batch}")
                report.steps += len(outcomes)
                report.requests += sum(o.sent for o in outcomes)
                for outcome in outcomes:
                    key = outcome.ended.split(":")[0]
                    report.ended[key] = report.ended.get(key, 0) + 1
                for line in set(LOG_TROUBLE.findall(target.new_log())):
                    report.log_trouble.setdefault(line.strip()[:300], []).append(f"{self.seed}/{batch}")
                self.log(f"batch {batch}: " + ", ".join(f"{o.plan} {o.sent} sent, {o.ended[:80]}" for o in outcomes))
                if fault is not None:
                    report.fault, report.batch = fault, plans
                    self.log(f"FAULT after batch {batch}: {fault}")
                    break
                batch += 1
        finally:
            if target.process.alive():
                report.fds = (target.fds_at_start, target.open_fds())
            target.stop()
        if report.fault is not None and minimize:
            report.reproducer = self.minimize(report.batch, report.fault)
        return report

    def attempt(self, target: Patient, plans: Sequence[Plan]) -> tuple[Fault | None, list[Outcome]]:
        """Run ``plans`` as one batch against ``target`` and examine it: the fault found, if any."""
        outcomes: list[Outcome] = []
        try:
            with target.watch() as watch:
                run_batch(target.socket_path, self.protocols, plans, target.responsive, outcomes)
            self.worst_stall = max(self.worst_stall, watch.worst)
            if self.stall_limit is not None and watch.worst > self.stall_limit:
                return Fault("stalled", f"orrery msg took {watch.worst:.2f} s to answer during the batch "
                             f"(limit {self.stall_limit:.2f} s)"), outcomes
            target.examine()
        except Sick as sick:
            return sick.fault, outcomes
        return None, outcomes

    # -- shrinking ---------------------------------------------------------------------------------------------------
    def reproduces(self, plans: Sequence[Plan], kind: str) -> bool:
        """Whether ``plans`` as the first batch of a fresh compositor break it the same way."""
        target = self.patient()
        try:
            fault, _ = self.attempt(target, plans)
        finally:
            target.stop()
        return fault is not None and family(fault.kind) == family(kind)

    def minimize(self, plans: Sequence[Plan], fault: Fault, budget_seconds: float = 300) -> list[Plan]:
        """The fewest plans, each with the smallest budget, that still cause ``fault`` on a fresh compositor
        (given up after ``budget_seconds``: what was shrunk so far). Empty if the batch alone does not."""
        stop_at = time.monotonic() + budget_seconds
        current = list(plans)
        if not self.reproduces(current, fault.kind):
            self.log("the batch alone does not reproduce it on a fresh compositor: it needs earlier batches")
            return []
        # drop plans one at a time while it still fails
        index = 0
        while index < len(current) and len(current) > 1 and time.monotonic() < stop_at:
            trial = current[:index] + current[index + 1:]
            if self.reproduces(trial, fault.kind):
                current = trial
            else:
                index += 1
        # the shortest prefix of each plan that still fails (bisection on its budget)
        for position, plan in enumerate(current):
            low, high = 0, plan.budget
            while low + 1 < high and time.monotonic() < stop_at:
                middle = (low + high) // 2
                trial = [*current[:position], Plan(plan.strategy, plan.seed, middle), *current[position + 1:]]
                if self.reproduces(trial, fault.kind):
                    high = middle
                else:
                    low = middle
            current[position] = Plan(plan.strategy, plan.seed, high)
        self.log("reproducer: " + " ".join(str(p) for p in current))
        return current
