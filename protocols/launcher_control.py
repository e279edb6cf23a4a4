"""How the launcher is opened from outside: a Unix socket per compositor, ``toggle`` / ``show`` / ``hide``.

The launcher listens on ``$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY.launcher``; the compositor (a Super tap, the
``launcher`` action) and the panel's button send one line to it. A protocol between Orrery's parts, so it lives
with the others, not in the shell or the compositor. Standard library only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

log = logging.getLogger(__name__)
COMMANDS = ("toggle", "show", "hide")


def socket_path(display: str, runtime_dir: str | None = None) -> Path:
    base = runtime_dir or os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return Path(base) / f"{display}.launcher"  # short: a Unix socket path has at most 107 bytes


def send(display: str, command: str = "toggle", runtime_dir: str | None = None) -> bool:
    """Tell the launcher of compositor ``display`` to ``command``; False if no launcher listens. Never blocks."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.setblocking(False)
        try:
            sock.connect(str(socket_path(display, runtime_dir)))
            sock.send(f"{command}\n".encode())
        except OSError:
            return False
    return True


async def commands(path: Path) -> AsyncIterator[str]:
    """The commands sent to ``path`` (listening there until the iterator is closed)."""
    queue: asyncio.Queue[str] = asyncio.Queue()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ValueError):
            line = (await asyncio.wait_for(reader.readline(), 2.0)).decode().strip()
            if line in COMMANDS:
                queue.put_nowait(line)
        writer.close()

    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    try:
        server = await asyncio.start_unix_server(client, str(path))
    except OSError as error:
        log.error("cannot listen on %s: %s", path, error)
        raise
    try:
        while True:
            yield await queue.get()
    finally:
        server.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
