"""A seat's selections (clipboard and primary): the current source, offered to the keyboard focus.

Both ``wl_data_device`` and ``zwp_primary_selection_device_v1`` work the same way: a client creates a
source listing mime types and sets it as the selection; the client with keyboard focus gets a fresh offer
(``data_offer`` + one ``offer`` event per mime type, then ``selection``) whenever the focus moves to it or
the selection changes. When it asks to ``receive`` a type, the compositor hands the pipe's write end to the
source client (``send``) and closes its own copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from .wl.resource import Resource

if TYPE_CHECKING:
    from pywayland.protocol_core.interface import Interface

    from .server import Compositor
    from .surface import Surface
    from .wl.display import Client


def serial_before(a: int, b: int) -> bool:
    """Whether serial ``a`` was handed out before ``b`` (serials are 32-bit and wrap)."""
    return a != b and (b - a) & 0xFFFFFFFF < 0x80000000


class Source:
    """Data offered as a selection: by a client (:class:`ClientSource`), or from outside (the compositor Orrery
    is nested in)."""

    def __init__(self) -> None:
        self.mime_types: list[str] = []
        self.used = False  # a source may be set as a selection or dragged only once
        self._gone: list[Callable[[Source], None]] = []

    @property
    def alive(self) -> bool:
        return True

    def send(self, mime_type: str, fd: int) -> None:
        """Write the data as ``mime_type`` to ``fd`` (the caller closes its copy)."""

    def cancel(self) -> None:
        """It is not the selection any more."""

    def when_gone(self, callback: Callable[[Source], None]) -> None:
        """Call ``callback`` when the source goes away before it is replaced."""
        self._gone.append(callback)

    def gone(self) -> None:
        for callback in self._gone:
            callback(self)


class ClientSource(Source):
    """A ``wl_data_source`` or ``zwp_primary_selection_source_v1``: data a client is offering."""

    def __init__(self, resource: Resource) -> None:
        super().__init__()
        self.resource = resource
        resource.destroy_listeners.append(lambda _res: self.gone())

    @property
    def alive(self) -> bool:
        return self.resource.alive

    def offer(self, res: Resource, mime_type: str) -> None:
        if mime_type not in self.mime_types:
            self.mime_types.append(mime_type)

    def send(self, mime_type: str, fd: int) -> None:
        self.resource.post("send", mime_type, fd)

    def cancel(self) -> None:
        self.resource.post("cancelled")


class Offer:
    """The receiving side of a source as one client sees it (``wl_data_offer`` and the primary one)."""

    def __init__(self, source: Source | None) -> None:
        self.source = source

    def receive(self, res: Resource, mime_type: str, fd: int) -> None:
        try:
            source = self.source
            if source is not None and source.alive and mime_type in source.mime_types:
                source.send(mime_type, fd)  # libwayland dups the fd while posting
        finally:
            os.close(fd)


class Selection:
    """One selection of the seat, shared by every device of its protocol."""

    def __init__(self, compositor: Compositor, offer_interface: type[Interface],
                 make_offer: Callable[[Source], Offer] = Offer) -> None:
        self.compositor = compositor
        self.offer_interface = offer_interface
        self.make_offer = make_offer
        self.devices: list[Resource] = []
        self.source: Source | None = None
        self.serial: int | None = None
        # the selection changed (to this source): the clipboard bridges to X11 and to a parent compositor
        self.listeners: list[Callable[[Source | None], None]] = []
        self._offered_to: Client | None = None
        compositor.focus_listeners.append(self._focus_changed)

    def add_device(self, device: Resource) -> None:
        """A client created a device: it learns the selection now if it has keyboard focus."""
        self.devices.append(device)
        device.destroy_listeners.append(self.devices.remove)
        focus = self.compositor.seat.keyboard_focus
        if focus is not None and focus.alive and focus.resource.client is device.client:
            self._send_selection(device)

    def set_source(self, source: Source | None, serial: int) -> None:
        """Make ``source`` the selection (None clears it); the replaced source is cancelled."""
        if self.serial is not None and serial_before(serial, self.serial):
            if source is not None:
                source.cancel()  # an older request than the current selection lost the race
            return
        old, self.source, self.serial = self.source, source, serial
        if old is source:
            return
        if source is not None:
            source.used = True
            source.when_gone(self._source_gone)
        if old is not None and old.alive:
            old.cancel()
        self.offer_to_focus()
        self._changed()

    def _source_gone(self, source: Source) -> None:
        if self.source is source:
            self.source = None
            self.offer_to_focus()
            self._changed()

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener(self.source)

    def _focus_changed(self, surface: Surface | None) -> None:
        client = surface.resource.client if surface is not None else None
        if client is not self._offered_to:
            self.offer_to_focus()

    def offer_to_focus(self) -> None:
        """Tell the keyboard-focused client (if any) what the selection is now."""
        focus = self.compositor.seat.keyboard_focus
        if focus is None or not focus.alive:
            self._offered_to = None
            return
        self._offered_to = focus.resource.client
        for device in self.devices:
            if device.client is focus.resource.client:
                self._send_selection(device)

    def _send_selection(self, device: Resource) -> None:
        source = self.source
        if source is None:
            device.post("selection", None)
            return
        offer = self.new_offer(device, source)
        device.post("selection", offer)

    def new_offer(self, device: Resource, source: Source, impl: Offer | None = None) -> Resource:
        """Introduce a new offer of ``source`` to the device's client (data_offer + its mime types)."""
        offer = Resource(device.client, self.offer_interface, device.version, 0)
        offer.impl = impl if impl is not None else self.make_offer(source)
        device.post("data_offer", offer)
        for mime_type in source.mime_types:
            offer.post("offer", mime_type)
        return offer
