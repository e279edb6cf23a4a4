"""What the actions of key bindings and ``orrery msg action`` do (``bindings.py`` parses and checks them).

Each action has one handler in :data:`HANDLERS`. Window actions act on the focused window and do nothing when
there is none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from protocols import shell_control

from .bindings import Action

if TYPE_CHECKING:
    from .server import Compositor

log = logging.getLogger(__name__)

Handler = Callable[["Compositor", Action], None]


def perform(compositor: Compositor, action: Action) -> None:
    HANDLERS[action.name](compositor, action)


def _close(compositor: Compositor, action: Action) -> None:
    window = compositor.wm.focused
    if window is not None:
        window.toplevel.close()


def _maximize(compositor: Compositor, action: Action) -> None:
    window = compositor.wm.focused
    if window is not None:
        compositor.wm.set_maximized(window, not window.maximized)


def _fullscreen(compositor: Compositor, action: Action) -> None:
    window = compositor.wm.focused
    if window is not None:
        compositor.wm.set_fullscreen(window, not window.fullscreen)


def _minimize(compositor: Compositor, action: Action) -> None:
    window = compositor.wm.focused
    if window is not None:
        compositor.wm.minimize(window)


def _spawn(compositor: Compositor, action: Action) -> None:
    compositor.spawn(action.argument)


def _launcher(compositor: Compositor, action: Action) -> None:
    for toggle in list(compositor.launcher_toggles):
        toggle()


def _switcher(compositor: Compositor, action: Action) -> None:
    # The switcher is a shell client with its own control socket; it keeps the window order and the selection.
    command = action.argument or "next"
    output = compositor.wm.workspaces.current_output()
    if output is not None:  # it lists the windows of the workspaces of this output
        command = f"{command} {output.name}"
    if not shell_control.send(compositor.display.socket_name or "", "switcher", command):
        log.warning("%s: no window switcher is listening", action)


def _reload(compositor: Compositor, action: Action) -> None:
    compositor.reload_config()


def _exit(compositor: Compositor, action: Action) -> None:
    compositor.exit_session()


def _quit(compositor: Compositor, action: Action) -> None:
    compositor.quit_prompt.ask()


def _lock(compositor: Compositor, action: Action) -> None:
    try:
        log.info("lock: %s", compositor.session_lock.start_locker())
    except ValueError as error:
        log.warning("lock: %s", error)


def _vt(compositor: Compositor, action: Action) -> None:
    compositor.backend.switch_vt(int(action.argument))


def _grab(compositor: Compositor, action: Action) -> None:
    compositor.backend.toggle_grab()


def _workspace(compositor: Compositor, action: Action) -> None:
    compositor.wm.workspaces.perform(action)


def _toggle_tiling(compositor: Compositor, action: Action) -> None:
    wm = compositor.wm
    wm.tiler.toggle(wm.workspaces.current())


def _toggle_floating(compositor: Compositor, action: Action) -> None:
    window = compositor.wm.focused
    if window is not None:
        compositor.wm.tiler.toggle_floating(window)


def _focus(compositor: Compositor, action: Action) -> None:
    compositor.wm.tiler.focus_direction(action.argument)


def _move(compositor: Compositor, action: Action) -> None:
    compositor.wm.tiler.move_direction(action.argument)


HANDLERS: dict[str, Handler] = {
    "close": _close, "maximize": _maximize, "fullscreen": _fullscreen, "minimize": _minimize,
    "spawn": _spawn, "launcher": _launcher, "reload": _reload, "quit": _quit, "exit": _exit, "lock": _lock,
    "vt": _vt, "grab": _grab,
    "workspace": _workspace, "move-to-workspace": _workspace, "switcher": _switcher,
    "toggle-tiling": _toggle_tiling, "toggle-floating": _toggle_floating, "focus": _focus, "move": _move,
}
