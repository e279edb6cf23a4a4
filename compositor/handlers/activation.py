"""xdg_activation_v1 (version 1): a launcher hands a token to the app it starts, the app activates with it.

A token is worth something only if the client asking for it was the one the user was dealing with when
it asked: one of its surfaces had the keyboard focus or the pointer (a launcher the user typed into, a
taskbar clicked). Activating with a valid, unexpired, unused token focuses and raises the window
of the given surface (un-minimizing it, showing its workspace); other activations do not focus the window but
mark it urgent, as a window asking for attention (its workspace shows it in ext_workspace_v1).

A token also remembers the workspace that was active (on the output under the pointer) when it was issued:
a window that maps after that and activates with it belongs to that launch, and goes to that workspace even if
the user has switched to another meanwhile. If the activation comes before the window's first buffer, the
window maps there; if it comes after (as most toolkits do it), the window moves there, and while that
workspace is not shown it waits there, urgent, and the focus goes back to the shown workspace's top window.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pywayland.protocol.xdg_activation_v1 import XdgActivationTokenV1, XdgActivationV1

from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor
    from ..wl.display import Client
    from ..workspaces import Workspace

VERSION = 1
TOKEN_LIFETIME = 30.0  # seconds: an app may take a while to start


@dataclass
class Token:
    valid: bool
    expires: float
    app_id: str | None
    workspace: Workspace | None  # the active one when it was issued
    newest_window: int  # the id of the newest window then: windows of the launch have higher ones


class TokenBuilder:
    """An xdg_activation_token_v1 before commit: the serial, app id and surface it is asked with."""

    def __init__(self, activation: Activation) -> None:
        self.activation = activation
        self.serial: int | None = None
        self.app_id: str | None = None
        self.committed = False

    def set_serial(self, res: Resource, serial: int, seat: Resource) -> None:
        self.serial = serial

    def set_app_id(self, res: Resource, app_id: str) -> None:
        self.app_id = app_id

    def set_surface(self, res: Resource, surface: Resource) -> None:
        pass  # the client's focus is what counts, whichever of its surfaces it names

    def commit(self, res: Resource) -> None:
        if self.committed:
            raise ProtocolError(XdgActivationTokenV1.error.already_used, "token already committed")
        self.committed = True
        res.post("done", self.activation.issue(res.client, self.serial, self.app_id))

    def destroy(self, res: Resource) -> None:
        res.destroy()


class Activation:
    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.tokens: dict[str, Token] = {}

    def issue(self, client: Client, serial: int | None, app_id: str | None) -> str:
        now = time.monotonic()
        self.tokens = {key: token for key, token in self.tokens.items() if token.expires > now}
        token = os.urandom(16).hex()  # secrets.token_hex, without importing hmac and hashlib at start-up
        wm = self.compositor.wm
        self.tokens[token] = Token(self.may_activate(client), now + TOKEN_LIFETIME, app_id, wm.workspaces.current(),
                                   max((window.id for window in wm.windows), default=0))
        return token

    def may_activate(self, client: Client) -> bool:
        """Whether the client is the one the user is dealing with right now."""
        seat = self.compositor.seat
        for focus in (seat.keyboard_focus, seat.pointer_focus):
            if focus is not None and focus.alive and focus.resource.client is client:
                return True
        return False

    # -- requests ------------------------------------------------------------------------------------
    def get_activation_token(self, res: Resource, new: Resource) -> None:
        new.impl = TokenBuilder(self)

    def activate(self, res: Resource, token: str, surface_res: Resource) -> None:
        entry = self.tokens.pop(token, None)
        wm = self.compositor.wm
        surface = surface_res.impl.surface if surface_res.impl is not None else None
        window = wm.window_of(surface)
        if entry is None or not entry.valid or entry.expires < time.monotonic():
            if window is not None and window is not wm.focused:
                wm.set_urgent(window)
            return
        workspaces = wm.workspaces
        launched_on = entry.workspace if entry.workspace is not None and workspaces.exists(entry.workspace) else None
        if window is None:
            if surface is not None and launched_on is not None:
                workspaces.promise(surface, launched_on)  # not mapped yet: it maps there
            return
        if launched_on is not None and window.id > entry.newest_window and window.workspace is not launched_on:
            workspaces.move_window(window, launched_on)
            if not launched_on.shown:
                wm.set_urgent(window)
                return
        wm.focus(window)

    def destroy(self, res: Resource) -> None:
        res.destroy()


def register(compositor: Compositor) -> Activation:
    activation = Activation(compositor)

    def bind(res: Resource) -> None:
        res.impl = activation

    compositor.display.add_global(XdgActivationV1, VERSION, bind)
    return activation
