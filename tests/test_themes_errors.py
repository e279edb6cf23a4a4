"""Every kind of theme error is reported at once, each at its exact file:line:column with its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes import SearchPath, load
from themes.loader import BUILTIN_DIR


@pytest.fixture
def search(tmp_path: Path) -> SearchPath:
    return SearchPath((tmp_path, BUILTIN_DIR))


def problems(path: Path, search: SearchPath) -> list[str]:
    result = load(path, search)
    assert result.theme is None or not result.errors
    return [str(d).replace(f"{path.parent}/", "") for d in result.diagnostics]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


def test_bad_toml_reports_tomllib_position(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", '[meta]\nname = "x"\n\n[tokens]\naccent = #fff\n')
    assert problems(path, search) == ["t.toml:5:10: error: invalid TOML: Invalid value"]


def test_bad_toml_at_end_of_document(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", '[meta]\nname = "x')
    assert problems(path, search) == ["t.toml:2:10: error: invalid TOML: Unterminated string"]


def test_unknown_keys_with_did_you_mean(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", "\n".join([
        "[meta]",
        'variant = "dark"',
        "",
        "[tokens]",
        'acent = "#fff"',
        "",
        "[buton]",
        'background = "#000"',
        "",
        "[button.hovrd]",
        'background = "#000"',
        "",
        "[decorations]",
        'shadow = { colr = "#000" }',
        "inactive.tittle_text = \"#fff\"",
        "",
        "[decorations.active]",
        'border = "#fff"',
        "",
    ]))
    assert problems(path, search) == [
        't.toml:5:1: error: tokens.acent: unknown key "acent" (did you mean "accent"?)',
        't.toml:7:2: error: buton: unknown key "buton" (did you mean "button"?)',
        't.toml:10:9: error: button.hovrd: unknown key "hovrd" (did you mean "hovered"?)',
        't.toml:14:12: error: decorations.shadow.colr: unknown key "colr" (did you mean "color"?)',
        't.toml:15:10: error: decorations.inactive.tittle_text: unknown key "tittle_text" '
        '(did you mean "title_text"?)',
        't.toml:17:14: error: decorations.active: unknown key "active": the active state\'s fields go directly '
        "in [decorations]",
    ]


def test_wrong_types(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", "\n".join([
        "[meta]",
        "name = 3",
        'variant = "drak"',
        "[radii]",
        'small = "4"',
        "medium = -1",
        "[tokens]",
        "text = 12",
        "[decorations]",
        'buttons = ["close", "maximise"]',
        'title_align = ["left"]',
        "[panel]",
        'border_width = true',
        "",
    ]))
    assert problems(path, search) == [
        "t.toml:2:8: error: meta.name: expected a string, found an integer",
        't.toml:3:11: error: meta.variant: "drak" is not one of "dark", "light" (did you mean "dark"?)',
        "t.toml:5:9: error: radii.small: expected a number, found a string",
        "t.toml:6:10: error: radii.medium: expected a number of at least 0, found -1",
        "t.toml:8:8: error: tokens.text: expected a colour string, found an integer",
        't.toml:10:21: error: decorations.buttons[1]: "maximise" is not one of "minimize", "maximize", "close" '
        '(did you mean "maximize"?)',
        't.toml:11:15: error: decorations.title_align: expected one of "left", "center", found an array',
        "t.toml:13:16: error: panel.border_width: expected a number, found a boolean",
    ]


def test_bad_colours(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", "\n".join([
        "[tokens]",
        'accent = "#12g"',
        'success = "#12345"',
        'warning = "mix(#fff, #000)"',
        'danger = "lighten(#fff, 2)"',
        'border = "shade(#fff, 0.5)"',
        "[palette]",
        'mix = "#fff"',
        "",
    ]))
    assert problems(path, search) == [
        't.toml:2:10: error: tokens.accent: bad colour "#12g": only the hexadecimal digits 0-9 and a-f may '
        "follow #",
        't.toml:3:11: error: tokens.success: bad colour "#12345": expected #rgb, #rrggbb or #rrggbbaa',
        "t.toml:4:11: error: tokens.warning: bad colour \"mix(#fff, #000)\": expected ',', found ')'",
        't.toml:5:10: error: tokens.danger: bad colour "lighten(#fff, 2)": 2 is out of range: '
        "lighten(colour, amount) takes 0-1 or 0%-100%",
        't.toml:6:10: error: tokens.border: bad colour "shade(#fff, 0.5)": unknown function \'shade\' '
        "(functions: mix(a, b, t), lighten(colour, amount), darken(colour, amount), alpha(colour, a))",
        't.toml:8:1: error: palette.mix: palette name "mix" is the name of a function',
    ]


def test_unknown_palette_names_and_palette_cycles(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", "\n".join([
        "[palette]",
        'blue = "#3584e4"',
        'a = "mix(b, blue, 0.5)"',
        'b = "a"',
        "[tokens]",
        'accent = "bleu"',
        "[button]",
        'background = "acent"',
        "",
    ]))
    assert problems(path, search) == [
        "t.toml:3:5: error: palette.a: palette cycle: a -> b -> a",
        't.toml:6:10: error: tokens.accent: unknown palette name "bleu" (did you mean "blue"?)',
        't.toml:8:14: error: button.background: unknown palette name or token "acent" (did you mean "accent"?)',
    ]


def test_missing_parent(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", '[meta]\ninherits = "orrery-drak"\n')
    assert problems(path, search) == [
        't.toml:2:12: error: meta.inherits: no theme named "orrery-drak" to inherit from (did you mean '
        '"orrery-dark"?)',
    ]


def test_inheritance_cycle_through_three_themes(tmp_path: Path, search: SearchPath) -> None:
    write(tmp_path, "b", '[meta]\ninherits = "c"\n')
    write(tmp_path, "c", '\n[meta]\ninherits = "a"\n')
    path = write(tmp_path, "a", '[meta]\ninherits = "b"\n')
    assert problems(path, search) == ["c.toml:3:12: error: meta.inherits: inheritance cycle: a -> b -> c -> a"]


def test_errors_in_a_parent_point_into_the_parent(tmp_path: Path, search: SearchPath) -> None:
    write(tmp_path, "parent", '[meta]\ninherits = "orrery-dark"\n[tokens]\naccent = "#zzz"\n')
    path = write(tmp_path, "child", '[meta]\ninherits = "parent"\n[tokens]\nsuccess = "nigth"\n')
    assert problems(path, search) == [  # the file being edited first, then its parents
        'child.toml:4:11: error: tokens.success: unknown palette name "nigth" (did you mean "night"?)',
        'parent.toml:4:10: error: tokens.accent: bad colour "#zzz": only the hexadecimal digits 0-9 and a-f '
        "may follow #",
    ]


def test_author_pairs_below_aa_warn_naming_both_keys(tmp_path: Path, search: SearchPath) -> None:
    path = write(tmp_path, "t", "\n".join([
        "[meta]",
        'inherits = "orrery-dark"',
        "[button]",
        'background = "#777777"',
        'text = "#888888"',
        "",
    ]))
    result = load(path, search)
    assert result.theme is not None and not result.errors
    assert [str(d).replace(f"{tmp_path}/", "") for d in result.warnings] == [
        "t.toml:5:8: warning: button.text: contrast of button.text (#888888) on button.background (#777777) is "
        "1.26:1, below 4.5:1",
    ]
    # the states derived from that base state are still made readable
    assert result.theme.button.hovered.text != result.theme.button.active.text


def test_unknown_theme_name() -> None:
    result = load("no-such-theme", SearchPath((BUILTIN_DIR,)))
    assert [str(d) for d in result.diagnostics] == ['<theme>: error: no theme named "no-such-theme"']


def test_a_theme_may_inherit_the_theme_it_overrides(tmp_path: Path, search: SearchPath) -> None:
    write(tmp_path, "orrery-dark", '[meta]\ninherits = "orrery-dark"\n[tokens]\naccent = "#ff00ff"\n')
    result = load("orrery-dark", search)
    assert result.theme is not None, result.diagnostics
    assert result.theme.tokens.accent.hex() == "#ff00ff"
    assert result.files == (tmp_path / "orrery-dark.toml", BUILTIN_DIR / "orrery-dark.toml")
