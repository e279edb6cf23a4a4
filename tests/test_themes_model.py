"""The resolved theme: colours and expressions, built-ins, derivation from the accent, contrast guarantees."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes import SearchPath, ThemeColor, ThemeModel, builtin, load
from themes.color import contrast, darken, ensure_contrast, lighten, mix
from themes.derive import contrast_pairs
from themes.expr import ColourSyntaxError, evaluate, parse
from themes.loader import BUILTIN_DIR

BUILTINS = ["orrery-dark", "orrery-light", "orrery-high-contrast-dark", "orrery-high-contrast-light"]


def test_colour_syntax() -> None:
    assert ThemeColor.from_hex("#abc") == ThemeColor(0xaa, 0xbb, 0xcc)
    assert ThemeColor.from_hex("#1b1d23").hex() == "#1b1d23"
    assert ThemeColor.from_hex("#1b1d2380") == ThemeColor(0x1b, 0x1d, 0x23, 0x80)
    assert ThemeColor.from_hex("#1b1d2380").hex() == "#1b1d2380"
    for bad in ("1b1d23", "#12", "#12345", "#gggggg"):
        with pytest.raises(ValueError):
            ThemeColor.from_hex(bad)


def test_colour_functions() -> None:
    palette = {"white": ThemeColor(255, 255, 255), "black": ThemeColor(0, 0, 0)}

    def ev(text: str) -> str:
        return evaluate(parse(text), palette.__getitem__).hex()

    assert ev("mix(white, black, 0.5)") == "#808080"
    assert ev("mix(#000, #fff, 25%)") == "#404040"
    assert ev("alpha(white, 0.5)") == "#ffffff80"
    assert ev("lighten(#808080, 0.1)") == "#9a9a9a"
    assert ev("darken(mix(white, black, 0.5), 10%)") == "#666666"
    assert lighten(ThemeColor(0, 0, 0), 1.0) == ThemeColor(255, 255, 255)
    assert darken(ThemeColor(255, 0, 0), 0.5) == ThemeColor(0, 0, 0)
    for bad in ("", "mix(white)", "mix(white, black, 0.5, 1)", "alpha(0.5, white)", "white black", "mix(a, b, 2)"):
        with pytest.raises(ColourSyntaxError):
            parse(bad)


def test_wcag_contrast_and_adjustment() -> None:
    assert round(contrast(ThemeColor(0, 0, 0), ThemeColor(255, 255, 255)), 2) == 21.0
    assert contrast(ThemeColor(119, 119, 119), ThemeColor(255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    grey = ThemeColor(128, 128, 128)
    fixed = ensure_contrast(grey, [ThemeColor(255, 255, 255)])
    assert fixed is not None and contrast(fixed, ThemeColor(255, 255, 255)) >= 4.5
    assert contrast(mix(fixed, grey, 0.1), ThemeColor(255, 255, 255)) < contrast(fixed, ThemeColor(255, 255, 255))


@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_load_without_problems_and_pass_every_pair(name: str) -> None:
    result = load(name, SearchPath((BUILTIN_DIR,)))
    assert result.theme is not None and result.diagnostics == ()
    for fg_key, bg_key, fg, bg, ratio in contrast_pairs(result.theme):
        assert contrast(fg, bg) >= ratio, (fg_key, bg_key, fg, bg)
    assert result.theme.meta.variant == ("light" if name.endswith("light") else "dark")


def test_style_lookup_api() -> None:
    theme = builtin("orrery-dark")
    assert theme.style("button", "hovered") is theme.button.hovered
    assert theme.style("button.primary", "pressed") is theme.button_primary.pressed
    assert theme.style("panel") is theme.panel
    assert theme.statuses("decorations") == ("active", "inactive")
    assert theme.statuses("text_input") == ("active", "hovered", "focused", "disabled")
    with pytest.raises(KeyError, match="no status 'hovered'"):
        theme.style("panel", "hovered")
    with pytest.raises(KeyError, match="no component class"):
        theme.style("slider")
    with pytest.raises(dataclasses.FrozenInstanceError):
        theme.tokens.accent = ThemeColor(0, 0, 0)  # type: ignore[misc]


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, ThemeColor):
        for f in dataclasses.fields(value):
            yield from flatten(getattr(value, f.name), f"{prefix}{f.name}.")
    else:
        yield prefix.rstrip("."), value


def values(theme: ThemeModel) -> dict[str, Any]:
    return {key: value for key, value in flatten(theme) if not key.startswith("meta.")}


# Everything that is computed from the accent; the on_* colours may keep their value when it still reads.
ACCENT_DERIVED = {
    "tokens.accent", "tokens.on_accent", "tokens.accent_text", "tokens.focus_ring", "tokens.selection",
    "tokens.on_selection", "decorations.active.border",
    *(f"button_primary.{s}.{f}" for s in ("active", "hovered", "pressed", "focused", "disabled")
      for f in ("background", "text", "border")),
    *(f"{b}.focused.border" for b in ("button", "button_danger")),
    *(f"text_input.{s}.{f}" for s in ("active", "hovered", "focused", "disabled")
      for f in ("selection", "selection_text", "caret")),
    "text_input.focused.border",
    *(f"list_row.selected.{f}" for f in ("background", "text", "secondary_text")),
}
PURELY_ACCENT = {
    "tokens.accent", "tokens.accent_text", "tokens.focus_ring", "tokens.selection", "decorations.active.border",
    "button.focused.border", "text_input.focused.border", "text_input.active.selection",
    "text_input.active.caret", "list_row.selected.background",
    *(f"button_primary.{s}.background" for s in ("active", "hovered", "pressed", "focused", "disabled")),
}


@pytest.mark.parametrize("accent", ["#c061cb", "#e5a50a", "#33d17a"])
def test_changing_only_the_accent_changes_accent_derived_tokens_and_nothing_else(tmp_path: Path,
                                                                                 accent: str) -> None:
    (tmp_path / "mine.toml").write_text(f'[meta]\ninherits = "orrery-dark"\n[tokens]\naccent = "{accent}"\n')
    search = SearchPath((tmp_path, BUILTIN_DIR))
    result = load("mine", search)
    assert result.theme is not None and result.diagnostics == ()
    before, after = values(builtin("orrery-dark")), values(result.theme)
    assert before.keys() == after.keys()
    changed = {key for key in before if before[key] != after[key]}
    assert changed <= ACCENT_DERIVED, changed - ACCENT_DERIVED
    assert changed >= PURELY_ACCENT, PURELY_ACCENT - changed
    assert result.theme.tokens.accent.hex() == accent


colours = st.builds(ThemeColor, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
TOKEN_KEYS = ["background", "text", "accent", "success", "warning", "danger", "selection"]
COMPONENT_KEYS = ["button.background", "button_primary.background", "text_input.background",
                  "text_input.selection", "list_row.background", "panel.background", "launcher.background",
                  "decorations.title_background", "decorations.inactive.title_background",
                  "decorations.close_hover"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variant=st.sampled_from(["dark", "light"]),
       tokens=st.dictionaries(st.sampled_from(TOKEN_KEYS), colours),
       components=st.dictionaries(st.sampled_from(COMPONENT_KEYS), colours, max_size=4),
       palette=st.lists(colours, max_size=3))
def test_every_derived_text_colour_meets_aa_on_random_palettes(variant: str, tokens: dict[str, ThemeColor],
                                                                 components: dict[str, ThemeColor],
                                                                 palette: list[ThemeColor]) -> None:
    tables: dict[str, list[str]] = {"meta": [f'variant = "{variant}"'],
                                     "palette": [f'p{i} = "{c.hex()}"' for i, c in enumerate(palette)],
                                     "tokens": [f'{key} = "{c.hex()}"' for key, c in tokens.items()]}
    for key, c in components.items():
        table, _, field = key.rpartition(".")
        tables.setdefault(table, []).append(f'{field} = "{c.hex()}"')
    text = "".join(f"[{table}]\n" + "".join(f"{line}\n" for line in lines) for table, lines in tables.items())
    given_keys = {f"tokens.{k}" for k in tokens} | set(components)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "random.toml"
        path.write_text(text)
        result = load(path, SearchPath((BUILTIN_DIR,)))
    assert result.theme is not None, result.diagnostics
    for fg_key, bg_key, fg, bg, ratio in contrast_pairs(result.theme):
        if fg_key not in given_keys:
            assert contrast(fg, bg) >= ratio, (fg_key, bg_key, fg, bg, text)
    for warning in result.warnings:
        assert any(key in warning.message for key in given_keys), warning


def test_the_complete_example_in_the_authors_reference_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "themes.md").read_text()
    found = re.search(r"## A complete example\n\n```toml\n(.*?)```", doc, re.S)
    assert found is not None
    (tmp_path / "sunset.toml").write_text(found[1])
    result = load(tmp_path / "sunset.toml", SearchPath((BUILTIN_DIR,)))
    assert result.theme is not None
    assert [d.key for d in result.diagnostics] == ["background.image"]  # ~/Pictures/dunes.jpg is not here
    assert result.theme.style("button", "hovered").radius == 999
    assert result.theme.panel.position == "bottom"
