"""The Xwayland process: an X display reserved at start-up, the server started on the first X11 connection.

At start-up Orrery takes a display number ``N`` the way X servers do: the lock file ``/tmp/.XN-lock`` (created
exclusively, holding our PID; a stale one whose process is gone is taken over), the abstract socket
``@/tmp/.X11-unix/XN`` and the path ``/tmp/.X11-unix/XN``. ``DISPLAY=:N`` goes to every process the compositor
starts. Nothing else happens until an X11 client connects: then (or at once with ``xwayland = "startup"``)
``Xwayland :N -rootless -listenfd A -listenfd B -wm W -displayfd D`` is started with a Wayland connection of its
own (``WAYLAND_SOCKET``), and accepts the waiting connection itself. When it has written its display number on
``D`` it is ready, and the window manager for X11 (``wm.py``) connects over ``W``.

If Xwayland exits, its X windows go, the compositor carries on, and the next connection starts it again.
The compositor's loop never waits on Xwayland: readiness, exit and connections are all watched with
``loop.add_reader``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import socket
import subprocess
import time
from typing import TYPE_CHECKING, Any

from ..access import Origin

if TYPE_CHECKING:
    from ..server import Compositor
    from ..wl.display import Client
    from .wm import XWindowManager

log = logging.getLogger(__name__)

SOCKET_DIR = "/tmp/.X11-unix"
FIRST_DISPLAY = 0
LAST_DISPLAY = 255
XWAYLAND = "Xwayland"


def lock_path(number: int) -> str:
    return f"/tmp/.X{number}-lock"


def socket_path(number: int) -> str:
    return f"{SOCKET_DIR}/X{number}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _take_lock(number: int) -> bool:
    """Create ``/tmp/.XN-lock`` holding our PID; a lock whose process is gone is removed first."""
    path = lock_path(number)
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o444)
        except FileExistsError:
            try:
                with open(path) as lock:
                    pid = int(lock.read().strip() or "0")
            except (OSError, ValueError):
                return False  # unreadable: someone else's
            if pid > 0 and _pid_alive(pid):
                return False
            with contextlib.suppress(OSError):
                os.unlink(path)  # stale
            continue
        except OSError:
            return False
        try:
            os.write(fd, b"%10d\n" % os.getpid())
        finally:
            os.close(fd)
        return True
    return False


def _listen(address: str | bytes) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK)
    try:
        sock.bind(address)
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


def reserve_display(first: int = FIRST_DISPLAY, last: int = LAST_DISPLAY) -> tuple[int, list[socket.socket]]:
    """The first free display number from ``first`` on, with its listening sockets (abstract, then the path)."""
    with contextlib.suppress(OSError):
        os.makedirs(SOCKET_DIR, mode=0o1777, exist_ok=True)
    for number in range(first, last + 1):
        if not _take_lock(number):
            continue
        sockets: list[socket.socket] = []
        try:
            sockets.append(_listen(b"\0" + socket_path(number).encode()))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(socket_path(number))  # we hold the lock: a socket file left there is stale
            sockets.append(_listen(socket_path(number)))
        except OSError as error:
            for sock in sockets:
                sock.close()
            with contextlib.suppress(OSError):
                os.unlink(lock_path(number))
            if error.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EPERM):
                log.debug("display :%d: %s", number, error)
            continue
        return number, sockets
    raise OSError(f"no free X display number from :{first} to :{last}")


class XwaylandServer:
    """One reserved X display and the Xwayland process serving it (while one runs)."""

    def __init__(self, compositor: Compositor, eager: bool = False, first: int | None = None) -> None:
        self.compositor = compositor
        self.loop = compositor.loop
        if first is None:
            first = int(os.environ.get("ORRERY_X11_FIRST_DISPLAY", FIRST_DISPLAY))
        self.number, self.sockets = reserve_display(first)
        self.display = f":{self.number}"
        self.process: subprocess.Popen[bytes] | None = None
        self.client: Client | None = None  # Xwayland's Wayland connection
        self.wm: XWindowManager | None = None
        self.ready = False
        self.started_at = 0.0
        self.starts = 0
        self._pidfd: int | None = None
        self._displayfd: int | None = None
        self._wm_socket: socket.socket | None = None
        self._readiness = b""
        self._armed = False
        self._closed = False
        log.info("X11 display %s (Xwayland starts on the first connection)", self.display)
        if eager:
            self.start()
        else:
            self._arm()

    # -- lazy start ----------------------------------------------------------------------------------
    def _arm(self) -> None:
        if self._armed or self._closed:
            return
        self._armed = True
        for sock in self.sockets:
            self.loop.add_reader(sock.fileno(), self._connection_waiting)

    def _disarm(self) -> None:
        if not self._armed:
            return
        self._armed = False
        for sock in self.sockets:
            self.loop.remove_reader(sock.fileno())

    def _connection_waiting(self) -> None:
        """An X11 client knocks: start Xwayland, which accepts the connection (we do not)."""
        self._disarm()
        self.start()

    def start(self) -> None:
        if self.process is not None or self._closed:
            return
        self._disarm()
        binary = shutil.which(XWAYLAND)
        if binary is None:
            log.error("cannot start Xwayland: %s is not installed (Debian: apt install xwayland)", XWAYLAND)
            return
        wayland_ours, wayland_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        wm_ours, wm_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        ready_read, ready_write = os.pipe2(os.O_CLOEXEC)
        theirs = [wayland_theirs.fileno(), wm_theirs.fileno(), ready_write, *(s.fileno() for s in self.sockets)]
        argv = [binary, self.display, "-rootless", "-noreset", "-wm", str(wm_theirs.fileno()),
                "-displayfd", str(ready_write)]
        for sock in self.sockets:
            argv += ["-listenfd", str(sock.fileno())]
        env = {**self.compositor.environment, "WAYLAND_SOCKET": str(wayland_theirs.fileno())}
        env.pop("WAYLAND_DISPLAY", None)
        try:
            # known as Xwayland: it may bind what only Xwayland may (access.py), and `orrery msg clients` says so
            self.client = self.compositor.access.adopt(wayland_ours.detach(), Origin.XWAYLAND)
            self.process = subprocess.Popen(argv, env=env, pass_fds=theirs, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, start_new_session=True)
            self.client.pid = self.process.pid
            access = self.compositor.access.of(self.client)
            if access.origin is Origin.XWAYLAND:  # (not the shared record of unknown clients)
                access.executable = binary
        except OSError as error:
            log.error("cannot start Xwayland: %s", error)
            if self.client is not None:
                self.client.disconnect()
                self.client = None
            wm_ours.close()
            os.close(ready_read)
            self._arm()
            return
        finally:
            wayland_theirs.close()
            wm_theirs.close()
            os.close(ready_write)
        self.starts += 1
        self.started_at = time.monotonic()
        log.info("started Xwayland on %s, pid %d", self.display, self.process.pid)
        self._wm_socket = wm_ours
        self._displayfd = ready_read
        self._readiness = b""
        self.loop.add_reader(ready_read, self._readiness_readable)
        try:
            self._pidfd = os.pidfd_open(self.process.pid)
            self.loop.add_reader(self._pidfd, self._exited)
        except OSError:
            self._pidfd = None
        self.client.destroy_listeners.append(self._client_gone)

    def _readiness_readable(self) -> None:
        assert self._displayfd is not None
        try:
            chunk = os.read(self._displayfd, 64)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        self._readiness += chunk
        if chunk and not self._readiness.endswith(b"\n"):
            return
        self._close_displayfd()
        if not chunk and not self._readiness:
            return  # it exited before it was ready; _exited cleans up
        self.ready = True
        log.info("Xwayland ready after %.0f ms", (time.monotonic() - self.started_at) * 1000)
        self._start_wm()

    def _close_displayfd(self) -> None:
        if self._displayfd is not None:
            self.loop.remove_reader(self._displayfd)
            os.close(self._displayfd)
            self._displayfd = None

    def _start_wm(self) -> None:
        sock, self._wm_socket = self._wm_socket, None
        if sock is None or self.client is None:
            return
        from .wm import XWindowManager

        try:
            self.wm = XWindowManager(self.compositor, self, sock.detach(), self.client)
        except Exception:
            log.exception("the window manager for X11 could not start")
            self.wm = None

    # -- Xwayland goes away --------------------------------------------------------------------------
    def _client_gone(self, _client: Client) -> None:
        if self.process is not None and self.process.poll() is None:
            log.warning("Xwayland's Wayland connection closed; stopping it")
            self.process.kill()

    def _exited(self) -> None:
        process = self.process
        if process is None or process.poll() is None:
            return
        log.warning("Xwayland (pid %d) exited with status %s; the next X11 client starts it again",
                    process.pid, process.returncode)
        self._cleanup_process()
        self._arm()

    def _cleanup_process(self) -> None:
        if self._pidfd is not None:
            self.loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        self._close_displayfd()
        if self._wm_socket is not None:
            self._wm_socket.close()
            self._wm_socket = None
        wm, self.wm = self.wm, None
        if wm is not None:
            wm.destroy()
        client, self.client = self.client, None
        if client is not None and client.alive:
            client.disconnect()
        self.process = None
        self.ready = False

    def xwayland_died(self) -> None:
        """The window manager lost its X connection: the process is going (its exit is watched)."""
        if self.process is not None and self.process.poll() is None:
            self.loop.call_later(1.0, self._kill_if_alive, self.process)

    def _kill_if_alive(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.kill()

    # -- the end -------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop Xwayland, give up the sockets and the lock."""
        if self._closed:
            return
        self._disarm()
        self._closed = True
        process = self.process
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(1.0)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            self._cleanup_process()
        for sock in self.sockets:
            sock.close()
        self.sockets = []
        for path in (socket_path(self.number), lock_path(self.number)):
            with contextlib.suppress(OSError):
                os.unlink(path)

    def describe(self) -> dict[str, Any]:
        running = self.process is not None and self.process.poll() is None
        return {"display": self.display, "pid": self.process.pid if running and self.process else None,
                "running": running}
