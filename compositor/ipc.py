"""The IPC socket ``$XDG_RUNTIME_DIR/orrery-NAME.sock``: one JSON request per line, one JSON reply.

Request: ``{"command": "windows", "args": []}``. Reply: ``{"ok": true, "result": ...}`` or
``{"ok": false, "error": "..."}``. ``orrery msg`` is the client.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import access, bindings, config_live, ipc_input, ipc_output
from .handlers import layer_shell, session_lock
from .handlers.xdg_popup import popup_rects
from .render import compose_layout

if TYPE_CHECKING:
    from .server import Compositor


def socket_path(name: str) -> str:
    return os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), f"orrery-{name}.sock")


class IpcError(Exception):
    pass


def windows(compositor: Compositor, args: list[str]) -> Any:
    result = []
    spaces = compositor.wm.workspaces
    for window in compositor.wm.windows:
        rect = window.rect()
        workspace = window.workspace
        result.append({"id": window.id, "app_id": window.toplevel.app_id, "title": window.toplevel.title,
                       "x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height,
                       "focused": window is compositor.wm.focused, "minimized": window.minimized,
                       "maximized": window.maximized, "fullscreen": window.fullscreen,
                       "pid": _pid(window), "popups": popup_rects(window.popups),
                       "buffer": _buffer_size(window), "decorations": window.toplevel.decorations,
                       "frame": _frame(compositor, window),
                       "workspace": spaces.name(workspace) if workspace is not None else None,
                       "output": workspace.output if workspace is not None else None,
                       "tiled": compositor.wm.tiler.tiled(window), "floating": not compositor.wm.tiler.tiled(window),
                       "xwayland": window.toplevel.xwayland})
    return result


def workspaces(compositor: Compositor, args: list[str]) -> Any:
    """Per output, its workspaces in order: ``index`` (from 1, as ``action workspace N`` counts), ``name``,
    ``active``, ``urgent``, ``tiling`` and ``windows`` (ids, bottom to top)."""
    spaces = compositor.wm.workspaces
    result = []
    for output in compositor.scene.outputs:
        group = spaces.groups.get(output.name)
        listed = group.workspaces if group is not None else []
        result.append({"output": output.name, "workspaces": [
            {"index": index + 1, "name": spaces.name(workspace), "active": workspace.shown,
             "urgent": spaces.urgent(workspace), "tiling": compositor.wm.tiler.tiling(workspace),
             "windows": [window.id for window in spaces.windows_on(workspace)]}
            for index, workspace in enumerate(listed)]})
    return result


def _pid(window: Any) -> int | None:
    """The client's process; an X window's is its _NET_WM_PID (Xwayland's connection is the compositor's own)."""
    if window.toplevel.xwayland:
        return window.toplevel.pid or None
    return int(window.surface.resource.client.pid)


def _frame(compositor: Compositor, window: Any) -> dict[str, int] | None:
    """The server-side frame's rectangle (title bar and border), None when the compositor draws none."""
    rect = compositor.decorations.frame_rect(window)
    return None if rect is None else {"x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height}


def _buffer_size(window: Any) -> list[int] | None:
    """The pixel size of the window's last committed buffer (its scale shows as buffer / width)."""
    content = window.surface.content
    return None if content is None else [content.width, content.height]


def outputs(compositor: Compositor, args: list[str]) -> Any:
    return [{"name": o.name, "x": o.x, "y": o.y, "width": o.width, "height": o.height,
             "refresh": o.refresh_mhz / 1000, "scale": o.scale, "transform": o.transform, "make": o.make,
             "model": o.model, "serial": o.serial, "physical_size": list(o.physical_size),
             "power": "on" if o.powered else "off",
             "mode": f"{o.mode_width}x{o.mode_height}@{o.refresh_mhz / 1000:g}",
             "modes": [{"width": m.width, "height": m.height, "refresh": m.refresh_mhz / 1000,
                        "preferred": m.preferred,
                        "current": (m.width, m.height, m.refresh_mhz) == (o.mode_width, o.mode_height, o.refresh_mhz)}
                       for m in o.modes]}
            for o in compositor.scene.outputs]


def screenshot(compositor: Compositor, args: list[str]) -> Any:
    if len(args) != 1:
        raise IpcError("usage: screenshot PATH")
    path = args[0]
    compose_layout(compositor.scene).write_to_png(path)
    return {"path": path}


def quit_(compositor: Compositor, args: list[str]) -> Any:
    compositor.loop.call_soon(compositor.quit)
    return None


def action(compositor: Compositor, args: list[str]) -> Any:
    """Run an action as a key binding would: as written in orrery.toml (``action "workspace 2"``) or as
    separate words (``action spawn foot``), which are the same once joined."""
    if not args:
        raise IpcError(f"usage: action ACTION [ARGUMENT] (actions: {', '.join(bindings.ACTIONS)})")
    compositor.perform(bindings.parse_action(" ".join(args)))
    return None


def config(compositor: Compositor, args: list[str]) -> Any:
    """orrery.toml: its path, and the errors that kept its last save from taking effect (else null)."""
    return config_live.problems_answer(compositor.config.path, compositor.config_problems)


def xwayland(compositor: Compositor, args: list[str]) -> Any:
    """X11 support: ``{"display": ":N", "pid": PID|null, "running": bool}`` (null when it is off); ``xwayland
    windows`` lists the X server's top-level windows as the window manager for X11 sees them."""
    server = compositor.xwayland
    if args[:1] == ["windows"]:
        return server.wm.describe() if server is not None and server.wm is not None else []
    return server.describe() if server is not None else None


COMMANDS: dict[str, Callable[[Compositor, list[str]], Any]] = {
    "windows": windows, "outputs": outputs, "screenshot": screenshot, "quit": quit_, "action": action,
    "config": config, "xwayland": xwayland,
    "workspaces": workspaces,  # per output: its workspaces and their windows
    "layers": layer_shell.layers,  # mapped layer-shell surfaces (panels, launchers, notifications)
    "lock": session_lock.lock,  # start the screen locker
    "clients": access.clients,  # connected clients: pid, executable, sandbox, the restricted globals they may bind
    **ipc_input.COMMANDS,  # pointer, touch, window move, window-for-surface, surface move
    **ipc_output.COMMANDS,  # output scale, seat (the pointer's position and cursor)
}
# Commands that take file descriptors sent along with the request (SCM_RIGHTS); they own them.
FD_COMMANDS: dict[str, Callable[[Compositor, list[str], list[int]], Any]] = {**ipc_input.FD_COMMANDS}


class IpcServer:
    """Serves the socket from the compositor's loop; a request is answered only once it has been handled
    and the resulting Wayland events are flushed to clients, so a caller can act on the reply at once."""

    def __init__(self, compositor: Compositor, name: str) -> None:
        self.compositor = compositor
        self.path = socket_path(name)
        self.sock: socket.socket | None = None
        self.connections: set[_Connection] = set()

    async def start(self) -> None:
        if os.path.exists(self.path):
            os.unlink(self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(self.path)
        sock.listen(16)
        sock.setblocking(False)
        self.sock = sock
        asyncio.get_running_loop().add_reader(sock.fileno(), self._accept)

    def close(self) -> None:
        for connection in list(self.connections):
            connection.close()
        if self.sock is not None:
            asyncio.get_event_loop().remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        if os.path.exists(self.path):
            os.unlink(self.path)

    def _accept(self) -> None:
        assert self.sock is not None
        try:
            conn, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        self.connections.add(_Connection(self, conn))

    def handle(self, line: bytes, fds: list[int] | None = None) -> dict[str, Any]:
        fds = list(fds or [])
        command = None
        try:
            request = json.loads(line)
            command = request.get("command")
            args = [str(arg) for arg in request.get("args", [])]
            if command in FD_COMMANDS:
                taken, fds = fds, []
                result = FD_COMMANDS[command](self.compositor, args, taken)
            elif command in COMMANDS:
                result = COMMANDS[command](self.compositor, args)
            else:
                known = ", ".join(sorted([*COMMANDS, *FD_COMMANDS]))
                raise IpcError(f"unknown command {command!r} (known: {known})")
            return {"ok": True, "result": result}
        except (IpcError, ValueError, AttributeError) as error:
            return {"ok": False, "error": str(error)}
        except Exception as error:  # a failing command must not take the compositor down
            return {"ok": False, "error": f"{command}: {error!r}"}
        finally:
            for fd in fds:
                os.close(fd)
            self.compositor.display.flush()


class _Connection:
    def __init__(self, server: IpcServer, sock: socket.socket) -> None:
        self.server = server
        self.sock = sock
        self.buffer = b""
        self.fds: list[int] = []
        sock.setblocking(False)
        asyncio.get_running_loop().add_reader(sock.fileno(), self._readable)

    def _readable(self) -> None:
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, 65536, 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close()
            return
        self.fds.extend(fds)
        if not data:
            self.close()
            return
        self.buffer += data
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            fds, self.fds = self.fds, []  # descriptors travel with the request they were sent with
            reply = json.dumps(self.server.handle(line, fds)).encode() + b"\n"
            try:
                self.sock.settimeout(10.0)  # replies are small; never wait on a stuck reader for long
                self.sock.sendall(reply)
                self.sock.setblocking(False)
            except OSError:
                self.close()
                return

    def close(self) -> None:
        if self.sock.fileno() >= 0:
            asyncio.get_event_loop().remove_reader(self.sock.fileno())
            self.sock.close()
        for fd in self.fds:
            os.close(fd)
        self.fds = []
        self.server.connections.discard(self)


def request(name: str, command: str, args: list[str], timeout: float = 10.0, fds: Sequence[int] = ()) -> Any:
    """Send one command (with ``fds`` attached) to a running compositor and wait for the reply;
    raises IpcError with a clear message."""
    path = socket_path(name)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError as error:
            raise IpcError(f"no Orrery compositor at {path} ({error.strerror})") from None
        payload = json.dumps({"command": command, "args": args}).encode() + b"\n"
        if fds:
            sent = socket.send_fds(sock, [payload], list(fds))
            sock.sendall(payload[sent:])
        else:
            sock.sendall(payload)
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                raise IpcError("the compositor closed the connection")
            data += chunk
    reply = json.loads(data)
    if not reply.get("ok"):
        raise IpcError(reply.get("error", "unknown error"))
    return reply.get("result")
