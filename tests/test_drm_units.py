"""The DRM backend's pure parts: buffer ages (what a buffer lacks before it is drawn again), EDID parsing,
key bindings and VT-switch keys, orrery.toml's checks. The backend itself is tested in a VM
(test_login_session.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compositor import bindings, config
from compositor.backends.buffer_ages import BufferAges
from compositor.device import edid
from compositor.geometry import Box
from themes.tomlpos import index_toml

SIDE = 12
rects = st.builds(lambda x, y, w, h: Box(x, y, w, h), st.integers(0, SIDE - 1), st.integers(0, SIDE - 1),
                  st.integers(1, SIDE), st.integers(1, SIDE))


def cells(rect: Box) -> set[tuple[int, int]]:
    return {(x, y) for x in range(rect.x, min(SIDE, rect.right)) for y in range(rect.y, min(SIDE, rect.bottom))}


@settings(max_examples=300)
@given(frames=st.lists(st.lists(rects, max_size=4), min_size=1, max_size=30), count=st.integers(1, 3),
       spoils=st.lists(st.tuples(st.integers(0, 29), rects), max_size=5))
def test_a_buffer_drawn_again_repaints_everything_it_lacks(frames: list[list[Box]], count: int,
                                                           spoils: list[tuple[int, Box]]) -> None:
    """Each frame's damage changes the picture ("version" per cell); the buffers are drawn in turn, each only
    where the frame's damage and its age say; after each frame the buffer drawn shows the whole picture."""
    screen = Box(0, 0, SIDE, SIDE)
    ages = BufferAges(count, screen)
    truth = dict.fromkeys(cells(screen), 0)
    buffers = [dict.fromkeys(cells(screen), -1) for _ in range(count)]  # -1: garbage before the first frame
    for number, damage in enumerate(frames, start=1):
        index = number % count
        for rect in damage:
            for cell in cells(rect):
                truth[cell] = number
        repaint = [*damage, *ages.take(index)]
        for rect in repaint:
            for cell in cells(rect):
                buffers[index][cell] = truth[cell]
        ages.drawn(index, damage)
        for when, rect in spoils:  # a software pointer drawn over the frame, after the scene
            if when == number:
                for cell in cells(rect):
                    buffers[index][cell] = -2
                ages.spoil(index, rect)
        spoiled = {cell for when, rect in spoils if when == number for cell in cells(rect)}
        assert all(buffers[index][cell] == truth[cell] for cell in truth if cell not in spoiled)


@settings(max_examples=200)
@given(frames=st.lists(st.tuples(st.integers(0, 2), st.lists(rects, max_size=3)), min_size=1, max_size=60))
def test_buffers_drawn_in_any_order_repaint_everything_they_lack(frames: list[tuple[int, list[Box]]]) -> None:
    """As the wayland backend draws into whichever buffer the parent compositor released, one of them maybe
    left unused for many frames (then it lacks everything)."""
    screen = Box(0, 0, SIDE, SIDE)
    ages = BufferAges(0, screen)
    truth = dict.fromkeys(cells(screen), 0)
    buffers: list[dict[tuple[int, int], int]] = []
    for number, (index, damage) in enumerate(frames, start=1):
        while index >= len(buffers):
            ages.add()
            buffers.append(dict.fromkeys(cells(screen), -1))
        for rect in damage:
            for cell in cells(rect):
                truth[cell] = number
        for rect in [*damage, *ages.take(index)]:
            for cell in cells(rect):
                buffers[index][cell] = truth[cell]
        ages.drawn(index, damage)
        assert buffers[index] == truth
    assert all(len(stale) <= 3 * 16 + 1 for stale in ages.stale)  # bounded however long a buffer is unused


def edid_block(pnp_id: str = "DEL", product: int = 0x4321, number: int = 0x01020304, name: str = "U2720Q",
               serial: str = "ABC123") -> bytes:
    """An EDID base block as a monitor sends it (header, IDs, two display descriptors, checksum)."""
    letters = [ord(c) - ord("A") + 1 for c in pnp_id]
    block = bytearray(128)
    block[0:8] = edid.HEADER
    block[8:10] = ((letters[0] << 10) | (letters[1] << 5) | letters[2]).to_bytes(2, "big")
    block[10:12] = product.to_bytes(2, "little")
    block[12:16] = number.to_bytes(4, "little")
    block[18], block[19] = 1, 4  # EDID 1.4
    for offset, tag, text in ((54, 0xFF, serial), (72, 0xFC, name)):
        raw = (text.encode("cp437") + b"\n").ljust(13, b" ")[:13]
        block[offset:offset + 18] = bytes([0, 0, 0, tag, 0]) + raw
    block[127] = (256 - sum(block[:127]) % 256) % 256
    return bytes(block)


def test_edid_gives_make_model_and_serial(tmp_path: Path) -> None:
    ids = tmp_path / "pnp.ids"
    ids.write_text("DEK\tDelta Electronics\nDEL\tDell Inc.\n")
    assert edid.parse(edid_block(), ids) == edid.Edid("Dell Inc.", "U2720Q", "ABC123")
    assert edid.parse(edid_block(), tmp_path / "missing") == edid.Edid("DEL", "U2720Q", "ABC123")


def test_edid_without_descriptors_uses_the_product_code_and_number(tmp_path: Path) -> None:
    block = bytearray(edid_block())
    block[54:90] = bytes(36)  # no descriptors at all
    block[54] = 1  # a detailed timing, not a descriptor
    block[127] = 0
    block[127] = (256 - sum(block) % 256) % 256
    assert edid.parse(bytes(block), tmp_path / "none") == edid.Edid("DEL", "0x4321", str(0x01020304))


def test_broken_edid_is_refused() -> None:
    good = edid_block()
    assert edid.parse(good[:100]) is None  # short
    assert edid.parse(b"\x01" + good[1:]) is None  # bad header
    assert edid.parse(good[:127] + bytes([(good[127] + 1) % 256])) is None  # bad checksum


@given(st.binary(max_size=300))
def test_edid_never_raises(data: bytes) -> None:
    edid.parse(data)
    edid.parse(edid.HEADER + data)


def test_bindings_match_the_unmodified_key_with_exactly_the_modifiers_held() -> None:
    table = {bindings.parse_combo("Super+Shift+E"): bindings.Action("exit"),
             bindings.parse_combo("Ctrl+Alt+Return"): bindings.parse_action("spawn foot --title x")}
    e = bindings.parse_combo("e").keysym
    assert bindings.match(table, frozenset({"Mod4", "Shift"}), e) == bindings.Action("exit")
    assert bindings.match(table, frozenset({"Mod4"}), e) is None
    assert bindings.match(table, frozenset({"Mod4", "Shift", "Control"}), e) is None
    ret = bindings.parse_combo("Return").keysym
    assert bindings.match(table, frozenset({"Control", "Mod1"}), ret) == bindings.Action("spawn", "foot --title x")


def test_ctrl_alt_fn_switches_virtual_terminals() -> None:
    assert bindings.vt_switch("XF86Switch_VT_2") == 2
    assert bindings.vt_switch("XF86Switch_VT_12") == 12
    assert bindings.vt_switch("F2") is None


def check(text: str) -> config.ConfigResult:
    import tomllib

    return config.check(tomllib.loads(text), Path("orrery.toml"), index_toml(text))


def test_config_errors_point_at_the_line_and_column() -> None:
    result = check('[touchpad]\ntap = "yes"\n[bindings]\n"Super+Q" = "clsoe"\n"Hyper+Q" = "exit"\n'
                   '"Super+Nokey" = "exit"\n[keybord]\nlayout = "de"\n')
    assert result.config is None
    found = {(d.line, d.column): d.message for d in result.diagnostics}
    assert found[(2, 7)] == "expected true or false, found a string"
    assert found[(4, 13)].startswith('unknown action "clsoe"')
    assert found[(5, 1)].startswith('unknown modifier "Hyper"')
    assert found[(6, 1)].startswith('unknown key "Nokey"')
    assert found[(7, 2)] == 'unknown section "keybord" (did you mean "keyboard"?)'


def test_config_duplicate_and_unbound_bindings() -> None:
    result = check('[bindings]\n"Super+Shift+q" = "exit"\n"shift+super+Q" = "launcher"\n')
    assert result.config is None
    assert [d.line for d in result.diagnostics] == [3]
    assert "same keys" in result.diagnostics[0].message
    unbound = check('[bindings]\n"Super+Shift+Escape" = "none"\n"Super+Return" = "spawn foot"\n').config
    assert unbound is not None
    assert bindings.parse_combo("Super+Shift+Escape") not in unbound.bindings
    assert unbound.bindings[bindings.parse_combo("Super+Return")] == bindings.Action("spawn", "foot")
