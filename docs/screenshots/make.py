"""`make screenshots`: docs/screenshots/tiled-<theme>.png, one per built-in theme (themes/builtin/*.toml).

    python docs/screenshots/make.py [THEME ...]

For each theme: a headless Orrery with its shell (panel, background) on a 1280x800 output, the theme chosen in
a private ``$XDG_CONFIG_HOME/orrery/shell.toml`` (``theme = "NAME"``, which the shell and the compositor's
server-side decorations both read), three foot terminals (foot asks for server-side decorations) showing some
text, tiling turned on (``toggle-tiling``), then ``orrery msg screenshot``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))  # as a script its own directory is on sys.path, not the checkout

from orrery_testing.process import CompositorProcess, RuntimeDir, orrery_argv, wait_until  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
THEMES = sorted(path.stem for path in (ROOT / "themes" / "builtin").glob("*.toml"))
SIZE = "1280x800@60"
PANEL_STARTS = 4.0  # seconds: the shell is a Python client that starts with the compositor
# What each terminal shows: a command as if typed at a prompt, then its output.
TERMINALS = (
    "ls -l compositor | head -n 20",
    "grep -v '^#' themes/builtin/{theme}.toml | head -n 15",
    "fold -s -w 60 docs/themes.md | head -n 14",
)


def theme_colours(theme: str) -> dict[str, str]:
    """foot's ``colors.background`` and ``colors.foreground`` from the theme's background and text tokens (hex
    without #), so the terminals match the theme; those it does not name are left to foot."""
    data = tomllib.loads((ROOT / "themes" / "builtin" / f"{theme}.toml").read_text())
    palette, tokens = data.get("palette", {}), data.get("tokens", {})
    colours = {}
    for key, token in (("background", "background"), ("foreground", "text")):
        value = str(palette.get(tokens.get(token, ""), tokens.get(token, "")))
        if value.startswith("#") and len(value) == 7:
            colours[key] = value[1:]
    return colours


def terminal_argv(command: str, title: str, colours: dict[str, str]) -> list[str]:
    script = f"printf '$ %s\\n' \"{command}\"; {command}; exec sleep 600"
    options = [f"--override=colors.{key}={value}" for key, value in colours.items()]
    return ["foot", *options, "--title", title, "sh", "-c", script]


def screenshot(theme: str, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="orrery-screenshots-") as config_home:
        (Path(config_home) / "orrery").mkdir()
        (Path(config_home) / "orrery" / "shell.toml").write_text(f'theme = "{theme}"\n')
        with RuntimeDir("screenshots", extra_env={"XDG_CONFIG_HOME": config_home}) as runtime:
            srv = CompositorProcess(orrery_argv(runtime.name, (SIZE,), shell=True), runtime)
            try:
                for index, command in enumerate(TERMINALS):
                    srv.spawn(terminal_argv(command.format(theme=theme), f"terminal {index + 1}",
                                            theme_colours(theme)))

                    def mapped(count: int = index + 1) -> bool:
                        return sum(1 for w in srv.request("windows") if w.get("app_id") == "foot") >= count

                    wait_until(mapped, timeout=30, what=f"terminal {index + 1}")
                time.sleep(PANEL_STARTS)  # the terminals draw their text, the panel its first frame
                srv.request("action", "toggle-tiling")
                wait_until(lambda: all(w["tiled"] for w in srv.request("windows") if w.get("app_id") == "foot"))
                time.sleep(1.5)  # the terminals redraw at their tile's size
                out.parent.mkdir(parents=True, exist_ok=True)
                srv.request("screenshot", str(out.resolve()))
            finally:
                srv.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("themes", nargs="*", metavar="THEME", help=f"default: all of {', '.join(THEMES)}")
    args = parser.parse_args(argv)
    unknown = set(args.themes) - set(THEMES)
    if unknown:
        parser.error(f"not a built-in theme: {', '.join(sorted(unknown))}")
    for theme in args.themes or THEMES:
        out = OUT / f"tiled-{theme}.png"
        screenshot(theme, out)
        print(f"{out.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
