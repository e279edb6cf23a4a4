"""Installed applications per the Desktop Entry Specification (1.5): find, parse, filter, build the command.

    apps = installed_apps()                      # what a launcher lists, in $XDG_DATA_DIRS order
    argv = apps[0].command()                     # Exec with its field codes expanded, ready for exec

Parsing: the ``[Desktop Entry]`` group, ``Key[locale]`` values matched to ``LC_MESSAGES``/``LANG`` as the spec
says (``lang_COUNTRY@MODIFIER``, ``lang_COUNTRY``, ``lang@MODIFIER``, ``lang``, then the plain key), string
escapes and ``;`` lists. Listing: ``Type=Application`` only; an id found first (``$XDG_DATA_HOME`` before
``$XDG_DATA_DIRS``) shadows later ones, so a user's ``Hidden=true`` copy removes an app; ``NoDisplay``,
``OnlyShowIn``/``NotShowIn`` (against ``$XDG_CURRENT_DESKTOP``) and ``TryExec`` are honoured.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DESKTOP = "Orrery"

FALLBACK_ICON = "application-x-executable"  # an app without an icon of its own


@dataclass(frozen=True)
class DesktopEntry:
    id: str
    path: Path
    name: str
    generic_name: str = ""
    comment: str = ""
    keywords: tuple[str, ...] = ()
    exec: str = ""
    icon: str = ""
    terminal: bool = False
    categories: tuple[str, ...] = ()
    startup_wm_class: str = ""
    no_display: bool = False
    hidden: bool = False
    only_show_in: tuple[str, ...] = ()
    not_show_in: tuple[str, ...] = ()
    try_exec: str = ""
    type: str = "Application"
    search_text: str = field(default="", compare=False)

    def command(self, files: Iterable[str] = ()) -> list[str]:
        return expand_exec(self.exec, self, list(files))


def locale_variants(value: str | None) -> list[str]:
    """``de_AT.UTF-8@euro`` -> ``de_AT@euro``, ``de_AT``, ``de@euro``, ``de`` (most specific first)."""
    if not value or value in ("C", "POSIX"):
        return []
    lang, _, modifier = value.partition("@")
    lang = lang.split(".", 1)[0]
    language, _, country = lang.partition("_")
    found = []
    if country and modifier:
        found.append(f"{language}_{country}@{modifier}")
    if country:
        found.append(f"{language}_{country}")
    if modifier:
        found.append(f"{language}@{modifier}")
    found.append(language)
    return found


def current_locale(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return locale_variants(env[name])
    return []


def unescape(value: str) -> str:
    out, i = [], 0
    table = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value) and value[i + 1] in table:
            out.append(table[value[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def split_list(value: str) -> tuple[str, ...]:
    """A ``;``-separated list (``\\;`` is a literal semicolon)."""
    items, current, i = [], [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] == ";":
            current.append(";")
            i += 2
            continue
        if value[i] == ";":
            items.append(unescape("".join(current)))
            current = []
        else:
            current.append(value[i])
        i += 1
    if current:
        items.append(unescape("".join(current)))
    return tuple(item for item in items if item)


def parse_group(text: str) -> dict[str, str]:
    """The raw ``Key`` / ``Key[locale]`` -> value pairs of the ``[Desktop Entry]`` group."""
    values: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inside = line == "[Desktop Entry]"
            continue
        if inside and "=" in line:
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), value.strip())
    return values


def parse_entry(text: str, path: Path, desktop_id: str, locales: list[str]) -> DesktopEntry | None:
    raw = parse_group(text)
    if "Name" not in raw or "Type" not in raw:
        return None

    def local(key: str) -> str:
        for variant in locales:
            if f"{key}[{variant}]" in raw:
                return raw[f"{key}[{variant}]"]
        return raw.get(key, "")

    def flag(key: str) -> bool:
        return raw.get(key, "false").strip().lower() == "true"

    name, generic = unescape(local("Name")), unescape(local("GenericName"))
    keywords = split_list(local("Keywords"))
    comment = unescape(local("Comment"))
    return DesktopEntry(
        id=desktop_id, path=path, name=name, generic_name=generic, comment=comment, keywords=keywords,
        exec=unescape(raw.get("Exec", "")), icon=unescape(raw.get("Icon", "")), terminal=flag("Terminal"),
        categories=split_list(raw.get("Categories", "")), startup_wm_class=raw.get("StartupWMClass", ""),
        no_display=flag("NoDisplay"), hidden=flag("Hidden"), only_show_in=split_list(raw.get("OnlyShowIn", "")),
        not_show_in=split_list(raw.get("NotShowIn", "")), try_exec=unescape(raw.get("TryExec", "")),
        type=raw.get("Type", ""), search_text=" ".join([name, generic, *keywords]).lower())


def application_dirs(environ: Mapping[str, str] | None = None) -> list[Path]:
    env = os.environ if environ is None else environ
    home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/share")
    dirs = [home, *(env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")]
    return [Path(d) / "applications" for d in dirs if d]


def shown(entry: DesktopEntry, desktops: Iterable[str], path_env: str | None = None) -> bool:
    """Whether a launcher lists the entry here."""
    current = set(desktops)
    if entry.type != "Application" or entry.no_display or entry.hidden or not entry.exec:
        return False
    if entry.only_show_in and not current & set(entry.only_show_in):
        return False
    if current & set(entry.not_show_in):
        return False
    if entry.try_exec:
        found = os.access(entry.try_exec, os.X_OK) if "/" in entry.try_exec else shutil.which(
            entry.try_exec, path=path_env) is not None
        if not found:
            return False
    return True


def installed_apps(dirs: list[Path] | None = None, environ: Mapping[str, str] | None = None) -> list[DesktopEntry]:
    """Every application a launcher shows, sorted by name; the first file of an id wins."""
    env = os.environ if environ is None else environ
    locales = current_locale(env)
    desktops = [d for d in (env.get("XDG_CURRENT_DESKTOP") or DESKTOP).split(":") if d]
    seen: dict[str, DesktopEntry | None] = {}
    for base in application_dirs(env) if dirs is None else dirs:
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.desktop")):
            desktop_id = str(path.relative_to(base)).replace("/", "-")
            if desktop_id in seen:
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            seen[desktop_id] = parse_entry(text, path, desktop_id, locales)
    found = [e for e in seen.values() if e is not None and shown(e, desktops, env.get("PATH"))]
    return sorted(found, key=lambda e: e.name.lower())


def split_exec(value: str) -> list[str]:
    """The Exec value's arguments: space separated, ``"quoted"`` with ``\\"``, ``\\` ``, ``\\$``, ``\\\\`` escapes."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    i = 0
    while i < len(value):
        c = value[i]
        if quoted:
            if c == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
                current.append(value[i + 1])
                i += 2
                continue
            if c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted = started = True
        elif c in " \t":
            if started or current:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
        i += 1
    if started or current:
        args.append("".join(current))
    return args


def expand_exec(value: str, entry: DesktopEntry, files: list[str]) -> list[str]:
    """Field codes: ``%f %u`` (first file), ``%F %U`` (all), ``%i`` (``--icon ICON``), ``%c`` (name), ``%k``
    (the file), ``%%``; deprecated ``%d %D %n %N %v %m`` are dropped."""
    out: list[str] = []
    for arg in split_exec(value):
        if arg in ("%F", "%U"):
            out.extend(files)
            continue
        if arg in ("%f", "%u"):
            out.extend(files[:1])
            continue
        if arg == "%i":
            if entry.icon:
                out.extend(["--icon", entry.icon])
            continue
        text, i = [], 0
        while i < len(arg):
            if arg[i] == "%" and i + 1 < len(arg):
                code = arg[i + 1]
                text.append({"%": "%", "c": entry.name, "k": str(entry.path),
                             "f": files[0] if files else "", "u": files[0] if files else ""}.get(code, ""))
                i += 2
                continue
            text.append(arg[i])
            i += 1
        if "".join(text) or not arg.startswith("%"):
            out.append("".join(text))
    return out


def icon_names(entries: list[DesktopEntry]) -> dict[str, str]:
    """app_id (lower case) -> icon name, by desktop file id, StartupWMClass and executable."""
    found: dict[str, str] = {}
    for entry in entries:
        if not entry.icon:
            continue
        keys = [entry.id.removesuffix(".desktop"), entry.startup_wm_class,
                entry.exec.split(" ", 1)[0].rsplit("/", 1)[-1]]
        for key in keys:
            if key:
                found.setdefault(key.lower(), entry.icon)
    return found


def icon_for(app_id: str, icons: dict[str, str]) -> str:
    key = app_id.lower()
    return icons.get(key) or icons.get(key.rsplit(".", 1)[-1]) or (app_id if app_id else FALLBACK_ICON)
