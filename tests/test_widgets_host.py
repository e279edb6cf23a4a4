"""The toolkit's two kinds of surface, an xdg window and a layer surface, on one host (widgets/wayland/host.py):
real toolkit processes (tests/tools/widgets_probe.py) on a real Orrery, the same behaviour from both —

- a held letter repeats, a held modifier does not (the keymap says which keys repeat);
- when the compositor dies, the app says so in one line and exits with status 1 (no traceback, no busy loop);
- when a monitor goes away, each releases its wl_output (the compositor forgets it), and a surface on that
  output goes while the app carries on;

and a long-running app's memory stays flat: it keeps no record of the messages it handled.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compositor import ipc
from compositor.backends.base import OutputSpec
from compositor.backends.headless import HeadlessBackend
from compositor.handlers import layer_shell
from compositor.server import Compositor
from tests.harness import ROOT, Session, wait_until

PROBE = [sys.executable, "-m", "tests.tools.widgets_probe"]


class ProbeProcess:
    """A probe process; its JSON lines are collected as they come."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.lines: list[dict[str, Any]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(json.loads(line))

    def pressed(self) -> list[str]:
        return [line["key"] for line in list(self.lines) if "key" in line]

    def ticks(self) -> int:
        return max((line["ticks"] for line in list(self.lines) if "ticks" in line), default=0)


def _start(session: Session, kind: str, log: Path, *options: str) -> ProbeProcess:
    return ProbeProcess(session.spawn([*PROBE, kind, *options], stdout=subprocess.PIPE, stderr=open(log, "wb"),  # noqa: SIM115
                                      cwd=ROOT))


def _mapped(session: Session, kind: str) -> dict[str, Any]:
    """Wait for the probe's window or layer surface; returns what `orrery msg` says of it."""
    def find() -> dict[str, Any] | None:
        if kind == "window":
            return next((w for w in session.windows() if w["app_id"] == "org.orrery.WidgetsProbe"), None)
        return next((s for s in session.msg("layers") if s["namespace"] == "widgets-probe"), None)
    return wait_until(find, timeout=20, what=f"the probe's {kind}")  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", ["window", "layer"])
def test_a_held_letter_repeats_and_a_held_modifier_does_not(session: Session, runtime_dir: Path, kind: str) -> None:
    probe = _start(session, kind, runtime_dir / "probe.log")
    shown = _mapped(session, kind)
    if kind == "window":  # a click gives the window the keyboard (the layer surface takes it: exclusive)
        session.pointer("move", str(shown["x"] + 100), str(shown["y"] + 100), "click", "left")
    wait_until(lambda: session.run(["wtype", "-k", "b"]).returncode == 0 and "b" in probe.pressed(),
               what="a key to reach the probe")
    for key in ("Alt_L", "a"):  # each held for 1.5 s: over twice the repeat delay (600 ms at 25/s by default)
        assert session.run(["wtype", "-P", key, "-s", "1500", "-p", key]).returncode == 0
    wait_until(lambda: probe.pressed().count("a") > 5, what="'a' to repeat")
    assert probe.pressed().count("Alt_L") == 1, f"Alt_L repeated: {probe.pressed()}"
    assert probe.process.poll() is None
    assert "Traceback" not in (runtime_dir / "probe.log").read_text()


def test_a_layer_app_that_cannot_start_leaves_the_others_of_its_process_running(session: Session,
                                                                                   runtime_dir: Path) -> None:
    # the shell's clients share one process (docs/shell.md): one failing at start must not take the rest down
    log = runtime_dir / "probe.log"
    probe = _start(session, "layer", log, "--broken-first")
    _mapped(session, "layer")
    assert probe.process.poll() is None
    assert "cannot start the broken app" in log.read_text()


def test_both_kinds_exit_with_one_line_when_the_compositor_dies(runtime_dir: Path) -> None:
    session = Session(runtime_dir)
    try:
        probes = {kind: _start(session, kind, runtime_dir / f"{kind}.log") for kind in ("window", "layer")}
        for kind in probes:
            _mapped(session, kind)
        session.process.kill()
        session.process.wait()
        for kind, probe in probes.items():
            try:
                status = probe.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the {kind} probe still runs 10 s after the compositor died")
            said = (runtime_dir / f"{kind}.log").read_text()
            assert status == 1, f"{kind}: status {status}\n{said}"
            assert said.startswith("lost the connection to the compositor: ") and said.count("\n") == 1, \
                f"{kind}: {said}"
    finally:
        session.stop()


def test_both_kinds_release_a_removed_output_and_carry_on(runtime_dir: Path) -> None:
    async def scenario() -> None:
        compositor = Compositor(asyncio.get_running_loop(), HeadlessBackend([OutputSpec(640, 480, 60.0),
                                                                             OutputSpec(320, 240, 60.0)]))
        socket = compositor.display.add_socket(f"widgets-host-{os.getpid()}")
        env = {**os.environ, "WAYLAND_DISPLAY": socket}
        logs = {kind: runtime_dir / f"{kind}.log" for kind in ("window", "layers")}
        probes = [await asyncio.create_subprocess_exec(*PROBE, kind, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                                       stderr=open(log, "wb"))  # noqa: SIM115
                  for kind, log in logs.items()]
        second = compositor.output_globals["HEADLESS-2"]

        async def until(what: str, condition: Any) -> None:
            for _ in range(400):
                if condition():
                    return
                await asyncio.sleep(0.05)
            raise TimeoutError(f"timed out waiting for {what}")

        def layers() -> list[str]:
            return sorted(s["output"] for s in layer_shell.layers(compositor, []))
        try:
            await until("the window and a layer surface per output",
                        lambda: len(ipc.windows(compositor, [])) == 1 and layers() == ["HEADLESS-1", "HEADLESS-2"])
            assert len(second.resources) == 2, "each probe bound the second output"
            compositor.remove_output(compositor.scene.outputs[1])
            await until("both probes to release the removed output", lambda: not second.resources)
            assert layers() == ["HEADLESS-1"] and len(ipc.windows(compositor, [])) == 1
            assert all(p.returncode is None for p in probes), "both carry on"
        finally:
            for probe in probes:
                probe.kill()
                await probe.wait()
            compositor.shutdown()
        for kind, log in logs.items():
            assert "Traceback" not in log.read_text(), f"{kind}: {log.read_text()}"

    asyncio.run(scenario())


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture
def ticking(session: Session, runtime_dir: Path) -> Iterator[ProbeProcess]:
    """A layer surface whose subscription ticks as fast as it can, each message carrying 4 KiB."""
    probe = _start(session, "layers", runtime_dir / "probe.log", "--tick", "0.0005", "--payload", "4096")
    yield probe
    assert probe.process.poll() is None
    assert "Traceback" not in (runtime_dir / "probe.log").read_text()


def test_a_long_running_app_keeps_no_record_of_its_messages(ticking: ProbeProcess) -> None:
    """Counted in messages, not seconds: kept, 8,000 messages of 4 KiB would be over 32 MB; allowed are 4 MB."""
    wait_until(lambda: ticking.ticks() >= 2000, timeout=60, what="2,000 ticks of warm-up")
    start, before = ticking.ticks(), _rss_kb(ticking.process.pid)
    wait_until(lambda: ticking.ticks() >= start + 8000, timeout=120, interval=0.2, what="8,000 more ticks")
    handled, grown = ticking.ticks() - start, _rss_kb(ticking.process.pid) - before
    assert grown < 4096, f"RSS grew by {grown} KiB over {handled} messages ({grown / handled:.2f} KiB each)"
