"""``python -m widgets.gallery``: a Wayland window when WAYLAND_DISPLAY is set, else ``--png`` headless.

``--theme NAME|FILE`` draws it with a TOML theme, restyled live on every save."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..headless import parse_size, render_png
from .app import Gallery


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.gallery", description=__doc__)
    parser.add_argument("--png", help="render one frame to this PNG and exit")
    parser.add_argument("--size", default="1000x760", help="window size in logical pixels (WxH)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--theme", metavar="NAME|FILE",
                        help="draw with this TOML theme and restyle whenever it is saved (see docs/themes.md)")
    args = parser.parse_args(argv)
    width, height = parse_size(args.size)
    app: Any = Gallery()
    if args.theme:
        from ..themed import Themed
        source = Path(args.theme) if "/" in args.theme or args.theme.endswith(".toml") else args.theme
        app = Themed(app, source)
    if args.png:
        render_png(app, args.png, width, height, args.scale)
        return 0
    if not os.environ.get("WAYLAND_DISPLAY"):
        print("WAYLAND_DISPLAY is not set: use --png PATH to render headless", file=sys.stderr)
        return 2
    from ..wayland import run
    return run(app, width, height)


if __name__ == "__main__":
    sys.exit(main())
