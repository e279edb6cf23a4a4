"""How shell clients are told what to do from outside: a Unix socket per client and compositor, one line each.

The launcher listens on ``$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY.launcher`` (``toggle`` / ``show`` / ``hide``: a Super
tap, the ``launcher`` action and the panel's button), the window switcher on ``$WAYLAND_DISPLAY.switcher``
(``next`` / ``prev`` / ``hide``: the ``switcher`` action, with the name of the output it is for after a space).
A protocol between Orrery's parts, so it lives with the others, not in the shell or the compositor.
Standard library only.
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
COMMANDS: dict[str, tuple[str, ...]] = {
    "launcher": ("toggle", "show", "hide"),
    "switcher": ("next", "prev", "hide"),
}


def socket_path(display: str, client: str, runtime_dir: str | None = None) -> Path:
    base = runtime_dir or os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return Path(base) / f"{display}.{client}"  # short: a Unix socket path has at most 107 bytes


def send(display: str, client: str, command: str, runtime_dir: str | None = None) -> bool:
    """Tell ``client`` of compositor ``display`` to ``command``; False if it does not listen. Never blocks."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.setblocking(False)
        try:
            sock.connect(str(socket_path(display, client, runtime_dir)))
            sock.send(f"{command}\n".encode())
        except OSError:
            return False
    return True


async def commands(path: Path, accepted: tuple[str, ...]) -> AsyncIterator[str]:
    """The lines sent to ``path`` whose first word is one of ``accepted`` (listening there until the iterator is
    closed), in order."""
    queue: asyncio.Queue[str] = asyncio.Queue()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ValueError):
            line = (await asyncio.wait_for(reader.readline(), 2.0)).decode().strip()
            if line.split(" ", 1)[0] in accepted:
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
