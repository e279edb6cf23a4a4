"""`make install` into a temporary prefix, then the installed session entry run as a display manager runs it:
its own session bus, its log, the XDG session variables, and D-Bus activation that finds the compositor."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from compositor import session as orrery_session
from tests.harness import ROOT, require, wait_until

pytestmark = pytest.mark.timeout(900)  # the first install builds a virtualenv (minutes on a machine without caches)

# tool -> Debian package (all in the Makefile's APT_PACKAGES, so `make setup` installs them)
TOOLS = {"make": "make", "dbus-run-session": "dbus-daemon", "dbus-send": "dbus-bin",
         "dbus-update-activation-environment": "dbus-bin", "wayland-info": "wayland-utils"}
SERVICE = "org.orrery.Test"


def need_tools() -> None:
    require(TOOLS)


@dataclass
class Installed:
    prefix: Path
    entry: Path
    seconds: tuple[float, float]  # the first and the second `make install`


def _make(*args: str) -> float:
    started = time.monotonic()
    result = subprocess.run(["make", *args], cwd=ROOT, capture_output=True, timeout=840)
    assert result.returncode == 0, f"make {' '.join(args)} failed:\n{result.stdout.decode()}{result.stderr.decode()}"
    return time.monotonic() - started


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    need_tools()
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    first = _make("install", f"PREFIX={prefix}")
    second = _make("install", f"PREFIX={prefix}")  # idempotent
    yield Installed(prefix, prefix / "share" / "wayland-sessions" / "orrery.desktop", (first, second))
    _make("uninstall", f"PREFIX={prefix}")
    left = [p for p in prefix.rglob("*") if not p.is_dir()]
    assert not left, f"make uninstall left {left}"


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_session_entry_runs_the_installed_orrery_session_and_ordinary_users_can_read_all(
        installed: Installed) -> None:
    entry = _entry(installed.entry)
    assert (entry["Type"], entry["Name"], entry["DesktopNames"]) == ("Application", "Orrery", "Orrery")
    executable = shlex.split(entry["Exec"])[0]
    assert executable == str(installed.prefix / "bin" / "orrery-session") == entry["TryExec"]
    assert os.path.isabs(executable) and os.access(executable, os.X_OK)
    for path in [installed.prefix, *installed.prefix.rglob("*")]:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode):
            wanted = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
            assert mode & wanted == wanted, f"{path} is {stat.filemode(mode)}"
    # Its interpreter and every directory above it are open to others: not root's pyenv (/root is 0700).
    python = Path(os.path.realpath(installed.prefix / "lib" / "orrery" / "bin" / "python"))
    for path in [python, *python.parents]:
        assert path.stat().st_mode & stat.S_IXOTH, f"{path} is closed to other users ({python})"
    print(f"make install: {installed.seconds[0]:.1f} s, again: {installed.seconds[1]:.1f} s")


@dataclass
class DesktopSession:
    process: subprocess.Popen[bytes]
    name: str
    env: dict[str, str]
    log: Path
    compositor: int  # the pid of the python process under dbus-run-session

    def environ(self) -> dict[str, str]:
        raw = Path(f"/proc/{self.compositor}/environ").read_bytes()
        return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> list[str]:
    try:
        return [arg for arg in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if arg]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has exited (and here init may never reap it)


@pytest.fixture
def desktop(installed: Installed, tmp_path: Path) -> Iterator[DesktopSession]:
    """The entry's Exec as a display manager without logind or systemd runs it: no session bus, other XDG_*
    values, the VT as stdout (here a pipe that must stay empty), started in $HOME."""
    home, runtime, data = tmp_path / "home", tmp_path / "runtime", tmp_path / "data"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    services = data / "dbus-1" / "services"
    services.mkdir(parents=True)
    script = tmp_path / "service.sh"
    # Writes its environment, then takes its name (activation is over) and leaves, releasing it.
    script.write_text(f"#!/bin/sh\nenv > {tmp_path}/activated.tmp && mv {tmp_path}/activated.tmp {tmp_path}/activated\n"
                      f"exec dbus-send --bus=\"$DBUS_STARTER_ADDRESS\" --print-reply --dest=org.freedesktop.DBus "
                      f"/org/freedesktop/DBus org.freedesktop.DBus.RequestName string:{SERVICE} uint32:0\n")
    script.chmod(0o755)
    (services / f"{SERVICE}.service").write_text(f"[D-BUS Service]\nName={SERVICE}\nExec={script}\n")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "DISPLAY")}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(data), XDG_CURRENT_DESKTOP="GNOME", XDG_SESSION_TYPE="tty")
    name = f"orrery-session-{os.getpid()}"
    argv = [*shlex.split(_entry(installed.entry)["Exec"]), "--backend", "headless", "--output", "1280x800",
            "--no-shell", "--socket", name]
    process = subprocess.Popen(argv, env=env, cwd=home, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    log = tmp_path / "state" / "orrery" / "session.log"
    try:
        def ready() -> bool:
            assert process.poll() is None, f"orrery-session exited with {process.returncode}:\n{_read(log)}"
            return f"WAYLAND_DISPLAY={name}\n" in _read(log)

        wait_until(ready, timeout=60, what="WAYLAND_DISPLAY= in session.log")
        [compositor] = [pid for pid in _children(process.pid) if "compositor.session" in _cmdline(pid)]
        yield DesktopSession(process, name, env, log, compositor)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # its own process group: dbus-run-session, the bus, us
            process.wait()
        assert process.stdout is not None
        printed = process.stdout.read()
        process.stdout.close()
        assert not printed, f"printed on the VT instead of the log: {printed!r}"


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def test_installed_session_runs_its_own_bus_logs_and_activated_services_find_the_compositor(
        desktop: DesktopSession, installed: Installed, tmp_path: Path) -> None:
    client_env = {**desktop.env, "WAYLAND_DISPLAY": desktop.name}
    info = subprocess.run(["wayland-info"], env=client_env, capture_output=True, timeout=20)
    assert info.returncode == 0 and b"xdg_wm_base" in info.stdout, info.stderr.decode()
    outputs = subprocess.run([str(installed.prefix / "bin" / "orrery"), "msg", "outputs"], env=client_env,
                             capture_output=True, timeout=20, cwd=tmp_path)
    assert outputs.returncode == 0 and b'"width": 1280' in outputs.stdout, outputs.stderr.decode()

    # The installed interpreter runs it, under dbus-run-session, with the session's variables.
    assert _cmdline(desktop.compositor)[0] == str(installed.prefix / "lib" / "orrery" / "bin" / "python")
    assert "dbus-run-session" in _cmdline(desktop.process.pid)[0]
    environ = desktop.environ()
    assert (environ["XDG_CURRENT_DESKTOP"], environ["XDG_SESSION_TYPE"], environ["XDG_SESSION_DESKTOP"]) == \
        ("Orrery", "wayland", "orrery")
    bus = environ["DBUS_SESSION_BUS_ADDRESS"]

    # A service the session bus starts gets WAYLAND_DISPLAY and XDG_CURRENT_DESKTOP. The import runs in the
    # background once the socket is up, so activate until it has happened.
    activated = tmp_path / "activated"

    def activate() -> str | None:
        subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                        "/org/freedesktop/DBus", "org.freedesktop.DBus.StartServiceByName", f"string:{SERVICE}",
                        "uint32:0"], env={**desktop.env, "DBUS_SESSION_BUS_ADDRESS": bus}, capture_output=True,
                       timeout=20)
        text = _read(activated)
        activated.unlink(missing_ok=True)
        return text if f"WAYLAND_DISPLAY={desktop.name}\n" in text else None

    text = wait_until(activate, timeout=20, interval=0.2, what="an activated service with WAYLAND_DISPLAY")
    assert "XDG_CURRENT_DESKTOP=Orrery\n" in text and "XDG_SESSION_TYPE=wayland\n" in text

    # `orrery msg quit`: the session ends with the compositor's status, and takes its bus along.
    daemons = [pid for pid in _children(desktop.process.pid) if pid != desktop.compositor]
    quit_ = subprocess.run([str(installed.prefix / "bin" / "orrery"), "msg", "quit"], env=client_env,
                           capture_output=True, timeout=20)
    assert quit_.returncode == 0, quit_.stderr.decode()
    assert desktop.process.wait(timeout=20) == 0, _read(desktop.log)
    assert daemons
    wait_until(lambda: not any(_running(pid) for pid in daemons), timeout=5, what="the session bus to stop")


def test_a_failing_session_passes_its_status_on_and_keeps_the_previous_log(
        installed: Installed, tmp_path: Path) -> None:
    state = tmp_path / "state" / "orrery"
    state.mkdir(parents=True)
    (state / "session.log").write_text("the previous session\n")
    env = {key: value for key, value in os.environ.items() if key not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    env.update(HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))
    result = subprocess.run([str(installed.prefix / "bin" / "orrery-session"), "--output", "nonsense"], env=env,
                            cwd=tmp_path, capture_output=True, timeout=60)
    log = _read(state / "session.log")
    assert result.returncode == 2, log  # argparse's status, through dbus-run-session
    assert "orrery run: error: argument --output: invalid output 'nonsense'" in log, log
    assert (result.stdout, result.stderr) == (b"", b"")
    assert _read(state / "session.log.old") == "the previous session\n"


def test_runtime_dir_falls_back_to_a_private_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/somewhere/set")
    assert orrery_session.ensure_runtime_dir() == "/somewhere/set"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = Path(orrery_session.ensure_runtime_dir())
    assert os.environ["XDG_RUNTIME_DIR"] == str(path)
    info = path.lstat()
    assert stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700
    standard = Path(f"/run/user/{os.getuid()}")
    if standard.is_dir() and standard.stat().st_uid == os.getuid() and stat.S_IMODE(standard.stat().st_mode) == 0o700:
        assert path == standard
    else:
        assert path.parent == tmp_path
