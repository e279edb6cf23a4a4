"""A small X11 client for the Xwayland tests (xcffib): windows of one colour with the properties a test names.

    python -m tests.tools.xclient normal --title T --class C --color ff0000 --size 300x200
    python -m tests.tools.xclient popup --at 100,120 --size 80x60 --color 00ff00       # override-redirect
    python -m tests.tools.xclient dialog --transient --title D                         # a main window and its dialog
    python -m tests.tools.xclient hints --min 100000x5 --max 3x3                       # absurd size hints

It prints ``ready 0xWID`` once its windows are mapped, then runs until killed (``--exit-on-delete``: exits when
asked to close through WM_DELETE_WINDOW, after printing ``deleted``). ``--garbage`` also sets malformed values
on the properties a window manager reads.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys

import xcffib
import xcffib.xproto as xp


def _size(text: str) -> tuple[int, int]:
    width, height = text.split("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("normal", "popup", "dialog", "hints"))
    parser.add_argument("--title", default="xclient")
    parser.add_argument("--class", dest="klass", default="XClient")
    parser.add_argument("--color", default="ff0000")
    parser.add_argument("--size", type=_size, default=(300, 200))
    parser.add_argument("--at", default="0,0")
    parser.add_argument("--min", type=_size)
    parser.add_argument("--max", type=_size)
    parser.add_argument("--garbage", action="store_true")
    parser.add_argument("--exit-on-delete", action="store_true")
    parser.add_argument("--fullscreen", action="store_true", help="once mapped, ask for fullscreen (EWMH)")
    args = parser.parse_args()

    conn = xcffib.connect()
    core = conn.core
    screen = conn.get_setup().roots[conn.pref_screen]
    names = ["WM_PROTOCOLS", "WM_DELETE_WINDOW", "_NET_WM_NAME", "UTF8_STRING", "_NET_WM_WINDOW_TYPE",
             "_NET_WM_WINDOW_TYPE_DIALOG", "_NET_WM_PID", "_MOTIF_WM_HINTS", "_NET_WM_STATE",
             "_NET_WM_STATE_FULLSCREEN"]
    cookies = [core.InternAtom(False, len(name), name) for name in names]
    atom = {name: cookie.reply().atom for name, cookie in zip(names, cookies, strict=True)}
    x, y = (int(v) for v in args.at.split(","))

    def window(title: str, override: bool, size: tuple[int, int], position: tuple[int, int], color: int) -> int:
        wid = conn.generate_id()
        mask = xp.CW.BackPixel | xp.CW.OverrideRedirect | xp.CW.EventMask
        core.CreateWindow(screen.root_depth, wid, screen.root, position[0], position[1], size[0], size[1], 0,
                          xp.WindowClass.InputOutput, screen.root_visual, mask,
                          [color, int(override), xp.EventMask.StructureNotify | xp.EventMask.KeyPress])
        encoded = title.encode()
        core.ChangeProperty(xp.PropMode.Replace, wid, xp.Atom.WM_NAME, xp.Atom.STRING, 8, len(encoded), encoded)
        core.ChangeProperty(xp.PropMode.Replace, wid, atom["_NET_WM_NAME"], atom["UTF8_STRING"], 8, len(encoded),
                            encoded)
        klass = f"{args.klass.lower()}\0{args.klass}\0".encode()
        core.ChangeProperty(xp.PropMode.Replace, wid, xp.Atom.WM_CLASS, xp.Atom.STRING, 8, len(klass), klass)
        core.ChangeProperty(xp.PropMode.Replace, wid, atom["WM_PROTOCOLS"], xp.Atom.ATOM, 32, 1,
                            struct.pack("=I", atom["WM_DELETE_WINDOW"]))
        core.ChangeProperty(xp.PropMode.Replace, wid, atom["_NET_WM_PID"], xp.Atom.CARDINAL, 32, 1,
                            struct.pack("=I", os.getpid()))
        return wid

    color = int(args.color, 16)
    windows = []
    if args.kind == "popup":
        windows.append(window(args.title, True, args.size, (x, y), color))
    else:
        main_window = window(args.title, False, args.size, (x, y), color)
        windows.append(main_window)
        if args.kind == "hints" or args.min or args.max:
            hints = [0] * 18
            if args.min:
                hints[0] |= 16
                hints[5:7] = args.min
            if args.max:
                hints[0] |= 32
                hints[7:9] = args.max
            core.ChangeProperty(xp.PropMode.Replace, main_window, xp.Atom.WM_NORMAL_HINTS, xp.Atom.WM_SIZE_HINTS,
                                32, 18, struct.pack("=18I", *[v & 0xFFFFFFFF for v in hints]))
        if args.garbage:
            for prop, kind, fmt, data in ((xp.Atom.WM_NORMAL_HINTS, xp.Atom.WM_SIZE_HINTS, 8, b"\xff" * 7),
                                          (xp.Atom.WM_CLASS, xp.Atom.STRING, 32, b"\xff" * 12),
                                          (atom["_NET_WM_WINDOW_TYPE"], xp.Atom.ATOM, 32, b"\xfe" * 8),
                                          (xp.Atom.WM_HINTS, xp.Atom.WM_HINTS, 16, b"\x01\x02\x03"),
                                          (atom["_MOTIF_WM_HINTS"], atom["_MOTIF_WM_HINTS"], 32, b"\x07" * 4),
                                          (xp.Atom.WM_TRANSIENT_FOR, xp.Atom.WINDOW, 32,
                                           struct.pack("=I", main_window))):
                length = len(data) // (fmt // 8)
                core.ChangeProperty(xp.PropMode.Replace, main_window, prop, kind, fmt, length, data)
        if args.kind == "dialog":
            dialog = window(args.title + " dialog", False, (200, 120), (0, 0), 0x0000FF)
            core.ChangeProperty(xp.PropMode.Replace, dialog, xp.Atom.WM_TRANSIENT_FOR, xp.Atom.WINDOW, 32, 1,
                                struct.pack("=I", main_window))
            core.ChangeProperty(xp.PropMode.Replace, dialog, atom["_NET_WM_WINDOW_TYPE"], xp.Atom.ATOM, 32, 1,
                                struct.pack("=I", atom["_NET_WM_WINDOW_TYPE_DIALOG"]))
            windows.append(dialog)
    for wid in windows:
        core.MapWindow(wid)
    conn.flush()
    mapped: set[int] = set()
    while True:
        event = conn.wait_for_event()
        if isinstance(event, xp.MapNotifyEvent):
            mapped.add(event.window)
            if mapped == set(windows):
                print("ready " + " ".join(f"0x{wid:x}" for wid in windows), flush=True)
                if args.fullscreen:
                    data = xp.ClientMessageData.synthetic([1, atom["_NET_WM_STATE_FULLSCREEN"], 0, 1, 0], "I" * 5)
                    message = xp.ClientMessageEvent.synthetic(32, windows[0], atom["_NET_WM_STATE"], data)
                    core.SendEvent(False, screen.root, xp.EventMask.SubstructureRedirect
                                   | xp.EventMask.SubstructureNotify, message.pack())
                    conn.flush()
        elif isinstance(event, xp.ClientMessageEvent) and event.data.data32[0] == atom["WM_DELETE_WINDOW"]:
            print("deleted", flush=True)
            if args.exit_on_delete:
                sys.exit(0)


if __name__ == "__main__":
    main()
