"""The pure parts of X11 support: ICCCM/EWMH property decoding (malformed values read as unset, absurd size hints
dropped), the display reservation's lock files, and the ``xwayland`` key of orrery.toml."""

from __future__ import annotations

import os
import struct
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compositor import config
from compositor.xwayland import props, server
from themes.tomlpos import index_toml


def _cards(*values: int) -> bytes:
    return struct.pack(f"={len(values)}I", *[v & 0xFFFFFFFF for v in values])


def test_wm_class_is_instance_then_class() -> None:
    assert props.wm_class(b"xterm\0XTerm\0") == ("xterm", "XTerm")
    assert props.app_id(*props.wm_class(b"xterm\0XTerm\0")) == "XTerm"
    assert props.app_id(*props.wm_class(b"only\0")) == "only"
    assert props.wm_class(b"") == ("", "")


def test_names_stop_at_nul_and_decode_by_type() -> None:
    assert props.text("naïve".encode(), utf8=True) == "naïve"
    assert props.text("naïve".encode("latin-1"), utf8=False) == "naïve"
    assert props.text(b"a\0b", utf8=True) == "a"
    assert props.text(b"\xff\xfe", utf8=True) == "\ufffd\ufffd"


def test_size_hints_min_and_max() -> None:
    hints = [0] * 18
    hints[0] = 16 | 32
    hints[5:9] = [100, 50, 800, 600]
    decoded = props.size_hints(32, _cards(*hints))
    assert decoded.min_size == (100, 50) and decoded.max_size == (800, 600)


@pytest.mark.parametrize(("minimum", "maximum", "expected_min", "expected_max"), [
    ((100000, 5), (3, 3), (0, 5), (3, 0)),  # an absurd minimum is no minimum; a max below the min is dropped
    ((-5, -1), (0, 0), (0, 0), (0, 0)),  # negative sizes
    ((10, 10), (2**31 - 1, 2**31 - 1), (10, 10), (0, 0)),
])
def test_absurd_size_hints_are_dropped(minimum: tuple[int, int], maximum: tuple[int, int],
                                       expected_min: tuple[int, int], expected_max: tuple[int, int]) -> None:
    hints = [0] * 18
    hints[0] = 16 | 32
    hints[5:9] = [*minimum, *maximum]
    decoded = props.size_hints(32, _cards(*hints))
    assert decoded.min_size == expected_min and decoded.max_size == expected_max


@given(st.integers(0, 32).flatmap(lambda n: st.tuples(st.sampled_from([8, 16, 32]), st.binary(max_size=n * 4))))
def test_decoders_never_raise_on_garbage(case: tuple[int, bytes]) -> None:
    fmt, raw = case
    hints = props.size_hints(fmt, raw)
    for size in (hints.min_size, hints.max_size):
        assert all(0 <= v <= props.MAX_SIZE for v in size)
    props.wm_hints(fmt, raw)
    props.motif_decorations(fmt, raw)
    props.icon(fmt, raw)
    props.wm_class(raw)
    props.text(raw, utf8=True)


def test_wm_hints_input_and_urgency() -> None:
    assert props.wm_hints(32, _cards(1, 0)).input is False
    assert props.wm_hints(32, _cards(0, 0)).input is True  # no input flag: the WM gives focus
    assert props.wm_hints(32, _cards(256, 0)).urgent is True


def test_motif_hints_say_whether_to_decorate() -> None:
    assert props.motif_decorations(32, _cards(2, 0, 0, 0, 0)) is False
    assert props.motif_decorations(32, _cards(2, 0, 1, 0, 0)) is True
    assert props.motif_decorations(32, _cards(1, 0, 0, 0, 0)) is None  # decorations not named


def test_icons_are_read_until_a_truncated_one() -> None:
    raw = _cards(2, 1, 0xFF00FF00, 0xFFFF0000, 3, 3, 1)
    assert props.icon(32, raw) == [(2, 1, _cards(0xFF00FF00, 0xFFFF0000))]
    assert props.icon(32, _cards(100000, 100000)) == []


def test_state_changes() -> None:
    assert props.state_change(props.STATE_ADD, False) is True
    assert props.state_change(props.STATE_REMOVE, True) is False
    assert props.state_change(props.STATE_TOGGLE, True) is False
    assert props.state_change(props.STATE_TOGGLE, False) is True


def test_x_coordinates_are_clamped() -> None:
    assert props.signed16(10**6) == 32767 and props.signed16(-(10**6)) == -32768
    assert props.size16(0) == 1 and props.size16(10**6) == 32767


def test_a_stale_lock_is_taken_over_and_a_live_one_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "lock_path", lambda number: str(tmp_path / f".X{number}-lock"))
    live = tmp_path / ".X1-lock"
    live.write_text(f"{os.getppid():10d}\n")
    stale = tmp_path / ".X2-lock"
    stale.write_text(f"{2**22 + 12345:10d}\n")  # above pid_max's default: no such process
    assert not server._take_lock(1)
    assert server._take_lock(2)
    assert stale.read_text() == f"{os.getpid():10d}\n"


def _check(text: str) -> config.ConfigResult:
    return config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))


def test_the_xwayland_key() -> None:
    assert config.Config().xwayland is True
    for text, expected in (("xwayland = false", False), ("xwayland = true", True),
                           ('xwayland = "startup"', "startup")):
        result = _check(text)
        assert result.config is not None and result.config.xwayland == expected
    result = _check('xwayland = "sometimes"')
    assert result.config is None and "xwayland" in str(result.diagnostics[0])


def test_x_targets_and_mime_types() -> None:
    from compositor.xwayland import selection

    assert selection.mime_types(["TARGETS", "UTF8_STRING", "TIMESTAMP"]) == [
        "text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "TEXT", "STRING"]
    assert selection.mime_types(["TARGETS", "image/png", "STRING"]) == ["image/png", "text/plain"]
    assert selection.mime_types(["TARGETS", "MULTIPLE"]) == []
    assert selection.target_for("text/plain;charset=utf-8") == "UTF8_STRING"
    assert selection.target_for("text/plain") == "UTF8_STRING"
    assert selection.target_for("image/png") == "image/png"


def test_two_reservations_get_two_displays_and_release_them() -> None:
    first, sockets_a = server.reserve_display(180)
    try:
        second, sockets_b = server.reserve_display(first)
        try:
            assert second > first, "a number in use is skipped"
            assert Path(server.lock_path(second)).read_text() == f"{os.getpid():10d}\n"
            assert Path(server.socket_path(second)).exists()
        finally:
            for sock in sockets_b:
                sock.close()
            os.unlink(server.socket_path(second))
            os.unlink(server.lock_path(second))
    finally:
        for sock in sockets_a:
            sock.close()
        os.unlink(server.socket_path(first))
        os.unlink(server.lock_path(first))
