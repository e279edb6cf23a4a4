"""The shell's pure parts: desktop entries, fuzzy ranking, the calculator, shell.toml errors, Super taps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compositor.input import super_tap
from compositor.shell_processes import FIRST_DELAY, MAX_DELAY, restart_delay
from shell.calc import CalcError, evaluate, format_number
from shell.config import load_config
from shell.desktop_entry import installed_apps, locale_variants, split_exec
from shell.launcher import answer
from shell.search import AppIndex, LaunchHistory


def _entry(directory: Path, name: str, body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text("[Desktop Entry]\nType=Application\n" + body)


def test_desktop_entries_are_localised_filtered_and_shadowed(tmp_path: Path) -> None:
    user, system = tmp_path / "home/applications", tmp_path / "usr/applications"
    _entry(system, "editor.desktop", "Name=Editor\nName[de]=Bearbeiter\nName[de_AT]=Editör\nGenericName=Text Editor\n"
                                     "Keywords=text;write\\;note;\nExec=editor %F\nIcon=accessories-text-editor\n")
    _entry(system, "secret.desktop", "Name=Secret\nExec=secret\nNoDisplay=true\n")
    _entry(system, "gone.desktop", "Name=Gone\nExec=gone\n")
    _entry(user, "gone.desktop", "Name=Gone\nExec=gone\nHidden=true\n")  # the user removed it
    _entry(system, "kde.desktop", "Name=KDE only\nExec=kde\nOnlyShowIn=KDE;\n")
    _entry(system, "notus.desktop", "Name=Not here\nExec=x\nNotShowIn=Orrery;\n")
    _entry(system, "missing.desktop", "Name=Missing\nExec=nope\nTryExec=/nonexistent/nope\n")
    _entry(system / "sub", "tool.desktop", "Name=Tool\nExec=tool\n")
    env = {"LANG": "de_AT.UTF-8", "XDG_CURRENT_DESKTOP": "Orrery", "PATH": os.environ.get("PATH", "")}
    apps = installed_apps([user, system], env)
    assert [a.name for a in apps] == ["Editör", "Tool"]
    editor, tool = apps
    assert editor.keywords == ("text", "write;note") and editor.generic_name == "Text Editor"
    assert tool.id == "sub-tool.desktop"
    assert [a.name for a in installed_apps([system], {**env, "LANG": "de_DE.UTF-8"})][0] == "Bearbeiter"
    assert locale_variants("sr_RS@latin") == ["sr_RS@latin", "sr_RS", "sr@latin", "sr"]


def test_exec_field_codes_and_quoting(tmp_path: Path) -> None:
    _entry(tmp_path, "a.desktop",
           'Name=App\nIcon=app\nExec="/opt/my app/run" --name %c %i --file=%f %U %% "a \\\\" b"\n')
    [app] = installed_apps([tmp_path], {})
    assert app.command() == ["/opt/my app/run", "--name", "App", "--icon", "app", "--file=", "%", 'a " b']
    assert app.command(["/tmp/x"]) == ["/opt/my app/run", "--name", "App", "--icon", "app", "--file=/tmp/x",
                                       "/tmp/x", "%", 'a " b']
    assert split_exec('sh -c "echo \\$HOME"') == ["sh", "-c", "echo $HOME"]


def _apps(tmp_path: Path, names: list[str]) -> AppIndex:
    for i, name in enumerate(names):
        keywords = "shell;" if "Term" in name else ""
        _entry(tmp_path, f"app{i}.desktop", f"Name={name}\nExec=app{i}\nKeywords={keywords}\n")
    return AppIndex(installed_apps([tmp_path], {}))


def test_fuzzy_ranking_prefers_prefix_then_word_then_substring_then_scattered(tmp_path: Path) -> None:
    index = _apps(tmp_path, ["Firefox", "Fire Alarm", "Campfire", "Files", "Foot Terminal", "Rifle"])
    assert [e.name for e in index.search("fire")] == ["Fire Alarm", "Firefox", "Campfire"]
    assert [e.name for e in index.search("fle")][:2] == ["Rifle", "Files"], "a substring beats scattered letters"
    assert [e.name for e in index.search("shell")] == ["Foot Terminal"], "keywords match too"
    assert index.search("zzz") == []


def test_ranking_learns_from_launches_and_persists(tmp_path: Path) -> None:
    index = _apps(tmp_path / "apps", ["Firefox", "Fire Alarm"])
    history = LaunchHistory.load(tmp_path / "state/launcher.json")
    firefox = next(e for e in index.search("") if e.name == "Firefox")
    for _ in range(3):
        history.record(firefox.id, now=1000.0)
    assert [e.name for e in index.search("fire", history, now=1000.0)][0] == "Firefox"
    reloaded = LaunchHistory.load(tmp_path / "state/launcher.json")
    assert [e.name for e in index.search("", reloaded, now=1000.0)][0] == "Firefox"
    assert reloaded.weight(firefox.id, now=1000.0 + 30 * 86400) == pytest.approx(1.5), "halved after 30 days"


def test_arithmetic_without_eval() -> None:
    assert evaluate("2 * (3 + 4) ** 2") == 98
    assert evaluate("-7 // 2 + 10 % 4") == -2
    assert format_number(evaluate("sqrt(16) + 2^3")) == "12"
    assert format_number(evaluate("1/3")) == "0.333333333333"
    assert answer("=6*7") == "= 42"
    for bad, why in [("__import__('os')", "unknown function"), ("open('f').read()", "only numbers"),
                     ("(1).real", "only numbers"),
                     ("9 ** 9 ** 9", "too large"), ("1/0", "division by zero"), ("x + 1", "unknown name"),
                     ("1 +", "not an arithmetic"), ("[1, 2]", "only numbers"), ("'a' * 3", "only numbers")]:
        with pytest.raises(CalcError, match=why):
            evaluate(bad)


def test_config_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "shell.toml"
    path.write_text('theme = "orrery-light"\n\n[panel]\nposition = "middle"\nclok_format = "%H"\nheight = "tall"\n'
                    '[background]\ncolor = "#12g"\n')
    result = load_config(path)
    assert result.config is None
    assert [str(d).replace(str(tmp_path) + "/", "") for d in result.diagnostics] == [
        'shell.toml:4:12: error: panel.position: expected one of "top", "bottom", found "middle"',
        'shell.toml:5:1: error: panel.clok_format: unknown key "clok_format" (did you mean "clock_format"?)',
        "shell.toml:6:10: error: panel.height: expected a number, found a string",
        'shell.toml:8:9: error: background.color: bad colour "#12g": only the hexadecimal digits 0-9 and a-f '
        'may follow #',
    ]
    path.write_text("[panel]\nheight = \n")
    [syntax] = load_config(path).diagnostics
    assert (syntax.line, syntax.column) == (2, 10) and "invalid TOML" in syntax.message
    path.write_text('[panel]\nposition = "bottom"\nclock_format = "%H:%M:%S"\n')
    good = load_config(path).config
    assert good is not None and good.get("panel", "position") == "bottom" and good.get("panel", "height") == 0
    assert load_config(tmp_path / "none.toml").config is not None, "no file: the defaults"


def test_super_tap_is_super_alone() -> None:
    armed, tapped = super_tap(False, "press", is_super=True)
    assert (armed, tapped) == (True, False)
    assert super_tap(armed, "release", is_super=True) == (False, True)
    armed, _ = super_tap(False, "press", is_super=True)
    armed, _ = super_tap(armed, "press", is_super=False)  # Super+T
    assert super_tap(armed, "release", is_super=True) == (False, False)
    armed, _ = super_tap(False, "press", is_super=True)
    armed, _ = super_tap(armed, "button")  # Super+drag
    assert super_tap(armed, "release", is_super=True) == (False, False)
    assert super_tap(False, "press", is_super=True, others_held=True) == (False, False)
    armed, _ = super_tap(False, "super-on")  # wtype -M logo -m logo
    assert super_tap(armed, "super-off") == (False, True)


def test_restart_backoff() -> None:
    assert restart_delay(None, 0.5) == FIRST_DELAY
    assert restart_delay(FIRST_DELAY, 0.5) == FIRST_DELAY * 2
    assert restart_delay(8.0, 0.5) == MAX_DELAY
    assert restart_delay(MAX_DELAY, 60.0) == FIRST_DELAY, "a run that lasted starts the backoff over"
