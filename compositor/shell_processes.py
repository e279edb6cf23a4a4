"""The shell's process (background, panel, launcher and window switcher in one, ``python -m shell``): started with
the compositor, restarted when it crashes, stopped with it.

It runs with ``WAYLAND_DISPLAY`` set to our socket and, when the compositor hands out sockets (``connect``),
``WAYLAND_SOCKET`` set to one already connected that the compositor knows as its shell's: that is how the shell
gets the privileged globals whatever ``[security]`` allows other programs (matching the shell's executable instead
would allow every Python program). When it exits while the compositor runs it is started again
after a delay that doubles from :data:`FIRST_DELAY` up to :data:`MAX_DELAY` while it keeps failing quickly, and
starts over once a run lasted :data:`STABLE_AFTER`. Stopping sends SIGTERM, waits :data:`STOP_GRACE` and then
kills. It also gets SIGTERM if the compositor dies without stopping it. (One process rather than one per client,
and no warm spare: docs/shell.md weighs memory against crash isolation.)

A Super tap (press and release with nothing else in between, :func:`compositor.input.super_tap`) toggles the
launcher through its control socket (:mod:`protocols.shell_control`).
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# a supervised process: its name, and its arguments after ``python -m shell`` (none: every client)
SHELL: tuple[str, tuple[str, ...]] = ("shell", ())
FIRST_DELAY = 0.1
MAX_DELAY = 10.0
STABLE_AFTER = 10.0
STOP_GRACE = 2.0
PR_SET_PDEATHSIG = 1
# a socket connected as a client the compositor knows, for the child to inherit, and what to call with its pid
Connect = Callable[[], tuple[socket.socket, Callable[[int], None]]]


def restart_delay(previous: float | None, ran_for: float) -> float:
    """How long to wait before starting again a process that exited after ``ran_for`` seconds."""
    if previous is None or ran_for >= STABLE_AFTER:
        return FIRST_DELAY
    return min(MAX_DELAY, previous * 2)


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


@dataclass
class Supervised:
    name: str
    argv: list[str]
    process: asyncio.subprocess.Process | None = None
    started: float = 0.0
    delay: float | None = None
    restarts: int = 0
    watcher: asyncio.Task[None] | None = field(default=None, repr=False)


class ShellProcesses:
    def __init__(self, display: str, processes: Sequence[tuple[str, Sequence[str]]] = (SHELL,),
                 python: str = sys.executable, connect: Connect | None = None, x_display: str | None = None) -> None:
        self.display = display
        self.connect = connect
        self.env = {**os.environ, "WAYLAND_DISPLAY": display}
        # The shell talks Wayland only; DISPLAY is Orrery's X11 display (Xwayland) for the programs it launches.
        self.env.pop("DISPLAY", None)
        if x_display is not None:
            self.env["DISPLAY"] = x_display
        self.children = {name: Supervised(name, [python, "-m", "shell", *args]) for name, args in processes}
        self.stopping = False

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        for child in self.children.values():
            child.watcher = loop.create_task(self._keep_running(child))

    async def _keep_running(self, child: Supervised) -> None:
        while not self.stopping:
            child.started = time.monotonic()
            try:
                child.process = await self._spawn(child.argv)
            except OSError as error:
                log.error("cannot start the %s: %s", child.name, error)
                return
            code = await child.process.wait()
            if self.stopping:
                return
            ran_for = time.monotonic() - child.started
            child.delay = restart_delay(child.delay, ran_for)
            child.restarts += 1
            log.warning("the %s exited with status %s after %.1f s; starting it again in %.1f s", child.name, code,
                        ran_for, child.delay)
            await asyncio.sleep(child.delay)

    async def _spawn(self, argv: list[str]) -> asyncio.subprocess.Process:
        if self.connect is None:
            return await asyncio.create_subprocess_exec(*argv, env=self.env, stdin=asyncio.subprocess.DEVNULL,
                                                        preexec_fn=_die_with_parent)
        sock, started = self.connect()
        with sock:  # the child's copy is all that is needed once it runs
            env = {**self.env, "WAYLAND_SOCKET": str(sock.fileno())}
            process = await asyncio.create_subprocess_exec(*argv, env=env, stdin=asyncio.subprocess.DEVNULL,
                                                           preexec_fn=_die_with_parent, pass_fds=(sock.fileno(),))
        started(process.pid)
        return process

    def pids(self) -> dict[str, int]:
        return {name: c.process.pid for name, c in self.children.items()
                if c.process is not None and c.process.returncode is None}

    def toggle_launcher(self) -> None:
        from protocols import shell_control as control

        if not control.send(self.display, "launcher", "toggle"):
            log.warning("no launcher is listening")

    async def stop(self) -> None:
        self.stopping = True
        running = [c.process for c in self.children.values() if c.process is not None and c.process.returncode is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        if running:
            await asyncio.wait([asyncio.ensure_future(p.wait()) for p in running], timeout=STOP_GRACE)
            for process in running:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
        for child in self.children.values():
            if child.watcher is not None and not child.watcher.done():
                child.watcher.cancel()
