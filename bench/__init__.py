"""Benchmarks: Orrery against weston on the same load (`make bench`, see docs/performance.md)."""
