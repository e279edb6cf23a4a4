"""``orrery-session``: Orrery as the login session a display manager starts (``orrery.desktop`` in
``wayland-sessions`` runs it).

A display manager gives its session little: greetd without logind sets no ``XDG_RUNTIME_DIR``, nothing starts
a D-Bus session bus without systemd, and stdout/stderr are the VT, which the compositor then draws over. So,
in this order:

1. stdout and stderr (and with them the compositor's and the shell's) go to
   ``${XDG_STATE_HOME:-~/.local/state}/orrery/session.log``; the previous log is kept as ``session.log.old``;
2. ``XDG_CURRENT_DESKTOP``, ``XDG_SESSION_TYPE`` and ``XDG_SESSION_DESKTOP`` are set, and ``XDG_RUNTIME_DIR``
   made usable (:func:`ensure_runtime_dir`);
3. without a session bus, the process executes itself again under ``dbus-run-session``;
4. ``orrery run --session ARGS`` runs in this process; once its socket is up, ``--session`` calls
   :func:`update_activation_environment`, so that services the bus starts (notifications, portals) find the
   compositor.

Standard library only, and nothing heavy is imported before step 4: steps 1-3 may run twice.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

DESKTOP_ENVIRONMENT = {"XDG_CURRENT_DESKTOP": "Orrery", "XDG_SESSION_TYPE": "wayland",
                       "XDG_SESSION_DESKTOP": "orrery"}
ACTIVATION_VARIABLES = ("WAYLAND_DISPLAY", *DESKTOP_ENVIRONMENT)
# Set only for the process dbus-run-session runs: the pid of dbus-run-session (the pid we exec'ed it with).
UNDER_DBUS_RUN_SESSION = "ORRERY_SESSION_DBUS_RUN_SESSION"
UPDATE_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1



def log_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"  # relative: invalid
    return base / "orrery" / "session.log"


def redirect_output(path: Path) -> bool:
    """Points fds 1 and 2 at a fresh ``path``, the previous log becoming ``path.old``. False (and the output
    left where it was) if the log cannot be written. Does nothing when stdout already is ``path``: the run
    under dbus-run-session must not rotate away the log its first half started."""
    try:
        if _same_file(1, path):
            return True
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.exists():
            os.replace(path, path.with_name(path.name + ".old"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    except OSError as error:
        print(f"orrery-session: cannot write the log {path}: {error}", file=sys.stderr, flush=True)
        return False
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    if fd > 2:
        os.close(fd)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True)  # whole lines in the log as they happen, for `tail -f`
    print(f"orrery-session: {time.strftime('%Y-%m-%d %H:%M:%S %z')}, pid {os.getpid()}, uid {os.getuid()}: "
          f"{' '.join(sys.argv)}", flush=True)
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def ensure_runtime_dir() -> str:
    """``XDG_RUNTIME_DIR``: kept if set; else ``/run/user/UID`` if it is our 0700 directory (made by whoever
    plays logind's part); else a new private directory under /tmp, with a warning."""
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current:
        return current
    uid = os.getuid()
    standard = f"/run/user/{uid}"
    try:
        info = os.lstat(standard)
        usable = stat.S_ISDIR(info.st_mode) and info.st_uid == uid and stat.S_IMODE(info.st_mode) == 0o700
    except OSError:
        usable = False
    path = standard if usable else tempfile.mkdtemp(prefix=f"orrery-runtime-{uid}-")  # mkdtemp: 0700, ours
    if not usable:
        print(f"orrery-session: warning: XDG_RUNTIME_DIR is not set and {standard} is not a 0700 directory of "
              f"uid {uid}; using {path}", file=sys.stderr, flush=True)
    os.environ["XDG_RUNTIME_DIR"] = path
    return path


def _stop_with(parent: int) -> None:
    """SIGTERM once ``parent`` (dbus-run-session) is gone: it does not pass signals on, so a display manager
    that ends the session by signalling its own child would leave the compositor holding the seat."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before prctl
        os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    from_dbus_run_session = os.environ.pop(UNDER_DBUS_RUN_SESSION, None)
    if "-h" in args or "--help" in args:  # answered here, not into the log
        print("usage: orrery-session [orrery run options]: Orrery as a login session (logs to "
              f"{log_path()}); the options:\n")
        from .cli import main as orrery

        return orrery(["run", "--help"])
    redirect_output(log_path())
    os.environ.update(DESKTOP_ENVIRONMENT)
    ensure_runtime_dir()
    if from_dbus_run_session is not None and from_dbus_run_session.isdigit():
        _stop_with(int(from_dbus_run_session))
    elif not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        tool = shutil.which("dbus-run-session")
        if tool is not None:
            print(f"orrery-session: no session bus; starting one: {tool}", flush=True)
            # -P: the session starts in $HOME, whose files must not shadow our modules.
            os.execve(tool, [tool, "--", sys.executable, "-P", "-m", "compositor.session", *args],
                      {**os.environ, UNDER_DBUS_RUN_SESSION: str(os.getpid())})
        print("orrery-session: warning: no session bus, and no dbus-run-session to start one (Debian package "
              "dbus-daemon): applications that need D-Bus will fail", file=sys.stderr, flush=True)
    from .cli import main as orrery

    status = orrery(["run", "--session", *args])
    print(f"orrery-session: the compositor exited with status {status}", flush=True)
    return status


def update_activation_environment(display: str, x_display: str | None = None) -> asyncio.Task[None]:
    """Imports ``WAYLAND_DISPLAY=display`` (and ``DISPLAY=x_display``, Xwayland's, if given) and the ``XDG_*``
    session variables into the D-Bus activation environment (and systemd --user's, if one runs) with
    ``dbus-update-activation-environment``, in the background of the running event loop (keep the task: the loop
    holds only a weak reference); a warning is logged when that cannot be done."""
    import asyncio

    return asyncio.get_running_loop().create_task(_update_activation_environment(display, x_display))


async def _update_activation_environment(display: str, x_display: str | None = None) -> None:
    import asyncio

    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        log.warning("no session bus (DBUS_SESSION_BUS_ADDRESS is not set): services D-Bus starts will not find "
                    "the compositor")
        return
    tool = shutil.which("dbus-update-activation-environment")
    if tool is None:
        log.warning("dbus-update-activation-environment not found (Debian package dbus-bin): services D-Bus "
                    "starts will not find the compositor")
        return
    variables, env = list(ACTIVATION_VARIABLES), {**os.environ, "WAYLAND_DISPLAY": display}
    if x_display is not None:
        variables.append("DISPLAY")
        env["DISPLAY"] = x_display
    process = await asyncio.create_subprocess_exec(
        tool, "--systemd", *variables, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        output, _ = await asyncio.wait_for(process.communicate(), UPDATE_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        log.warning("dbus-update-activation-environment did not finish within %.0f s", UPDATE_TIMEOUT)
        return
    if process.returncode != 0:
        log.warning("dbus-update-activation-environment failed (status %s): %s", process.returncode,
                    output.decode(errors="replace").strip())


if __name__ == "__main__":
    raise SystemExit(main())
