"""EDID (VESA Extended Display Identification Data): who made the monitor, its model and serial.

Only the 128-byte base block is read: manufacturer (three letters packed in two bytes, looked up in the
PNP ID list of ``hwdata`` when installed), product code, the numeric serial, and the display descriptors
"monitor name" (0xFC) and "serial number" (0xFF). A monitor may send anything: a block that is short, has a
bad header or checksum gives ``None``, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEADER = b"\x00\xff\xff\xff\xff\xff\xff\x00"
BLOCK = 128
PNP_IDS = Path("/usr/share/hwdata/pnp.ids")


@dataclass(frozen=True)
class Edid:
    make: str
    model: str
    serial: str


def parse(data: bytes, pnp_ids: Path = PNP_IDS) -> Edid | None:
    block = data[:BLOCK]
    if len(block) < BLOCK or not block.startswith(HEADER) or sum(block) % 256:
        return None
    packed = int.from_bytes(block[8:10], "big")
    letters = [(packed >> shift) & 0x1F for shift in (10, 5, 0)]
    if not all(1 <= letter <= 26 for letter in letters):
        return None
    pnp_id = "".join(chr(ord("A") + letter - 1) for letter in letters)
    product = int.from_bytes(block[10:12], "little")
    number = int.from_bytes(block[12:16], "little")
    name = serial = ""
    for offset in range(54, 126, 18):  # four 18-byte descriptors
        descriptor = block[offset:offset + 18]
        if descriptor[:3] != b"\x00\x00\x00":
            continue  # a detailed timing, not a display descriptor
        text = _descriptor_text(descriptor[5:18])
        if descriptor[3] == 0xFC:
            name = name or text
        elif descriptor[3] == 0xFF:
            serial = serial or text
    return Edid(make=_manufacturer(pnp_id, pnp_ids), model=name or f"0x{product:04X}",
                serial=serial or (str(number) if number else ""))


def _descriptor_text(raw: bytes) -> str:
    """Up to 13 characters of code page 437, ended by a line feed and padded with spaces."""
    text = raw.split(b"\n", 1)[0].decode("cp437", errors="replace")
    return "".join(c for c in text if c.isprintable()).strip()


def _manufacturer(pnp_id: str, pnp_ids: Path) -> str:
    """The company's name for a PNP ID (``hwdata``'s list, "DEL\tDell Inc."), else the ID itself."""
    try:
        with pnp_ids.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith(pnp_id + "\t"):
                    return line[4:].strip() or pnp_id
    except OSError:
        pass
    return pnp_id
