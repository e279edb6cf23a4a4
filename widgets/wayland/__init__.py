"""Wayland client platform: run an application in an xdg_toplevel window on any compositor.

    from widgets.wayland import run
    run(MyApp(), 800, 600)
"""

from .window import run

__all__ = ["run"]
