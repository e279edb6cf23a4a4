"""ext_session_lock_manager_v1 (version 1): the session lock, and the locker the compositor starts.

While locked, the scene shows only this part (:class:`SessionLocks` is the scene's ``lock``): each output its
lock surface, or the theme's colour where it has none, so new outputs are covered at once. Pointer and touch
find only lock surfaces, the keyboard goes to a lock surface whatever asks for it (the seat's ``lock_focus``)
and no key binding runs except the switch to a virtual terminal. Windows and layer surfaces get no frame
callbacks meanwhile (nothing of them shows).

``locked`` goes out once every output has presented a frame drawn after the lock began (the second one: a page
flip queued before the lock may still show the desktop). A locker that dies leaves the session locked: the
outputs show the theme's colour and how to start a new locker (``orrery msg lock``), which takes over and may
unlock. A lock withdrawn before it was granted (``destroy``) unlocks, unless a locker died holding it.

``lock`` (a binding action, ``orrery msg lock``) starts ``[lock] command`` from orrery.toml, ``swaylock`` by
default, unless a running locker holds the lock already. The lock manager is a privileged global
(``compositor/access.py``): with an allow-list in ``[security]`` only a listed locker can lock, or take over
from one that died.
"""

from __future__ import annotations

import logging
import shlex
from typing import TYPE_CHECKING, Any

from pywayland.protocol.ext_session_lock_v1 import (
    ExtSessionLockManagerV1,
    ExtSessionLockSurfaceV1,
    ExtSessionLockV1,
)

from .. import notice
from ..scene import Output
from ..surface import Surface
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..occlusion import Drawable
    from ..server import Compositor
    from ..ssd import FramePiece

log = logging.getLogger(__name__)

VERSION = 1
LockError = ExtSessionLockV1.error
SurfaceError = ExtSessionLockSurfaceV1.error
FRAMES_BEFORE_LOCKED = 2
MAX_PENDING_CONFIGURES = 64  # configures a client has not acked yet; older ones are forgotten


class LockSurface:
    """One ext_session_lock_surface_v1: the role of its wl_surface, covering one output while locked."""

    name = "ext_session_lock_surface_v1"
    window = None

    def __init__(self, lock: SessionLock, resource: Resource, surface: Surface, output: Output | None) -> None:
        self.lock = lock
        self.resource = resource
        self.surface = surface
        self.output = output
        self.sent: list[tuple[int, tuple[int, int]]] = []  # configures not acked yet: serial, size
        self.acked: tuple[int, int] | None = None
        self.mapped = False

    # -- Role ----------------------------------------------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        output = self.output
        if not self.mapped or output is None or output not in self.lock.locks.compositor.scene.outputs:
            return None
        return output.x, output.y

    def parent_surface(self) -> Surface | None:
        return None

    def synchronized(self) -> bool:
        return False

    def committed(self) -> None:
        if self.acked is None:
            raise ProtocolError(SurfaceError.commit_before_first_ack, "commit before the first ack_configure",
                                self.resource)
        if self.surface.content is None:
            raise ProtocolError(SurfaceError.null_buffer, "a lock surface must always have a buffer", self.resource)
        size = (self.surface.width, self.surface.height)
        if size != self.acked:
            raise ProtocolError(SurfaceError.dimensions_mismatch,
                                f"surface is {size[0]}x{size[1]}, configured {self.acked[0]}x{self.acked[1]}",
                                self.resource)
        newly_mapped, self.mapped = not self.mapped, True
        self.lock.locks.surface_changed(self, newly_mapped)

    def surface_destroyed(self) -> None:
        self.unmap()

    # -- configure -----------------------------------------------------------------------------------
    def configure(self) -> None:
        """Tell the client the output's size (again, when it changed)."""
        output = self.output
        if output is None or not self.resource.alive:
            return
        size = (output.width, output.height)
        if self.sent and self.sent[-1][1] == size or not self.sent and self.acked == size:
            return
        serial = self.lock.locks.compositor.display.next_serial()
        self.sent = [*self.sent[-(MAX_PENDING_CONFIGURES - 1):], (serial, size)]
        self.resource.post("configure", serial, *size)

    def ack_configure(self, res: Resource, serial: int) -> None:
        for index, (sent_serial, size) in enumerate(self.sent):
            if sent_serial == serial:
                self.acked = size
                del self.sent[: index + 1]
                return
        raise ProtocolError(SurfaceError.invalid_serial, f"serial {serial} was never sent or was acked already")

    def unmap(self) -> None:
        if self.mapped:
            self.mapped = False
            self.lock.locks.surface_changed(self, False)

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def destroyed(self) -> None:
        self.unmap()
        if self.lock.surfaces.get(self.output_key) is self:
            del self.lock.surfaces[self.output_key]
        if self.surface.role is self:
            self.surface.clear_role_object()

    @property
    def output_key(self) -> str:
        return self.output.name if self.output is not None else ""


class SessionLock:
    """One ext_session_lock_v1: a locker's request to lock, and its lock surfaces by output name."""

    def __init__(self, locks: SessionLocks, resource: Resource) -> None:
        self.locks = locks
        self.resource = resource
        self.surfaces: dict[str, LockSurface] = {}
        self.locked_sent = False
        self.withdrawn = False  # destroyed by request rather than by its client's end

    def get_lock_surface(self, res: Resource, new: Resource, surface_res: Resource, output_res: Resource) -> None:
        surface: Surface = surface_res.impl.surface
        if surface.role is not None or surface.role_name not in (None, LockSurface.name):
            raise ProtocolError(LockError.role, "surface already has another role")
        if surface.content is not None or surface.pending.buffer is not None:
            raise ProtocolError(LockError.already_constructed, "surface already has a buffer")
        owner = getattr(output_res.impl, "output", None)
        output = owner if isinstance(owner, Output) and owner in self.locks.compositor.scene.outputs else None
        key = output.name if output is not None else ""
        if output is not None and key in self.surfaces:
            raise ProtocolError(LockError.duplicate_output, f"output {key} already has a lock surface")
        lock_surface = LockSurface(self, new, surface, output)
        surface.set_role(LockSurface.name, lock_surface, res, LockError.role)
        new.impl = lock_surface
        new.destroy_listeners.append(lambda _res: lock_surface.destroyed())
        if output is not None:  # (one for an output that is gone is never configured nor shown)
            self.surfaces[key] = lock_surface
            lock_surface.configure()

    def destroy(self, res: Resource) -> None:
        if self.locked_sent:
            raise ProtocolError(LockError.invalid_destroy, "the session is locked: use unlock_and_destroy")
        self.withdrawn = True
        res.destroy()

    def unlock_and_destroy(self, res: Resource) -> None:
        if not self.locked_sent:
            raise ProtocolError(LockError.invalid_unlock, "the session was never locked by this object")
        self.locks.unlock(self)
        res.destroy()

    def destroyed(self) -> None:
        self.locks.lock_gone(self)


class SessionLocks:
    """The session lock part of the compositor state, and what the scene shows while locked."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.owner: SessionLock | None = None  # the lock whose client is responsible for unlocking
        self.abandoned = False  # a locker died holding the lock: only unlock_and_destroy ends it
        self.waiting: dict[str, int] = {}  # output name -> frames still to present before `locked`
        self._notices: dict[tuple[str, int, float, int], FramePiece] = {}
        compositor.output_listeners.append(self.outputs_changed)
        compositor.frames.presented_listeners.append(self.presented)
        compositor.seat.press_listeners.append(self.pressed)

    @property
    def locked(self) -> bool:
        return self.compositor.scene.lock is self

    # -- LockScreen (the scene asks while locked) --------------------------------------------------------
    @property
    def fill_rgb(self) -> tuple[float, float, float]:
        return notice.fill_rgb(self.compositor.decorations.theme)

    def surfaces(self) -> list[tuple[Surface, int, int]]:
        shown: list[tuple[Surface, int, int]] = []
        owner = self.owner
        if owner is None:
            return shown
        for output in self.compositor.scene.outputs:
            lock_surface = owner.surfaces.get(output.name)
            if lock_surface is not None and lock_surface.mapped and lock_surface.surface.content is not None:
                shown.extend((child, output.x + dx, output.y + dy) for child, dx, dy in lock_surface.surface.tree()
                             if child.content is not None)
        return shown

    def drawn(self) -> list[tuple[Drawable, int, int]]:
        if self.owner is not None or not self.abandoned:
            return list(self.surfaces())
        return [self._notice(output) for output in self.compositor.scene.outputs]

    def _notice(self, output: Output) -> tuple[Drawable, int, int]:
        theme = self.compositor.decorations.theme
        key = (output.name, output.width, output.scale, id(theme))
        piece = self._notices.get(key)
        if piece is None:
            self._notices = {k: v for k, v in self._notices.items() if k[0] != output.name}
            text = notice.locker_gone(self.compositor.display.socket_name or "")
            piece = self._notices[key] = notice.draw(theme, text, min(output.width, 900), output.scale)
        return (piece, output.x + (output.width - piece.width) // 2, output.y + (output.height - piece.height) // 2)

    # -- keyboard and pointer ----------------------------------------------------------------------------
    def _keyboard_target(self, wanted: Surface | None) -> Surface | None:
        """While locked the keyboard goes to a lock surface: ``wanted`` if it is one, else the one on the output
        under the pointer, else any."""
        shown = self._mapped()
        if wanted is not None and any(s.surface is wanted for s in shown):
            return wanted
        seat = self.compositor.seat
        under = self.compositor.scene.output_at(seat.x, seat.y)
        for lock_surface in shown:
            if lock_surface.output is under:
                return lock_surface.surface
        return shown[0].surface if shown else None

    def _mapped(self) -> list[LockSurface]:
        owner = self.owner
        if owner is None:
            return []
        return [s for s in owner.surfaces.values() if s.mapped and s.output in self.compositor.scene.outputs]

    def pressed(self, target: Surface | None) -> None:
        """A click or touch on a lock surface gives it the keyboard."""
        if self.locked and target is not None:
            self.compositor.seat.set_keyboard_focus(target)

    # -- locking and unlocking ---------------------------------------------------------------------------
    def lock(self, res: Resource, new: Resource) -> None:
        """ext_session_lock_manager_v1.lock: granted unless a running locker holds the lock."""
        session_lock = SessionLock(self, new)
        new.impl = session_lock
        new.destroy_listeners.append(lambda _res: session_lock.destroyed())
        if self.owner is not None:
            new.post("finished")
            return
        self.owner = session_lock
        if not self.locked:
            self._begin()
        elif not self.waiting:  # locked already (its locker died): nothing of the desktop shows
            self._grant()
        self.compositor.scene.damage_everything()

    def _begin(self) -> None:
        compositor = self.compositor
        seat, scene = compositor.seat, compositor.scene
        scene.lock = self
        seat.lock_focus = self._keyboard_target
        compositor.quit_prompt.answer(False)  # a question asked before locking is not answered at the lock screen
        # A move, resize or drag in progress goes on until the button is released (ending it here would leave
        # its owner waiting); it finds only lock surfaces now. A button held on a window sends it nothing more:
        seat.leave_pointer()
        if seat.touch_points:  # fingers on windows are lifted for them
            for touch_id in list(seat.touch_points):
                seat.touch_up(touch_id)
            seat.touch_frame()
        seat.set_keyboard_focus(None)
        self.waiting = {output.name: FRAMES_BEFORE_LOCKED for output in scene.outputs}
        scene.damage_everything()
        scene.layout_changed()
        if not self.waiting:
            self._grant()

    def presented(self, output: Output) -> None:
        left = self.waiting.get(output.name)
        if left is None:
            return
        if left > 1:
            self.waiting[output.name] = left - 1
            self.compositor.scene.damage(output.rect)  # one more frame, surely drawn since the lock began
            return
        del self.waiting[output.name]
        if not self.waiting:
            self._grant()

    def _grant(self) -> None:
        owner = self.owner
        if owner is not None and not owner.locked_sent and owner.resource.alive:
            owner.locked_sent = True
            owner.resource.post("locked")

    def unlock(self, session_lock: SessionLock) -> None:
        if session_lock is not self.owner:
            return  # (a lock that got "finished")
        self.owner = None
        self.abandoned = False
        self.waiting = {}
        compositor = self.compositor
        compositor.scene.lock = None
        compositor.seat.lock_focus = None
        compositor.scene.damage_everything()
        compositor.scene.layout_changed()
        owner = compositor.wm.keyboard_owner()
        focused = compositor.wm.focused
        compositor.seat.set_keyboard_focus(owner or (focused.surface if focused is not None else None))

    def lock_gone(self, session_lock: SessionLock) -> None:
        if session_lock is not self.owner:
            return
        if session_lock.withdrawn and not session_lock.locked_sent and not self.abandoned:
            self.unlock(session_lock)  # it asked, then changed its mind before the lock was granted
            return
        log.warning("the screen locker went away without unlocking: the session stays locked")
        self.owner = None
        self.abandoned = True
        self.compositor.scene.damage_everything()
        self.compositor.scene.layout_changed()
        self.compositor.seat.set_keyboard_focus(None)  # (its surfaces are gone)

    def surface_changed(self, lock_surface: LockSurface, newly_mapped: bool) -> None:
        """A lock surface was committed, mapped or unmapped."""
        if lock_surface.lock is not self.owner or not self.locked or lock_surface.output is None:
            return
        scene = self.compositor.scene
        scene.damage(lock_surface.output.rect)
        if newly_mapped or not lock_surface.mapped:
            scene.layout_changed()
            seat = self.compositor.seat
            seat.set_keyboard_focus(seat.keyboard_focus)  # the lock's focus rule picks a mapped lock surface

    def outputs_changed(self) -> None:
        """An output was added, resized or removed: lock surfaces follow its size; a removed one is not waited
        for."""
        names = {output.name for output in self.compositor.scene.outputs}
        if self.waiting:
            self.waiting = {name: left for name, left in self.waiting.items() if name in names}
            if not self.waiting:
                self._grant()
        if self.owner is not None:
            for lock_surface in self.owner.surfaces.values():
                lock_surface.configure()

    # -- starting a locker -----------------------------------------------------------------------------
    def start_locker(self) -> str:
        """Run ``[lock] command`` unless a running locker holds the lock; says what was done. ValueError when
        the command cannot run."""
        if self.owner is not None and self.owner.resource.alive:
            return "locked by a running locker already"
        command = str(self.compositor.config.get("lock", "command"))
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise ValueError(f"[lock] command {command!r}: {error}") from None
        import shutil  # here: only starting a locker needs it (≈ 1.5 ms of start-up otherwise)

        if not words or shutil.which(words[0], path=self.compositor.environment.get("PATH")) is None:
            raise ValueError(f"cannot start the locker: {words[0] if words else command!r} is not installed "
                             "(set [lock] command in orrery.toml)")
        self.compositor.spawn(command)
        return f"started {command}"


def lock(compositor: Compositor, args: list[str]) -> Any:
    """`orrery msg lock`: start the configured locker (it locks the session)."""
    if args:
        raise ValueError("usage: lock")
    return {"locker": compositor.session_lock.start_locker(), "locked": compositor.session_lock.locked}


def register(compositor: Compositor) -> SessionLocks:
    locks = SessionLocks(compositor)

    def bind(res: Resource) -> None:
        res.impl = locks

    compositor.display.add_global(ExtSessionLockManagerV1, VERSION, bind)
    return locks
