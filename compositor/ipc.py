"""The IPC socket ``$XDG_RUNTIME_DIR/orrery-NAME.sock``: one JSON request per line, one JSON reply.

Request: ``{"command": "windows", "args": []}``. Reply: ``{"ok": true, "result": ...}`` or
``{"ok": false, "error": "..."}``. ``orrery msg`` is the client.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .render import compose_layout

if TYPE_CHECKING:
    from .server import Compositor


def socket_path(name: str) -> str:
    return os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), f"orrery-{name}.sock")


class IpcError(Exception):
    pass


def windows(compositor: Compositor, args: list[str]) -> Any:
    result = []
    for window in compositor.wm.windows:
        rect = window.rect()
        result.append({"id": window.id, "app_id": window.toplevel.app_id, "title": window.toplevel.title,
                       "x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height,
                       "focused": window is compositor.wm.focused, "minimized": window.minimized,
                       "maximized": window.maximized, "fullscreen": window.fullscreen,
                       "pid": window.surface.resource.client.pid})
    return result


def outputs(compositor: Compositor, args: list[str]) -> Any:
    return [{"name": o.name, "x": o.x, "y": o.y, "width": o.width, "height": o.height,
             "refresh": o.refresh_mhz / 1000, "scale": o.scale} for o in compositor.scene.outputs]


def screenshot(compositor: Compositor, args: list[str]) -> Any:
    if len(args) != 1:
        raise IpcError("usage: screenshot PATH")
    path = args[0]
    compose_layout(compositor.scene).write_to_png(path)
    return {"path": path}


def quit_(compositor: Compositor, args: list[str]) -> Any:
    compositor.loop.call_soon(compositor.quit)
    return None


COMMANDS: dict[str, Callable[[Compositor, list[str]], Any]] = {
    "windows": windows, "outputs": outputs, "screenshot": screenshot, "quit": quit_,
}


class IpcServer:
    def __init__(self, compositor: Compositor, name: str) -> None:
        self.compositor = compositor
        self.path = socket_path(name)
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.server = await asyncio.start_unix_server(self._serve, path=self.path)

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                writer.write(json.dumps(self.handle(line)).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def handle(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            command = request.get("command")
            handler = COMMANDS.get(command)
            if handler is None:
                raise IpcError(f"unknown command {command!r} (known: {', '.join(sorted(COMMANDS))})")
            return {"ok": True, "result": handler(self.compositor, list(request.get("args", [])))}
        except (IpcError, ValueError, AttributeError) as error:
            return {"ok": False, "error": str(error)}
        except Exception as error:  # a failing command must not take the compositor down
            return {"ok": False, "error": f"{command}: {error!r}"}


def request(name: str, command: str, args: list[str], timeout: float = 10.0) -> Any:
    """Send one command to a running compositor (blocking); raises IpcError with a clear message."""
    path = socket_path(name)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError as error:
            raise IpcError(f"no Orrery compositor at {path} ({error.strerror})") from None
        sock.sendall(json.dumps({"command": command, "args": args}).encode() + b"\n")
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
