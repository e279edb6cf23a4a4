"""``python -m shell [panel|launcher|background|switcher ...]``: shell clients on $WAYLAND_DISPLAY, all of them in
this one process unless named (``orrery run`` starts ``python -m shell`` and restarts it if it crashes; see
docs/shell.md)."""

from __future__ import annotations

import logging
import os
import sys

from .clients import CLIENTS


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    names = args or list(CLIENTS)
    if any(name not in CLIENTS for name in names) or len(set(names)) != len(names):
        print(f"usage: python -m shell [{'|'.join(CLIENTS)} ...]", file=sys.stderr)
        return 2
    display = os.environ.get("WAYLAND_DISPLAY")
    if not display:
        print("orrery shell: WAYLAND_DISPLAY is not set", file=sys.stderr)
        return 2
    label = names[0] if len(names) == 1 else "shell"
    logging.basicConfig(level=logging.WARNING, format=f"orrery {label}: %(levelname)s %(message)s")
    from .clients import run

    return run(display, names)


if __name__ == "__main__":
    sys.exit(main())
