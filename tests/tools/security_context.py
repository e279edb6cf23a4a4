"""A sandbox engine's side of wp_security_context_v1, as Flatpak does it, and a client guessing a global's name.

    python -m tests.tools.security_context listen SOCKET_PATH ENGINE APP_ID INSTANCE_ID
    python -m tests.tools.security_context bind NAME INTERFACE
    python -m tests.tools.security_context misuse CASE

``listen`` binds a Unix socket at SOCKET_PATH, hands it to the compositor of $WAYLAND_DISPLAY with the read end
of a pipe, names the engine, app and instance, commits, and prints ``ready`` once the compositor has handled
that: clients connecting to SOCKET_PATH are then sandboxed. It holds the pipe's write end until its stdin
closes (or it is killed), which tells the compositor to stop accepting there; then it prints ``closed``.

``bind`` asks ``wl_registry.bind`` for global NAME as INTERFACE (version 1) without having been told of it, as a
client guessing names would; prints ``bound`` if the compositor let it, else ``refused`` (libwayland prints
the compositor's error on stderr).

``misuse`` breaks the protocol one way, on a socket in $XDG_RUNTIME_DIR (CASE: ``not-a-socket``: a pipe as
listen_fd; ``not-listening``: a socket never listened on; ``twice``: the app id set twice; ``after-commit``: a
name set after the commit; ``withdrawn``: destroyed before its commit, which is allowed), then roundtrips and
prints ``disconnected`` if the compositor cut it off (libwayland prints the error on stderr), else ``ok``.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

from pywayland.client import Display
from pywayland.protocol.security_context_v1 import WpSecurityContextManagerV1

from orrery_testing.client import connect
from protocols.virtual_keyboard_unstable_v1 import ZwpVirtualKeyboardManagerV1
from protocols.wlr_foreign_toplevel_management_unstable_v1 import ZwlrForeignToplevelManagerV1
from protocols.wlr_virtual_pointer_unstable_v1 import ZwlrVirtualPointerManagerV1

GUESSABLE = {i.name: i for i in (ZwpVirtualKeyboardManagerV1, ZwlrVirtualPointerManagerV1,
                                  ZwlrForeignToplevelManagerV1, WpSecurityContextManagerV1)}


def listen(path: str, engine: str, app_id: str, instance_id: str) -> int:
    display, bound = connect({WpSecurityContextManagerV1: 1})
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening.bind(path)
    listening.listen(16)
    close_read, close_write = os.pipe()
    context = bound["wp_security_context_manager_v1"].create_listener(listening.fileno(), close_read)
    context.set_sandbox_engine(engine)
    context.set_app_id(app_id)
    context.set_instance_id(instance_id)
    context.commit()
    context.destroy()  # the listener stays: it ends with the pipe
    if display.roundtrip() < 0:
        return 1
    listening.close()  # (the compositor has its own copies now)
    os.close(close_read)
    print("ready", flush=True)
    sys.stdin.read()
    os.close(close_write)
    print("closed", flush=True)
    return 0


def bind(name: str, interface: str) -> int:
    display = Display()
    display.connect()
    registry = display.get_registry()
    display.roundtrip()
    kept: list[Any] = [registry.bind(int(name), GUESSABLE[interface], 1)]
    ok = display.roundtrip() >= 0 and display.roundtrip() >= 0
    print("bound" if ok else "refused", flush=True)
    del kept
    return 0


def misuse(case: str) -> int:
    display, bound = connect({WpSecurityContextManagerV1: 1})
    path = os.path.join(os.environ["XDG_RUNTIME_DIR"], f"misuse-{os.getpid()}")
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening.bind(path)
    if case != "not-listening":
        listening.listen(1)
    close_read, close_write = os.pipe()
    listen_fd = close_write if case == "not-a-socket" else listening.fileno()
    context = bound["wp_security_context_manager_v1"].create_listener(listen_fd, close_read)
    context.set_app_id("org.example.App")
    if case == "twice":
        context.set_app_id("org.example.Other")
    elif case == "after-commit":
        context.commit()
        context.set_instance_id("1")
    elif case == "withdrawn":
        context.destroy()
    print("disconnected" if display.roundtrip() < 0 else "ok", flush=True)
    os.unlink(path)
    return 0


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    code = listen(*args) if mode == "listen" else bind(*args) if mode == "bind" else misuse(*args)
    sys.stdout.flush()
    os._exit(code)  # skip pywayland's teardown
