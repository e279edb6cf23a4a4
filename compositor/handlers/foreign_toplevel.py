"""Windows as seen by taskbars: ext_foreign_toplevel_list_v1 (version 1) and
zwlr_foreign_toplevel_management_v1 (version 3).

Every bound list or manager gets a handle per mapped window. Whenever the window manager reports a
change (``Compositor.windows_changed``) each handle is compared with what its client was last told, and
only the differences go out, ended by ``done``. Through the wlr handles a taskbar activates (focus,
raise, un-minimize), closes, minimizes, maximizes and fullscreens windows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pywayland.protocol.ext_foreign_toplevel_list_v1 import ExtForeignToplevelHandleV1, ExtForeignToplevelListV1

from protocols.wlr_foreign_toplevel_management_unstable_v1 import (
    ZwlrForeignToplevelHandleV1,
    ZwlrForeignToplevelManagerV1,
)

from ..scene import Output
from ..wl.resource import ProtocolError, Resource
from ..wm import ManagedWindow

if TYPE_CHECKING:
    from ..server import Compositor

WLR_VERSION = 3
EXT_VERSION = 1
MAXIMIZED, MINIMIZED, ACTIVATED, FULLSCREEN = 0, 1, 2, 3  # zwlr_foreign_toplevel_handle_v1.state


@dataclass
class Sent:
    """What one handle's client has been told about its window."""

    title: str | None = None
    app_id: str | None = None
    states: bytes | None = None
    outputs: set[Resource] = field(default_factory=set)  # the client's wl_output objects entered


class Handle:
    """One client's handle (wlr or ext) for one window; requests act on the window while it is open."""

    def __init__(self, toplevels: ForeignToplevels, window: ManagedWindow, resource: Resource, wlr: bool) -> None:
        self.toplevels = toplevels
        self.window: ManagedWindow | None = window
        self.resource = resource
        self.wlr = wlr
        self.sent = Sent()
        resource.impl = self
        resource.destroy_listeners.append(lambda _res: toplevels.forget(self))

    def update(self, initial: bool = False) -> None:
        window, res = self.window, self.resource
        if window is None or not res.alive:
            return
        toplevel, sent, changed = window.toplevel, self.sent, initial
        if toplevel.title != sent.title:
            sent.title = toplevel.title
            changed = res.post("title", toplevel.title) or changed
        if toplevel.app_id != sent.app_id:
            sent.app_id = toplevel.app_id
            changed = res.post("app_id", toplevel.app_id) or changed
        if self.wlr:
            states = self._states(window)
            if states != sent.states:
                sent.states = states
                changed = res.post("state", states) or changed
            outputs = set(self.toplevels.outputs_of(window, res))
            for output_res in sent.outputs - outputs:
                if output_res.alive:
                    res.post("output_leave", output_res)
            for output_res in outputs - sent.outputs:
                res.post("output_enter", output_res)
            changed = changed or outputs != sent.outputs
            sent.outputs = outputs
        if changed:
            res.post("done")

    def _states(self, window: ManagedWindow) -> bytes:
        states = [MAXIMIZED] if window.maximized else []
        if window.minimized:
            states.append(MINIMIZED)
        if window.activated and self.toplevels.compositor.wm.focused is window:
            states.append(ACTIVATED)
        if window.fullscreen and self.resource.version >= 2:
            states.append(FULLSCREEN)
        return b"".join(state.to_bytes(4, "little") for state in states)

    def closed(self) -> None:
        if self.window is not None:
            self.window = None
            self.resource.post("closed")

    # -- requests (zwlr_foreign_toplevel_handle_v1; the ext handle only has destroy) -------------------
    def destroy(self, res: Resource) -> None:
        res.destroy()

    def activate(self, res: Resource, seat: Resource) -> None:
        if self.window is not None:
            self.toplevels.compositor.wm.focus(self.window)

    def close(self, res: Resource) -> None:
        if self.window is not None:
            self.window.toplevel.close()

    def set_minimized(self, res: Resource) -> None:
        if self.window is not None and not self.window.minimized:
            self.toplevels.compositor.wm.minimize(self.window)

    def unset_minimized(self, res: Resource) -> None:
        """Shown again from a taskbar: brought to the front with focus, as a user restoring it expects."""
        if self.window is not None and self.window.minimized:
            self.toplevels.compositor.wm.focus(self.window)

    def set_maximized(self, res: Resource) -> None:
        if self.window is not None:
            self.toplevels.compositor.wm.set_maximized(self.window, True)

    def unset_maximized(self, res: Resource) -> None:
        if self.window is not None:
            self.toplevels.compositor.wm.set_maximized(self.window, False)

    def set_fullscreen(self, res: Resource, output: Resource | None) -> None:
        if self.window is not None:
            self.toplevels.compositor.wm.set_fullscreen(self.window, True)

    def unset_fullscreen(self, res: Resource) -> None:
        if self.window is not None:
            self.toplevels.compositor.wm.set_fullscreen(self.window, False)

    def set_rectangle(self, res: Resource, surface: Resource, x: int, y: int, width: int, height: int) -> None:
        if width < 0 or height < 0:
            raise ProtocolError(ZwlrForeignToplevelHandleV1.error.invalid_rectangle, "negative rectangle size")


class ForeignToplevels:
    """Both protocols' bound objects and their handles, kept in step with the window manager."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.lists: list[Resource] = []  # zwlr_foreign_toplevel_manager_v1 and ext_foreign_toplevel_list_v1
        self.handles: dict[ManagedWindow, list[Handle]] = {}
        self.identifiers: dict[ManagedWindow, str] = {}
        self._ids = itertools.count(1)
        compositor.window_listeners.append(self.update)
        compositor.output_listeners.append(self.update)
        compositor.output_bound_listeners.append(lambda _output, _res: self.update())

    def bound(self, res: Resource) -> None:
        res.impl = self
        self.lists.append(res)
        res.destroy_listeners.append(self._unlist)
        for window in self._windows():
            self._announce(window, res)

    def _unlist(self, res: Resource) -> None:
        """A list is no longer told of windows: after stop, or when destroyed (stop may have come first)."""
        if res in self.lists:
            self.lists.remove(res)

    def _windows(self) -> list[ManagedWindow]:
        return list(self.compositor.wm.windows)

    def _announce(self, window: ManagedWindow, list_res: Resource) -> None:
        wlr = list_res.interface is ZwlrForeignToplevelManagerV1
        interface = ZwlrForeignToplevelHandleV1 if wlr else ExtForeignToplevelHandleV1
        handle_res = Resource(list_res.client, interface, list_res.version, 0)
        handle = Handle(self, window, handle_res, wlr)
        self.handles.setdefault(window, []).append(handle)
        list_res.post("toplevel", handle_res)
        if not wlr:
            if window not in self.identifiers:
                self.identifiers[window] = f"orrery-{next(self._ids)}"
            handle_res.post("identifier", self.identifiers[window])
        handle.update(initial=True)

    def update(self) -> None:
        windows = self._windows()
        for window in [w for w in self.handles if w not in windows]:
            for handle in self.handles.pop(window):
                handle.closed()
            self.identifiers.pop(window, None)
        for window in windows:
            handles = self.handles.get(window)
            if handles is None:
                for list_res in list(self.lists):
                    self._announce(window, list_res)
            else:
                for handle in handles:
                    handle.update()

    def forget(self, handle: Handle) -> None:
        if handle.window is not None and handle in self.handles.get(handle.window, []):
            self.handles[handle.window].remove(handle)

    def outputs_of(self, window: ManagedWindow, res: Resource) -> list[Resource]:
        """The client's wl_output objects for the outputs the window overlaps."""
        rect = window.rect()
        found: list[Resource] = []
        for output in self.compositor.scene.outputs:
            if _overlaps(output, rect.x, rect.y, rect.width, rect.height):
                found.extend(self.compositor.output_resources(output, res.client))
        return found

    # -- requests of the lists ---------------------------------------------------------------------------
    def stop(self, res: Resource) -> None:
        self._unlist(res)
        res.post("finished")
        if res.interface is ZwlrForeignToplevelManagerV1:
            res.destroy()  # the wlr manager is destroyed by the compositor after finished

    def destroy(self, res: Resource) -> None:
        res.destroy()


def _overlaps(output: Output, x: int, y: int, width: int, height: int) -> bool:
    rect = output.rect
    return x < rect.right and y < rect.bottom and x + max(width, 1) > rect.x and y + max(height, 1) > rect.y


def register(compositor: Compositor) -> ForeignToplevels:
    toplevels = ForeignToplevels(compositor)
    compositor.display.add_global(ZwlrForeignToplevelManagerV1, WLR_VERSION, toplevels.bound)
    compositor.display.add_global(ExtForeignToplevelListV1, EXT_VERSION, toplevels.bound)
    return toplevels
