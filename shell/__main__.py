"""``python -m shell panel|launcher|background|switcher``: one shell client on $WAYLAND_DISPLAY (``orrery run``
starts all four and restarts them if they crash; see docs/shell.md)."""

from __future__ import annotations

import logging
import os
import sys

CLIENTS = ("panel", "launcher", "background", "switcher")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["standby"]:
        # A warm spare for the supervisor: load everything now, become the client named on stdin later, so a
        # crashed client is replaced without paying for Python's and the toolkit's start-up.
        from . import background, launcher, panel, switcher  # noqa: F401
        _warm_up()
        args = [sys.stdin.readline().strip()]
    if len(args) != 1 or args[0] not in CLIENTS:
        print(f"usage: python -m shell {{{'|'.join(CLIENTS)}}}", file=sys.stderr)
        return 2
    display = os.environ.get("WAYLAND_DISPLAY")
    if not display:
        print("orrery shell: WAYLAND_DISPLAY is not set", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format=f"orrery {args[0]}: %(levelname)s %(message)s")
    if args[0] == "panel":
        from .panel import main as run
    elif args[0] == "launcher":
        from .launcher import main as run
    elif args[0] == "switcher":
        from .switcher import main as run
    else:
        from .background import main as run
    return run(display)


def _warm_up() -> None:
    """What every client pays for on its first frame: fontconfig and Pango's first layout, the theme."""
    from widgets.core.text_engine import TextEngine, TextSpec

    TextEngine().measure(TextSpec("Applications 12:00", 14.0, "sans"))
    from .common import Common

    Common.load()


if __name__ == "__main__":
    sys.exit(main())
