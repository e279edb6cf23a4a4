"""``orrery`` command line: ``orrery run`` starts the desktop, ``orrery msg`` talks to a running one."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys

from . import ipc
from .backends.base import Backend, OutputSpec
from .shell_processes import ShellProcesses


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orrery", description="Orrery, a Linux desktop in Python")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the compositor")
    run.add_argument("--backend", choices=("auto", "headless", "x11"), default="auto")
    run.add_argument("--socket", metavar="NAME", help="Wayland socket name (default: first free wayland-N)")
    run.add_argument("--output", metavar="WxH[@HZ]", action="append", default=[], type=_output_spec,
                     help="add an output (repeatable), e.g. 1280x800@60")
    run.add_argument("--no-shell", action="store_true", help="do not start the panel, launcher, background")
    run.add_argument("--config", metavar="PATH", help="configuration file")
    run.add_argument("--verbose", "-v", action="store_true")

    msg = commands.add_parser("msg", help="send a command to a running compositor")
    msg.add_argument("--socket", metavar="NAME", default=os.environ.get("WAYLAND_DISPLAY"))
    msg.add_argument("message", nargs="+", metavar="COMMAND", help="windows | outputs | screenshot PATH | quit")
    from themes.cli_parser import add_theme_parser  # light: the theme commands load on use

    add_theme_parser(commands)
    return parser


def _output_spec(text: str) -> OutputSpec:
    try:
        return OutputSpec.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def choose_backend(name: str, outputs: list[OutputSpec]) -> Backend:
    if name == "auto":
        if not os.environ.get("DISPLAY"):
            raise SystemExit("orrery: no display to nest in (DISPLAY is not set); "
                             "use --backend headless to run without a window")
        name = "x11"
    if name == "x11":
        from .backends.x11 import X11Backend
        return X11Backend(outputs)
    from .backends.headless import HeadlessBackend
    return HeadlessBackend(outputs)


def run(args: argparse.Namespace) -> int:
    from .server import serve

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="orrery: %(levelname)s %(name)s: %(message)s")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        print("orrery: XDG_RUNTIME_DIR is not set", file=sys.stderr)
        return 1
    backend = choose_backend(args.backend, args.output)

    async def main() -> int:
        servers: list[ipc.IpcServer] = []
        shells: list[ShellProcesses] = []

        def ready(compositor: object) -> None:
            from .server import Compositor
            assert isinstance(compositor, Compositor)
            name = compositor.display.socket_name or ""
            server = ipc.IpcServer(compositor, name)
            servers.append(server)
            asyncio.get_running_loop().create_task(_announce(server, name))
            if not args.no_shell:
                shells.append(ShellProcesses(name))
                compositor.seat.super_tap_listeners.append(shells[0].toggle_launcher)
                shells[0].start()

        try:
            return await serve(backend, args.socket, ready)
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


async def _announce(server: ipc.IpcServer, name: str) -> None:
    await server.start()
    print(f"WAYLAND_DISPLAY={name}", flush=True)


def msg(args: argparse.Namespace) -> int:
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
