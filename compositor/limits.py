"""Per-client caps: what one client may make the compositor hold or do, so that no client starves the others.

A client over a cap is disconnected with a protocol error naming the cap (``wl_display.error.no_memory``, as
libwayland reports memory a client cannot have): raise :class:`~compositor.wl.resource.ClientLimit`.

What is not capped here: the bytes of events waiting to be sent to a client that does not read them, and of
requests waiting to be read; libwayland bounds both with its connection buffer and disconnects a client that
lets its buffer fill up.
"""

from __future__ import annotations

MAX_OBJECTS = 20_000
"""Protocol objects of one client at a time (surfaces, subsurfaces, regions, callbacks, …). Real clients hold
hundreds; each costs us a Python object and a C one."""

MAX_REGION_OPERATIONS = 4096
"""add/subtract requests on one wl_region. pixman's work on a region grows with its rectangles (quadratic in
the worst case: 40,000 scattered rectangles take seconds); toolkits send a handful."""

MAX_COMMITS_PER_FRAME = 2000
"""wl_surface.commit requests of one client within one frame period (1/60 s). Each commit is work (its state
applied, damage, frame callbacks); a client with a thousand desynchronized subsurfaces redrawing every frame is
far past what any toolkit does."""

FRAME_PERIOD = 1 / 60
