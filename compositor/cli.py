"""``orrery`` command line: ``orrery run`` starts the desktop, ``orrery msg`` talks to a running one."""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .backends.base import OutputSpec

if TYPE_CHECKING:
    import asyncio

    from . import ipc
    from .backends.base import Backend
    from .config import Config
    from .shell_processes import ShellProcesses


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orrery", description="Orrery, a Linux desktop in Python")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the compositor")
    run.add_argument("--backend", choices=("auto", "headless", "wayland", "x11", "drm"), default="auto",
                     help="auto: a window on the Wayland desktop when WAYLAND_DISPLAY is set, else on the X11 "
                          "one when DISPLAY is, else the DRM backend on a VT")
    run.add_argument("--socket", metavar="NAME", help="Wayland socket name (default: first free wayland-N)")
    run.add_argument("--output", metavar="WxH[@HZ]", action="append", default=[], type=_output_spec,
                     help="add an output (repeatable), e.g. 1280x800@60")
    run.add_argument("--no-shell", action="store_true", help="do not start the panel, launcher, background")
    run.add_argument("--session", action="store_true",
                     help="a login session (orrery-session): hand WAYLAND_DISPLAY to D-Bus activation")
    run.add_argument("--config", metavar="PATH", type=Path,
                     help="configuration file (default: $XDG_CONFIG_HOME/orrery/orrery.toml)")
    run.add_argument("--verbose", "-v", action="store_true")

    msg = commands.add_parser("msg", help="send a command to a running compositor")
    msg.add_argument("--socket", metavar="NAME", default=os.environ.get("WAYLAND_DISPLAY"))
    msg.add_argument("message", nargs="+", metavar="COMMAND",
                     help="windows | workspaces | outputs | config | action ACTION | screenshot PATH | quit | ...")
    from themes.cli_parser import add_theme_parser  # light: the theme commands load on use

    add_theme_parser(commands)
    return parser


def _output_spec(text: str) -> OutputSpec:
    try:
        return OutputSpec.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def choose_backend(name: str, outputs: list[OutputSpec], config: Config) -> Backend:
    """The backend called ``name``; ``auto`` looks at the environment Orrery was started in (read here, before
    ``orrery run`` sets ``WAYLAND_DISPLAY`` for what it starts)."""
    parent = os.environ.get("WAYLAND_DISPLAY", "")
    if name == "auto":
        if parent and _wayland_socket_accepts(parent):
            name = "wayland"
        elif os.environ.get("DISPLAY"):
            name = "x11"
        elif _on_a_seat():
            name = "drm"
        else:
            raise SystemExit("orrery: nowhere to show the desktop: neither WAYLAND_DISPLAY (to nest in a Wayland "
                             "desktop) nor DISPLAY (X11) names a running display, and this is not a login session "
                             "on a VT with a seat (seatd or logind); use --backend headless to run without a screen")
    if name == "wayland":
        if not parent:
            raise SystemExit("orrery: --backend wayland needs WAYLAND_DISPLAY: the Wayland compositor to show a "
                             "window on")
        from .backends.wayland import WaylandBackend
        return WaylandBackend(outputs, parent)
    if name == "x11":
        from .backends.x11 import X11Backend
        return X11Backend(outputs)
    if name == "drm":
        from .backends.drm import DrmBackend, DrmSettings, input_settings

        if outputs:
            raise SystemExit("orrery: --output is for the headless, wayland and x11 backends; the DRM backend uses the "
                             "monitors that are connected (orrery msg output mode changes their mode)")
        get = config.get
        return DrmBackend(DrmSettings(
            device=str(get("drm", "device")), hardware_cursor=bool(get("drm", "hardware_cursor")),
            input=input_settings(config)))
    from .backends.headless import HeadlessBackend
    return HeadlessBackend(outputs)


def _wayland_socket_accepts(name: str) -> bool:
    """Whether a Wayland compositor listens at ``name`` (a variable left over from an earlier session names none)."""
    path = name if os.path.isabs(name) else os.path.join(os.environ.get("XDG_RUNTIME_DIR", ""), name)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(path)
        except OSError:
            return False
    return True


def _on_a_seat() -> bool:
    """A login on a seat: seatd's socket, or what a display manager or logind sets for the session."""
    return os.path.exists(os.environ.get("SEATD_SOCK", "/run/seatd.sock")) or any(
        os.environ.get(name) for name in ("XDG_SESSION_ID", "XDG_SEAT", "XDG_VTNR"))


def run(args: argparse.Namespace) -> int:
    # Start-up makes some 50,000 objects that live as long as the process (modules, classes, protocol tables):
    # the cyclic collector would walk them over and over while they are made (≈ 10–15 ms). It runs again once
    # the compositor is ready (``ready``). (Not frozen then: it runs rarely, and a start-up object in a cycle that
    # became garbage later, an unplugged output say, would never be freed.)
    gc.disable()
    import asyncio
    import logging

    from . import ipc
    from .access import Origin
    from .config import default_path, load_or_defaults
    from .server import serve

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="orrery: %(levelname)s %(name)s: %(message)s")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        print("orrery: XDG_RUNTIME_DIR is not set", file=sys.stderr)
        return 1
    config, config_problems = load_or_defaults(args.config or default_path())
    backend = choose_backend(args.backend, args.output, config)

    async def main() -> int:
        servers: list[ipc.IpcServer] = []
        shells: list[ShellProcesses] = []
        tasks: list[asyncio.Task[None]] = []

        def ready(compositor: object) -> None:
            gc.enable()  # first: whatever fails below, the collector must not stay off
            from .server import Compositor
            assert isinstance(compositor, Compositor)
            name = compositor.display.socket_name or ""
            server = ipc.IpcServer(compositor, name)
            servers.append(server)
            x_display = compositor.xwayland.display if compositor.xwayland is not None else None
            asyncio.get_running_loop().create_task(_announce(server, name, x_display))
            if args.session:
                from .session import update_activation_environment
                tasks.append(update_activation_environment(name, x_display))
            if not args.no_shell:
                from .shell_processes import ShellProcesses  # here: it needs ctypes, ≈ 2 ms to import

                shells.append(ShellProcesses(name, connect=lambda: compositor.access.connect(Origin.SHELL),
                                             x_display=x_display))
                compositor.launcher_toggles.append(shells[0].toggle_launcher)
                shells[0].start()

        try:
            return await serve(backend, args.socket, ready, config=config, config_problems=config_problems)
        finally:
            for server in servers:
                server.close()
            for shell in shells:
                await shell.stop()

    try:
        return asyncio.run(main())
    except RuntimeError as error:
        print(f"orrery: {error}", file=sys.stderr)
        return 1


async def _announce(server: ipc.IpcServer, name: str, x_display: str | None = None) -> None:
    await server.start()
    print(f"WAYLAND_DISPLAY={name}", flush=True)
    if x_display is not None:
        print(f"DISPLAY={x_display}", flush=True)  # X11 programs started from elsewhere use this


def msg(args: argparse.Namespace) -> int:
    from . import ipc

    if not args.socket:
        print("orrery msg: no compositor named: pass --socket NAME or set WAYLAND_DISPLAY", file=sys.stderr)
        return 2
    command, *rest = args.message
    if command == "screenshot" and rest:
        rest = [os.path.abspath(rest[0]), *rest[1:]]
    try:
        result = ipc.request(args.socket, command, rest)
    except ipc.IpcError as error:
        print(f"orrery msg: {error}", file=sys.stderr)
        return 1
    if result is not None:
        print(json.dumps(result, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "run":
        return run(args)
    if args.command == "theme":
        from themes.cli import run_theme

        return run_theme(args)
    return msg(args)
