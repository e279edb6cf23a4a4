"""Headless platform: render any application to an image or a PNG at a size and output scale.

    python -m widgets.headless myapp:App --size 800x600 --scale 1.5 --png out.png
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import math
from pathlib import Path
from typing import Any

import cairo

from .core.application import Application
from .core.geometry import Size
from .core.runtime import Runtime


def new_surface(runtime: Runtime[Any, Any]) -> cairo.ImageSurface:
    width, height = runtime.device_size
    return cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)


def render(app: Application[Any, Any] | Runtime[Any, Any], width: float, height: float,
           scale: float = 1.0) -> cairo.ImageSurface:
    """The application's first frame (or a running runtime's current frame) as an image surface."""
    runtime = app if isinstance(app, Runtime) else Runtime(app, Size(width, height), scale)
    if runtime.window_size != Size(width, height) or runtime.output_scale != scale:
        runtime.resize(Size(width, height), scale)
    surface = new_surface(runtime)
    runtime.render(surface, full=True)
    if not isinstance(app, Runtime):
        runtime.close()
        runtime.loop.run_until_complete(asyncio.sleep(0))  # let cancelled subscriptions finish
        runtime.loop.close()
    return surface


def render_png(app: Application[Any, Any] | Runtime[Any, Any], path: Path | str, width: float, height: float,
               scale: float = 1.0) -> Path:
    surface = render(app, width, height, scale)
    surface.write_to_png(str(path))
    return Path(path)


def run_for(runtime: Runtime[Any, Any], seconds: float) -> None:
    """Let tasks and subscriptions run for ``seconds`` of real time, handling their messages."""
    loop = runtime.loop

    async def pump() -> None:
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            await asyncio.sleep(0.01)
            runtime.flush()
    loop.run_until_complete(pump())


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("app", help="module:attribute of an application object or class")
    parser.add_argument("--size", default="800x600")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--png", required=True)
    args = parser.parse_args(argv)
    module, _, attr = args.app.partition(":")
    target = getattr(importlib.import_module(module), attr)
    app = target() if isinstance(target, type) else target
    width, height = parse_size(args.size)
    surface = render(app, width, height, args.scale)
    surface.write_to_png(args.png)
    print(f"{args.png}: {surface.get_width()}x{surface.get_height()} (scale {args.scale:g}, "
          f"{math.ceil(width * args.scale)}x{math.ceil(height * args.scale)} device pixels)")


if __name__ == "__main__":
    main()
