"""Waiting for a file to change without waking up for nothing: Linux inotify on the loop, no thread.

    async for _ in maybe_changed(path, interval=0.25):   # the file may have changed: look at it
        ...

inotify watches the directory the file is in (so a save that writes a temporary file and renames it over the
file is seen, and so is a file that appears), or, while that directory does not exist, its nearest existing
ancestor, moving down as directories are made. When the path is a symbolic link, the directory of what it points to
is watched too. Where inotify is not available this polls every ``interval`` seconds, as a fallback only.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import struct
from collections.abc import AsyncIterator
from pathlib import Path

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED = 0x400, 0x800, 0x8000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF)
HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)


def _directories(path: Path) -> set[Path]:
    """What to watch for ``path``: the nearest existing directory on the way to it, and to what a link names."""
    wanted = set()
    for target in {path, path.resolve()} if path.is_symlink() else {path}:
        directory = target.parent
        while not directory.is_dir() and directory != directory.parent:
            directory = directory.parent
        wanted.add(directory)
    return wanted


class _Inotify:
    def __init__(self) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.watches: dict[int, Path] = {}

    def watch(self, directories: set[Path]) -> None:
        """Watch exactly ``directories``."""
        for wd, directory in list(self.watches.items()):
            if directory not in directories:
                del self.watches[wd]  # before its IN_IGNORED arrives: not taken for a directory that went away
                self.libc.inotify_rm_watch(self.fd, wd)
        for directory in directories - set(self.watches.values()):
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(directory), MASK)
            if wd >= 0:
                self.watches[wd] = directory

    def read(self) -> None:
        """Take the pending events; forget the watches the kernel ended (their directory was removed)."""
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            offset = 0
            while offset + HEADER.size <= len(data):
                wd, mask, _cookie, length = HEADER.unpack_from(data, offset)
                offset += HEADER.size + length
                if mask & IN_IGNORED:
                    self.watches.pop(wd, None)

    def close(self) -> None:
        os.close(self.fd)


async def maybe_changed(path: Path, interval: float) -> AsyncIterator[None]:
    """Yields after anything happened that may have changed ``path`` (or every ``interval`` seconds without
    inotify); never ends."""
    try:
        inotify = _Inotify()
    except (OSError, AttributeError):  # not Linux, or no inotify instances left
        while True:
            await asyncio.sleep(interval)
            yield None
    loop = asyncio.get_running_loop()
    woken = asyncio.Event()
    loop.add_reader(inotify.fd, woken.set)
    try:
        while True:
            inotify.watch(_directories(path))
            await woken.wait()
            woken.clear()
            await asyncio.sleep(0.01)  # a save is a burst of events: take them together
            inotify.read()
            yield None
    finally:
        loop.remove_reader(inotify.fd)
        inotify.close()
