"""zwp_primary_selection_device_manager_v1: the middle-click paste selection (logic in compositor.selection)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wp_primary_selection_unstable_v1 import (
    ZwpPrimarySelectionDeviceManagerV1,
    ZwpPrimarySelectionOfferV1,
)

from ..selection import ClientSource, Selection
from ..wl.resource import Resource

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 1


class PrimarySelectionDeviceHandler:
    def __init__(self, selection: Selection) -> None:
        self.selection = selection

    def set_selection(self, res: Resource, source_res: Resource | None, serial: int) -> None:
        self.selection.set_source(source_res.impl if source_res is not None else None, serial)


class PrimarySelectionManagerHandler:
    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.device = PrimarySelectionDeviceHandler(selection)

    def create_source(self, res: Resource, new: Resource) -> None:
        new.impl = ClientSource(new)

    def get_device(self, res: Resource, new: Resource, seat: Resource) -> None:
        new.impl = self.device
        self.selection.add_device(new)


def register(compositor: Compositor) -> Selection:
    selection = Selection(compositor, ZwpPrimarySelectionOfferV1)
    handler = PrimarySelectionManagerHandler(selection)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(ZwpPrimarySelectionDeviceManagerV1, VERSION, bind)
    return selection
