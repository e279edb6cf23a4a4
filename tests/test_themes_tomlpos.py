"""The TOML key position index: tables, dotted and quoted keys, arrays, inline tables, strings."""

from __future__ import annotations

import tomllib

from themes.tomlpos import Span, index_toml

DOC = '''# a comment [not.a.table]
title = "x = [1, 2]"  # trailing comment

[meta]
  name = 'literal # not a comment'
"quoted key" = 1
a.b . c = true

[button.hovered]
background = """
multi [line]
"""
shadow = { color = "#000", blur = 4, inner = { x = 1 } }
list = [
  "one",  # comment
  [2, 3],
]

[[rows]]
id = 1
[[rows]]
id = 2
[rows.extra]
deep = 3

[after]
when = 1979-05-27 07:32:00Z
'''


def test_index_matches_tomllib_and_positions() -> None:
    tomllib.loads(DOC)  # the fixture is valid TOML
    index = index_toml(DOC)
    assert index.key(("title",)) == Span(2, 1)
    assert index.value(("title",)) == Span(2, 9)
    assert index.key(("meta",)) == Span(4, 2)
    assert index.key(("meta", "name")) == Span(5, 3)
    assert index.value(("meta", "name")) == Span(5, 10)
    assert index.key(("meta", "quoted key")) == Span(6, 1)
    assert index.key(("meta", "a")) == Span(7, 1)
    assert index.key(("meta", "a", "b")) == Span(7, 3)
    assert index.key(("meta", "a", "b", "c")) == Span(7, 7)
    assert index.value(("meta", "a", "b", "c")) == Span(7, 11)
    assert index.key(("button",)) == Span(9, 2)
    assert index.key(("button", "hovered")) == Span(9, 9)
    assert index.value(("button", "hovered", "background")) == Span(10, 14)
    assert index.key(("button", "hovered", "shadow")) == Span(13, 1)
    assert index.key(("button", "hovered", "shadow", "blur")) == Span(13, 28)
    assert index.value(("button", "hovered", "shadow", "blur")) == Span(13, 35)
    assert index.key(("button", "hovered", "shadow", "inner", "x")) == Span(13, 48)
    assert index.value(("button", "hovered", "list", 0)) == Span(15, 3)
    assert index.value(("button", "hovered", "list", 1)) == Span(16, 3)
    assert index.value(("button", "hovered", "list", 1, 1)) == Span(16, 7)
    assert index.key(("rows", 0, "id")) == Span(20, 1)
    assert index.key(("rows", 1, "id")) == Span(22, 1)
    assert index.key(("rows", 1, "extra", "deep")) == Span(24, 1)
    assert index.key(("rows", 1, "extra")) == Span(23, 7)
    assert index.value(("after", "when")) == Span(27, 8)


def test_unknown_paths_fall_back_to_the_nearest_written_ancestor() -> None:
    index = index_toml("[button]\nradius = 3\n")
    assert index.key(("button", "hovered", "text")) == Span(1, 2)
    assert index.value(("button", "radius")) == Span(2, 10)
    assert index.key(("nothing",)) is None


def test_first_mention_of_an_implicit_table_wins_until_its_header() -> None:
    index = index_toml("[a.b]\nx = 1\n[a]\ny = 2\n")
    assert index.key(("a",)) == Span(3, 2)
    assert index.key(("a", "b")) == Span(1, 4)


def test_escapes_and_crlf() -> None:
    text = '[t]\r\n"k\\u00e9y" = "a\\"b"\r\nz = 1\r\n'
    assert tomllib.loads(text) == {"t": {"kéy": 'a"b', "z": 1}}
    index = index_toml(text)
    assert index.key(("t", "kéy")) == Span(2, 1)
    assert index.value(("t", "kéy")) == Span(2, 14)
    assert index.key(("t", "z")) == Span(3, 1)
