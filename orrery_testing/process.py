"""One compositor process in a private XDG_RUNTIME_DIR, and the clients started against it.

    runtime = RuntimeDir("bench-weston")                     # a new temporary directory, removed by cleanup()
    server = CompositorProcess(weston_argv(runtime.name), runtime, announces=False)
    client = server.spawn(["weston-simple-shm"])
    ...
    server.stop()                                          # the clients, then the compositor
    runtime.cleanup()

The tests' ``Session`` (tests/harness.py) and the benchmarks' ``Server`` (bench/run.py, bench/drm.py) are this
runner. Orrery is ready when it prints ``WAYLAND_DISPLAY=NAME`` (``announces``); weston prints nothing of the
kind, so for it the runner waits until its socket accepts a connection.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the checkout: clients run from here (``python -m tests.tools...``)
ORRERY = [sys.executable, "-m", "compositor"]  # ``orrery`` from the checkout
_serials = itertools.count(1)


def orrery_argv(name: str, outputs: Sequence[str] = ("1280x800@60",), backend: str = "headless",
                shell: bool = False) -> list[str]:
    """``orrery run`` on socket ``name`` with an output per ``outputs`` entry (``WxH@HZ``; none: the backend's
    own, as on DRM); ``shell=True`` starts Orrery's panel, launcher and background too."""
    argv = [*ORRERY, "run", "--backend", backend, "--socket", name, *([] if shell else ["--no-shell"])]
    for output in outputs:
        argv += ["--output", output]
    return argv


def weston_argv(name: str, backend: str = "headless", options: Sequence[str] = ()) -> list[str]:
    """weston 10 on socket ``name`` with its pixman renderer, never idle: ``backend`` is ``headless`` or ``drm``;
    ``options`` such as ``--width=1920``."""
    return ["weston", f"--backend={backend}-backend.so", "--use-pixman", f"--socket={name}", "--idle-time=0",
            *options]


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05,
               what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something true, and return that; TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def socket_accepts(path: Path) -> bool:
    """Whether a Unix stream socket at ``path`` accepts a connection now."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def read_line(process: subprocess.Popen[bytes], timeout: float, what: str = "the client") -> str:
    """The next line ``process`` prints on stdout (a pipe), stripped; RuntimeError, with what it printed on stderr
    if that is a pipe too, if it exits first or says nothing for ``timeout`` seconds (then it is killed)."""
    assert process.stdout is not None
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        line = process.stdout.readline().decode().strip()
    finally:
        watchdog.cancel()
    if not line:
        process.wait(timeout)
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"{what} exited ({process.returncode}) without a line:\n{stderr[-3000:]}")
    return line


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> int:
    """SIGTERM, and SIGKILL if it has not exited ``timeout`` seconds later; its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


class RuntimeDir:
    """A private XDG_RUNTIME_DIR, a unique socket name ``PREFIX-PID-N`` in it, and the environments of a
    compositor there (``env``: ours, less WAYLAND_DISPLAY, plus ``extra_env``) and of its clients
    (``client_env``: WAYLAND_DISPLAY set, no DISPLAY, GTK on Wayland); ``extra_env`` may give the compositor a
    WAYLAND_DISPLAY (a compositor to nest in). Without ``directory``, a new temporary one (mode 0700), which
    :meth:`cleanup` removes."""

    def __init__(self, prefix: str, directory: Path | None = None, extra_env: Mapping[str, str] | None = None) -> None:
        self.name = f"{prefix}-{os.getpid()}-{next(_serials)}"
        self._temporary = directory is None
        self.dir = Path(tempfile.mkdtemp(prefix=f"{prefix}-")) if directory is None else directory
        self.env = {key: value for key, value in os.environ.items() if key != "WAYLAND_DISPLAY"}
        self.env.update({"XDG_RUNTIME_DIR": str(self.dir), **(extra_env or {})})
        self.client_env = {**self.env, "WAYLAND_DISPLAY": self.name, "GDK_BACKEND": "wayland",
                           "XDG_SESSION_TYPE": "wayland"}
        self.client_env.pop("DISPLAY", None)

    def cleanup(self) -> None:
        if self._temporary:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> RuntimeDir:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.cleanup()


class CompositorProcess:
    """The compositor process ``argv`` in ``runtime``, ready for clients once constructed (RuntimeError with its
    log if it is not within ``timeout`` seconds). Its output goes to ``log_path`` (``compositor.log`` in the
    runtime directory); clients started through it are stopped with it."""

    def __init__(self, argv: Sequence[str], runtime: RuntimeDir, announces: bool = True, timeout: float = 30.0) -> None:
        self.runtime = runtime
        self.argv = list(argv)
        self.log_path = runtime.dir / "compositor.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - lives as long as the process, closed by stop()
        self.clients: list[subprocess.Popen[bytes]] = []
        try:  # stdout a pipe for the announcement (the rest of what it says goes to the log), or the log
            self.process = subprocess.Popen(self.argv, env=runtime.env, cwd=ROOT, stderr=self.log,
                                            stdout=subprocess.PIPE if announces else self.log)
        except OSError:
            self.log.close()
            raise
        if announces:
            try:
                line = read_line(self.process, timeout, "the compositor")
            except RuntimeError:
                line = ""
            if line != f"WAYLAND_DISPLAY={self.name}":
                self._failed(f"said {line!r}" if line else "exited or said nothing")
        else:
            deadline = time.monotonic() + timeout
            while not socket_accepts(runtime.dir / self.name):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self._failed("never accepted a connection")
                time.sleep(0.01)

    def _failed(self, how: str) -> None:
        self.stop()
        raise RuntimeError(f"compositor did not start ({' '.join(self.argv)}): it {how}\n{self.log_text()}")

    @property
    def name(self) -> str:
        """The socket name (WAYLAND_DISPLAY)."""
        return self.runtime.name

    @property
    def runtime_dir(self) -> Path:
        return self.runtime.dir

    @property
    def env(self) -> dict[str, str]:
        return self.runtime.env

    @property
    def client_env(self) -> dict[str, str]:
        return self.runtime.client_env

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_text(self, limit: int = 3000) -> str:
        """The end of the compositor's log."""
        return self.log_path.read_text(errors="replace")[-limit:]

    # -- clients -----------------------------------------------------------------------------------------
    def spawn(self, argv: Sequence[str], env: Mapping[str, str] | None = None,
              **kwargs: Any) -> subprocess.Popen[bytes]:
        """A client (``env`` added to ``client_env``), in the checkout, its output discarded unless ``stdout``
        or ``stderr`` say otherwise; other Popen arguments as given."""
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        kwargs.setdefault("cwd", ROOT)
        process = subprocess.Popen(list(argv), env={**self.client_env, **(env or {})}, **kwargs)
        self.clients.append(process)
        return process

    def run(self, argv: Sequence[str], timeout: float = 20, env: Mapping[str, str] | None = None,
            **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        """A client run to its end, its output captured."""
        kwargs.setdefault("cwd", ROOT)
        return subprocess.run(list(argv), env={**self.client_env, **(env or {})}, timeout=timeout,
                              capture_output=True, **kwargs)

    # -- IPC ---------------------------------------------------------------------------------------------
    def msg(self, *args: str, timeout: float = 30) -> Any:
        """``orrery msg ARGS...``, its JSON answer decoded (None for none); RuntimeError with what it said if
        it fails."""
        result = subprocess.run([*ORRERY, "msg", "--socket", self.name, *args], env=self.env, cwd=ROOT,
                                capture_output=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"orrery msg {' '.join(args)} failed: {result.stderr.decode()}")
        out = result.stdout.decode().strip()
        return json.loads(out) if out else None

    def request(self, command: str, *args: str, timeout: float = 60) -> Any:
        """What :meth:`msg` answers, over Orrery's IPC socket directly: no Python process started for it (which
        takes seconds in a VM under emulation, and would count in a start-up's time)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.runtime_dir / f"orrery-{self.name}.sock"))
            sock.sendall(json.dumps({"command": command, "args": list(args)}).encode() + b"\n")
            reply = json.loads(sock.makefile("rb").readline())
        if not reply.get("ok"):
            raise RuntimeError(f"orrery msg {command}: {reply.get('error')}")
        return reply.get("result")

    # -- the end -----------------------------------------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> int:
        """Kill the clients, then stop the compositor (SIGTERM; SIGKILL after ``timeout`` seconds); its exit
        status."""
        for client in self.clients:
            if client.poll() is None:
                client.kill()
            client.wait()
        code = stop_process(self.process, timeout)
        self.log.close()
        return code
