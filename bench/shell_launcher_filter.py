"""`make bench-shell` (part 1): the launcher's filtering over 2,000 generated desktop entries, per keystroke.

    python bench/shell_launcher_filter.py [--entries 2000] [--rounds 5]

Generates desktop files in a temporary $XDG_DATA_HOME, indexes them as the launcher does, then types queries a
letter at a time (each keystroke is one ``AppIndex.search``, with launch history) and reports the median and
worst time per keystroke against the 5 ms budget. A report, not a test: it exits 0 either way.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shell.desktop_entry import installed_apps  # noqa: E402
from shell.search import AppIndex, LaunchHistory  # noqa: E402

BUDGET_MS = 5.0
WORDS = ("text", "image", "audio", "video", "web", "mail", "chat", "code", "note", "file", "term", "game", "draw",
         "map", "photo", "music", "player", "editor", "viewer", "manager", "studio", "office", "calc", "scan")
QUERIES = ("firefox", "term", "edit", "phvw", "music player", "zzzz")


def generate(directory: Path, count: int, rng: random.Random) -> None:
    directory.mkdir(parents=True)
    for i in range(count):
        name = " ".join(rng.sample(WORDS, 2)).title() + f" {i}"
        keywords = ";".join(rng.sample(WORDS, 3))
        (directory / f"org.bench.App{i}.desktop").write_text(
            f"[Desktop Entry]\nType=Application\nName={name}\nGenericName={rng.choice(WORDS).title()} tool\n"
            f"Keywords={keywords};\nExec=app{i} %U\nIcon=app{i}\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        apps_dir = Path(tmp) / "applications"
        generate(apps_dir, args.entries, rng)
        started = time.perf_counter()
        entries = installed_apps([apps_dir], {})
        index = AppIndex(entries)
        load_ms = (time.perf_counter() - started) * 1000
        history = LaunchHistory()
        for entry in rng.sample(entries, 50):
            history.record(entry.id)
        times: list[float] = []
        for _ in range(args.rounds):
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    t0 = time.perf_counter()
                    index.search(query[:end], history, limit=8)
                    times.append((time.perf_counter() - t0) * 1000)
    median, worst = statistics.median(times), max(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "within" if p95 <= BUDGET_MS else "OVER"
    print(f"launcher filtering: {len(entries)} entries (parsed and indexed in {load_ms:.0f} ms), "
          f"{len(times)} keystrokes")
    print(f"  per keystroke: median {median:.2f} ms, p95 {p95:.2f} ms, worst {worst:.2f} ms "
          f"({verdict} the {BUDGET_MS:.0f} ms budget at p95)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
