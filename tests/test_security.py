"""Access control for the privileged globals, with real clients: an allow-list in orrery.toml refuses wtype while
Orrery's own shell and an allowed locker keep working; a client connected through a security context (made as
Flatpak makes one) sees none of the privileged globals and cannot bind them by guessing; `orrery msg clients`
says who is connected and what each may bind; bad [security] settings point at their line and column."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from compositor import access, config
from tests.harness import ROOT, Screenshot, Session, require, wait_until
from tests.test_shell import ACTIVE_TASK_RGB, PANEL_HEIGHT, _runs
from themes.tomlpos import index_toml

WTYPE_REFUSED = "Compositor does not support the virtual keyboard protocol"
# What Orrery offers today that a sandboxed client must not see, written out (and every name the one list in
# compositor/access.py restricts, which covers globals added later)
PRIVILEGED_NOW = {"zwp_virtual_keyboard_manager_v1", "zwlr_virtual_pointer_manager_v1",
                  "zwlr_foreign_toplevel_manager_v1", "ext_session_lock_manager_v1", "zwlr_output_power_manager_v1",
                  "wp_security_context_manager_v1", "zwlr_layer_shell_v1", "ext_foreign_toplevel_list_v1"}
SWAYLOCK_RGB = (0x99, 0x33, 0x66)
NEW_SWAYLOCK_RGB = (0x33, 0x99, 0x66)
FOOT_BG = (0x10, 0x20, 0x40)


def _write_config(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "config" / "orrery" / "orrery.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
            "PYTHONPATH": str(ROOT)}


def _allow(*programs: str) -> str:
    return "[security]\nprivileged = [" + ", ".join(f'"{os.path.realpath(shutil.which(p) or p)}"'
                                                    for p in programs) + "]\n"


def _globals(result: subprocess.CompletedProcess[bytes]) -> dict[str, int]:
    """wayland-info's globals: interface → name."""
    found = re.findall(r"interface: '(\w+)',\s+version:\s+\d+, name:\s+(\d+)", result.stdout.decode())
    return {interface: int(name) for interface, name in found}


def _client(session: Session, pid: int) -> dict[str, Any]:
    return next(c for c in session.msg("clients") if c["pid"] == pid)


def test_with_an_allow_list_wtype_is_refused_while_the_shell_keeps_working(
        runtime_dir: Path, tmp_path: Path, stopped_at_end: list[Session]) -> None:
    require({"wtype": "wtype", "weston-simple-shm": "weston", "swaylock": "swaylock", "grim": "grim",
             "wlr-randr": "wlr-randr"})
    env = _write_config(tmp_path, _allow("swaylock"))
    session = Session(runtime_dir, extra_env={**env, "SHELL": "/bin/sh"}, shell=True)
    stopped_at_end.append(session)
    panel = wait_until(lambda: [s for s in session.msg("layers") if s["namespace"] == "panel"], timeout=20,
                       what="the panel")[0]

    wtype = session.run(["wtype", "hello"])
    assert wtype.returncode != 0 and WTYPE_REFUSED in wtype.stderr.decode()
    grim = session.run(["grim", str(tmp_path / "shot.png")])
    assert grim.returncode != 0 and "screencopy" in grim.stderr.decode() and not (tmp_path / "shot.png").exists()
    randr = session.run(["wlr-randr"])
    assert randr.returncode != 0 and "output-management" in randr.stderr.decode()

    # The panel lists windows through zwlr_foreign_toplevel_manager_v1, which the allow-list does not name.
    shm = session.spawn(["weston-simple-shm"])
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    wait_until(lambda: _runs(session.screenshot(), PANEL_HEIGHT // 2, 0, 1280, ACTIVE_TASK_RGB), timeout=15,
               what="the window's taskbar entry")
    session.msg("action", "launcher")
    wait_until(lambda: [s for s in session.msg("layers") if s["namespace"] == "launcher"], what="the launcher")

    shell = _client(session, panel["pid"])
    assert shell["origin"] == "shell" and shell["sandbox"] is None
    assert {"zwlr_foreign_toplevel_manager_v1", "zwp_virtual_keyboard_manager_v1"} <= set(shell["privileged"])
    other = _client(session, shm.pid)
    assert other["origin"] == "connected" and other["executable"] == os.path.realpath(shutil.which("weston-simple-shm")
                                                                                       or "")
    assert "zwlr_foreign_toplevel_manager_v1" not in other["privileged"]
    assert "zwlr_layer_shell_v1" in other["privileged"], "only a sandbox hides the layer shell"


def test_a_program_on_the_allow_list_captures_the_screen(
        runtime_dir: Path, tmp_path: Path, stopped_at_end: list[Session]) -> None:
    require({"grim": "grim", "wtype": "wtype"})
    session = Session(runtime_dir, extra_env=_write_config(tmp_path, _allow("grim")))
    stopped_at_end.append(session)
    shot = tmp_path / "grim.png"
    assert session.run(["grim", str(shot)]).returncode == 0
    assert shot.exists() and Screenshot(shot).width == 1280
    assert WTYPE_REFUSED in session.run(["wtype", "x"]).stderr.decode(), "only what the list names"


def test_with_an_allow_list_only_an_allowed_locker_locks_or_replaces_a_dead_one(
        runtime_dir: Path, tmp_path: Path, stopped_at_end: list[Session]) -> None:
    require({"swaylock": "swaylock", "foot": "foot"})
    env = _write_config(tmp_path, _allow("swaylock"))
    session = Session(runtime_dir, extra_env=env)
    stopped_at_end.append(session)
    home = tmp_path / "home"
    home.mkdir()
    foot_ini = tmp_path / "foot.ini"
    foot_ini.write_text(f"[colors]\nbackground={bytes(FOOT_BG).hex()}\n")
    session.spawn(["foot", "-c", str(foot_ini), "sh"], env={"HOME": str(home)})
    session.wait_for_window("foot", timeout=30)
    wait_until(lambda: FOOT_BG in session.screenshot().region_colours(0, 0, 1280, 800, step=16), what="foot drawn")

    def only(rgb: tuple[int, int, int]) -> bool:
        shot = session.screenshot()
        return shot.region_colours(0, 0, shot.width, shot.height, step=16) == {rgb}

    locker = [sys.executable, "-m", "tests.tools.lock_client", "000000", str(tmp_path / "status"),
              str(tmp_path / "unlock")]
    refused = session.run(locker)
    assert refused.returncode != 0 and "lacks ext_session_lock_manager_v1" in refused.stderr.decode()
    assert FOOT_BG in session.screenshot().region_colours(0, 0, 1280, 800, step=16), "not locked"

    swaylock = session.spawn(["swaylock", "--color", bytes(SWAYLOCK_RGB).hex()], env={"HOME": str(home)})
    wait_until(lambda: only(SWAYLOCK_RGB), timeout=15, what="the allowed swaylock to lock")
    swaylock.send_signal(signal.SIGKILL)
    swaylock.wait()
    wait_until(lambda: not only(SWAYLOCK_RGB), what="the dead locker's surfaces to go")
    # A program the list does not name cannot take the lock over; the desktop stays hidden.
    refused = session.run(locker)
    assert refused.returncode != 0 and "lacks ext_session_lock_manager_v1" in refused.stderr.decode()
    shot = session.screenshot()
    assert FOOT_BG not in shot.region_colours(0, 0, shot.width, shot.height, step=4)
    session.spawn(["swaylock", "--color", bytes(NEW_SWAYLOCK_RGB).hex()], env={"HOME": str(home)})
    wait_until(lambda: only(NEW_SWAYLOCK_RGB), timeout=15, what="an allowed locker to take over")


def test_a_client_through_a_security_context_sees_no_privileged_global(
        runtime_dir: Path, tmp_path: Path, stopped_at_end: list[Session]) -> None:
    require({"wayland-info": "wayland-utils", "wtype": "wtype", "weston-simple-shm": "weston"})
    session = Session(runtime_dir)  # privileged = "all": every unsandboxed client gets everything, as before
    stopped_at_end.append(session)
    plain = _globals(session.run(["wayland-info"]))
    assert plain.keys() >= PRIVILEGED_NOW

    sandbox_socket = runtime_dir / "sandbox-0"
    engine = session.spawn([sys.executable, "-m", "tests.tools.security_context", "listen", str(sandbox_socket),
                            "org.example.sandbox", "org.example.App", "instance-7"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None)
    assert engine.stdout is not None and engine.stdin is not None
    assert engine.stdout.readline() == b"ready\n"
    inside = {"WAYLAND_DISPLAY": sandbox_socket.name}

    seen = _globals(session.run(["wayland-info"], env=inside))
    assert {"wl_compositor", "xdg_wm_base", "wl_seat", "wl_output"} <= seen.keys()
    assert not seen.keys() & (PRIVILEGED_NOW | access.RESTRICTED.keys())
    wtype = session.run(["wtype", "hello"], env=inside)
    assert wtype.returncode != 0 and WTYPE_REFUSED in wtype.stderr.decode()

    # A client that guesses a hidden global's name (they are numbered in order) is refused by libwayland.
    guess = [sys.executable, "-m", "tests.tools.security_context", "bind",
             str(plain["zwp_virtual_keyboard_manager_v1"]), "zwp_virtual_keyboard_manager_v1"]
    guessed = session.run(guess, env=inside)
    assert guessed.stdout == b"refused\n" and "zwp_virtual_keyboard_manager_v1" in guessed.stderr.decode()
    assert session.run(guess).stdout == b"bound\n", "outside the sandbox, that name binds"
    nested = [*guess[:-2], str(plain["wp_security_context_manager_v1"]), "wp_security_context_manager_v1"]
    assert session.run(nested, env=inside).stdout == b"refused\n", "no security context inside one"

    # A sandboxed client shows windows as any other, and `orrery msg clients` says what it is.
    app = session.spawn(["weston-simple-shm"], env=inside)
    session.wait_for_window("org.freedesktop.weston.simple-shm")
    listed = _client(session, app.pid)
    assert listed == {"id": listed["id"], "pid": app.pid,
                      "executable": os.path.realpath(shutil.which("weston-simple-shm") or ""), "origin": "sandboxed",
                      "sandbox": {"engine": "org.example.sandbox", "app_id": "org.example.App",
                                  "instance_id": "instance-7"},
                      "privileged": []}
    maker = _client(session, engine.pid)
    assert maker["origin"] == "connected" and maker["sandbox"] is None
    assert maker["executable"] == os.path.realpath(sys.executable)
    assert set(maker["privileged"]) >= PRIVILEGED_NOW

    # The engine hangs up: no one connects there any more; who is connected stays.
    engine.stdin.close()
    assert engine.stdout.readline() == b"closed\n"
    wait_until(lambda: session.run(["wayland-info"], env=inside).returncode != 0, what="the socket to be closed")
    assert app.poll() is None and _client(session, app.pid)["origin"] == "sandboxed"


def test_a_saved_allow_list_applies_to_programs_that_connect_afterwards_and_a_bad_one_changes_nothing(
        runtime_dir: Path, tmp_path: Path, stopped_at_end: list[Session]) -> None:
    require({"wtype": "wtype"})
    env = _write_config(tmp_path, "")
    path = tmp_path / "config" / "orrery" / "orrery.toml"
    session = Session(runtime_dir, extra_env=env)
    stopped_at_end.append(session)
    assert session.run(["wtype", "a"]).returncode == 0, "privileged = \"all\" by default"

    def save(text: str) -> None:  # as editors do: a new file renamed over the old one
        path.with_name(".orrery.toml.swp").write_text(text)
        os.replace(path.with_name(".orrery.toml.swp"), path)

    save(_allow("swaylock"))
    wait_until(lambda: WTYPE_REFUSED in session.run(["wtype", "a"]).stderr.decode(), what="wtype to be refused")
    save('[security]\nprivileged = ["wtype"]\n')
    error = wait_until(lambda: session.request("config")["error"], what="the error to be reported")
    assert error == (f'{path}:2:15: error: security.privileged[0]: expected an absolute path such as '
                     f'"/usr/bin/wtype", found "wtype"')
    assert WTYPE_REFUSED in session.run(["wtype", "a"]).stderr.decode(), "the settings in force stay"


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ('[security]\nprivileged = "some"\n', 2, 14,
     'security.privileged: expected "all" or a list of executables (absolute paths), found "some"'),
    ('[security]\nprivileged = ["/usr/bin/grim",\n  "wtype"]\n', 3, 3,
     'security.privileged[1]: expected an absolute path such as "/usr/bin/wtype", found "wtype"'),
    ("[security]\nprivileged = [true]\n", 2, 15,
     "security.privileged[0]: expected an executable's absolute path, found true or false"),
    ('[security]\nprivilegd = "all"\n', 2, 1,
     'security.privilegd: unknown key "privilegd" (did you mean "privileged"?)'),
])
def test_bad_security_settings_point_at_their_line_and_column(text: str, line: int, column: int,
                                                              message: str) -> None:
    result = config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))
    assert result.config is None
    assert [str(d) for d in result.diagnostics] == [f"orrery.toml:{line}:{column}: error: {message}"]


def test_the_security_settings_read_back() -> None:
    for text, expected in (("", "all"), ('[security]\nprivileged = "all"\n', "all"),
                           ('[security]\nprivileged = ["/usr/bin/wtype"]\n', ("/usr/bin/wtype",))):
        result = config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))
        assert result.config is not None and result.config.get("security", "privileged") == expected


def test_security_context_misuse_is_refused_with_the_protocols_errors_and_leaks_no_descriptor(
        session: Session) -> None:
    def fds() -> int:
        return len(os.listdir(f"/proc/{session.pid}/fd"))

    def misuse(case: str) -> tuple[str, str]:
        result = session.run([sys.executable, "-m", "tests.tools.security_context", "misuse", case])
        return result.stdout.decode().strip(), result.stderr.decode()

    def watching_its_settings() -> bool:  # orrery.toml is watched from a second after start-up (inotify, a pipe)
        for fd in os.listdir(f"/proc/{session.pid}/fd"):
            with contextlib.suppress(OSError):  # closed meanwhile
                if os.readlink(f"/proc/{session.pid}/fd/{fd}") == "anon_inode:inotify":
                    return True
        return False

    before = 0
    for round_ in range(4):
        if round_ == 1:  # (the first round made what the compositor keeps for any client, such as a keymap)
            wait_until(watching_its_settings, what="the compositor to watch orrery.toml")
            before = fds()
        for case, error in (("not-a-socket", "error 1: listen_fd is not a socket"),
                            ("not-listening", "error 1: listen_fd is not a listening Unix stream socket"),
                            ("twice", "error 2: app_id was set already"),
                            ("after-commit", "error 1: the security context was committed already")):
            said, stderr = misuse(case)
            assert said == "disconnected" and error in stderr, (case, said, stderr)
        assert misuse("withdrawn") == ("ok", "")
    # every descriptor handed over was closed (the committed context's too: its pipe hung up)
    assert wait_until(lambda: fds() <= before, what=f"the compositor's descriptors back to {before}")
