"""The server layer over libwayland (compositor/wl): globals, dispatch, and errors confined to one client."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from pywayland.protocol.wayland import WlCompositor, WlOutput

from compositor.wl.display import Display
from compositor.wl.resource import Resource

ROOT = Path(__file__).resolve().parent.parent


async def _run(display: Display, argv: list[str]) -> tuple[int, str, str]:
    env = {**os.environ, "WAYLAND_DISPLAY": display.socket_name or ""}
    process = await asyncio.create_subprocess_exec(*argv, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 20)
    return process.returncode or 0, out.decode(), err.decode()


def _serve(_runtime_dir: Path, scenario: Callable[[Display], Awaitable[None]]) -> None:

    async def main() -> None:
        display = Display()
        display.attach(asyncio.get_running_loop())
        display.add_socket(f"layer-test-{os.getpid()}")
        try:
            await scenario(display)
        finally:
            display.destroy()

    asyncio.run(main())


def test_globals_are_announced_and_removed(runtime_dir: Path) -> None:
    async def scenario(display: Display) -> None:
        output = display.add_global(WlOutput, 4, lambda res: None)
        _, listed, _ = await _run(display, ["wayland-info"])
        assert "wl_output" in listed and "wl_shm" in listed
        output.destroy()
        _, listed, _ = await _run(display, ["wayland-info"])
        assert "wl_output" not in listed

    _serve(runtime_dir, scenario)


def test_handler_exception_disconnects_only_that_client(runtime_dir: Path) -> None:
    calls: list[int] = []

    class Broken:
        def create_surface(self, res: Resource, new: Resource) -> None:
            calls.append(new.id)
            raise RuntimeError("boom")

    async def scenario(display: Display) -> None:
        display.add_global(WlCompositor, 4, lambda res: setattr(res, "impl", Broken()))
        code, out, err = await _run(display, [sys.executable, "-m", "tests.tools.misbehave", "bad-scale"])
        assert "disconnected" in out
        assert "wl_compositor.create_surface: RuntimeError('boom')" in err
        assert calls, "the request reached the Python method with its new object"
        _, listed, _ = await _run(display, ["wayland-info"])  # the display still serves other clients
        assert "wl_compositor" in listed

    _serve(runtime_dir, scenario)
