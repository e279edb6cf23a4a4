"""Finding and loading themes: the search path, inheritance, merging, and reporting every problem at once.

Themes are found by name (the file name without ``.toml``) in, in order, ``$XDG_CONFIG_HOME/orrery/themes``,
each ``$XDG_DATA_DIRS`` entry's ``orrery/themes``, then the built-ins shipped in ``themes/builtin``. A theme
may inherit a theme of its own name: the search then continues past the inheriting file, so a user's
``orrery-dark.toml`` can restyle the built-in ``orrery-dark`` it inherits from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .derive import derive_theme
from .diagnostics import Diagnostic, Severity, did_you_mean
from .resolve import Resolver
from .schema import BROKEN, Entry, check_file_data
from .tomlpos import KeyPath, read_toml

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


@dataclass(frozen=True)
class SearchPath:
    """Theme directories, most important first; the built-in directory is always last."""

    dirs: tuple[Path, ...]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SearchPath:
        env = os.environ if environ is None else environ
        config = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")).expanduser() / ".config")
        data_dirs = [Path(d) for d in (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":") if d]
        return cls((config / "orrery" / "themes", *(d / "orrery" / "themes" for d in data_dirs), BUILTIN_DIR))

    @property
    def user_dir(self) -> Path:
        return self.dirs[0]

    def candidates(self, name: str) -> list[Path]:
        """Every file for theme ``name``, in search order."""
        return [d / f"{name}.toml" for d in self.dirs if (d / f"{name}.toml").is_file()]

    def themes(self) -> list[ThemeInfo]:
        """Every theme file on the search path; a later file with a name already seen is shadowed."""
        seen: dict[str, Path] = {}
        out: list[ThemeInfo] = []
        for directory in self.dirs:
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.toml")):
                out.append(ThemeInfo(path.stem, path, self.source(path), seen.get(path.stem)))
                seen.setdefault(path.stem, path)
        return out

    def names(self) -> list[str]:
        return sorted({info.name for info in self.themes()})

    def source(self, path: Path) -> str:
        if path.parent == BUILTIN_DIR:
            return "built-in"
        return "user" if path.parent == self.dirs[0] else "system"


@dataclass(frozen=True)
class ThemeInfo:
    name: str
    path: Path
    source: str
    shadowed_by: Path | None = None


@dataclass(frozen=True)
class LoadResult:
    """A loaded theme, or None when there were errors; every problem found, and the files read."""

    theme: model.ThemeModel | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[Path, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


@dataclass
class _File:
    path: Path
    entries: dict[KeyPath, Entry] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _read(path: Path) -> _File:
    file = _File(path)
    try:
        read = read_toml(path)
    except FileNotFoundError as error:
        file.diagnostics.append(Diagnostic(Severity.ERROR, path, 0, 0, "", f"cannot read: {error.strerror}"))
        return file
    if isinstance(read, Diagnostic):
        file.diagnostics.append(read)
        return file
    data, index = read
    file.entries, file.diagnostics = check_file_data(data, path, index)
    return file


def load(source: str | Path, search: SearchPath | None = None) -> LoadResult:
    """Load a theme by name (searched) or by path (a :class:`~pathlib.Path`)."""
    search = search or SearchPath.from_env()
    if isinstance(source, Path):
        return load_file(source, search)
    found = search.candidates(source)
    if not found:
        message = f'no theme named "{source}"{did_you_mean(source, search.names())}'
        return LoadResult(None, (Diagnostic(Severity.ERROR, None, 0, 0, "", message),), ())
    return load_file(found[0], search)


def load_file(path: Path, search: SearchPath | None = None) -> LoadResult:
    search = search or SearchPath.from_env()
    chain = [_read(path)]
    chain_errors: list[Diagnostic] = []
    while True:
        entry = chain[-1].entries.get(("meta", "inherits"))
        if entry is None or entry.value is BROKEN:
            break
        parent_name = str(entry.value)
        candidates = search.candidates(parent_name)
        taken = {f.path.resolve() for f in chain}
        fresh = [c for c in candidates if c.resolve() not in taken]
        if not fresh:
            if candidates:
                cycle = " -> ".join([*(f.path.stem for f in chain), parent_name])
                message = f"inheritance cycle: {cycle}"
            else:
                names = [n for n in search.names() if n != chain[-1].path.stem]
                message = f'no theme named "{parent_name}" to inherit from{did_you_mean(parent_name, names)}'
            chain_errors.append(Diagnostic(Severity.ERROR, entry.file, entry.line, entry.column, "meta.inherits",
                                           message))
            break
        chain.append(_read(fresh[0]))

    diagnostics = [d for f in chain for d in sorted(f.diagnostics, key=lambda d: (d.line, d.column))]
    diagnostics += chain_errors
    files = tuple(f.path for f in chain)
    if chain_errors:
        return LoadResult(None, tuple(diagnostics), files)

    merged: dict[KeyPath, Entry] = {}
    for file in reversed(chain):
        merged.update(file.entries)
    resolver = Resolver(merged)

    def own(key: str, default: str) -> str:
        entry = chain[0].entries.get(("meta", key))
        return default if entry is None or entry.value is BROKEN else str(entry.value)

    variant = merged.get(("meta", "variant"))
    meta = model.Meta(
        name=own("name", path.stem), author=own("author", ""), inherits=own("inherits", ""),
        variant="light" if variant is not None and variant.value == "light" else "dark",
        path=path, parents=tuple(f.path.stem for f in chain[1:]))
    theme = derive_theme(resolver, meta)
    diagnostics += [d if d.file is not None else Diagnostic(d.severity, path, d.line, d.column, d.key, d.message)
                    for d in resolver.diagnostics]
    order = {file: i for i, file in enumerate(files)}
    diagnostics.sort(key=lambda d: (order.get(d.file, len(order)) if d.file else 0, d.line, d.column))
    ok = not any(d.is_error for d in diagnostics)
    return LoadResult(theme if ok else None, tuple(diagnostics), files)


def builtin(name: str) -> model.ThemeModel:
    """A built-in theme, which always loads (the tests make sure)."""
    result = load_file(BUILTIN_DIR / f"{name}.toml", SearchPath((BUILTIN_DIR,)))
    if result.theme is None:
        raise RuntimeError(f"built-in theme {name} is broken: {[str(d) for d in result.errors]}")
    return result.theme
