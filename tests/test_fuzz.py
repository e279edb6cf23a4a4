"""The hostile-client fuzzer (orrery_testing/fuzz): its wire encoding and protocol model, and a 60 s run against a
real Orrery with weston-simple-shm as the bystander that must stay mapped and animating throughout."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from orrery_testing.fuzz import wire
from orrery_testing.fuzz.protocol import load
from orrery_testing.fuzz.runner import plan_batch
from orrery_testing.fuzz.strategies import DEFAULT, KNOWN_FAULTS, STRATEGIES, Plan
from tests.harness import ROOT, require

FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "60"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "1"))
FUZZ_STRATEGIES = os.environ.get("FUZZ_STRATEGIES", "default")


def test_a_message_is_its_header_and_padded_arguments() -> None:
    data = wire.message(3, 2, wire.encode_string("ab") + wire.encode_word(-1))
    assert struct.unpack("=II", data[:8]) == (3, (20 << 16) | 2)
    assert data[8:] == struct.pack("=I", 3) + b"ab\0\0" + b"\xff\xff\xff\xff"
    assert wire.encode_string(None) == b"\0\0\0\0"
    assert wire.fixed(1.5) == 384


def test_a_lying_size_goes_out_as_told() -> None:
    assert struct.unpack("=II", wire.message(1, 0, b"", size=5))[1] >> 16 == 5
    assert struct.unpack("=II", wire.message(1, 0, b"", size=0x10008))[1] >> 16 == 8  # 16 bits: it wraps


def test_fds_travel_beside_the_bytes() -> None:
    left, right = socket.socketpair()
    with left, right:
        conn = wire.Wire.__new__(wire.Wire)
        conn.sock, conn.closed = left, False
        conn.send(b"12345678", [os.open("/dev/null", os.O_RDONLY)])
        data, ancillary, _flags, _addr = right.recvmsg(64, socket.CMSG_SPACE(4))
        assert data == b"12345678" and ancillary[0][1] == socket.SCM_RIGHTS
        os.close(struct.unpack("=i", ancillary[0][2][:4])[0])


def test_the_protocol_model_has_every_interface_orrery_offers() -> None:
    protocols = load()
    for name in ("wl_compositor", "xdg_wm_base", "zwlr_layer_shell_v1", "zwp_virtual_keyboard_manager_v1",
                 "wp_cursor_shape_manager_v1", "ext_workspace_manager_v1", "ext_foreign_toplevel_list_v1"):
        assert protocols.get(name) is not None, name
    surface = protocols["wl_surface"]
    assert surface.version >= 6 and surface.request("attach").args[0].nullable
    assert protocols.enum_values(protocols["wl_shm_pool"].request("create_buffer").args[-1])  # wl_shm.format
    assert protocols["wl_surface"].request("destroy").destructor


def test_batches_are_the_same_for_the_same_seed() -> None:
    assert plan_batch(7, 3, DEFAULT) == plan_batch(7, 3, DEFAULT)
    assert [plan_batch(7, n, DEFAULT) for n in range(5)] != [plan_batch(8, n, DEFAULT) for n in range(5)]
    plan = Plan("shm", 12, 300)
    assert Plan.parse(str(plan)) == plan
    assert set(KNOWN_FAULTS) <= set(STRATEGIES) and not set(KNOWN_FAULTS) & set(DEFAULT)


@pytest.mark.timeout(FUZZ_SECONDS + 120)
def test_hostile_clients_cannot_break_the_compositor_or_its_bystander() -> None:
    """``make fuzz`` for FUZZ_SECONDS (60 by default) with the strategies that do not aim at faults known today."""
    require({"weston-simple-shm": "weston"})
    result = subprocess.run([sys.executable, "-m", "orrery_testing.fuzz", "run", "--seconds", str(FUZZ_SECONDS),
                             "--seed", str(FUZZ_SEED), "--strategies", FUZZ_STRATEGIES, "--no-minimize"],
                            cwd=ROOT, capture_output=True, text=True, timeout=FUZZ_SECONDS + 100)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-3000:]
    assert "the compositor stayed well" in result.stdout


@pytest.mark.timeout(200)
def test_quick_fuzz_benchmark_measures_the_bystander_on_both_compositors(tmp_path: Path) -> None:
    require({"weston": "weston"})
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--quick", "--no-doc", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-4000:]
    figures = json.loads(out.read_text())["fuzz"]["compositors"]
    assert figures["orrery"]["median"]["survived"] and figures["orrery"]["median"]["presented_hz"] > 0
    assert figures["orrery"]["median"]["fuzz_requests"] > 0
    assert "survived" in figures["weston"]["median"]
