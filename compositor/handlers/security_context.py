"""wp_security_context_manager_v1 (version 1): sockets for sandboxed clients, as Flatpak makes them.

A sandbox engine binds a listening socket, hands it over with a pipe's read end (``close_fd``), names itself,
the app and the instance, and commits. From then on the compositor accepts connections on that socket; each is
a client of origin ``sandboxed`` (``compositor/access.py``: no restricted global is ever announced to it) that
carries the engine's names, until ``close_fd`` hangs up (the engine closed the other end, or died): then the
socket is closed and no one connects there any more. Clients already connected stay. The listener outlives the
client that made it, as the protocol says.

A client that is itself sandboxed never sees this global (a nested context could shed the sandbox's limits);
it would get the ``nested`` error if it bound it anyway.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
from typing import TYPE_CHECKING

from pywayland.protocol.security_context_v1 import WpSecurityContextManagerV1, WpSecurityContextV1

from ..access import Origin, Sandbox
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..server import Compositor

log = logging.getLogger(__name__)

VERSION = 1
ManagerError = WpSecurityContextManagerV1.error
ContextError = WpSecurityContextV1.error
MAX_LISTENERS = 256  # sockets listened on at once, all engines together (two fds each)
RETRY_ACCEPT = 1.0  # seconds to wait after accept() failed for want of file descriptors


class Listener:
    """A committed security context: its listening socket and the fd whose hangup ends it."""

    def __init__(self, contexts: SecurityContexts, sock: socket.socket, close_fd: int, sandbox: Sandbox) -> None:
        self.contexts = contexts
        self.sock = sock
        self.close_fd = close_fd
        self.sandbox = sandbox
        self.loop = contexts.compositor.loop
        sock.setblocking(False)  # the engine may accept on it too: never wait in accept()
        self.loop.add_reader(close_fd, self.close)  # readable (EOF) or hung up: the engine is done
        self.loop.add_reader(sock.fileno(), self._accept)

    def _accept(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:  # out of file descriptors: try again in a while, rather than spin
            log.warning("security context of %s: accept failed: %s", self.sandbox.app_id, error)
            self.loop.remove_reader(self.sock.fileno())
            self.loop.call_later(RETRY_ACCEPT, self._resume)
            return
        try:
            self.contexts.compositor.access.adopt(conn.detach(), Origin.SANDBOXED, self.sandbox)
        except OSError as error:
            log.warning("security context of %s: cannot add a client: %s", self.sandbox.app_id, error)

    def _resume(self) -> None:
        if self in self.contexts.listeners:
            self.loop.add_reader(self.sock.fileno(), self._accept)

    def close(self) -> None:
        if self not in self.contexts.listeners:
            return
        self.contexts.listeners.remove(self)
        self.loop.remove_reader(self.sock.fileno())
        self.loop.remove_reader(self.close_fd)
        self.sock.close()
        os.close(self.close_fd)


class SecurityContext:
    """One wp_security_context_v1 before (and after) its commit; owns the two fds until then."""

    def __init__(self, contexts: SecurityContexts, sock: socket.socket, close_fd: int) -> None:
        self.contexts = contexts
        self.fds: tuple[socket.socket, int] | None = (sock, close_fd)
        self.committed = False
        self.names: dict[str, str] = {}

    def _set(self, key: str, value: str) -> None:
        if self.committed:
            raise ProtocolError(ContextError.already_used, "the security context was committed already")
        if key in self.names:
            raise ProtocolError(ContextError.already_set, f"{key} was set already")
        self.names[key] = value

    def set_sandbox_engine(self, res: Resource, name: str) -> None:
        self._set("engine", name)

    def set_app_id(self, res: Resource, app_id: str) -> None:
        self._set("app_id", app_id)

    def set_instance_id(self, res: Resource, instance_id: str) -> None:
        self._set("instance_id", instance_id)

    def commit(self, res: Resource) -> None:
        if self.committed or self.fds is None:
            raise ProtocolError(ContextError.already_used, "the security context was committed already")
        self.committed = True
        (sock, close_fd), self.fds = self.fds, None
        sandbox = Sandbox(self.names.get("engine"), self.names.get("app_id"), self.names.get("instance_id"))
        self.contexts.listeners.append(Listener(self.contexts, sock, close_fd, sandbox))

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def destroyed(self) -> None:
        """Gone before its commit: the fds are let go."""
        if self.fds is not None:
            (sock, close_fd), self.fds = self.fds, None
            sock.close()
            os.close(close_fd)


class SecurityContexts:
    """The security-context part of the compositor state: the sockets listened on."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.listeners: list[Listener] = []

    def create_listener(self, res: Resource, new: Resource, listen_fd: int, close_fd: int) -> None:
        if self.compositor.access.of(res.client).origin is Origin.SANDBOXED:
            _close(listen_fd, close_fd)
            raise ProtocolError(ManagerError.nested, "a sandboxed client cannot make security contexts")
        if len(self.listeners) >= MAX_LISTENERS:
            _close(listen_fd, close_fd)
            res.client.post_implementation_error(f"too many security contexts (at most {MAX_LISTENERS} at once)")
            return
        try:
            sock = socket.socket(fileno=listen_fd)
        except OSError:  # not a socket
            _close(listen_fd, close_fd)
            raise ProtocolError(ManagerError.invalid_listen_fd, "listen_fd is not a socket") from None
        if (sock.family, sock.type) != (socket.AF_UNIX, socket.SOCK_STREAM) or not _listening(sock):
            sock.close()
            os.close(close_fd)
            raise ProtocolError(ManagerError.invalid_listen_fd, "listen_fd is not a listening Unix stream socket")
        if not _pollable(close_fd):  # (a regular file, say: the loop could never hear it hang up)
            sock.close()
            os.close(close_fd)
            res.client.post_implementation_error("close_fd cannot be polled (a pipe or socket is)")
            return
        context = SecurityContext(self, sock, close_fd)
        new.impl = context
        new.destroy_listeners.append(lambda _res: context.destroyed())

    def close(self) -> None:
        for listener in list(self.listeners):
            listener.close()


def _listening(sock: socket.socket) -> bool:
    try:
        return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    except OSError:
        return False


def _pollable(fd: int) -> bool:
    """Whether the event loop (epoll) can watch ``fd``."""
    try:
        with select.epoll() as poll:
            poll.register(fd, select.EPOLLIN)
    except OSError:
        return False
    return True


def _close(*fds: int) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def register(compositor: Compositor) -> SecurityContexts:
    contexts = SecurityContexts(compositor)

    def bind(res: Resource) -> None:
        res.impl = contexts

    compositor.display.add_global(WpSecurityContextManagerV1, VERSION, bind)
    return contexts

