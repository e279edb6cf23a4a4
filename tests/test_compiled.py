"""The compiled hot path (compositor/compiled.py) and its pure-Python fallback run the same desktop: weston-simple-shm
on screen from the checkout, whose hot modules are mypyc's extension modules (`make setup` builds them), and from a
copy of the tracked sources alone, where they are the .py files."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from compositor.compiled import MODULES
from orrery_testing.process import ROOT, CompositorProcess, RuntimeDir, orrery_argv
from tests.harness import Session, require

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
HOT = [path.removesuffix(".py").replace("/", ".") for path in MODULES]
PACKAGES = ["compositor", "protocols", "themes", "widgets", "shell"]  # what `orrery run` may import


class PureSession(Session):
    """``orrery run`` from ``copy``: PYTHONPATH names it, and ``-P`` keeps the checkout (the working directory of
    every process the harness starts) off the module path."""

    def __init__(self, runtime_dir: Path, copy: Path) -> None:
        runtime = RuntimeDir("orrery-test", runtime_dir, {"PYTHONPATH": str(copy)})
        argv = orrery_argv(runtime.name)
        CompositorProcess.__init__(self, [argv[0], "-P", *argv[1:]], runtime, timeout=60)


def loaded_extensions(pid: int) -> set[str]:
    """The extension modules of the compositor's package that the process has mapped."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {line.split()[-1] for line in maps.splitlines() if line.endswith(SUFFIX) and "/compositor/" in line}


def shows_simple_shm(session: Session) -> None:
    """What a user sees of weston-simple-shm: its window, its white border and its colourful pattern."""
    require({"weston-simple-shm": "weston"})
    session.spawn(["weston-simple-shm"])
    window = session.wait_for_window("org.freedesktop.weston.simple-shm")
    assert (window["width"], window["height"]) == (250, 250)
    shot = session.screenshot()
    background = shot.pixel(5, 5)
    assert len(shot.region_colours(window["x"] + 30, window["y"] + 30, 190, 190)) > 20, "simple-shm's pattern"
    assert shot.pixel(window["x"] + 5, window["y"] + 5) == (255, 255, 255)  # its white border
    assert shot.pixel(window["x"] - 3, window["y"] - 3) == background


@pytest.fixture
def pure_copy(tmp_path: Path) -> Path:
    """The packages' tracked files, copied: no extension module comes along."""
    copy = tmp_path / "pure"
    listed = subprocess.run(["git", "ls-files", "-z", *PACKAGES], cwd=ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    return copy


def test_the_checkout_runs_the_compiled_hot_path(runtime_dir: Path, stopped_at_end: list[Session]) -> None:
    missing = [name for name in HOT if not str(importlib.import_module(name).__file__).endswith(SUFFIX)]
    if missing:
        pytest.fail(f"compiled modules missing ({', '.join(missing)}): run make setup", pytrace=False)
    stale = [path for path in MODULES
             if os.path.getmtime(ROOT / path) > os.path.getmtime(ROOT / (path.removesuffix(".py") + SUFFIX))]
    if stale:
        pytest.fail(f"compiled modules older than their sources ({', '.join(stale)}): run make setup", pytrace=False)
    session = Session(runtime_dir)
    stopped_at_end.append(session)
    shows_simple_shm(session)
    expected = {str(ROOT / (path.removesuffix(".py") + SUFFIX)) for path in MODULES}
    assert expected <= loaded_extensions(session.pid), "the compositor runs the compiled modules"


def test_a_copy_without_the_compiled_modules_runs_the_same(runtime_dir: Path, pure_copy: Path,
                                                           stopped_at_end: list[Session]) -> None:
    show_files = f"import importlib; print(*(importlib.import_module(m).__file__ for m in {HOT!r}))"
    where = subprocess.run([sys.executable, "-P", "-c", show_files], env={**os.environ, "PYTHONPATH": str(pure_copy)},
                           capture_output=True, text=True, check=True)
    assert where.stdout.split() == [str(pure_copy / path) for path in MODULES]
    session = PureSession(runtime_dir, pure_copy)
    stopped_at_end.append(session)
    shows_simple_shm(session)
    assert loaded_extensions(session.pid) == set(), "the copy runs as plain Python"
