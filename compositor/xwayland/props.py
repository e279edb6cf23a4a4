"""ICCCM and EWMH property values, decoded from the bytes an X server returns (pure: no X connection here).

Every decoder takes what ``GetProperty`` gave (the property's format and its raw bytes) and answers a Python
value, never raising on garbage: a client may set any bytes on any property, and a malformed one reads as unset.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_SIZE = 16384  # a size hint beyond this (or below 0) is treated as no hint: no window is that big
ATOMS = (
    "WM_PROTOCOLS", "WM_DELETE_WINDOW", "WM_TAKE_FOCUS", "WM_STATE", "WM_CHANGE_STATE", "WM_TRANSIENT_FOR",
    "WM_CLASS", "WM_NAME", "WM_HINTS", "WM_NORMAL_HINTS", "WM_S0", "UTF8_STRING", "WL_SURFACE_ID",
    "_NET_WM_NAME", "_NET_WM_PID", "_NET_WM_ICON", "_NET_WM_PING",
    "_NET_SUPPORTED", "_NET_SUPPORTING_WM_CHECK", "_NET_CLIENT_LIST", "_NET_CLIENT_LIST_STACKING",
    "_NET_ACTIVE_WINDOW", "_NET_CLOSE_WINDOW", "_NET_WM_MOVERESIZE", "_NET_WM_STATE",
    "_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ",
    "_NET_WM_STATE_HIDDEN", "_NET_WM_STATE_DEMANDS_ATTENTION", "_NET_WM_STATE_FOCUSED", "_NET_WM_STATE_MODAL",
    "_NET_WM_WINDOW_TYPE", "_NET_WM_WINDOW_TYPE_NORMAL", "_NET_WM_WINDOW_TYPE_DIALOG",
    "_NET_WM_WINDOW_TYPE_UTILITY", "_NET_WM_WINDOW_TYPE_SPLASH", "_NET_WM_WINDOW_TYPE_TOOLBAR",
    "_NET_WM_WINDOW_TYPE_MENU", "_NET_WM_WINDOW_TYPE_DROPDOWN_MENU", "_NET_WM_WINDOW_TYPE_POPUP_MENU",
    "_NET_WM_WINDOW_TYPE_TOOLTIP", "_NET_WM_WINDOW_TYPE_NOTIFICATION", "_NET_WM_WINDOW_TYPE_COMBO",
    "_NET_WM_WINDOW_TYPE_DND", "_MOTIF_WM_HINTS", "_NET_FRAME_EXTENTS", "_NET_WM_DESKTOP",
    "_NET_NUMBER_OF_DESKTOPS", "_NET_CURRENT_DESKTOP",
    "CLIPBOARD", "PRIMARY", "TARGETS", "TIMESTAMP", "INCR", "TEXT", "STRING", "_ORRERY_SELECTION",
)
# Window types that float (never tiled) when they are managed at all
FLOATING_TYPES = frozenset({"_NET_WM_WINDOW_TYPE_DIALOG", "_NET_WM_WINDOW_TYPE_UTILITY",
                            "_NET_WM_WINDOW_TYPE_SPLASH", "_NET_WM_WINDOW_TYPE_TOOLBAR",
                            "_NET_WM_WINDOW_TYPE_MENU", "_NET_WM_WINDOW_TYPE_DROPDOWN_MENU",
                            "_NET_WM_WINDOW_TYPE_POPUP_MENU", "_NET_WM_WINDOW_TYPE_TOOLTIP",
                            "_NET_WM_WINDOW_TYPE_NOTIFICATION", "_NET_WM_WINDOW_TYPE_COMBO",
                            "_NET_WM_WINDOW_TYPE_DND"})
# _NET_WM_STATE client message actions
STATE_REMOVE, STATE_ADD, STATE_TOGGLE = 0, 1, 2
# _NET_WM_MOVERESIZE directions → xdg_toplevel.resize_edge (8 = move, 11 = keyboard move, 9/10: keyboard size)
MOVERESIZE_EDGES = {0: 5, 1: 1, 2: 9, 3: 8, 4: 10, 5: 2, 6: 6, 7: 4}
MOVERESIZE_MOVE, MOVERESIZE_CANCEL = 8, 11


def cardinals(fmt: int, raw: bytes) -> list[int]:
    """A format-32 (or 16) property as numbers; an odd length or another format: empty."""
    if fmt == 32 and len(raw) % 4 == 0:
        return list(struct.unpack(f"={len(raw) // 4}I", raw))
    if fmt == 16 and len(raw) % 2 == 0:
        return list(struct.unpack(f"={len(raw) // 2}H", raw))
    return []


def text(raw: bytes, utf8: bool) -> str:
    """WM_NAME (STRING: Latin-1, or COMPOUND_TEXT read as such) or _NET_WM_NAME (UTF8_STRING); ends at a NUL."""
    raw = raw.split(b"\0", 1)[0]
    return raw.decode("utf-8" if utf8 else "latin-1", "replace")[:1024]


def wm_class(raw: bytes) -> tuple[str, str]:
    """WM_CLASS is ``instance\\0class\\0``: (instance, class); missing parts are empty."""
    parts = [part.decode("latin-1", "replace")[:256] for part in raw.split(b"\0")]
    instance = parts[0] if parts else ""
    klass = parts[1] if len(parts) > 1 else ""
    return instance, klass


def app_id(instance: str, klass: str) -> str:
    """What a panel, icons and window rules go by: the class (``XTerm``) as most compositors do, else the
    instance name."""
    return klass or instance


@dataclass(frozen=True)
class SizeHints:
    min_size: tuple[int, int] = (0, 0)  # 0: no bound
    max_size: tuple[int, int] = (0, 0)
    position: bool = False  # the user or the program chose where it goes (USPosition / PPosition)


def _sane(value: int) -> int:
    return value if 0 < value <= MAX_SIZE else 0


def size_hints(fmt: int, raw: bytes) -> SizeHints:
    """WM_NORMAL_HINTS (WM_SIZE_HINTS, 18 CARDINALs): min and max size, clamped to sane values. A maximum below
    the minimum, or a bound out of range, is dropped rather than obeyed."""
    values = cardinals(fmt, raw)
    if len(values) < 9:
        return SizeHints()
    flags = values[0]
    signed = [v - (1 << 32) if v >= 1 << 31 else v for v in values]
    min_size = (_sane(signed[5]), _sane(signed[6])) if flags & 16 else (0, 0)
    max_size = (_sane(signed[7]), _sane(signed[8])) if flags & 32 else (0, 0)
    if not flags & 16 and flags & 256 and len(values) >= 17:  # PBaseSize doubles as the minimum (ICCCM)
        min_size = (_sane(signed[15]), _sane(signed[16]))
    if max_size[0] and max_size[0] < min_size[0]:
        max_size = (0, max_size[1])
    if max_size[1] and max_size[1] < min_size[1]:
        max_size = (max_size[0], 0)
    return SizeHints(min_size, max_size, bool(flags & 5))


@dataclass(frozen=True)
class WmHints:
    input: bool = True  # the client wants the WM to give it focus (SetInputFocus)
    urgent: bool = False


def wm_hints(fmt: int, raw: bytes) -> WmHints:
    values = cardinals(fmt, raw)
    if len(values) < 2:
        return WmHints()
    flags = values[0]
    return WmHints(input=bool(values[1]) if flags & 1 else True, urgent=bool(flags & 256))


def motif_decorations(fmt: int, raw: bytes) -> bool | None:
    """_MOTIF_WM_HINTS: whether the window wants decorations (None: it does not say)."""
    values = cardinals(fmt, raw)
    if len(values) < 3 or not values[0] & 2:  # MWM_HINTS_DECORATIONS
        return None
    return values[2] != 0


def icon(fmt: int, raw: bytes, limit: int = 512) -> list[tuple[int, int, bytes]]:
    """_NET_WM_ICON: (width, height, ARGB32 bytes) for each image, those no larger than ``limit`` pixels square;
    a truncated or absurd entry ends the list."""
    values = cardinals(fmt, raw)
    images, at = [], 0
    while at + 2 <= len(values):
        width, height = values[at], values[at + 1]
        if not (0 < width <= limit and 0 < height <= limit) or at + 2 + width * height > len(values):
            break
        start = at + 2
        images.append((width, height, struct.pack(f"={width * height}I", *values[start:start + width * height])))
        at = start + width * height
    return images


def state_change(action: int, present: bool) -> bool:
    """Whether a _NET_WM_STATE property is on after a client message's ``action`` (remove, add, toggle)."""
    if action == STATE_ADD:
        return True
    if action == STATE_TOGGLE:
        return not present
    return False


def signed16(value: int) -> int:
    """An X coordinate from the layout's: X positions are INT16."""
    return min(max(value, -32768), 32767)


def size16(value: int) -> int:
    """An X size: CARD16, at least 1."""
    return min(max(value, 1), 32767)
