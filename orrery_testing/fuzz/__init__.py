"""A hostile-client fuzzer: raw Wayland wire protocol over the compositor's socket, no libwayland, so it can send
what libwayland refuses to (lying sizes, bad ids and fds, huge payloads, floods, shrinking pools, role misuse),
deterministic by seed. ``python -m orrery_testing.fuzz --help``; ``make fuzz``, ``make soak``.

- :mod:`.wire`: the wire format, written by hand; :mod:`.protocol`: interfaces from the protocol XML;
- :mod:`.client`: a raw client's books (objects, globals, serials, the error that ended it);
- :mod:`.values`, :mod:`.macros`, :mod:`.strategies`, :mod:`.known`: what hostile clients send;
- :mod:`.health`: Orrery with a bystander, and the checks after each batch; :mod:`.runner`: batches, shrinking;
- :mod:`.soak`: the long run, with connection cycles, RSS and fd growth.
"""
