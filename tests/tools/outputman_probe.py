"""A zwlr_output_manager_v1 client for what wlr-randr cannot show: the events every manager client gets, and
configurations that must fail as a whole.

    python -m tests.tools.outputman_probe watch        # one JSON line per state (at each done), until killed
    python -m tests.tools.outputman_probe half-bad     # move the first head, ask the second for a mode it lacks
    python -m tests.tools.outputman_probe stale        # a configuration based on a state changed since (wlr-randr)
    python -m tests.tools.outputman_probe test-only    # test (not apply) scale 2 on every head
    python -m tests.tools.outputman_probe all-off      # switch every head off
    python -m tests.tools.outputman_probe left-out     # a configuration naming only the first head
    python -m tests.tools.outputman_probe twice        # the first head enabled twice
    python -m tests.tools.outputman_probe far          # the first head at (2^31 - 1, -2^31)
    python -m tests.tools.outputman_probe zero-scale   # scale 0 on the first head
    python -m tests.tools.outputman_probe bad-mode     # a custom mode of -1×-1

A state line: ``{"HEADLESS-1": {"enabled": 1, "position": [0, 0], "scale": 1.0, "mode": [w, h, mHz]}, ...}``.
A configuration prints ``{"result": "succeeded" | "failed" | "cancelled"}`` then the state after it, or
``{"disconnected": true}`` after a protocol error (libwayland prints it on stderr).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from orrery_testing.client import connect
from protocols.wlr_output_management_unstable_v1 import ZwlrOutputManagerV1


class Heads:
    def __init__(self) -> None:
        self.display, bound = connect({ZwlrOutputManagerV1: 2})
        self.manager = bound["zwlr_output_manager_v1"]
        self.heads: dict[Any, dict[str, Any]] = {}  # head proxy → its properties
        self.modes: dict[Any, list[int]] = {}
        self.serial: int | None = None
        self.dones = 0
        self.manager.dispatcher["head"] = self._head
        self.manager.dispatcher["done"] = self._done
        self.wait_done()

    def _head(self, _manager: Any, head: Any) -> None:
        props: dict[str, Any] = {"modes": []}
        self.heads[head] = props
        head.dispatcher["name"] = lambda _h, name: props.__setitem__("name", name)
        head.dispatcher["enabled"] = lambda _h, on: props.__setitem__("enabled", on)
        head.dispatcher["position"] = lambda _h, x, y: props.__setitem__("position", [x, y])
        head.dispatcher["scale"] = lambda _h, scale: props.__setitem__("scale", scale)
        head.dispatcher["current_mode"] = lambda _h, mode: props.__setitem__("current", mode)
        head.dispatcher["finished"] = lambda _h: self.heads.pop(head, None)

        def mode(_head: Any, mode: Any) -> None:
            size: list[int] = [0, 0, 0]
            self.modes[mode] = size
            props["modes"].append(mode)
            mode.dispatcher["size"] = lambda _m, w, h: size.__setitem__(slice(0, 2), [w, h])
            mode.dispatcher["refresh"] = lambda _m, r: size.__setitem__(2, r)

        head.dispatcher["mode"] = mode

    def _done(self, _manager: Any, serial: int) -> None:
        self.serial = serial
        self.dones += 1

    def wait_done(self) -> None:
        seen = self.dones
        while self.dones == seen:
            if not dispatched(self.display):
                say(disconnected=True)
                os._exit(0)

    def state(self) -> dict[str, Any]:
        return {props["name"]: {"enabled": props.get("enabled"), "position": props.get("position"),
                                "scale": props.get("scale"), "mode": self.modes.get(props.get("current"))}
                for props in sorted(self.heads.values(), key=lambda p: str(p.get("name")))}

    def ordered(self) -> list[Any]:
        return sorted(self.heads, key=lambda head: str(self.heads[head].get("name")))

    def finish(self, configuration: Any, apply: bool = True) -> None:
        result: list[str] = []
        for event in ("succeeded", "failed", "cancelled"):
            configuration.dispatcher[event] = lambda _c, event=event: result.append(event)
        (configuration.apply if apply else configuration.test)()
        while not result:
            if not dispatched(self.display):
                say(disconnected=True)
                return
        say(result=result[0])
        self.display.roundtrip()
        say(**self.state())


def dispatched(display: Any) -> bool:
    """One blocking dispatch; False once the compositor disconnected us."""
    try:
        return bool(display.dispatch(block=True) != -1)
    except RuntimeError:  # pywayland raises for a protocol error
        return False


def say(**result: Any) -> None:
    print(json.dumps(result), flush=True)


def main(mode: str) -> int:
    heads = Heads()
    first, *others = heads.ordered()
    if mode == "watch":
        say(**heads.state())
        while True:
            heads.wait_done()
            say(**heads.state())
    configuration = heads.manager.create_configuration(heads.serial)
    if mode == "half-bad":
        configuration.enable_head(first).set_position(4000, 0)
        configuration.enable_head(others[0]).set_custom_mode(123, 45, 0)
        heads.finish(configuration)
    elif mode == "stale":
        name = heads.heads[first]["name"]
        subprocess.run(["wlr-randr", "--output", name, "--pos", "0,2000"], check=True)
        heads.wait_done()  # this client hears of the change too, but configures on the old serial
        for head in heads.ordered():
            configuration.enable_head(head)
        heads.finish(configuration)
    elif mode == "test-only":
        for head in heads.ordered():
            configuration.enable_head(head).set_scale(2.0)
        heads.finish(configuration, apply=False)
    elif mode == "all-off":
        for head in heads.ordered():
            configuration.disable_head(head)
        heads.finish(configuration)
    elif mode == "left-out":
        configuration.enable_head(first)
        heads.finish(configuration)
    elif mode in ("far", "zero-scale", "bad-mode"):
        settings = configuration.enable_head(first)
        if mode == "far":
            settings.set_position(2**31 - 1, -2**31)
        elif mode == "zero-scale":
            settings.set_scale(0.0)
        else:
            settings.set_custom_mode(-1, -1, 0)
        for head in others:
            configuration.enable_head(head)
        heads.finish(configuration)
    elif mode == "twice":
        configuration.enable_head(first)
        configuration.enable_head(first)
        heads.finish(configuration)
    else:
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(sys.argv[1]))  # skip pywayland's teardown of a possibly dead connection
