"""The shell's clients on one connection: each a :class:`~widgets.wayland.layer.LayerApp` of one
:class:`~widgets.wayland.layer.LayerHost`, so that the interpreter, the toolkit, the theme engine and the fonts are
loaded once for all of them (docs/shell.md says why one process and not one each)."""

from __future__ import annotations

from collections.abc import Sequence

from widgets.wayland.host import HostContext
from widgets.wayland.layer import LayerApp, LayerHost

CLIENTS = ("panel", "background", "launcher", "switcher")  # also the order their surfaces are made in


def run(display: str, names: Sequence[str] = CLIENTS) -> int:
    """Run the clients ``names`` (of :data:`CLIENTS`) until the compositor goes away or we are stopped."""
    from pywayland.protocol.xdg_activation_v1 import XdgActivationV1

    from .background import Background
    from .launcher import Launcher
    from .panel import Panel
    from .switcher import Switcher
    from .toplevels import INTERFACES, Desktop

    extra: dict[str, tuple[type, int]] = {}
    windows = {"panel", "switcher"} & set(names)
    if windows:
        extra.update(INTERFACES)
    if "launcher" in names:
        extra["xdg_activation_v1"] = (XdgActivationV1, 1)
    desktops: list[Desktop] = []  # one view of the windows and workspaces, shared by the panels and the switcher

    def setup(ctx: HostContext) -> None:
        if windows:
            desktops.append(Desktop(ctx))

    apps = {
        "background": LayerApp(lambda _ctx, output: Background(output), per_output=True, name="background"),
        "panel": LayerApp(lambda _ctx, output: Panel(desktops[0], output, display), per_output=True, name="panel"),
        "launcher": LayerApp(lambda ctx, _output: Launcher(ctx, display), name="launcher"),
        "switcher": LayerApp(lambda _ctx, _output: Switcher(desktops[0], display), name="switcher"),
    }
    return LayerHost([apps[name] for name in CLIENTS if name in names], extra=extra, setup=setup).run()
