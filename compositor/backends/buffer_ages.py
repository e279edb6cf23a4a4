"""What each of several buffers shown in turn lacks of the screen (buffer age): the DRM backend's scanout buffers,
the wayland backend's wl_shm buffers."""

from __future__ import annotations

from ..geometry import Box

MAX_BEHIND = 16  # frames drawn into the others after which a buffer is taken to lack everything


class BufferAges:
    """For buffers shown in turn, what of the screen each one lacks: everything drawn into the others since it
    was last drawn (buffer age). Drawing buffer ``i`` repaints the new damage and ``take(i)``."""

    def __init__(self, count: int, everything: Box) -> None:
        self.everything = everything
        self.stale: list[list[Box]] = [[everything] for _ in range(count)]  # all of it before the first frame
        self.behind = [0] * count  # frames drawn into the others since each was last drawn

    def take(self, index: int) -> list[Box]:
        stale, self.stale[index] = self.stale[index], []
        self.behind[index] = 0
        return stale

    def add(self) -> None:
        """One more buffer, which lacks everything."""
        self.stale.append([self.everything])
        self.behind.append(0)

    def drawn(self, index: int, damage: list[Box]) -> None:
        """Buffer ``index`` got ``damage`` (the frame's own, without what it lacked): the others lack it now."""
        for other, stale in enumerate(self.stale):
            if other != index:
                self.behind[other] += 1
                if self.behind[other] > MAX_BEHIND:  # left unused for long (a parent kept releasing another)
                    stale[:] = [self.everything]
                else:
                    stale.extend(damage)

    def spoil(self, index: int, rect: Box) -> None:
        """Something besides the scene was drawn into buffer ``index`` (a software pointer)."""
        self.stale[index].append(rect)

    def reset(self, everything: Box) -> None:
        """Another program may have drawn into them (we were away from our VT)."""
        self.everything = everything
        self.stale = [[everything] for _ in self.stale]
