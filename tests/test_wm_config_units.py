"""The pure parts of bindings, actions and window rules: parsing and checking what orrery.toml says, the default
bindings, and which rules match a window."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from compositor import actions, bindings, config, config_live, rules
from compositor.bindings import Action, parse_action, parse_combo
from themes.diagnostics import Diagnostic, Severity
from themes.tomlpos import index_toml

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "expected"), [
    ("close", Action("close")),
    ("  maximize ", Action("maximize")),
    ("toggle-floating", Action("toggle-floating")),
    ("focus Left", Action("focus", "left")),
    ("move down", Action("move", "down")),
    ("workspace 3", Action("workspace", "3")),
    ("workspace 03", Action("workspace", "3")),
    ("workspace Next", Action("workspace", "next")),
    ("move-to-workspace prev", Action("move-to-workspace", "prev")),
    ("spawn  foot --title 'a  b'", Action("spawn", "foot --title 'a  b'")),  # the command as written
    ("vt 2", Action("vt", "2")),
    ("reload", Action("reload")),
    ("switcher", Action("switcher")),
    ("switcher Prev", Action("switcher", "prev")),
])
def test_actions_parse_from_one_string(text: str, expected: Action) -> None:
    assert parse_action(text) == expected
    assert parse_action(str(expected)) == expected  # what the IPC and logs show parses back the same


@pytest.mark.parametrize(("text", "message"), [
    ("clsoe", 'unknown action "clsoe" (did you mean "close"?) (actions: close, maximize,'),
    ("toggle-float", 'unknown action "toggle-float" (did you mean "toggle-floating"?)'),
    ("", 'unknown action ""'),
    ("close now", '"close" takes no argument'),
    ("switcher 1", '"switcher 1": expected nothing, prev or next'),
    ("focus", '"focus" needs a direction (left, right, up, down), e.g. "focus left"'),
    ("move north", '"move north": expected a direction (left, right, up, down)'),
    ("workspace 0", '"workspace 0": expected a workspace number from 1 to 99, or prev or next'),
    ("move-to-workspace 100", '"move-to-workspace 100": expected a workspace number from 1 to 99'),
    ("workspace two", '"workspace two": expected a workspace number'),
    ("spawn", '"spawn" needs a command, e.g. "spawn foot"'),
    ("vt next", '"vt next": expected a terminal number from 1 to 63'),
    ("none", 'unknown action "none"'),  # only [bindings] knows "none" (to unbind)
])
def test_bad_actions_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_action(text)
    assert str(raised.value).startswith(message)


def test_every_action_that_parses_has_something_to_do() -> None:
    assert actions.HANDLERS.keys() == bindings.ACTIONS.keys()


def test_the_defaults_are_close_to_cosmic() -> None:
    defaults = bindings.DEFAULTS
    expected = {"Super+Return": "spawn foot", "Super+Q": "close", "Super+M": "maximize", "Super+F11": "fullscreen",
                "Super+Y": "toggle-tiling", "Super+G": "toggle-floating", "Super+Left": "focus left",
                "Super+Down": "focus down", "Super+Shift+Up": "move up", "Super+Shift+Right": "move right",
                "Super+1": "workspace 1", "Super+9": "workspace 9", "Super+Shift+4": "move-to-workspace 4",
                "Super+Ctrl+Left": "workspace prev", "Super+Ctrl+Right": "workspace next", "Alt+Tab": "switcher",
                "Super+Tab": "switcher", "Alt+Shift+Tab": "switcher prev", "Super+Shift+Tab": "switcher prev",
                "Super+Shift+Escape": "quit"}
    for keys, action in expected.items():
        assert defaults[parse_combo(keys)] == parse_action(action), keys
    assert len(defaults) == len(bindings.DEFAULT_BINDINGS)  # no two defaults on the same keys


def test_every_default_and_action_is_documented() -> None:
    text = (ROOT / "docs" / "keybindings.md").read_text()
    for keys, action in bindings.DEFAULT_BINDINGS.items():
        assert f"| `{keys}` | `{action}` |" in text, keys
    for name in bindings.ACTIONS:
        assert re.search(rf"^\| `{re.escape(name)}[ `]", text, re.MULTILINE), name


def check(text: str) -> config.ConfigResult:
    return config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))


def test_a_users_binding_replaces_the_default_on_the_same_keys_and_none_removes_one() -> None:
    result = check('[bindings]\n"super+q" = "spawn xkill"\n"Super+M" = "none"\n"Super+Shift+T" = "workspace 2"\n')
    assert result.config is not None
    table = result.config.bindings
    assert table[parse_combo("Super+Q")] == Action("spawn", "xkill")
    assert parse_combo("Super+M") not in table
    assert table[parse_combo("Super+Shift+T")] == Action("workspace", "2")
    assert table[parse_combo("Super+F11")] == Action("fullscreen")  # the other defaults stay


def test_bad_bindings_point_at_their_line_and_column() -> None:
    result = check('[bindings]\n"Super+Q" = "clsoe"\n"Super+Hyperkey" = "close"\n"Super+W" = "focus north"\n'
                   '"super+w" = "close"\n')
    assert result.config is None
    found = {(d.line, d.column): d.message for d in result.diagnostics}
    assert found[(2, 13)].startswith('unknown action "clsoe" (did you mean "close"?)')
    assert found[(3, 1)].startswith('unknown key "Hyperkey"')
    assert found[(4, 13)] == '"focus north": expected a direction (left, right, up, down)'
    assert found[(5, 1)] == '"super+w" is the same keys as "Super+W"'


def rule(**settings: object) -> rules.Rule:
    app_id, title = settings.pop("app_id", None), settings.pop("title", None)
    return rules.Rule(re.compile(str(app_id)) if app_id is not None else None,
                      re.compile(str(title)) if title is not None else None,
                      rules.WindowRule(**settings))  # type: ignore[arg-type]


def test_a_rule_matches_the_whole_app_id_and_title() -> None:
    sized = [rule(app_id="foot", size=(640, 480))]
    assert rules.match(sized, "foot", "anything").size == (640, 480)
    assert rules.match(sized, "footclient", "").size is None
    assert rules.match(sized, "xfoot", "").size is None
    both = [rule(app_id="org\\.gnome\\..*", title=".*Preferences", floating=True)]
    assert rules.match(both, "org.gnome.Nautilus", "Preferences").floating is True
    assert rules.match(both, "org.gnome.Nautilus", "Home").floating is None  # both must match
    assert rules.match(both, "org-gnome-x", "Preferences").floating is None
    assert rules.match([rule(workspace=3)], "any", "thing").workspace == 3  # no pattern: every window


def test_later_rules_replace_what_earlier_ones_set_and_keep_the_rest() -> None:
    table = [rule(app_id="foot", size=(640, 480), output="HDMI-A-1", decorations="client"),
             rule(title="scratch", size=(300, 200), position=(10, 20)),
             rule(app_id="firefox", floating=True)]
    assert rules.match(table, "foot", "scratch") == rules.WindowRule(
        size=(300, 200), position=(10, 20), output="HDMI-A-1", decorations="client")
    assert rules.match(table, "firefox", "") == rules.WindowRule(floating=True)
    assert rules.match(table, "mpv", "") == rules.WindowRule()


def test_rules_are_read_from_orrery_toml() -> None:
    result = check('[[rules]]\napp_id = "foot"\nsize = [640, 480]\nposition = [-10, 0]\nfloating = false\n'
                   '[[rules]]\ntitle = \'.*\\.pdf\'\nworkspace = 2\noutput = "DP-1"\ndecorations = "server"\n')
    assert result.diagnostics == ()
    assert result.config is not None
    assert rules.match(result.config.rules, "foot", "") == rules.WindowRule(False, None, None, (640, 480), (-10, 0))
    assert rules.match(result.config.rules, "zathura", "a.pdf") == rules.WindowRule(workspace=2, output="DP-1",
                                                                                   decorations="server")


def test_bad_rules_point_at_their_line_and_column() -> None:
    result = check('[[rules]]\napp_id = "foot("\nsize = [0, 480]\nfloting = true\n'
                   '[[rules]]\ntitle = 5\ndecorations = "sever"\nworkspace = true\nposition = [1]\noutput = ""\n')
    assert result.config is None
    found = {(d.line, d.column): f"{d.key}: {d.message}" for d in result.diagnostics}
    assert found == {
        (2, 10): 'rules[0].app_id: bad regular expression "foot(": missing ), unterminated subpattern at position 4',
        (3, 8): "rules[0].size: expected [width, height], two whole numbers from 1 to 32767, found [0, 480]",
        (4, 1): 'rules[0].floting: unknown key "floting" (did you mean "floating"?)',
        (6, 9): "rules[1].title: expected a regular expression (a string), found a number",
        (7, 15): 'rules[1].decorations: expected "server" or "client", found "sever" (did you mean "server"?)',
        (8, 13): "rules[1].workspace: expected a workspace number from 1 to 99, found true",
        (9, 12): "rules[1].position: expected [x, y], two whole numbers from -32767 to 32767, found [1]",
        (10, 10): 'rules[1].output: expected an output name such as "HDMI-A-1", found ""',
    }
    assert [d.message for d in check("[rules]\napp_id = 'x'\n").diagnostics] == [
        "expected an array of tables: write each rule as [[rules]]"]


def test_the_config_answer_names_the_file_and_its_errors() -> None:
    path = Path("/home/u/.config/orrery/orrery.toml")
    assert config_live.problems_answer(path, ()) == {"path": str(path), "error": None}
    problem = Diagnostic(Severity.ERROR, path, 4, 13, 'bindings."Super+Q"', 'unknown action "clsoe"')
    assert config_live.problems_answer(path, (problem,)) == {
        "path": str(path), "error": f'{path}:4:13: error: bindings."Super+Q": unknown action "clsoe"'}
