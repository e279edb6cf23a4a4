"""The ``orrery theme`` argument parser, apart from the commands so that building it imports nothing heavy."""

from __future__ import annotations

from typing import Any


def add_theme_parser(commands: Any) -> None:
    """Add ``theme`` and its subcommands to the ``orrery`` parser's subparsers."""
    theme = commands.add_parser("theme", help="list, check, create, export and preview themes")
    sub = theme.add_subparsers(dest="theme_command", required=True)
    sub.add_parser("list", help="list the themes on the search path")
    check = sub.add_parser("check", help="check theme files (or theme names); exit 1 on errors")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    new = sub.add_parser("new", help="write a commented starter theme to the user's theme directory")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--from", dest="parent", metavar="PARENT", default="orrery-dark",
                     help="the theme to inherit from (default: orrery-dark)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    gtk = sub.add_parser("export-gtk", help="print GTK 3/4 @define-color definitions for a theme")
    gtk.add_argument("file", metavar="FILE")
    gtk.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of standard output")
    preview = sub.add_parser("preview", help="render a mock desktop (panel, launcher, windows, widgets) to a PNG")
    preview.add_argument("file", metavar="FILE")
    preview.add_argument("-o", "--output", metavar="PATH", required=True, help="the PNG to write")
    preview.add_argument("--size", metavar="WxH", default="1280x800", help="logical size (default: 1280x800)")
    preview.add_argument("--scale", type=float, default=1.0, help="device pixels per logical pixel (default: 1)")
