from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Session


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "runtime"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


@pytest.fixture
def session(runtime_dir: Path) -> Iterator[Session]:
    compositor = Session(runtime_dir)
    yield compositor
    code = compositor.stop()
    log = compositor.log_path.read_text(errors="replace")
    assert code == 0, f"compositor exited with {code}:\n{log}"


@pytest.fixture
def stopped_at_end() -> Iterator[list[Session]]:
    """Sessions a test starts itself (with its own config or environment): stopped when it ends, and each must
    have exited cleanly."""
    sessions: list[Session] = []
    yield sessions
    for started in sessions:
        code = started.stop()
        assert code == 0, f"compositor exited with {code}:\n{started.log_text()}"
