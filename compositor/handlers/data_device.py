"""wl_data_device_manager (version 3): the clipboard selection and drag-and-drop.

The selection (a source offered to the keyboard-focused client) is shared with the primary selection in
:mod:`compositor.selection`. Drag-and-drop is a pointer grab, :class:`Drag`: the dragged source is offered
to the client under the pointer (enter/motion/leave), the destination accepts a mime type and picks
actions, the compositor settles on one action (copy, move or ask) and tells both sides; releasing the
button drops (when something was accepted) or cancels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pywayland.protocol.wayland import WlDataDevice, WlDataDeviceManager, WlDataOffer, WlDataSource

from ..seat import now_ms
from ..selection import ClientSource, Offer, Selection, Source
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor
    from ..surface import Surface

VERSION = 3
NONE, COPY, MOVE, ASK = 0, 1, 2, 4
ALL_ACTIONS = COPY | MOVE | ASK


def choose_action(source_actions: int, offer_actions: int, preferred: int) -> int:
    """The action both sides support: the destination's preferred one if possible, else the first."""
    available = source_actions & offer_actions
    if preferred & available:
        return preferred
    for action in (COPY, MOVE, ASK):
        if action & available:
            return action
    return NONE


class DataSource(ClientSource):
    """A wl_data_source: a selection, or the data of a drag once dnd actions are set."""

    def __init__(self, resource: Resource) -> None:
        super().__init__(resource)
        self.actions = NONE if resource.version >= 3 else COPY  # older clients implicitly copy
        self.actions_set = False
        self.action = NONE

    def set_actions(self, res: Resource, actions: int) -> None:
        if actions & ~ALL_ACTIONS:
            raise ProtocolError(WlDataSource.error.invalid_action_mask, f"invalid dnd actions {actions:#x}")
        if self.actions_set or self.used:
            raise ProtocolError(WlDataSource.error.invalid_source, "set_actions only once, before start_drag")
        self.actions, self.actions_set = actions, True

    def set_action(self, action: int) -> None:
        if action != self.action:
            self.action = action
            self.resource.post("action", action)


class DataOffer(Offer):
    """A wl_data_offer of the selection (``drag`` is None) or of a drag in progress."""

    def __init__(self, source: Source | None, drag: Drag | None = None) -> None:
        super().__init__(source)
        self.drag = drag
        self.actions = NONE
        self.preferred = NONE
        self.action = NONE
        self.accepted: str | None = None
        self.dropped = False
        self.finished = False

    @property
    def dnd_source(self) -> DataSource | None:
        source = self.source
        return source if isinstance(source, DataSource) and source.alive and self.drag is not None else None

    def accept(self, res: Resource, serial: int, mime_type: str | None) -> None:
        source = self.dnd_source
        if source is None or self.dropped:
            return  # accept on a selection offer, or a stale drag offer: nothing to tell
        self.accepted = mime_type
        source.resource.post("target", mime_type)

    def set_actions(self, res: Resource, actions: int, preferred: int) -> None:
        if self.drag is None:
            raise ProtocolError(WlDataOffer.error.invalid_offer, "set_actions on a selection offer")
        if actions & ~ALL_ACTIONS:
            raise ProtocolError(WlDataOffer.error.invalid_action_mask, f"invalid dnd actions {actions:#x}")
        if preferred not in (NONE, COPY, MOVE, ASK) or (preferred and not preferred & actions):
            raise ProtocolError(WlDataOffer.error.invalid_action, f"invalid preferred action {preferred}")
        if self.finished:
            raise ProtocolError(WlDataOffer.error.invalid_offer, "set_actions after finish")
        self.actions, self.preferred = actions, preferred
        self.negotiate(res)

    def negotiate(self, res: Resource) -> None:
        """Settle the action between the source and this destination and tell both when it changes."""
        source = self.dnd_source
        if source is None:
            return
        offer_actions = self.actions if res.version >= 3 else COPY
        action = choose_action(source.actions, offer_actions, self.preferred)
        if action != self.action:
            self.action = action
            res.post("action", action)
        source.set_action(action)

    def finish(self, res: Resource) -> None:
        if self.drag is None or not self.dropped or self.finished:
            raise ProtocolError(WlDataOffer.error.invalid_finish, "finish without a finished drop")
        if self.accepted is None or self.action == NONE:
            raise ProtocolError(WlDataOffer.error.invalid_finish, "finish without an accepted type and action")
        self.finished = True
        source = self.dnd_source
        if source is not None:
            source.resource.post("dnd_finished")

    def destroyed(self, res: Resource) -> None:
        """A dropped offer going away ends the transfer for the source."""
        source = self.dnd_source
        if source is None or not self.dropped or self.finished:
            return
        if res.version < 3:
            source.resource.post("dnd_finished")  # older destinations never send finish
        else:
            source.cancel()


class IconRole:
    """The surface shown under the pointer during a drag (not drawn yet)."""

    name = "dnd_icon"
    window = None

    def origin(self) -> tuple[int, int] | None:
        return None

    def parent_surface(self) -> Surface | None:
        return None

    def synchronized(self) -> bool:
        return False

    def committed(self) -> None:
        pass

    def surface_destroyed(self) -> None:
        pass


class Drag:
    """The pointer grab of a drag-and-drop: offers the source to whatever client is under the pointer."""

    def __init__(self, devices: DataDevices, source: DataSource | None, origin: Surface,
                 icon: Surface | None) -> None:
        self.devices = devices
        self.seat = devices.compositor.seat
        self.source = source
        self.origin_client = origin.resource.client
        self.icon = icon
        self.focus: Surface | None = None
        self.entered: list[tuple[Resource, Resource | None]] = []  # (wl_data_device, wl_data_offer)
        self.dropped = False
        self.ended = False
        if source is not None:
            source.resource.destroy_listeners.append(lambda _res: self.cancel())

    # -- Grab ----------------------------------------------------------------------------------------
    def motion(self, x: float, y: float) -> None:
        hit = self.devices.compositor.scene.surface_at(x, y)
        surface, sx, sy = hit if hit is not None else (None, 0.0, 0.0)
        if surface is not self.focus:
            self._leave()
            if surface is not None:
                self._enter(surface, sx, sy)
            return
        for device, _offer in self.entered:
            device.post("motion", now_ms(), sx, sy)

    def button(self, button: int, pressed: bool) -> bool:
        if pressed or self.seat.buttons:
            return False
        self._drop()
        self._end()
        return True

    # -- focus ---------------------------------------------------------------------------------------
    def _enter(self, surface: Surface, sx: float, sy: float) -> None:
        self.focus = surface
        client = surface.resource.client
        if self.source is None and client is not self.origin_client:
            return  # a drag without a source stays inside its own client
        serial = self.devices.compositor.display.next_serial()
        for device in self.devices.selection.devices:
            if device.client is not client:
                continue
            offer: Resource | None = None
            if self.source is not None:
                impl = DataOffer(self.source, self)
                offer = self.devices.selection.new_offer(device, self.source, impl)
                offer.destroy_listeners.append(impl.destroyed)
                offer.post("source_actions", self.source.actions)
                impl.negotiate(offer)
            device.post("enter", serial, surface.resource, sx, sy, offer)
            self.entered.append((device, offer))

    def _leave(self) -> None:
        for device, offer in self.entered:
            device.post("leave")
            if offer is not None and offer.alive and not self.dropped:
                offer.impl.source = None  # this offer is over; a later receive gets nothing
        if self.entered and not self.dropped and self.source is not None and self.source.alive:
            self.source.resource.post("target", None)
            self.source.set_action(NONE)
        self.entered = []
        self.focus = None

    def _drop(self) -> None:
        if self.focus is None or not self.focus.alive:
            if self.source is not None and self.source.resource.version >= 3:
                self.source.cancel()  # dropped on nothing (or on a surface that just went away)
            return
        if self.source is None:
            for device, _offer in self.entered:
                device.post("drop")  # the client passes the data along internally
            return
        offers = [offer for _device, offer in self.entered if offer is not None and offer.alive]
        if not any(offer.impl.accepted is not None and offer.impl.action for offer in offers):
            if self.source.resource.version >= 3:
                self.source.cancel()
            return
        for device, _offer in self.entered:
            device.post("drop")
        for offer in offers:
            offer.impl.dropped = True
        self.dropped = True
        self.source.resource.post("dnd_drop_performed")

    # -- ending --------------------------------------------------------------------------------------
    def cancel(self) -> None:
        """The source went away mid-drag: leave the destination and give the pointer back."""
        if self.ended:
            return
        self._end()
        if self.seat.grab is self:
            self.seat.grab = None
            self.seat.refocus_pointer()

    def _end(self) -> None:
        self.ended = True
        self._leave()
        if self.icon is not None and self.icon.role is not None:
            self.icon.clear_role_object()
        if self.devices.drag is self:
            self.devices.drag = None


class DataDeviceHandler:
    def __init__(self, devices: DataDevices) -> None:
        self.devices = devices

    def set_selection(self, res: Resource, source_res: Resource | None, serial: int) -> None:
        source: DataSource | None = source_res.impl if source_res is not None else None
        if source is not None:
            if source.used and source is not self.devices.selection.source:
                raise ProtocolError(WlDataDevice.error.used_source, "this data source was already used")
            if source.actions_set:
                raise ProtocolError(WlDataSource.error.invalid_source, "a drag source cannot be the selection",
                                    source.resource)
        self.devices.selection.set_source(source, serial)

    def start_drag(self, res: Resource, source_res: Resource | None, origin_res: Resource,
                   icon_res: Resource | None, serial: int) -> None:
        source: DataSource | None = source_res.impl if source_res is not None else None
        if source is not None and source.used:
            raise ProtocolError(WlDataDevice.error.used_source, "this data source was already used")
        icon: Surface | None = icon_res.impl.surface if icon_res is not None else None
        if icon is not None:
            icon.set_role(IconRole.name, IconRole(), res, WlDataDevice.error.role)
        self.devices.start_drag(res, source, origin_res.impl.surface, icon)


class DataDeviceManagerHandler:
    def __init__(self, devices: DataDevices) -> None:
        self.devices = devices
        self.device = DataDeviceHandler(devices)

    def create_data_source(self, res: Resource, new: Resource) -> None:
        new.impl = DataSource(new)

    def get_data_device(self, res: Resource, new: Resource, seat: Resource) -> None:
        new.impl = self.device
        self.devices.selection.add_device(new)


class DataDevices:
    """The wl_data_device part of the compositor state: the clipboard and the drag in progress."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.selection = Selection(compositor, WlDataOffer, DataOffer)
        self.drag: Drag | None = None

    def start_drag(self, device: Resource, source: DataSource | None, origin: Surface,
                   icon: Surface | None) -> None:
        seat = self.compositor.seat
        focus = seat.pointer_focus
        if (not seat.buttons or seat.grab is not None or focus is None
                or focus.resource.client is not device.client):
            # Only a client holding an implicit pointer grab (a pressed button) may start a drag.
            if source is not None and source.resource.version >= 3:
                source.cancel()
            if icon is not None:
                icon.clear_role_object()
            return
        if source is not None:
            source.used = True
        self.drag = Drag(self, source, origin, icon)
        seat.leave_pointer()  # during the drag the pointer belongs to the data devices
        seat.grab = self.drag
        self.drag.motion(seat.x, seat.y)


def register(compositor: Compositor) -> DataDevices:
    devices = DataDevices(compositor)
    handler = DataDeviceManagerHandler(devices)

    def bind(res: Resource) -> None:
        res.impl = handler

    compositor.display.add_global(WlDataDeviceManager, VERSION, bind)
    return devices
