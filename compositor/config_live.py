"""orrery.toml while the compositor runs: read again when saved (or by the ``reload`` action) and applied.

A save with errors changes nothing: the settings in force stay, and the problems are logged (stderr) as
``file:line:col: ...``, kept for ``orrery msg config`` and published for the panel
(``protocols/config_problems.py``: a file next to the Wayland socket, removed after a good save). What a good
save changes takes effect at once where that is cheap: bindings, window rules (for windows mapped from then
on), the exit timeout, the keyboard's repeat rate and delay and its keymap; ``[security]`` for clients that connect
from then on. Touchpad, mouse and ``[drm]`` settings need a restart.

The file's directory is watched, not the file: editors save by writing a new file and renaming it over the
old one, which a watch on the old file would miss.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocols import config_problems
from themes.diagnostics import Diagnostic

from .config import Config, load
from .keyboard import Keyboard, KeymapNames

if TYPE_CHECKING:
    from themes.watch import DirectoryWatch

    from .server import Compositor

log = logging.getLogger(__name__)
KEYMAP_KEYS = ("layout", "variant", "options", "model", "rules")
DEBOUNCE = 0.05  # seconds: an editor's save is several events (write, close, rename) in a burst
WATCH_AFTER = 1.0  # seconds after start-up when the file begins to be watched (ConfigWatcher)


def keymap_names(config: Config) -> KeymapNames:
    return KeymapNames(*(str(config.get("keyboard", key)) for key in KEYMAP_KEYS))


def reload(compositor: Compositor) -> bool:
    """Read the compositor's orrery.toml again and apply it; False (and the problems kept and logged) when it
    has errors."""
    path = compositor.config.path
    if path is None:
        return False
    result = load(path)
    compositor.config_problems = result.diagnostics
    publish_problems(compositor)
    if result.config is None:
        for problem in result.diagnostics:
            log.error("%s (keeping the previous settings)", problem)
        return False
    old, compositor.config = compositor.config, result.config
    _apply(compositor, old)
    return True


def _apply(compositor: Compositor, old: Config) -> None:
    new = compositor.config
    if keymap_names(new) != keymap_names(old):
        try:
            keyboard = Keyboard(keymap_names(new))
        except ValueError as error:  # a layout xkbcommon does not know: the keys keep working as they did
            log.error("%s: %s (keeping the previous keymap)", new.path, error)
        else:
            compositor.seat.replace_keyboard(keyboard)
            compositor.keyboard = keyboard
    repeat = [new.get("keyboard", key) for key in ("repeat_rate", "repeat_delay")]
    if repeat != [old.get("keyboard", key) for key in ("repeat_rate", "repeat_delay")]:
        compositor.seat.send_repeat_info()
    compositor.backend.config_changed(new)  # touchpad and mouse settings
    if any(new.get("tiling", key) != old.get("tiling", key) for key in ("default", "outputs", "gap")):
        # workspaces the user has not toggled follow the new default; every tile takes the new gap
        compositor.wm.tiler.refresh_all()
        compositor.wm.workspaces.changed()
        compositor.windows_changed()


def problems_answer(path: Path | None, problems: tuple[Diagnostic, ...]) -> dict[str, Any]:
    """``orrery msg config``: the file, and its errors as ``file:line:col: ...`` lines (None when it is good)."""
    errors = [str(problem) for problem in problems if problem.is_error]
    return {"path": str(path) if path is not None else None, "error": "\n".join(errors) or None}


def problem_lines(problems: tuple[Diagnostic, ...]) -> list[str]:
    """The errors as the panel shows them: ``orrery.toml:4:19: bindings."Super+Q": unknown action ...``."""
    lines = []
    for problem in problems:
        if problem.is_error:
            where = problem.file.name if problem.file is not None else "orrery.toml"
            place = f"{where}:{problem.line}:{problem.column}" if problem.line else where
            lines.append(f"{place}: {problem.key + ': ' if problem.key else ''}{problem.message}")
    return lines


def problems_file(compositor: Compositor) -> Path | None:
    display = compositor.display.socket_name
    if not display:
        return None
    return config_problems.problems_path(display, compositor.environment.get("XDG_RUNTIME_DIR"))


def publish_problems(compositor: Compositor, final: bool = False) -> None:
    """Write the current problems where the shell looks for them (remove the file when there are none, or
    ``final``ly when the compositor stops)."""
    path = problems_file(compositor)
    if path is not None:
        config_problems.publish(path, [] if final else problem_lines(compositor.config_problems))


class ConfigWatcher:
    """Reloads the compositor's orrery.toml whenever it is saved, created or removed (then the defaults apply).

    When the file's directory does not exist yet, the nearest ancestor that does is watched until it appears.
    Watching begins ``delay`` seconds after start-up: inotify through watchdog costs ≈ 10 ms to import and set
    up, which a client's first frame should not wait for. A save made before then is read when it begins.
    """

    def __init__(self, compositor: Compositor, path: Path, delay: float = WATCH_AFTER) -> None:
        self.compositor = compositor
        self.path = path.absolute()
        self.watch: DirectoryWatch | None = None
        self._read = _file_state(self.path)  # the file as start-up read it (just before)
        self.task = asyncio.get_running_loop().create_task(self._run(delay))

    def _start_watching(self) -> DirectoryWatch:
        from themes.watch import DirectoryWatch

        # Events name paths in the watched directories as resolved; a file that is a symbolic link (to a
        # dotfiles repository, say) changes where its target is.
        names = {self.path.name, self.path.resolve().name}
        ancestors = {str(parent.resolve()) for parent in self.path.parents}
        self.watch = DirectoryWatch(lambda changed: os.path.basename(changed) in names or changed in ancestors,
                                    directories=True)
        self._watch_nearest(self.watch)
        return self.watch

    def _watch_nearest(self, watch: DirectoryWatch) -> None:
        nearest = next((d for d in self.path.parents if d.is_dir()), None)
        watch.watch([d for d in (nearest, self.path.resolve().parent) if d is not None])

    async def _run(self, delay: float) -> None:
        await asyncio.sleep(delay)
        watch = self._start_watching()
        if _file_state(self.path) != self._read:  # saved, created or removed before it was watched
            self._reload()
        while True:
            await watch.changed.wait()
            await asyncio.sleep(DEBOUNCE)
            watch.changed.clear()
            self._watch_nearest(watch)
            self._reload()

    def _reload(self) -> None:
        if reload(self.compositor):
            log.info("%s reloaded", self.path)
        self.compositor.display.flush()  # clients learn a new keymap and repeat rate now

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        if self.watch is not None:
            await self.watch.stop()


def _file_state(path: Path) -> tuple[int, int, int] | None:
    """What changes when ``path`` (or what it links to) is saved: None while there is no such file."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns
