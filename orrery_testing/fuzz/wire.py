"""The Wayland wire format, written by hand so that it can also be written wrong.

A message is a header of two 32-bit words — the object id, then ``size << 16 | opcode`` — followed by its
arguments, each a multiple of 4 bytes (native byte order); file descriptors travel beside the bytes as
SCM_RIGHTS ancillary data. libwayland refuses to send a malformed message; :class:`Wire` sends whatever bytes
it is given, so a caller can lie about sizes, ids and fds.
"""

from __future__ import annotations

import array
import os
import socket
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_FDS_PER_MESSAGE = 28  # libwayland's receive side (MAX_FDS_OUT) takes this many per sendmsg
HEADER = struct.Struct("=II")


def fixed(value: float) -> int:
    """A wl_fixed_t (24.8 fixed point) as the signed 32-bit integer that goes on the wire."""
    return max(-(2**31), min(2**31 - 1, int(round(value * 256))))


def pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def encode_string(text: str | bytes | None) -> bytes:
    """A length-prefixed NUL-terminated string, padded; None is the null string (length 0)."""
    if text is None:
        return struct.pack("=I", 0)
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("=I", len(raw) + 1) + pad(raw + b"\0")


def encode_array(data: bytes) -> bytes:
    return struct.pack("=I", len(data)) + pad(data)


def encode_word(value: int) -> bytes:
    """One 32-bit argument: int, uint, fixed, object or new_id (negative values as their two's complement)."""
    return struct.pack("=I", value & 0xFFFFFFFF)


def message(object_id: int, opcode: int, payload: bytes, size: int | None = None) -> bytes:
    """A message with a header that tells the truth about its size unless ``size`` says otherwise (the
    size field has 16 bits: larger values wrap, as a lying client's would)."""
    told = HEADER.size + len(payload) if size is None else size
    return HEADER.pack(object_id & 0xFFFFFFFF, ((told & 0xFFFF) << 16) | (opcode & 0xFFFF)) + payload


@dataclass
class Event:
    """One message from the compositor: the object it is for, its opcode and its argument bytes (fds that come
    along, such as keymaps, are closed on arrival: a fuzzer has no use for them)."""

    object_id: int
    opcode: int
    payload: bytes


class Closed(Exception):
    """The compositor closed the connection (or a write found it gone)."""


class Wire:
    """One client connection to a Wayland socket, as raw bytes both ways."""

    def __init__(self, path: Path, timeout: float = 2.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(str(path))
        except OSError:
            self.sock.close()
            raise
        self._inbox = b""
        self.closed = False

    def send(self, data: bytes, fds: Sequence[int] = ()) -> None:
        """Write ``data`` with ``fds`` attached to its first byte. Closed when the compositor hung up; a write
        that blocks for the socket's timeout (the compositor stopped reading) raises TimeoutError."""
        if self.closed:
            raise Closed("already closed")
        try:
            if fds:
                ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())]
                sent = self.sock.sendmsg([data], ancillary)
                data = data[sent:]
            if data:
                self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as error:
            raise Closed(str(error)) from error  # what the compositor said before hanging up may still be read

    def receive(self, wait: float = 0.0) -> list[Event]:
        """The complete messages that have arrived, waiting up to ``wait`` seconds for the first bytes. Closed
        once the compositor has hung up and every message before that was handed out."""
        if self.closed:
            raise Closed("already closed")
        self.sock.settimeout(wait if wait > 0 else 0.0)
        try:
            while True:
                try:
                    data, ancillary, _flags, _addr = self.sock.recvmsg(65536, socket.CMSG_SPACE(4 * 28))
                except (BlockingIOError, TimeoutError):
                    break
                except ConnectionResetError as error:
                    self.closed = True
                    raise Closed(str(error)) from error
                for level, kind, blob in ancillary:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds = array.array("i")
                        fds.frombytes(blob[: len(blob) - len(blob) % fds.itemsize])
                        for fd in fds:
                            os.close(fd)
                if not data:
                    self.closed = True
                    break
                self._inbox += data
                self.sock.settimeout(0.0)
        finally:
            self.sock.settimeout(2.0)
        events = self._split()
        if self.closed and not events:
            raise Closed("the compositor closed the connection")
        return events

    def _split(self) -> list[Event]:
        events: list[Event] = []
        while len(self._inbox) >= HEADER.size:
            object_id, word = HEADER.unpack_from(self._inbox)
            size = word >> 16
            if size < HEADER.size or len(self._inbox) < size:
                break
            events.append(Event(object_id, word & 0xFFFF, self._inbox[HEADER.size:size]))
            self._inbox = self._inbox[size:]
        return events

    def close(self) -> None:
        self.sock.close()
        self.closed = True
