"""Switch an output off or on through zwlr_output_power_manager_v1, as wlopm does.

    python -m tests.tools.output_power NAME on|off|7

Prints each ``mode`` the compositor reports (``mode on``, ``mode off``) or ``failed``; a mode other than on and
off is a protocol error (printed by libwayland), after which it prints ``disconnected``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pywayland.protocol.wayland import WlOutput

from orrery_testing.client import connect
from protocols.wlr_output_power_management_unstable_v1 import ZwlrOutputPowerManagerV1

MODES = {"off": 0, "on": 1}


def main(argv: list[str]) -> int:
    name, wanted = argv
    display, bound = connect({ZwlrOutputPowerManagerV1: 1})
    outputs: dict[str, Any] = {}
    proxies: list[Any] = []

    def on_global(registry: Any, global_name: int, interface: str, version: int) -> None:
        if interface == "wl_output":
            output = registry.bind(global_name, WlOutput, min(version, 4))
            output.dispatcher["name"] = lambda proxy, text: outputs.__setitem__(text, proxy)
            proxies.append(output)

    registry = display.get_registry()
    registry.dispatcher["global"] = on_global
    display.roundtrip()
    display.roundtrip()
    if name not in outputs:
        print(f"no output {name}", file=sys.stderr)
        return 2
    power = bound["zwlr_output_power_manager_v1"].get_output_power(outputs[name])
    power.dispatcher["mode"] = lambda _power, mode: print("mode", "on" if mode else "off", flush=True)
    power.dispatcher["failed"] = lambda _power: print("failed", flush=True)
    display.roundtrip()
    power.set_mode(MODES.get(wanted, int(wanted) if wanted.isdecimal() else 7))
    if display.roundtrip() < 0:
        print("disconnected", flush=True)
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip pywayland's teardown
