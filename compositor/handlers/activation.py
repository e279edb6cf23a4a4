"""xdg_activation_v1 (version 1): a launcher hands a token to the app it starts, the app activates with it.

A token is worth something only if the client asking for it was the one the user was dealing with when
it asked: one of its surfaces had the keyboard focus or the pointer (a launcher the user typed into, a
taskbar clicked). Activating with a valid, unexpired, unused token focuses and raises the window
of the given surface (un-minimizing it); other activations are ignored (the window is not focused).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pywayland.protocol.xdg_activation_v1 import XdgActivationTokenV1, XdgActivationV1

from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor
    from ..wl.display import Client

VERSION = 1
TOKEN_LIFETIME = 30.0  # seconds: an app may take a while to start


@dataclass
class Token:
    valid: bool
    expires: float
    app_id: str | None


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
        token = secrets.token_hex(16)
        self.tokens[token] = Token(self.may_activate(client), now + TOKEN_LIFETIME, app_id)
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
        if entry is None or not entry.valid or entry.expires < time.monotonic():
            return
        wm = self.compositor.wm
        window = wm.window_of(surface_res.impl.surface if surface_res.impl is not None else None)
        if window is not None:
            wm.focus(window)

    def destroy(self, res: Resource) -> None:
        res.destroy()


def register(compositor: Compositor) -> Activation:
    activation = Activation(compositor)

    def bind(res: Resource) -> None:
        res.impl = activation

    compositor.display.add_global(XdgActivationV1, VERSION, bind)
    return activation
