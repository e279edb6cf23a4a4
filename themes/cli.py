"""``orrery theme ...``: list, check, start, export and preview themes.

``orrery theme preview`` draws with the widget toolkit, which is imported only for that command.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from . import model
from .color import ThemeColor
from .diagnostics import Diagnostic, Severity
from .gtk import export_gtk
from .loader import LoadResult, SearchPath, load

_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def run_theme(args: argparse.Namespace, search: SearchPath | None = None) -> int:
    search = search or SearchPath.from_env()
    command: str = args.theme_command
    if command == "list":
        return _list(search)
    if command == "check":
        return _check(args.files, args.strict, search)
    if command == "new":
        return _new(args.name, args.parent, args.force, search)
    if command == "preview":
        return _preview(args.file, args.output, args.size, args.scale, search)
    return _export_gtk(args.file, args.output, search)


def _load_arg(text: str, search: SearchPath) -> LoadResult:
    """A FILE argument: a path when it names a file or looks like one, else a theme name."""
    path = Path(text)
    if path.exists() or "/" in text or text.endswith(".toml"):
        return load(path, search)
    return load(text, search)


def _print(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], default: str) -> None:
    for d in diagnostics:
        print(str(d) if d.file is not None else f"{default}: {d.severity}: {d.message}", file=sys.stderr)


def _list(search: SearchPath) -> int:
    rows = []
    for info in search.themes():
        result = load(info.path, search)
        state = "" if result.theme is not None else f"  ({len(result.errors)} errors)"
        variant = result.theme.meta.variant if result.theme is not None else "?"
        shadow = f"  (shadowed by {info.shadowed_by})" if info.shadowed_by else ""
        rows.append((info.name, variant, info.source, f"{info.path}{state}{shadow}"))
    width = max((len(r[0]) for r in rows), default=4)
    for name, variant, source, rest in rows:
        print(f"{name:<{width}}  {variant:<5}  {source:<8}  {rest}")
    return 0


def _check(files: list[str], strict: bool, search: SearchPath) -> int:
    failed = False
    for text in files:
        result = _load_arg(text, search)
        _print(result.diagnostics, text)
        errors, warnings = len(result.errors), len(result.warnings)
        if errors or (strict and warnings):
            failed = True
        summary = "ok" if not errors and not warnings else f"{errors} error(s), {warnings} warning(s)"
        print(f"{text}: {summary}")
    return 1 if failed else 0


def _toml(value: Any) -> str:
    if isinstance(value, ThemeColor):
        return f'"{value.hex()}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if is_dataclass(value) and not isinstance(value, type):
        return "{ " + ", ".join(f"{f.name} = {_toml(getattr(value, f.name))}" for f in fields(value)) + " }"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _commented(obj: Any) -> list[str]:
    return [f"# {f.name} = {_toml(getattr(obj, f.name))}" for f in fields(obj) if getattr(obj, f.name) is not None]


def starter(name: str, parent_name: str, parent: model.ThemeModel) -> str:
    """A theme file that inherits ``parent``, with every setting commented out at the parent's value."""
    lines = [
        f"# {name}: an Orrery theme. The format is described in docs/themes.md.",
        f"# Every setting below is commented out and shows the value it has in {parent_name}.",
        "# Uncomment what you want to change; anything left unset is derived from the tokens so",
        "# that text stays readable (4.5:1). Check your work with `orrery theme check` and watch it restyle",
        "# the desktop as you save.",
        "#",
        '# Colours: "#rgb", "#rrggbb", "#rrggbbaa", a palette name, or mix(a, b, 0.5), lighten(c, 0.1),',
        "# darken(c, 0.1), alpha(c, 0.5). In component sections a colour may also name a token, e.g. \"accent\".",
        "",
        "[meta]",
        f'name = "{name}"',
        'author = ""',
        f'inherits = "{parent_name}"',
        f'# variant = "{parent.meta.variant}"',
        "",
        "[palette]",
        "# Name colours here and use the names everywhere below:",
        *(f"# {n} = {_toml(c)}" for n, c in parent.palette.items()),
        "",
        "[tokens]",
        *_commented(parent.tokens),
        "",
        "[fonts]",
        *_commented(parent.fonts),
        "",
        "[spacing]",
        *_commented(parent.spacing),
        "",
        "[radii]",
        *_commented(parent.radii),
    ]
    for cls, kind in model.COMPONENTS.items():
        statuses = model.statuses_of(kind)
        lines += ["", f"[{cls}]", *_commented(parent.style(cls, statuses[0]))]
        for status in statuses[1:]:
            lines.append(f"# [{cls}.{status}] sets the {status} state; unset fields follow [{cls}].")
    return "\n".join(lines) + "\n"


def _new(name: str, parent_name: str, force: bool, search: SearchPath) -> int:
    if _THEME_NAME.fullmatch(name) is None or name.endswith(".toml"):
        print(f"orrery theme new: {name!r} is not a theme name (letters, digits, _ . - ; no .toml)",
              file=sys.stderr)
        return 2
    parent = load(parent_name, search)
    if parent.theme is None:
        _print(parent.diagnostics, parent_name)
        return 1
    target = search.user_dir / f"{name}.toml"
    if target.exists() and not force:
        print(f"orrery theme new: {target} exists (use --force to overwrite)", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(starter(name, parent_name, parent.theme), encoding="utf-8")
    print(target)
    return 0


def _export_gtk(text: str, output: str | None, search: SearchPath) -> int:
    result = _load_arg(text, search)
    if result.theme is None:
        _print(result.diagnostics, text)
        return 1
    _print([d for d in result.diagnostics if d.severity is Severity.WARNING], text)
    css = export_gtk(result.theme)
    if output:
        Path(output).write_text(css, encoding="utf-8")
    else:
        sys.stdout.write(css)
    return 0


def _preview(text: str, output: str, size: str, scale: float, search: SearchPath) -> int:
    found = re.fullmatch(r"(\d+)x(\d+)", size)
    if found is None or scale <= 0:
        what = f"--size {size!r} is not WxH (e.g. 1280x800)" if found is None else f"--scale {scale:g} is not > 0"
        print(f"orrery theme preview: {what}", file=sys.stderr)
        return 2
    result = _load_arg(text, search)
    if result.theme is None:
        _print(result.diagnostics, text)
        return 1
    _print([d for d in result.diagnostics if d.severity is Severity.WARNING], text)
    from .preview import write_preview  # the toolkit (Cairo, Pango) loads only for this command
    try:
        path = write_preview(result.theme, output, int(found[1]), int(found[2]), scale)
    except ValueError as error:
        print(f"orrery theme preview: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"orrery theme preview: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(path)
    return 0
