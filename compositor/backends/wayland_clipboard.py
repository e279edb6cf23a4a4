"""The wayland backend's clipboard and primary selection: Orrery's and the parent compositor's are one, both ways.

A selection set inside becomes a ``wl_data_source`` on the parent offering the same types; when something outside
pastes, the parent asks us to ``send`` and the pipe goes on to the client inside that copied. The parent's selection
becomes a :class:`ParentSource` inside: a paste inside asks the parent's ``wl_data_offer`` to ``receive`` into the
pipe. Our own source coming back from the parent (it offers the selection to its focused client, us) is recognised
by a type only it offers, and left alone. The same goes for the primary selection (middle-click paste) over
``zwp_primary_selection_device_manager_v1``, whose requests and events are the data device's under other names.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..selection import Source

if TYPE_CHECKING:
    from ..selection import Selection
    from .wayland import WaylandBackend

MIME_LIMIT = 64  # types taken from one offer of the parent's


class ParentSource(Source):
    """The parent's selection, as a source inside."""

    def __init__(self, clipboard: ParentClipboard, offer: Any, mime_types: list[str]) -> None:
        super().__init__()
        self.clipboard = clipboard
        self.offer = offer
        self.mime_types = list(mime_types)

    @property
    def alive(self) -> bool:
        return self.offer is not None

    def send(self, mime_type: str, fd: int) -> None:
        if self.offer is not None:
            self.offer.receive(mime_type, fd)  # libwayland sends a duplicate of the fd
            self.clipboard.backend.flush()

    def drop(self) -> None:
        """The parent's selection changed: this one is gone inside too."""
        if self.offer is not None:
            self.offer.destroy()
            self.offer = None
            self.gone()


class ParentClipboard:
    """One selection shared: ``selection`` inside, the parent's ``device`` (a wl_data_device or a primary selection
    device), its manager's ``create_source`` and how the device is let go of."""

    def __init__(self, backend: WaylandBackend, selection: Selection, device: Any,
                 create_source: Callable[[], Any], release_device: Callable[[], None]) -> None:
        self.backend = backend
        self.create_source = create_source
        self.release_device = release_device  # wl_data_device.release (version 2), or the primary device's destroy
        self.marker = f"application/x-orrery-nested-{os.getpid()}-{id(self)}"
        self.device = device
        self.device.dispatcher["data_offer"] = self._data_offer
        self.device.dispatcher["selection"] = self._selection
        self.types: dict[Any, list[str]] = {}  # offers introduced, not yet the selection
        self.inside: ParentSource | None = None  # the parent's selection as it is inside
        self.outside: Any = None  # our source on the parent
        self.selection = selection
        self.selection.listeners.append(self._inside_changed)

    # -- outside → inside ----------------------------------------------------------------------------------------
    def _data_offer(self, _device: Any, offer: Any) -> None:
        self.types[offer] = []
        offer.dispatcher["offer"] = self._offer_type

    def _offer_type(self, offer: Any, mime_type: str) -> None:
        types = self.types.get(offer)
        if types is not None and len(types) < MIME_LIMIT:
            types.append(mime_type)

    def _selection(self, _device: Any, offer: Any) -> None:
        types = self.types.pop(offer, []) if offer is not None else []
        for stale in self.types:
            stale.destroy()  # introduced but never made the selection
        self.types = {}
        if offer is not None and self.marker in types:
            offer.destroy()  # our own selection, back from the parent
            return
        if offer is None:
            if self.inside is not None and self.selection.source is self.inside:
                self.selection.set_source(None, self.backend.compositor.display.next_serial())
            return
        old, self.inside = self.inside, ParentSource(self, offer, types)
        self.selection.set_source(self.inside, self.backend.compositor.display.next_serial())
        if old is not None:
            old.drop()

    # -- inside → outside ----------------------------------------------------------------------------------------
    def _inside_changed(self, source: Source | None) -> None:
        if source is None or isinstance(source, ParentSource):
            return  # the parent's own, or nothing: the parent keeps what it has
        outside = self.create_source()
        for mime_type in [*source.mime_types, self.marker]:
            outside.offer(mime_type)
        outside.dispatcher["send"] = self._send
        outside.dispatcher["cancelled"] = self._cancelled
        seat = self.backend.seat
        self.device.set_selection(outside, seat.serial if seat is not None else 0)  # the parent wants an input's
        if self.outside is not None:
            self.outside.destroy()
        self.outside = outside
        self.backend.flush()

    def _send(self, outside: Any, mime_type: str, fd: int) -> None:
        try:
            source = self.selection.source
            if outside is self.outside and source is not None and source.alive and mime_type in source.mime_types:
                source.send(mime_type, fd)
                self.backend.compositor.display.flush()
        finally:
            os.close(fd)

    def _cancelled(self, outside: Any) -> None:
        if outside is self.outside:
            self.outside = None
        outside.destroy()

    def close(self) -> None:
        self.selection.listeners.remove(self._inside_changed)
        if self.inside is not None:
            self.inside.drop()
        for offer in self.types:
            offer.destroy()
        self.types = {}
        if self.outside is not None:
            self.outside.destroy()
            self.outside = None
        self.release_device()
