"""Per-client caps: what one client may make the compositor hold or do, so that no client starves the others.

A client over a cap is disconnected with a protocol error naming the cap (``wl_display.error.no_memory``, as
libwayland reports memory a client cannot have): raise :class:`~compositor.wl.resource.ClientLimit`.

Not capped here: the bytes of events waiting to be sent to a client that does not read them, and of requests
waiting to be read; libwayland bounds both with its connection buffer (4 KiB, beyond the socket's) and drops a
client whose events overflow it ("Data too big for buffer").
"""

from __future__ import annotations

MAX_OBJECTS = 20_000
"""Protocol objects of one client at a time (surfaces, subsurfaces, regions, callbacks, and libwayland's own:
registries, shm pools, buffers), counted every few hundred creations. Real clients hold hundreds; each costs
memory (a pool, a mapping)."""

MAX_REGION_OPERATIONS = 4096
"""add/subtract requests on one wl_region. pixman's work on a region grows with its rectangles (quadratic in
the worst case: 40,000 scattered rectangles take seconds); toolkits send a handful."""

MAX_COMMITS_PER_FRAME = 250
"""wl_surface.commit requests of one client per frame (at 60 Hz), on average over a second: 15,000 a second.
Each commit is work (its state applied, damage, frame callbacks); toolkits commit a few times a frame, and a
thousand desynchronized subsurfaces redrawn every frame are far past the cap. (Over a second, not one frame
period: a client's requests are read in batches, so a frame period holds anything from none to thousands.)"""

COMMIT_WINDOW = 1.0
"""The seconds over which commits are counted (``MAX_COMMITS_PER_FRAME`` times 60 of them)."""
