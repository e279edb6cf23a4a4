"""How the compositor tells the shell what is wrong with orrery.toml: a file next to its Wayland socket.

While the compositor's settings file has errors, ``$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY.config-errors`` holds them,
one ``orrery.toml:LINE:COL: key: message`` a line; when the file is good (or the compositor exits) it is removed.
It is replaced atomically (written aside and renamed), so a reader never sees half of it. The panel watches it as
it watches shell.toml and shows the first problem in its problem area. A file, not a socket: a shell client that
starts (or restarts) later sees the problems of now without asking, and the compositor never waits for a reader.
Standard library only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

SUFFIX = "config-errors"


def problems_path(display: str, runtime_dir: str | None = None) -> Path:
    base = runtime_dir or os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return Path(base) / f"{display}.{SUFFIX}"


def publish(path: Path, problems: Iterable[str]) -> None:
    """Write ``problems`` to ``path``, or remove it when there are none. Never raises."""
    lines = [line.replace("\n", " ") for line in problems]
    with contextlib.suppress(OSError):
        if not lines:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return
        aside = path.with_name(f".{path.name}.{os.getpid()}")
        aside.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        os.replace(aside, path)


def read(path: Path) -> tuple[str, ...]:
    """The problems ``path`` holds; none when it does not exist (or cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(line for line in text.splitlines() if line.strip())
