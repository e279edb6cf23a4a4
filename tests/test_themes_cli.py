"""``orrery theme ...`` run as a real process, with the XDG directories pointed at temporary ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ORRERY = Path(sys.executable).with_name("orrery")


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_DIRS"] = str(tmp_path / "data")
    env["HOME"] = str(tmp_path)
    (tmp_path / "data" / "orrery" / "themes").mkdir(parents=True)
    return env


def orrery(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ORRERY), "theme", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def test_list_shows_builtins_system_and_user_themes_with_shadowing(xdg: dict[str, str], tmp_path: Path) -> None:
    system = tmp_path / "data" / "orrery" / "themes" / "orrery-light.toml"
    system.write_text('[meta]\ninherits = "orrery-light"\n')
    assert orrery(xdg, "new", "mine", "--from", "orrery-light").returncode == 0
    out = orrery(xdg, "list")
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()]
    assert [row[:3] for row in rows] == [
        ["mine", "light", "user"],
        ["orrery-light", "light", "system"],
        ["orrery-dark", "dark", "built-in"],
        ["orrery-high-contrast-dark", "dark", "built-in"],
        ["orrery-high-contrast-light", "light", "built-in"],
        ["orrery-light", "light", "built-in"],
    ]
    assert out.stdout.splitlines()[-1].endswith(f"(shadowed by {system})")


def test_check_exit_codes_and_messages(xdg: dict[str, str], tmp_path: Path) -> None:
    """Paths are reported as they were given, like a compiler does."""
    good = tmp_path / "good.toml"
    good.write_text('[meta]\ninherits = "orrery-dark"\n')
    (tmp_path / "bad.toml").write_text('[meta]\ninherits = "orrery-dark"\n[tokens]\naccent = "#1234"\n')
    (tmp_path / "warn.toml").write_text(
        '[meta]\ninherits = "orrery-dark"\n[panel]\nbackground = "#000"\ntext = "#111"\n')

    out = orrery(xdg, "check", "good.toml", "orrery-light", cwd=tmp_path)
    assert (out.returncode, out.stdout, out.stderr) == (0, "good.toml: ok\norrery-light: ok\n", "")

    out = orrery(xdg, "check", "good.toml", "bad.toml", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout == "good.toml: ok\nbad.toml: 1 error(s), 0 warning(s)\n"
    assert out.stderr == ('bad.toml:4:10: error: tokens.accent: bad colour "#1234": expected #rgb, #rrggbb or '
                          "#rrggbbaa\n")

    out = orrery(xdg, "check", "warn.toml", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stderr == ("warn.toml:5:8: warning: panel.text: contrast of panel.text (#111111) on "
                          "panel.background (#000000) is 1.11:1, below 4.5:1\n")
    assert orrery(xdg, "check", "--strict", "warn.toml", cwd=tmp_path).returncode == 1

    out = orrery(xdg, "check", "missing.toml", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr == "missing.toml: error: cannot read: No such file or directory\n"


def test_new_writes_a_commented_starter_that_checks_clean(xdg: dict[str, str], tmp_path: Path) -> None:
    out = orrery(xdg, "new", "sunset", "--from", "orrery-high-contrast-dark")
    target = tmp_path / "config" / "orrery" / "themes" / "sunset.toml"
    assert (out.returncode, out.stdout) == (0, f"{target}\n")
    text = target.read_text()
    assert 'inherits = "orrery-high-contrast-dark"' in text
    assert "# accent = \"#ffd60a\"" in text and "[decorations]" in text and "# [button.hovered]" in text
    assert orrery(xdg, "check", "--strict", str(target)).returncode == 0

    # uncommenting a line gives a working theme
    target.write_text(text.replace('# accent = "#ffd60a"', 'accent = "#ff7800"'))
    out = orrery(xdg, "check", "--strict", "sunset")
    assert (out.returncode, out.stdout) == (0, "sunset: ok\n")

    again = orrery(xdg, "new", "sunset", "--from", "orrery-dark")
    assert again.returncode == 1 and "exists" in again.stderr
    missing = orrery(xdg, "new", "other", "--from", "orrery-drak")
    assert missing.returncode == 1
    assert missing.stderr == 'orrery-drak: error: no theme named "orrery-drak" (did you mean "orrery-dark"?)\n'
    assert orrery(xdg, "new", "../evil").returncode == 2


def test_export_gtk(xdg: dict[str, str], tmp_path: Path) -> None:
    out = orrery(xdg, "export-gtk", "orrery-dark")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "@define-color accent_bg_color #5294e2;" in lines
    assert "@define-color window_bg_color #1b1d23;" in lines
    assert "@define-color theme_selected_bg_color #345379;" in lines
    assert all(line.startswith(("@define-color ", "/*")) or not line for line in lines)
    target = tmp_path / "gtk.css"
    assert orrery(xdg, "export-gtk", "orrery-light", "-o", str(target)).returncode == 0
    assert "@define-color window_bg_color #f4f5f7;" in target.read_text()
