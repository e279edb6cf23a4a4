"""A Wayland client that keeps only the books a fuzzer needs: which object ids exist with which interface, the
globals on offer, the last configure serial, and whether the compositor has cut it off (and why).

    client = Client(socket_path, protocols, budget=500)
    client.start()                                        # wl_registry, and a roundtrip for its globals
    seat = client.bind("wl_seat")
    client.request(seat, "get_pointer", client.new_id())  # by name, arguments as wire values
    client.send_raw(wire.message(seat, 99, b""))          # or any bytes at all

Every request counts against ``budget``; the one over it raises :class:`OutOfBudget`, which is how a step of the
fuzzer is cut short (a reproducer shrinks to the shortest prefix of a step that still breaks the compositor).
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import wire
from .protocol import Message, Protocols

DISPLAY_ID = 1
SERVER_IDS = 0xFF000000  # ids from here on are the compositor's


class OutOfBudget(Exception):
    """The step has sent as many requests as it may."""


class Disconnected(Exception):
    """The compositor closed this client's connection (``error`` has the protocol error, if it sent one)."""


@dataclass
class Obj:
    interface: str
    version: int


@dataclass(frozen=True)
class Global:
    name: int
    interface: str
    version: int


class Client:
    def __init__(self, path: Path, protocols: Protocols, budget: int = 1_000_000) -> None:
        self.protocols = protocols
        self.wire = wire.Wire(path)
        self.objects: dict[int, Obj] = {DISPLAY_ID: Obj("wl_display", 1)}
        self.globals: dict[int, Global] = {}
        self.serials: dict[int, int] = {}  # object id -> the last serial a configure-like event carried
        self.error: str | None = None  # the protocol error the compositor sent, "interface#id code: text"
        self.sent = 0
        self.budget = budget
        self._next_id = 2
        self._pending_syncs: set[int] = set()

    # -- objects ---------------------------------------------------------------------------------------------------
    def new_id(self) -> int:
        """The next unused client id (ids are never reused: libwayland accepts the next free slot or one more)."""
        value = self._next_id
        self._next_id += 1
        return value

    def of(self, interface: str) -> list[int]:
        """The live objects of ``interface``."""
        return [oid for oid, obj in self.objects.items() if obj.interface == interface]

    def interface_of(self, oid: int) -> str | None:
        obj = self.objects.get(oid)
        return obj.interface if obj else None

    # -- sending ---------------------------------------------------------------------------------------------------
    def _spend(self) -> None:
        if self.wire.closed:
            raise Disconnected(self.error or "connection closed")
        if self.sent >= self.budget:
            raise OutOfBudget
        self.sent += 1

    def send_raw(self, data: bytes, fds: Sequence[int] = ()) -> None:
        """Any bytes, as one request of the budget."""
        self._spend()
        self._write(data, fds)

    def _write(self, data: bytes, fds: Sequence[int]) -> None:
        try:
            self.wire.send(data, fds)
        except wire.Closed as error:
            self._drain_after_close()
            raise Disconnected(self.error or str(error)) from error

    def request(self, oid: int, name: str, *values: object, fds: Sequence[int] = (),
                interface: str | None = None) -> None:
        """Request ``name`` of object ``oid`` (of ``interface``, by default the one it has), with ``values`` for
        its arguments other than fds: ints for words (object ids, new ids), str/bytes/None for strings, bytes for
        arrays, and for an untyped new_id the three values (interface name, version, id). ``fds`` go along."""
        kind = interface or self.interface_of(oid)
        if kind is None:
            raise KeyError(f"no object {oid}")
        message = self.protocols[kind].request(name)
        self.send(oid, message, list(values), fds, kind)

    def send(self, oid: int, message: Message, values: list[object], fds: Sequence[int] = (),
             interface: str | None = None) -> None:
        """``message`` on ``oid`` with ``values`` (as :meth:`request`), and the objects it creates or destroys
        entered in the books."""
        self._spend()
        payload = bytearray()
        created: list[tuple[int, str, int]] = []
        queue = list(values)
        owner = self.objects.get(oid)
        for arg in message.args:
            if arg.type == "fd":
                continue
            value = queue.pop(0)
            if arg.type == "new_id" and arg.interface is None:
                kind, version, new = str(value), _int(queue.pop(0)), _int(queue.pop(0))
                payload += wire.encode_string(kind) + wire.encode_word(version) + wire.encode_word(new)
                created.append((new, kind, version))
            elif arg.type == "string":
                payload += wire.encode_string(_text(value))
            elif arg.type == "array":
                payload += wire.encode_array(_bytes(value))
            else:
                payload += wire.encode_word(_int(value))
                if arg.type == "new_id" and arg.interface:
                    created.append((_int(value), arg.interface, owner.version if owner else 1))
        for new, kind, version in created:
            self.objects[new] = Obj(kind, version)
        if message.destructor:
            self.objects.pop(oid, None)
        self._write(wire.message(oid, message.opcode, bytes(payload)), fds)

    # -- receiving -------------------------------------------------------------------------------------------------
    def start(self) -> int:
        """Ask for the registry and wait for its globals; the registry's id."""
        registry = self.new_id()
        self.request(DISPLAY_ID, "get_registry", registry)
        self.roundtrip()
        return registry

    def bind(self, interface: str, version: int | None = None) -> int:
        """Bind the first global of ``interface`` (at its version, or ``version``); its new object id."""
        found = next(g for g in self.globals.values() if g.interface == interface)
        return self.bind_global(found, version or found.version)

    def bind_global(self, found: Global, version: int) -> int:
        registry = next(oid for oid, obj in self.objects.items() if obj.interface == "wl_registry")
        new = self.new_id()
        self.request(registry, "bind", found.name, found.interface, version, new)
        return new

    def roundtrip(self, timeout: float = 2.0) -> bool:
        """wl_display.sync and read until it is done: whether it was within ``timeout`` seconds. Disconnected if
        the compositor cuts us off meanwhile. Not counted against the budget."""
        callback = self.new_id()
        self.objects[callback] = Obj("wl_callback", 1)
        self._pending_syncs.add(callback)
        payload = wire.encode_word(callback)
        self._write(wire.message(DISPLAY_ID, 0, payload), ())
        deadline = time.monotonic() + timeout
        while callback in self._pending_syncs:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.pump(min(left, 0.1))
        return True

    def pump(self, wait: float = 0.0) -> None:
        """Handle the events that have arrived (waiting up to ``wait`` seconds). Disconnected once the
        compositor has closed the connection."""
        try:
            events = self.wire.receive(wait)
        except wire.Closed as error:
            raise Disconnected(self.error or str(error)) from error
        for event in events:
            self._handle(event)

    def _drain_after_close(self) -> None:
        """After a failed write, read what the compositor said before hanging up (its protocol error)."""
        try:
            for event in self.wire.receive(0.2):
                self._handle(event)
        except wire.Closed:
            pass
        self.wire.closed = True

    def _handle(self, event: wire.Event) -> None:
        obj = self.objects.get(event.object_id)
        if obj is None:
            return  # an event for an object we destroyed meanwhile: libwayland would drop it too
        interface = self.protocols.get(obj.interface)
        if interface is None or event.opcode >= len(interface.events):
            return
        message = interface.events[event.opcode]
        values = _decode(message, event.payload)
        if values is None:
            return
        for arg, value in zip(message.args, values, strict=False):
            if arg.type == "new_id" and arg.interface and isinstance(value, int):
                self.objects[value] = Obj(arg.interface, obj.version)
        self._react(event.object_id, obj, message.name, values)

    def _react(self, oid: int, obj: Obj, name: str, values: list[object]) -> None:
        kind = obj.interface
        if kind == "wl_display" and name == "error":
            target, code, text = values
            what = self.objects.get(int(target)) if isinstance(target, int) else None
            self.error = f"{what.interface if what else '?'}#{target} error {code}: {text!r}"
        elif kind == "wl_display" and name == "delete_id":
            self.objects.pop(_int(values[0]), None)
            self._pending_syncs.discard(_int(values[0]))
        elif kind == "wl_registry" and name == "global":
            self.globals[_int(values[0])] = Global(_int(values[0]), str(values[1]), _int(values[2]))
        elif kind == "wl_registry" and name == "global_remove":
            self.globals.pop(_int(values[0]), None)
        elif kind == "wl_callback" and name == "done":
            self._pending_syncs.discard(oid)
        elif name == "ping" and kind in ("xdg_wm_base", "wl_shell_surface"):
            if self.wire.closed:
                return
            message = self.protocols[kind].request("pong")
            self._write(wire.message(oid, message.opcode, wire.encode_word(_int(values[0]))), ())
        elif name == "configure" and kind in ("xdg_surface", "zwlr_layer_surface_v1", "ext_session_lock_surface_v1"):
            self.serials[oid] = _int(values[0])

    def close(self) -> None:
        self.wire.close()


def _decode(message: Message, payload: bytes) -> list[object] | None:
    """The argument values of an event (fds left out: they travel beside the bytes); None if it is malformed."""
    values: list[object] = []
    offset = 0
    try:
        for arg in message.args:
            if arg.type == "fd":
                continue
            if arg.type in ("string", "array"):
                (length,) = struct.unpack_from("=I", payload, offset)
                raw = payload[offset + 4: offset + 4 + length]
                offset += 4 + length + (-length % 4)
                values.append(raw[:-1].decode(errors="replace") if arg.type == "string" and raw else raw)
            else:
                (word,) = struct.unpack_from("=i" if arg.type in ("int", "fixed") else "=I", payload, offset)
                offset += 4
                values.append(word)
    except struct.error:
        return None
    return values


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an int, got {value!r}")
    return value


def _text(value: object) -> str | bytes | None:
    if value is not None and not isinstance(value, str | bytes):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _bytes(value: object) -> bytes:
    if not isinstance(value, bytes | bytearray):
        raise TypeError(f"expected bytes, got {value!r}")
    return bytes(value)


def close_fds(fds: Sequence[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
