"""Which clients see, and may bind, the privileged globals.

Every global whose interface :data:`RESTRICTED` names is announced only to the clients its :class:`Grant`
admits; libwayland's global filter (``wl_display_set_global_filter``) hides it from the others, and refuses
their ``wl_registry.bind`` of its name ("invalid global", as for any global they were not shown). Everything
else is public. The list names interfaces, not globals, so a protocol part added later is restricted by
adding nothing but its name here (some listed below have no part yet).

Who a client is, is settled once, when it connects (:class:`ClientAccess`):

- ``sandboxed``: it connected through a socket a sandbox engine registered with
  ``wp_security_context_manager_v1`` (``handlers/security_context.py``): no restricted global at all;
- ``shell``: Orrery's own shell, which the compositor started on a socket pair it made itself
  (:meth:`AccessControl.connect`, handed over as ``WAYLAND_SOCKET``): every privileged global;
- ``xwayland``: the Xwayland server's own connection, to be made the same way: the Xwayland-only globals, and
  the privileged ones only with ``privileged = "all"``;
- ``connected``: anything else that connected to the display's socket (or was handed over with
  ``orrery msg client-socket``): the privileged globals with ``[security] privileged = "all"`` (the default,
  as in sway), else only when the executable of the process that connected is one of the list.

The executable is the one ``/proc/PID/exe`` shows for the pid the kernel recorded at ``connect()``
(``SO_PEERCRED``), read when libwayland accepts the connection, before any of its requests is read; where the
kernel has ``SO_PEERPIDFD`` the connecting process must still be alive after that read, so a pid reused after it
exited is never the one judged. A listed path matches when both are the same file (device and inode), whatever
path or mount namespace the process sees it through. A new ``[security]`` setting applies to clients that
connect after it was saved.

What this cannot tell: a process that connects and then, before the connection is accepted, execs a listed
program while a child it forked keeps the socket, passes for that program. So the allow-list keeps ordinary
programs from the privileged protocols; it is no wall against a program of the same user set on getting around
it (such a program could as well ptrace a listed one, edit orrery.toml, or use ``orrery msg``). The wall is the
sandbox: a sandboxed client reaches none of that.
"""

from __future__ import annotations

import enum
import functools
import os
import signal
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import Compositor
    from .wl.display import Client, Global


class Grant(enum.Enum):
    PRIVILEGED = "privileged"  # the compositor's own clients, and the others as [security] privileged says
    XWAYLAND = "xwayland"  # Xwayland's own connection alone
    UNSANDBOXED = "unsandboxed"  # every client not connected through a security context


# The one list of restricted interfaces.
RESTRICTED: Mapping[str, Grant] = {
    # input injection
    "zwp_virtual_keyboard_manager_v1": Grant.PRIVILEGED,
    "zwlr_virtual_pointer_manager_v1": Grant.PRIVILEGED,
    "zwp_input_method_manager_v2": Grant.PRIVILEGED,
    "zwlr_input_inhibit_manager_v1": Grant.PRIVILEGED,
    "ext_transient_seat_manager_v1": Grant.PRIVILEGED,
    # reading the screen
    "zwlr_screencopy_manager_v1": Grant.PRIVILEGED,
    "zwlr_export_dmabuf_manager_v1": Grant.PRIVILEGED,
    "ext_image_copy_capture_manager_v1": Grant.PRIVILEGED,
    "ext_output_image_capture_source_manager_v1": Grant.PRIVILEGED,
    "ext_foreign_toplevel_image_capture_source_manager_v1": Grant.PRIVILEGED,
    # the clipboard of every client
    "zwlr_data_control_manager_v1": Grant.PRIVILEGED,
    "ext_data_control_manager_v1": Grant.PRIVILEGED,
    # other clients' windows, the outputs, the session
    "zwlr_foreign_toplevel_manager_v1": Grant.PRIVILEGED,
    "zwlr_output_manager_v1": Grant.PRIVILEGED,
    "zwlr_output_power_manager_v1": Grant.PRIVILEGED,
    "zwlr_gamma_control_manager_v1": Grant.PRIVILEGED,
    "ext_session_lock_manager_v1": Grant.PRIVILEGED,
    # what Xwayland alone needs
    "zwp_xwayland_keyboard_grab_manager_v1": Grant.XWAYLAND,
    "xwayland_shell_v1": Grant.XWAYLAND,
    # harmless outside a sandbox, too much inside one: nesting security contexts, drawing over other apps and
    # taking the keyboard, watching every window's title, the user's activity and the workspaces
    "wp_security_context_manager_v1": Grant.UNSANDBOXED,
    "zwlr_layer_shell_v1": Grant.UNSANDBOXED,
    "ext_foreign_toplevel_list_v1": Grant.UNSANDBOXED,
    "ext_workspace_manager_v1": Grant.UNSANDBOXED,
    "ext_idle_notifier_v1": Grant.UNSANDBOXED,
}


class Origin(enum.Enum):
    CONNECTED = "connected"
    SHELL = "shell"
    XWAYLAND = "xwayland"
    SANDBOXED = "sandboxed"


@dataclass(frozen=True)
class Sandbox:
    """What a sandbox engine said of the clients of its security context (each may be unset)."""

    engine: str | None = None
    app_id: str | None = None
    instance_id: str | None = None


@dataclass
class ClientAccess:
    origin: Origin
    privileged: bool  # may bind the Grant.PRIVILEGED globals
    executable: str | None = None  # what /proc/PID/exe showed when it connected (None: unknown)
    sandbox: Sandbox | None = None

    @functools.cached_property
    def grants(self) -> frozenset[Grant]:
        if self.origin is Origin.SANDBOXED:
            return frozenset()
        granted = {Grant.UNSANDBOXED}
        if self.privileged:
            granted.add(Grant.PRIVILEGED)
        if self.origin is Origin.XWAYLAND:
            granted.add(Grant.XWAYLAND)
        return frozenset(granted)

    def may_bind(self, interface: str) -> bool:
        grant = RESTRICTED.get(interface)
        return grant is None or grant in self.grants


# What a client is told when nothing is known of it (a connect listener failed): only the public globals.
UNKNOWN = ClientAccess(Origin.SANDBOXED, privileged=False)


SO_PEERPIDFD = 77  # Linux 6.5: a pidfd of the process that connected (Python's socket module lacks the name)


def connecting_executable(client: Client) -> tuple[str | None, tuple[int, int] | None]:
    """:func:`executable_of` the process that connected, unless that process is gone and its pid may be another's
    by now: its pidfd (taken first, where the kernel has SO_PEERPIDFD) must still name a live process after
    ``/proc/PID/exe`` was read."""
    try:
        with socket.fromfd(client.fd, socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            pidfd: int | None = sock.getsockopt(socket.SOL_SOCKET, SO_PEERPIDFD)
    except OSError:
        pidfd = None  # an older kernel: the pid alone
    try:
        found = executable_of(client.pid)
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, 0)
        return found
    except ProcessLookupError:
        return None, None
    except PermissionError:  # alive, and another user's (setuid): its exe was unreadable anyway
        return found
    finally:
        if pidfd is not None:
            os.close(pidfd)


def executable_of(pid: int) -> tuple[str | None, tuple[int, int] | None]:
    """The path ``/proc/PID/exe`` names and the (device, inode) of the file it is; None where unreadable (the
    process is gone, or another user's)."""
    if pid <= 0:
        return None, None
    link = f"/proc/{pid}/exe"
    try:
        path = os.readlink(link)
        info = os.stat(link)
    except OSError:
        return None, None
    return path, (info.st_dev, info.st_ino)


def file_identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class AccessControl:
    """The access part of the compositor state: each client's :class:`ClientAccess`, and the global filter."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.clients: dict[Client, ClientAccess] = {}
        self._adopting: ClientAccess | None = None  # set while adopt() has libwayland create the client
        display = compositor.display
        display.connect_listeners.append(self._connected)
        display.global_filter = self.visible

    # -- deciding --------------------------------------------------------------------------------------
    def _connected(self, client: Client) -> None:
        access = self._adopting or self._judge(client)
        self.clients[client] = access
        client.destroy_listeners.append(self._gone)

    def _gone(self, client: Client) -> None:
        self.clients.pop(client, None)

    def _judge(self, client: Client) -> ClientAccess:
        """A client that connected to the display's socket, by the executable of the process that connected."""
        path, identity = connecting_executable(client)
        setting = self.compositor.config.get("security", "privileged")
        if setting == "all":
            return ClientAccess(Origin.CONNECTED, True, path)
        allowed = identity is not None and any(file_identity(listed) == identity for listed in setting)
        return ClientAccess(Origin.CONNECTED, allowed, path)

    def adopt(self, fd: int, origin: Origin, sandbox: Sandbox | None = None) -> Client:
        """Make the connected socket ``fd`` (ours from now on) a client of ``origin``: the shell, Xwayland, or a
        sandboxed client accepted on a security context's socket. OSError if libwayland refuses it (fd closed)."""
        privileged = origin is Origin.SHELL or (
            origin is Origin.XWAYLAND and self.compositor.config.get("security", "privileged") == "all")
        access = ClientAccess(origin, privileged, sandbox=sandbox)
        self._adopting = access
        try:
            client = self.compositor.display.create_client(fd)
        except OSError:
            os.close(fd)
            raise
        finally:
            self._adopting = None
        if origin is Origin.SANDBOXED:  # (accepted: SO_PEERCRED names the process inside the sandbox)
            access.executable = connecting_executable(client)[0]
        return client

    def connect(self, origin: Origin) -> tuple[socket.socket, Callable[[int], None]]:
        """A socket already connected as a client of ``origin`` (the shell, Xwayland), for a child the compositor
        starts to inherit (as ``WAYLAND_SOCKET``), and what to call with the child's pid once it runs (the socket
        pair's credentials are the compositor's own)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        client = self.adopt(ours.detach(), origin)

        def started(pid: int) -> None:
            client.pid = pid
            access = self.clients.get(client)
            if access is not None:
                access.executable = executable_of(pid)[0]

        return theirs, started

    def of(self, client: Client) -> ClientAccess:
        return self.clients.get(client, UNKNOWN)

    # -- the global filter ---------------------------------------------------------------------------
    def visible(self, client: Client, global_: Global) -> bool:
        return self.of(client).may_bind(global_.interface.name)

    # -- orrery msg clients ----------------------------------------------------------------------------
    def describe(self) -> list[dict[str, Any]]:
        announced = sorted({g.interface.name for g in self.compositor.display.globals
                            if not g.removed and g.interface.name in RESTRICTED})
        listed = []
        for client in sorted(self.clients, key=lambda c: c.id):
            access = self.clients[client]
            sandbox = access.sandbox
            listed.append({
                "id": client.id, "pid": client.pid, "executable": access.executable, "origin": access.origin.value,
                "sandbox": None if sandbox is None else {"engine": sandbox.engine, "app_id": sandbox.app_id,
                                                         "instance_id": sandbox.instance_id},
                "privileged": [name for name in announced if access.may_bind(name)]})
        return listed


def clients(compositor: Compositor, args: list[str]) -> Any:
    """`orrery msg clients`: every connected client, who it is and which restricted globals it may bind."""
    if args:
        raise ValueError("usage: clients")
    return compositor.access.describe()


def register(compositor: Compositor) -> AccessControl:
    return AccessControl(compositor)
