"""Drive the pointer of the compositor at $WAYLAND_DISPLAY through zwlr_virtual_pointer_v1.

    python tests/tools/vpointer.py move X Y             # to layout position (X, Y)
    python tests/tools/vpointer.py click [left|right|middle]
    python tests/tools/vpointer.py scroll DY            # DY wheel steps down (negative: up)
    python tests/tools/vpointer.py move 10 10 press left move 300 200 release left   # a drag

Commands run in order, each ended by a frame and a roundtrip. Besides the above: ``press``/``release``
[BUTTON], ``rmove DX DY`` (relative) and ``sleep SECONDS``. Absolute positions are scaled to the layout
bounds read from the outputs (wl_output + xdg_output), or to ``--extent WxH`` at the layout's origin.
With ``--output NAME`` the pointer is mapped to that output and positions are relative to it.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlOutput, WlPointer, WlSeat
from pywayland.protocol.xdg_output_unstable_v1 import ZxdgOutputManagerV1

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from any directory

from protocols.wlr_virtual_pointer_unstable_v1 import (  # noqa: E402
    ZwlrVirtualPointerManagerV1,
)

BUTTONS = {"left": 0x110, "right": 0x111, "middle": 0x112}
ARITY = {"move": 2, "rmove": 2, "click": 1, "press": 1, "release": 1, "scroll": 1, "sleep": 1}
DEFAULT_BUTTON = {"click", "press", "release"}
STEP = 15.0  # scroll distance of one wheel step, as libinput reports it


@dataclass
class OutputBox:
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    scale: int = 1
    logical: bool = False  # xdg_output gave the logical box
    name: str = ""


@dataclass
class Globals:
    manager: Any = None
    seat: Any = None
    xdg: Any = None
    outputs: list[tuple[Any, OutputBox]] = field(default_factory=list)


def parse_commands(words: list[str]) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    index = 0
    while index < len(words):
        name = words[index]
        if name not in ARITY:
            raise SystemExit(f"unknown command {name!r}; known: {', '.join(ARITY)}")
        args = words[index + 1:index + 1 + ARITY[name]]
        index += 1 + len(args)
        if name in DEFAULT_BUTTON and (not args or args[0] not in BUTTONS):
            index -= len(args)  # no button named: the next word is the next command
            args = ["left"]
        elif len(args) < ARITY[name]:
            raise SystemExit(f"{name} takes {ARITY[name]} argument(s)")
        commands.append((name, args))
    return commands


def now_ms() -> int:
    return time.monotonic_ns() // 1_000_000 & 0xFFFFFFFF


def connect(display: Display) -> Globals:
    found = Globals()
    registry = display.get_registry()

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        if interface == "zwlr_virtual_pointer_manager_v1":
            found.manager = registry.bind(name, ZwlrVirtualPointerManagerV1, min(version, 2))
        elif interface == "wl_seat" and found.seat is None:
            found.seat = registry.bind(name, WlSeat, 1)
        elif interface == "zxdg_output_manager_v1":
            found.xdg = registry.bind(name, ZxdgOutputManagerV1, min(version, 3))
        elif interface == "wl_output":
            output = registry.bind(name, WlOutput, min(version, 4))
            box = OutputBox()
            output.dispatcher["geometry"] = lambda _o, x, y, *_rest: _set(box, x=x, y=y)
            output.dispatcher["mode"] = lambda _o, flags, w, h, _r: (
                _set(box, width=w, height=h) if flags & WlOutput.mode.current else None)
            output.dispatcher["scale"] = lambda _o, factor: _set(box, scale=factor)
            output.dispatcher["name"] = lambda _o, output_name: _set(box, name=output_name)
            found.outputs.append((output, box))

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    display.roundtrip()  # the outputs' events
    if found.xdg is not None:
        for output, box in found.outputs:
            xdg_output = found.xdg.get_xdg_output(output)
            xdg_output.dispatcher["logical_position"] = lambda _o, x, y, box=box: _set(box, x=x, y=y)
            xdg_output.dispatcher["logical_size"] = (
                lambda _o, w, h, box=box: _set(box, width=w, height=h, logical=True))
        display.roundtrip()
    return found


def _set(box: OutputBox, **values: Any) -> None:
    for key, value in values.items():
        setattr(box, key, value)


def layout_bounds(found: Globals, only: str | None = None) -> tuple[int, int, int, int]:
    boxes = []
    for _output, box in found.outputs:
        if only is not None and box.name != only:
            continue
        scale = 1 if box.logical else max(1, box.scale)
        boxes.append((box.x, box.y, box.x + box.width // scale, box.y + box.height // scale))
    if not boxes:
        raise SystemExit(f"no output {only}" if only else "no outputs: pass --extent WxH")
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    return left, top, max(b[2] for b in boxes) - left, max(b[3] for b in boxes) - top


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extent", help="layout size WxH (default: read from the outputs)")
    parser.add_argument("--output", help="map the pointer to this output (needs version 2)")
    parser.add_argument("command", nargs="+")
    options = parser.parse_args(argv)
    commands = parse_commands(options.command)

    display = Display()
    display.connect()
    found = connect(display)
    if found.manager is None:
        print("the compositor has no zwlr_virtual_pointer_manager_v1", file=sys.stderr)
        return 1
    if options.output:
        left, top, width, height = layout_bounds(found, options.output)
        output = next(output for output, box in found.outputs if box.name == options.output)
        pointer = found.manager.create_virtual_pointer_with_output(found.seat, output)
        left = top = 0
    else:
        if options.extent:
            width, height = (int(part) for part in options.extent.lower().split("x"))
            left = top = 0
        else:
            left, top, width, height = layout_bounds(found)
        pointer = found.manager.create_virtual_pointer(found.seat)

    for name, args in commands:
        stamp = now_ms()
        if name == "move":
            x, y = float(args[0]) - left, float(args[1]) - top
            pointer.motion_absolute(stamp, max(0, round(x)), max(0, round(y)), width, height)
        elif name == "rmove":
            pointer.motion(stamp, float(args[0]), float(args[1]))
        elif name in ("click", "press"):
            pointer.button(stamp, BUTTONS[args[0]], int(WlPointer.button_state.pressed))
        if name in ("click", "release"):
            pointer.button(now_ms(), BUTTONS[args[0]], int(WlPointer.button_state.released))
        elif name == "scroll":
            steps = int(args[0])
            pointer.axis_source(int(WlPointer.axis_source.wheel))
            pointer.axis_discrete(stamp, int(WlPointer.axis.vertical_scroll), steps * STEP, steps)
        elif name == "sleep":
            display.flush()
            time.sleep(float(args[0]))
        pointer.frame()
        display.roundtrip()

    pointer.destroy()
    display.flush()
    display.roundtrip()
    display.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
