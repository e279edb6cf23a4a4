"""The runtime's :class:`~widgets.core.element.Clipboard` over wl_data_device.

``write`` offers the text as a wl_data_source and makes it the selection (with the serial of the last input
event, as the protocol asks); the compositor then asks us to ``send`` it to whoever pastes. ``read`` asks the
current selection's wl_data_offer for text and reads it from a pipe (the other client writes it); while we own
the selection the text is simply ours.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable
from typing import Any

TEXT_TYPES = ("text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "TEXT", "STRING")
READ_TIMEOUT = 2.0


class WaylandClipboard:
    def __init__(self, display: Any, manager: Any, seat: Any, serial: Callable[[], int]) -> None:
        self.display, self.manager, self.serial = display, manager, serial
        self.device = manager.get_data_device(seat)
        self.device.dispatcher["data_offer"] = self._data_offer
        self.device.dispatcher["selection"] = self._selection
        self.types: dict[Any, list[str]] = {}
        self.offer: Any = None
        self.source: Any = None
        self.text = ""

    # -- what others copied ------------------------------------------------------------------------------
    def _data_offer(self, _device: Any, offer: Any) -> None:
        self.types[offer] = []
        offer.dispatcher["offer"] = lambda o, mime: self.types.setdefault(o, []).append(mime)

    def _selection(self, _device: Any, offer: Any) -> None:
        if self.offer is not None and self.offer is not offer:
            self.types.pop(self.offer, None)
            self.offer.destroy()
        self.offer = offer

    def read(self) -> str:
        if self.source is not None:
            return self.text
        offer = self.offer
        if offer is None:
            return ""
        mime = next((m for m in TEXT_TYPES if m in self.types.get(offer, [])), None)
        if mime is None:
            return ""
        read_end, write_end = os.pipe()
        offer.receive(mime, write_end)
        self.display.flush()
        os.close(write_end)
        chunks: list[bytes] = []
        deadline = time.monotonic() + READ_TIMEOUT
        try:
            while (left := deadline - time.monotonic()) > 0:
                ready, _, _ = select.select([read_end], [], [], left)
                if not ready:
                    break
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(read_end)
        return b"".join(chunks).decode("utf-8", "replace")

    # -- what we copy ------------------------------------------------------------------------------------
    def write(self, text: str) -> None:
        source = self.manager.create_data_source()
        for mime in TEXT_TYPES:
            source.offer(mime)
        source.dispatcher["send"] = self._send
        source.dispatcher["cancelled"] = self._cancelled
        self.device.set_selection(source, self.serial())
        self.display.flush()
        self.source, self.text = source, text  # the previous source is destroyed when it is cancelled

    def _send(self, source: Any, _mime: str, fd: int) -> None:
        try:
            data = (self.text if source is self.source else "").encode()
            while data:
                data = data[os.write(fd, data):]
        except OSError:
            pass  # the reader went away
        finally:
            os.close(fd)

    def _cancelled(self, source: Any) -> None:
        if source is self.source:
            self.source = None
        source.destroy()
