"""What the tests (``tests/``) and the benchmarks (``bench/``) share to run a compositor and be its clients.

- :mod:`orrery_testing.process`: a compositor process (Orrery or weston) in a private XDG_RUNTIME_DIR, its
  clients started with its environment, its log, its IPC (``orrery msg``), and stopping it all.
- :mod:`orrery_testing.shm`: wl_shm buffers for our own pywayland clients, pixels in a memfd.

Neither imports the compositor: they drive it from outside, as any client or user would.
"""
