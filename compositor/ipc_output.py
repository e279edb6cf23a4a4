"""IPC commands about outputs and the seat's pointer:

=================================  ==========================================================================
``output scale NAME FACTOR``       set an output's scale (like ``wlr-randr --scale``; FACTOR may be fractional,
                                   e.g. 1.5): its logical size becomes its mode divided by FACTOR
``output mode NAME WxH[@HZ]``      switch an output to one of the modes ``outputs`` lists (the closest
                                   refresh rate when HZ is left out or not exact)
``output power NAME on|off``       switch an output's monitor off (it shows black, DPMS on DRM) or on
``output add WxH[@HZ]``            plug in a new virtual monitor (headless backend), right of the others
``output remove NAME``             unplug a virtual monitor (headless backend)
``seat``                           the pointer: ``x``, ``y`` (global layout coordinates), ``cursor`` (a shape
                                   name such as ``text``, ``client surface``, ``hidden`` or ``default``),
                                   ``hotspot`` (a client cursor surface's, else null) and ``focus`` (the id of
                                   the window under it, or null); ``modifiers``: the binding modifiers held on
                                   the keyboard in use (``Shift``, ``Control``, ``Mod1``, ``Mod4``); ``drag``:
                                   the drag-and-drop in progress, or null: ``window`` (the id of the window
                                   under it, or null), ``accepted`` (the mime type its client accepted, or
                                   null) and ``action`` (``copy``, ``move``, ``ask`` or null)
=================================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .backends.base import OutputSpec
from .handlers import data_device

if TYPE_CHECKING:
    from .scene import Output
    from .server import Compositor

MAX_SCALE = 8.0


def output(compositor: Compositor, args: list[str]) -> Any:
    usage = ("usage: output scale NAME FACTOR | output mode NAME WxH[@HZ] | output power NAME on|off | "
             "output add WxH[@HZ] | output remove NAME")
    if len(args) == 2 and args[0] == "add":
        added = compositor.backend.plug(OutputSpec.parse(args[1]))
        return {"name": added.name, "x": added.x, "y": added.y, "width": added.width, "height": added.height}
    if len(args) == 2 and args[0] == "remove":
        connected = [*compositor.scene.outputs, *compositor.disabled_outputs]
        gone = next((o for o in connected if o.name == args[1]), None)
        if gone is None:
            raise ValueError(f"no output {args[1]!r}")
        compositor.backend.unplug(gone)
        return None
    if len(args) != 3 or args[0] not in ("scale", "mode", "power"):
        raise ValueError(usage)
    name, text = args[1], args[2]
    target = next((o for o in compositor.scene.outputs if o.name == name), None)
    if target is None:
        known = ", ".join(o.name for o in compositor.scene.outputs)
        raise ValueError(f"no output {name!r} (outputs: {known})")
    if args[0] == "mode":
        return _set_mode(compositor, target, text)
    if args[0] == "power":
        if text not in ("on", "off"):
            raise ValueError(f"{usage} (on or off expected, got {text!r})")
        compositor.output_power.set_power(target, text == "on")  # ValueError if the monitor refuses
        return {"name": target.name, "power": text}
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"{usage} (a number expected, got {text!r})") from None
    if not 0.25 <= factor <= MAX_SCALE:
        raise ValueError(f"scale {factor:g} out of range: 0.25 to {MAX_SCALE:g}")
    factor = round(factor * 120) / 120  # what wp_fractional_scale_v1 can express
    compositor.set_output_mode(target, target.mode_width, target.mode_height, factor)
    return {"name": target.name, "width": target.width, "height": target.height, "scale": target.scale}


def _set_mode(compositor: Compositor, target: Output, text: str) -> Any:
    spec = OutputSpec.parse(text)  # ValueError says what is wrong
    sized = [m for m in target.modes if (m.width, m.height) == (spec.width, spec.height)]
    if not sized:
        offered = ", ".join(dict.fromkeys(f"{m.width}x{m.height}" for m in target.modes))
        raise ValueError(f"{target.name} offers no {spec.width}x{spec.height} mode (it offers {offered})")
    wanted = spec.refresh_hz * 1000 if "@" in text else max(m.refresh_mhz for m in sized)
    mode = min(sized, key=lambda m: abs(m.refresh_mhz - wanted))
    compositor.backend.set_mode(target, mode)
    return {"name": target.name, "width": target.width, "height": target.height,
            "refresh": target.refresh_mhz / 1000, "mode": str(mode)}


def seat(compositor: Compositor, args: list[str]) -> Any:
    if args:
        raise ValueError("usage: seat")
    pointer = compositor.seat
    focus = pointer.pointer_focus
    window = compositor.wm.window_of(focus) if focus is not None else None
    return {"x": pointer.x, "y": pointer.y, "cursor": pointer.cursor_description(),
            "hotspot": list(pointer.cursor_hotspot) if pointer.cursor is not None else None,
            "focus": window.id if window is not None else None,
            "modifiers": sorted(pointer.active_keyboard.held_modifiers()), "drag": _drag(compositor),
            "asking": compositor.quit_prompt.shown}


ACTION_NAMES = {data_device.COPY: "copy", data_device.MOVE: "move", data_device.ASK: "ask"}


def _drag(compositor: Compositor) -> dict[str, Any] | None:
    drag = compositor.data_devices.drag
    if drag is None:
        return None
    window = compositor.wm.window_of(drag.focus) if drag.focus is not None else None
    offers = [offer.impl for _device, offer in drag.entered if offer is not None and offer.alive]
    accepted = next((offer for offer in offers if offer.accepted is not None), None)
    return {"window": window.id if window is not None else None,
            "accepted": accepted.accepted if accepted is not None else None,
            "action": ACTION_NAMES.get(accepted.action) if accepted is not None else None}


COMMANDS: dict[str, Callable[[Compositor, list[str]], Any]] = {"output": output, "seat": seat}
