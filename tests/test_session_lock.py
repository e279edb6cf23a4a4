"""The session lock with real lockers: swaylock covers the screen and takes the keyboard, a killed swaylock leaves
the session locked, and `orrery msg lock` starts a locker that can unlock (our own ``tests.tools.lock_client``:
swaylock wants a password checked by PAM)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Screenshot, Session, wait_until

SWAYLOCK_RGB = (0x99, 0x33, 0x66)
LOCKER_RGB = (0x33, 0x66, 0x99)
FOOT_BG = (0x10, 0x20, 0x40)
WALLPAPER_RGB = (0x00, 0xC0, 0x30)


@pytest.fixture
def locked_desktop(tmp_path: Path) -> Iterator[tuple[Session, Path]]:
    """A compositor whose `lock` starts our locker (its status and unlock files in ``tmp_path``)."""
    for program in ("swaylock", "foot", "wtype", "swaybg"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not installed (make setup installs it)")
    config = tmp_path / "config" / "orrery" / "orrery.toml"
    config.parent.mkdir(parents=True)
    locker = f"{sys.executable} -m tests.tools.lock_client {bytes(LOCKER_RGB).hex()} {tmp_path / 'status'} " \
             f"{tmp_path / 'unlock'}"
    config.write_text(f'[lock]\ncommand = "{locker}"\n[bindings]\n"Super+T" = "spawn touch {tmp_path / "bound"}"\n')
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    session = Session(runtime, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config"),
                                          "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    yield session, tmp_path
    code = session.stop()
    assert code == 0, f"compositor exited with {code}:\n{session.log_text()}"


def _only(shot: Screenshot, rgb: tuple[int, int, int]) -> bool:
    return shot.region_colours(0, 0, shot.width, shot.height, step=16) == {rgb}


SUPER_T = ["wtype", "-M", "logo", "-k", "t", "-m", "logo"]


def _type(session: Session, text: str) -> None:
    assert session.run(["wtype", text]).returncode == 0


def _typed(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def test_swaylock_hides_windows_and_keeps_input_even_when_killed_until_a_new_locker_unlocks(
        locked_desktop: tuple[Session, Path]) -> None:
    session, tmp_path = locked_desktop
    typed = tmp_path / "typed.txt"
    home = tmp_path / "home"
    home.mkdir()
    foot_ini = tmp_path / "foot.ini"
    foot_ini.write_text(f"[colors]\nbackground={bytes(FOOT_BG).hex()}\n")
    session.spawn(["swaybg", "--color", "#" + bytes(WALLPAPER_RGB).hex()])  # a layer surface under the windows
    wait_until(lambda: session.screenshot().pixel(2, 2) == WALLPAPER_RGB, timeout=15, what="the wallpaper")
    # A terminal whose shell writes each line typed into it to a file.
    session.spawn(["foot", "-c", str(foot_ini), "sh", "-c", f"cat > {typed}"], env={"HOME": str(home)})
    window = session.wait_for_window("foot", timeout=30)
    _type(session, "before\n")
    wait_until(lambda: _typed(typed) == "before\n", timeout=10, what="foot to get the keys")
    assert FOOT_BG in session.screenshot().region_colours(window["x"], window["y"], window["width"], window["height"])

    swaylock = session.spawn(["swaylock", "--color", bytes(SWAYLOCK_RGB).hex()], env={"HOME": str(home)})
    wait_until(lambda: _only(session.screenshot(), SWAYLOCK_RGB), timeout=15, what="swaylock to cover the screen")
    _type(session, "secret\n")
    assert session.run(SUPER_T).returncode == 0  # a binding: not while locked
    session.msg("pointer", "move", str(window["x"] + 50), str(window["y"] + 50))
    session.msg("pointer", "button", "left", "press")
    session.msg("pointer", "button", "left", "release")
    assert session.msg("seat")["focus"] is None, "the pointer is over swaylock, not the window"
    shot = session.screenshot()  # swaylock shows its ring now (keys were typed): the rest is its colour
    assert FOOT_BG not in shot.region_colours(0, 0, shot.width, shot.height), "nothing of the window shows"
    assert shot.region_colours(window["x"], window["y"], 100, 100) == {SWAYLOCK_RGB}

    swaylock.send_signal(signal.SIGKILL)
    swaylock.wait(timeout=10)
    wait_until(lambda: SWAYLOCK_RGB not in session.screenshot().region_colours(0, 0, 1280, 800, step=16),
               timeout=10, what="swaylock's picture to go")
    shot = session.screenshot()
    corner = shot.pixel(2, 2)
    assert not {FOOT_BG, WALLPAPER_RGB} & shot.region_colours(0, 0, shot.width, shot.height, step=4), \
        "no window or layer surface shows"
    assert corner != SWAYLOCK_RGB and shot.region_colours(0, 0, 200, 200) == {corner}, "the theme's colour"
    assert len(shot.region_colours(shot.width // 4, shot.height // 3, shot.width // 2, shot.height // 3, 1)) > 5, \
        "a notice says how to start a new locker"
    _type(session, "after\n")
    assert session.msg("windows")[0]["title"] == window["title"]
    assert _typed(typed) == "before\n", "keys typed while locked reach no window"
    assert not (tmp_path / "bound").exists(), "no binding runs while locked"

    answer = session.msg("lock")
    assert answer["locked"] is True and answer["locker"].startswith("started ")
    status = tmp_path / "status"
    wait_until(lambda: _typed(status) == "locked\n", timeout=15, what="the new locker to get the lock")
    wait_until(lambda: _only(session.screenshot(), LOCKER_RGB), timeout=10, what="the new locker to show")
    (tmp_path / "unlock").touch()
    wait_until(lambda: _typed(status) == "locked\nunlocked\n", timeout=10, what="the locker to unlock")
    wait_until(lambda: FOOT_BG in session.screenshot().region_colours(window["x"], window["y"], window["width"],
                                                                       window["height"]),
               timeout=10, what="the desktop to show again")
    _type(session, "again\n")
    wait_until(lambda: _typed(typed) == "before\nagain\n", timeout=10, what="foot to get the keys again")
    assert session.run(SUPER_T).returncode == 0
    wait_until((tmp_path / "bound").exists, timeout=10, what="the binding to run once unlocked")


def test_the_lock_action_starts_the_locker_and_a_second_locker_is_refused(
        locked_desktop: tuple[Session, Path]) -> None:
    session, tmp_path = locked_desktop
    status = tmp_path / "status"
    session.msg("action", "lock")
    wait_until(lambda: _typed(status) == "locked\n", timeout=15, what="the locker to lock")
    assert session.msg("lock")["locker"] == "locked by a running locker already"
    second = subprocess.run([sys.executable, "-m", "tests.tools.lock_client", "000000", str(tmp_path / "second"),
                             str(tmp_path / "never")], env=session.client_env, cwd=Path(__file__).parents[1],
                            timeout=20, capture_output=True)
    assert second.returncode == 1 and _typed(tmp_path / "second") == "finished\n"
    assert _only(session.screenshot(), LOCKER_RGB)
    session.msg("output", "mode", "HEADLESS-1", "1920x1080")  # the lock surface grows with the output
    wait_until(lambda: (shot := session.screenshot()).width == 1920 and _only(shot, LOCKER_RGB), timeout=10,
               what="the locker to cover the resized output")
    (tmp_path / "unlock").touch()
    wait_until(lambda: not _only(session.screenshot(), LOCKER_RGB), timeout=10, what="the unlock")


@pytest.mark.parametrize(("case", "error"), [
    ("unlock-early", "never locked"),
    ("destroy-locked", "use unlock_and_destroy"),
    ("twice", "already has a lock surface"),
])
def test_lock_protocol_misuse_is_a_protocol_error_and_never_unlocks(session: Session, case: str, error: str) -> None:
    result = session.run([sys.executable, "-m", "tests.tools.lock_client", "misuse", case])
    assert "disconnected" in result.stdout.decode(), result.stderr.decode()
    assert error in result.stderr.decode()
    assert session.alive()
    if case == "destroy-locked":  # it had the lock and died holding it: the session stays locked
        shot = session.screenshot()
        assert len(shot.region_colours(shot.width // 4, shot.height // 3, shot.width // 2, shot.height // 3, 1)) > 5


def test_an_output_without_a_lock_surface_shows_no_window(runtime_dir: Path, tmp_path: Path) -> None:
    """What a monitor plugged in while locked shows until the locker covers it: the theme's colour."""
    session = Session(runtime_dir, outputs=("640x480", "640x480"))
    try:
        session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "ff0000", "red"])
        window = session.wait_for_window("red")
        session.msg("window", "move", str(window["id"]), "700", "100")
        wait_until(lambda: session.screenshot().pixel(710, 110) == (255, 0, 0), timeout=10, what="the window")
        status = tmp_path / "status"
        session.spawn([sys.executable, "-m", "tests.tools.lock_client", bytes(LOCKER_RGB).hex(), str(status),
                       str(tmp_path / "unlock"), "first-only"])
        wait_until(lambda: _typed(status) == "locked\n", timeout=15, what="the locker to lock")
        wait_until(lambda: session.screenshot().region_colours(0, 0, 640, 480) == {LOCKER_RGB}, timeout=10,
                   what="the locker to cover the first output")
        second = session.screenshot().region_colours(640, 0, 640, 480)
        assert len(second) == 1 and (255, 0, 0) not in second and LOCKER_RGB not in second
        (tmp_path / "unlock").touch()
        wait_until(lambda: session.screenshot().pixel(710, 110) == (255, 0, 0), timeout=10, what="the unlock")
    finally:
        code = session.stop()
    assert code == 0, session.log_text()


def test_a_monitor_plugged_in_while_locked_gets_a_lock_surface(runtime_dir: Path, tmp_path: Path) -> None:
    """The locker is told of the new output and covers it; the session stays locked meanwhile."""
    session = Session(runtime_dir, outputs=("640x480",))
    try:
        session.spawn([sys.executable, "-m", "tests.tools.opaque_window", "solid", "ff0000", "red"])
        session.wait_for_window("red")
        status = tmp_path / "status"
        session.spawn([sys.executable, "-m", "tests.tools.lock_client", bytes(LOCKER_RGB).hex(), str(status),
                       str(tmp_path / "unlock")])
        wait_until(lambda: _typed(status) == "locked\n", timeout=15, what="the locker to lock")
        added = session.msg("output", "add", "640x480")
        area = (added["x"], added["y"], added["width"], added["height"])
        wait_until(lambda: session.screenshot().region_colours(*area) == {LOCKER_RGB}, timeout=10,
                   what="the locker to cover the monitor plugged in")
        assert (255, 0, 0) not in session.screenshot().region_colours(0, 0, 1280, 480), "still locked"
        (tmp_path / "unlock").touch()
        wait_until(lambda: (255, 0, 0) in session.screenshot().region_colours(0, 0, 1280, 480), timeout=10,
                   what="the unlock")
    finally:
        code = session.stop()
    assert code == 0, session.log_text()
