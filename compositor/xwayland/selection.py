"""The clipboard between X11 and Wayland: X ``CLIPBOARD`` ↔ the Wayland selection, X ``PRIMARY`` ↔ the primary
selection.

X → Wayland: XFixes tells us when an X client takes a selection; we ask it for ``TARGETS`` and set a source of
ours, listing the MIME types those name, as the Wayland selection. A Wayland client that receives from it gets
the bytes of a ``ConvertSelection`` (INCR transfers included) written to its pipe.

Wayland → X: when a Wayland client sets the selection, our window owns the X selection; an X client's
``SelectionRequest`` is answered with ``TARGETS`` at once, or with the data read from the Wayland source's pipe
(more than :data:`INCR_CHUNK` bytes in INCR chunks, each when the requestor has deleted the previous one).

Pipes are read and written from the compositor's loop (non-blocking), never waited on.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import xcffib
import xcffib.xfixes
import xcffib.xproto as xp

from ..selection import Selection, Source

if TYPE_CHECKING:
    from .wm import XWindowManager

log = logging.getLogger(__name__)

TEXT_MIME = "text/plain;charset=utf-8"
TEXT_TARGETS = {"UTF8_STRING": TEXT_MIME, "STRING": "text/plain", "TEXT": "text/plain",
                "text/plain;charset=utf-8": TEXT_MIME}
MAX_DATA = 64 << 20  # what one transfer may carry; more is cut off
INCR_CHUNK = 256 << 10  # larger data goes to an X requestor in chunks of this size (ICCCM INCR)


def mime_types(targets: list[str]) -> list[str]:
    """The MIME types a Wayland client is offered for what an X owner lists in TARGETS."""
    found: list[str] = []
    for target in targets:
        mime = TEXT_TARGETS.get(target) or (target if "/" in target else None)
        if mime is not None and mime not in found:
            found.append(mime)
    if TEXT_MIME in found:
        for extra in ("text/plain", "UTF8_STRING", "TEXT", "STRING"):
            if extra not in found:
                found.append(extra)
    return found


def target_for(mime: str) -> str:
    """The X target to ask an X owner for when a Wayland client wants ``mime``."""
    if mime in (TEXT_MIME, "text/plain", "UTF8_STRING", "TEXT", "STRING") or mime.startswith("text/plain;"):
        return "UTF8_STRING"
    return mime


class XSource(Source):
    """A Wayland selection source whose data an X client holds (while ``alive``)."""

    def __init__(self, bridge: SelectionBridge, kind: str, types: list[str]) -> None:
        super().__init__()
        self.bridge, self.kind = bridge, kind
        self.mime_types = types
        self.owned = True

    @property
    def alive(self) -> bool:
        return self.owned

    def send(self, mime_type: str, fd: int) -> None:
        self.bridge.convert(self.kind, mime_type, os.dup(fd))

    def cancel(self) -> None:
        self.owned = False  # a Wayland client took the selection over


@dataclass
class Transfer:
    """One conversion from an X owner into a Wayland client's pipe."""

    kind: str
    target: str
    fd: int
    incr: bool = False
    buffer: bytearray = field(default_factory=bytearray)
    done: bool = False  # no more data will come from X


class SelectionBridge:
    def __init__(self, xwm: XWindowManager) -> None:
        self.xwm = xwm
        self.conn, self.core, self.atom = xwm.conn, xwm.core, xwm.atom
        self.loop = xwm.loop
        compositor = xwm.compositor
        self.selections: dict[str, Selection] = {"CLIPBOARD": compositor.data_devices.selection,
                                                 "PRIMARY": compositor.primary_selection}
        self.window = self.conn.generate_id()
        self.core.CreateWindow(0, self.window, xwm.root, -10, -10, 1, 1, 0, xp.WindowClass.InputOutput,
                               xwm.root_visual, xp.CW.EventMask, [xp.EventMask.PropertyChange])
        self.xfixes = self.conn(xcffib.xfixes.key)
        self.xfixes.QueryVersion(5, 0).reply()
        mask = (xcffib.xfixes.SelectionEventMask.SetSelectionOwner
                | xcffib.xfixes.SelectionEventMask.SelectionWindowDestroy
                | xcffib.xfixes.SelectionEventMask.SelectionClientClose)
        for kind in self.selections:
            self.xfixes.SelectSelectionInput(self.window, self.atom[kind], mask)
        self.sources: dict[str, XSource | None] = {kind: None for kind in self.selections}
        self.owned: dict[str, bool] = {kind: False for kind in self.selections}
        self.queue: deque[Transfer] = deque()  # one conversion at a time: they share our property
        self.current: Transfer | None = None
        self.writing: dict[int, bytearray] = {}
        self.outgoing: dict[tuple[int, int], tuple[int, memoryview]] = {}  # (requestor, property) → (type, rest)
        self.listeners = [(selection, self._wayland_changed_for(kind)) for kind, selection in self.selections.items()]
        for selection, listener in self.listeners:
            selection.listeners.append(listener)
        for kind in self.selections:
            self._wayland_changed(kind)

    def destroy(self) -> None:
        for selection, listener in self.listeners:
            if listener in selection.listeners:
                selection.listeners.remove(listener)
        for kind, source in self.sources.items():
            if source is not None and self.selections[kind].source is source:
                source.owned = False
                self.selections[kind].set_source(None, self.xwm.compositor.display.next_serial())
        for transfer in [*self.queue, *([self.current] if self.current else [])]:
            self._finish_writing(transfer.fd, transfer.buffer, close_only=True)
        self.queue.clear()
        self.current = None

    # -- Wayland → X ---------------------------------------------------------------------------------
    def _wayland_changed_for(self, kind: str) -> Any:
        return lambda _source: self._wayland_changed(kind)

    def _wayland_changed(self, kind: str) -> None:
        source = self.selections[kind].source
        if source is None or isinstance(source, XSource) or self.xwm.destroyed:
            return
        self.owned[kind] = True
        self.core.SetSelectionOwner(self.window, self.atom[kind], xp.Time.CurrentTime)
        self.xwm.flush()

    def on_SelectionRequestEvent(self, event: Any) -> None:
        kind = self.xwm.names.get(event.selection)
        source = self.selections[kind].source if kind in self.selections else None
        prop = event.property or event.target
        target = self.xwm.atom_name(event.target)
        if source is None or isinstance(source, XSource) or not source.alive:
            self._notify(event, 0)
            return
        if target == "TARGETS":
            names = ["TARGETS", "TIMESTAMP"]
            for mime in source.mime_types:
                names.append(mime)
                if mime.startswith("text/plain"):
                    names += ["UTF8_STRING", "STRING", "TEXT"]
            atoms = [self._intern(name) for name in dict.fromkeys(names)]
            self.xwm.set_cardinals_raw(event.requestor, prop, xp.Atom.ATOM, atoms)
            self._notify(event, prop)
            return
        if target == "TIMESTAMP":
            self.xwm.set_cardinals_raw(event.requestor, prop, xp.Atom.INTEGER, [0])
            self._notify(event, prop)
            return
        wanted = TEXT_TARGETS.get(target, target)
        chosen = wanted if wanted in source.mime_types else next(
            (m for m in source.mime_types if wanted.startswith("text/plain") and m.startswith("text/plain")), None)
        if chosen is None:
            self._notify(event, 0)
            return
        read_fd, write_fd = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        try:
            source.send(chosen, write_fd)
        finally:
            os.close(write_fd)
        self.xwm.compositor.display.schedule_flush()
        data = bytearray()

        def readable() -> None:
            try:
                chunk = os.read(read_fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if chunk and len(data) < MAX_DATA:
                data.extend(chunk)
                return
            self.loop.remove_reader(read_fd)
            os.close(read_fd)
            if self.xwm.destroyed:
                return
            if len(data) > INCR_CHUNK:  # ICCCM INCR: the size first, then a chunk each time the requestor deletes
                if event.requestor not in self.xwm.windows:
                    self.core.ChangeWindowAttributes(event.requestor, xp.CW.EventMask, [xp.EventMask.PropertyChange])
                self.outgoing[(event.requestor, prop)] = (event.target, memoryview(bytes(data)))
                self.xwm.set_cardinals_raw(event.requestor, prop, self.atom["INCR"], [len(data)])
            else:
                self.core.ChangeProperty(xp.PropMode.Replace, event.requestor, prop, event.target, 8, len(data),
                                         bytes(data))
            self._notify(event, prop)
            self.xwm.flush()

        self.loop.add_reader(read_fd, readable)

    def _intern(self, name: str) -> int:
        atom = self.atom.get(name)
        if atom is None:
            atom = self.core.InternAtom(False, len(name), name).reply().atom
            self.atom[name] = atom
            self.xwm.names[atom] = name
        return int(atom)

    def _notify(self, request: Any, prop: int) -> None:
        event = xp.SelectionNotifyEvent.synthetic(request.time, request.requestor, request.selection,
                                                  request.target, prop)
        self.core.SendEvent(False, request.requestor, xp.EventMask.NoEvent, event.pack())
        self.xwm.flush()

    def on_SelectionClearEvent(self, event: Any) -> None:
        kind = self.xwm.names.get(event.selection)
        if kind in self.owned:
            self.owned[kind] = False

    # -- X → Wayland ---------------------------------------------------------------------------------
    def on_SelectionNotifyEvent(self, event: Any) -> None:
        if isinstance(event, xcffib.xfixes.SelectionNotifyEvent):
            self._owner_changed(event)
        else:
            self._converted(event)

    def _owner_changed(self, event: Any) -> None:
        kind = self.xwm.names.get(event.selection)
        if kind not in self.selections:
            return
        if event.owner == self.window:
            return
        if event.owner == 0:  # the X owner went away
            source = self.sources[kind]
            if source is not None and self.selections[kind].source is source:
                source.owned = False
                self.selections[kind].set_source(None, self.xwm.compositor.display.next_serial())
            self.sources[kind] = None
            return
        self.owned[kind] = False
        self.queue.append(Transfer(kind, "TARGETS", -1))
        self._next()

    def convert(self, kind: str, mime: str, fd: int) -> None:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self.queue.append(Transfer(kind, target_for(mime), fd))
        self._next()
        self.xwm.flush()

    def _next(self) -> None:
        if self.current is not None or not self.queue or self.xwm.destroyed:
            return
        transfer = self.current = self.queue.popleft()
        self.core.ConvertSelection(self.window, self.atom[transfer.kind], self._intern(transfer.target),
                                   self.atom["_ORRERY_SELECTION"], xp.Time.CurrentTime)
        self.xwm.flush()

    def _converted(self, event: Any) -> None:
        transfer = self.current
        if transfer is None or event.requestor != self.window:
            return
        if event.property == 0:  # refused
            self._done(transfer)
            return
        reply = self.core.GetProperty(True, self.window, self.atom["_ORRERY_SELECTION"], xp.GetPropertyType.Any,
                                      0, 0x1FFFFFFF).reply()
        raw = bytes(reply.value.buf()) if reply.type else b""
        if reply.type == self.atom["INCR"]:
            transfer.incr = True  # chunks come as PropertyNotify(NewValue) on our property
            return
        if transfer.target == "TARGETS":
            atoms = [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw) - len(raw) % 4, 4)]
            self._offer(transfer.kind, [self.xwm.atom_name(atom) for atom in atoms])
        else:
            transfer.buffer.extend(raw)
        self._done(transfer)

    def on_requestor_property(self, event: Any) -> bool:
        """An INCR transfer to an X requestor: it deleted the property, the next chunk (an empty one ends it)."""
        key = (event.window, event.atom)
        if key not in self.outgoing or event.state != xp.Property.Delete:
            return False
        kind, rest = self.outgoing[key]
        chunk = bytes(rest[:INCR_CHUNK])
        if chunk:
            self.outgoing[key] = (kind, rest[INCR_CHUNK:])
        else:
            del self.outgoing[key]
        self.core.ChangeProperty(xp.PropMode.Replace, event.window, event.atom, kind, 8, len(chunk), chunk)
        self.xwm.flush()
        return True

    def on_property(self, event: Any) -> None:
        transfer = self.current
        if (transfer is None or not transfer.incr or event.atom != self.atom["_ORRERY_SELECTION"]
                or event.state != xp.Property.NewValue):
            return
        reply = self.core.GetProperty(True, self.window, self.atom["_ORRERY_SELECTION"], xp.GetPropertyType.Any,
                                      0, 0x1FFFFFFF).reply()
        raw = bytes(reply.value.buf()) if reply.type else b""
        if not raw:
            self._done(transfer)  # the zero-length chunk ends an INCR transfer
            return
        if transfer.target == "TARGETS":
            transfer.buffer.extend(raw)
        elif len(transfer.buffer) < MAX_DATA:
            transfer.buffer.extend(raw)
            self._write(transfer.fd, transfer.buffer)

    def _done(self, transfer: Transfer) -> None:
        self.current = None
        if transfer.fd >= 0:
            self._finish_writing(transfer.fd, transfer.buffer)
        self._next()

    def _offer(self, kind: str, targets: list[str]) -> None:
        types = mime_types(targets)
        if not types:
            return
        source = XSource(self, kind, types)
        self.sources[kind] = source
        self.selections[kind].set_source(source, self.xwm.compositor.display.next_serial())
        self.xwm.compositor.display.schedule_flush()

    # -- writing into a Wayland client's pipe ----------------------------------------------------------
    def _write(self, fd: int, buffer: bytearray) -> None:
        while buffer:
            try:
                written = os.write(fd, buffer[:65536])
            except BlockingIOError:
                return
            except OSError:
                buffer.clear()
                return
            del buffer[:written]

    def _finish_writing(self, fd: int, buffer: bytearray, close_only: bool = False) -> None:
        if close_only:
            with contextlib.suppress(OSError):
                os.close(fd)
            return
        self._write(fd, buffer)
        if not buffer:
            os.close(fd)
            return

        def writable() -> None:
            self._write(fd, buffer)
            if not buffer:
                self.loop.remove_writer(fd)
                os.close(fd)

        self.loop.add_writer(fd, writable)
