"""Freedesktop icon theme lookup (the Icon Theme Specification, simplified): name + size -> file.

Searches ``$XDG_DATA_HOME/icons``, ``$XDG_DATA_DIRS/*/icons`` and ``/usr/share/pixmaps``, in the named theme,
the themes it inherits and finally ``hicolor``; an exact size wins, then a scalable icon, then the closest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

EXTENSIONS = (".svg", ".png")


@dataclass(frozen=True)
class IconDir:
    path: str
    size: int
    kind: str  # Fixed, Scalable or Threshold
    min_size: int
    max_size: int

    def distance(self, size: int) -> int:
        if self.kind == "Scalable":
            return 0 if self.min_size <= size <= self.max_size else min(abs(size - self.min_size),
                                                                         abs(size - self.max_size))
        return abs(self.size - size)


class IconLookup:
    def __init__(self, theme: str = "Adwaita", base_dirs: list[Path] | None = None) -> None:
        self.theme = theme
        self.base_dirs = base_dirs if base_dirs is not None else default_base_dirs()
        self._found: dict[tuple[str, int], Path | None] = {}

    @cached_property
    def _themes(self) -> list[tuple[Path, list[IconDir]]]:
        order: list[str] = []
        pending = [self.theme]
        while pending:
            name = pending.pop(0)
            if name in order:
                continue
            order.append(name)
            for base in self.base_dirs:
                index = base / name / "index.theme"
                if index.is_file():
                    inherits = _read_index(index)[1]
                    pending.extend(inherits)
                    break
        if "hicolor" not in order:
            order.append("hicolor")
        result = []
        for name in order:
            for base in self.base_dirs:
                index = base / name / "index.theme"
                if index.is_file():
                    result.append((base / name, _read_index(index)[0]))
        return result

    def find(self, name: str, size: int = 24) -> Path | None:
        key = (name, size)
        if key not in self._found:
            self._found[key] = self._find(name, size)
        return self._found[key]

    def _find(self, name: str, size: int) -> Path | None:
        for root, dirs in self._themes:
            best: tuple[int, Path] | None = None
            for directory in dirs:
                for ext in EXTENSIONS:
                    candidate = root / directory.path / (name + ext)
                    if candidate.is_file():
                        distance = directory.distance(size)
                        if best is None or distance < best[0]:
                            best = (distance, candidate)
                        break
                if best is not None and best[0] == 0:
                    return best[1]
            if best is not None:
                return best[1]
        for base in self.base_dirs:
            for ext in EXTENSIONS:
                candidate = base.parent / "pixmaps" / (name + ext)
                if candidate.is_file():
                    return candidate
        return None


def default_base_dirs() -> list[Path]:
    home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
    dirs = [home / "icons"]
    for entry in os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":"):
        if entry:
            dirs.append(Path(entry) / "icons")
    return [d for d in dirs if d.is_dir()]


def _read_index(path: Path) -> tuple[list[IconDir], list[str]]:
    sections = _read_ini(path)
    section = sections.get("Icon Theme", {})
    inherits = [t for t in section.get("Inherits", "").split(",") if t]
    dirs = []
    for name in section.get("Directories", "").split(","):
        entry = sections.get(name)
        if not name or entry is None:
            continue
        size = int(entry.get("Size", "0") or 0)
        dirs.append(IconDir(name, size, entry.get("Type", "Threshold"), int(entry.get("MinSize", size)),
                            int(entry.get("MaxSize", size))))
    return dirs, inherits


def _read_ini(path: Path) -> dict[str, dict[str, str]]:
    """The sections of an index.theme, each a dict of its keys (a repeated section adds to the first, a repeated
    key replaces the value before it, as configparser's non-strict mode does). Read by hand rather than with
    configparser: hicolor's is 4,000 lines, and configparser leaves tens of thousands of objects in reference
    cycles per read, resident until the collector's next full pass."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return sections
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line[0] == "[" and line[-1] == "]":
            current = sections.setdefault(line[1:-1].strip(), {})
        elif current is not None and "=" in line:
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections
