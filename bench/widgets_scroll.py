"""Benchmark: scroll the 10,000-row virtual list; update + layout + draw per frame against an 8 ms budget.

    .venv/bin/python bench/widgets_scroll.py [--frames 300] [--size 800x600] [--scale 1]

Each frame is one wheel step (a Scrolled event: the list's update and relayout of the visible rows) plus
a damage-limited redraw into the window image, as the Wayland platform does per frame callback.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cairo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from widgets import Element, FunctionApp, Point, Scrolled, Size, column, container, row, text, virtual_list  # noqa: E402
from widgets.core.runtime import Runtime  # noqa: E402

BUDGET_MS = 8.0


def view(selected: list[int]) -> Element[int]:
    def make_row(i: int) -> Element[int]:
        return row([text(f"Row {i + 1}").width(120), text(f"Item number {i * 7 % 1000} of the long list")
                    .style("text.muted")]).spacing(12).padding((4, 8))
    return container(column([text("10,000 rows").bold(),
                             virtual_list(10_000, 28, make_row).on_select(lambda i: i)]).spacing(8)).padding(8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--size", default="800x600")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = FunctionApp(lambda: [0], lambda s, m: None, view)
    runtime = Runtime(app, Size(width, height), args.scale)
    w, h = runtime.device_size
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, w, h)
    runtime.render(surface, full=True)
    where = Point(width / 2, height / 2)
    timings: list[float] = []
    for frame in range(args.frames):
        step = 40.0 if (frame // 100) % 2 == 0 else -40.0
        start = time.perf_counter()
        runtime.dispatch(Scrolled(where, 0.0, step))
        runtime.render(surface)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    over = sum(1 for t in timings if t > BUDGET_MS)
    print(f"widgets scroll, {args.frames} frames at {width}x{height}@{args.scale:g}: median {p50:.2f} ms, "
          f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms; budget {BUDGET_MS} ms, {over} frames over "
          f"({'within' if p95 <= BUDGET_MS else 'OVER'} budget at p95)")
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
