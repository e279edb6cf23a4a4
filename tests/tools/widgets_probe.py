"""A toolkit app for the tests, on the real Wayland platform, as an xdg window or as layer surfaces:

    python -m tests.tools.widgets_probe window|layer|layers [--tick SECONDS] [--payload BYTES] [--broken-first]

``layer`` is one overlay surface with the keyboard (exclusive), ``layers`` one surface per output without it.
It prints a JSON line, flushed at once, for each key press it receives (``{"key": "a"}``, repeats included: a
widget captures every key, so nothing depends on how a platform treats uncaptured keys) and for every 500th tick
(``{"ticks": 1500}``) of an ``every(SECONDS)`` subscription whose messages each carry BYTES of payload. With
``--broken-first`` the layer host runs, before the probe, an app whose ``init`` raises.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from widgets import Fill, KeyPressed, column, every, text
from widgets.core.element import EventContext, Tree, Widget
from widgets.core.event import Event
from widgets.core.layout import Node
from widgets.core.subscription import Subscription
from widgets.wayland.layer import LayerApp, LayerHost, LayerSpec
from widgets.widget.space import Space


@dataclass(frozen=True)
class Key:
    name: str


@dataclass(frozen=True)
class Tick:
    payload: bytes


@dataclass
class State:
    ticks: int = 0


class KeyLog(Space):
    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[Any]) -> bool:
        if isinstance(event, KeyPressed):
            ctx.publish(Key(event.key))
            return True
        return False


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


class Probe:
    def __init__(self, keyboard: str, tick: float, payload: int) -> None:
        self.keyboard, self.tick, self.payload = keyboard, tick, payload

    def init(self) -> State:
        return State()

    def app_id(self) -> str:
        return "org.orrery.WidgetsProbe"

    def title(self, state: State) -> str:
        return "widgets probe"

    def layer(self, state: State) -> LayerSpec:
        return LayerSpec("widgets-probe", layer="overlay", anchor=("top", "left"), width=320, height=200,
                         keyboard=self.keyboard)

    def update(self, state: State, message: Any) -> None:
        if isinstance(message, Key):
            emit({"key": message.name})
        elif isinstance(message, Tick):
            state.ticks += 1
            if state.ticks % 500 == 0:
                emit({"ticks": state.ticks})

    def subscriptions(self, state: State) -> Subscription[Any]:
        if not self.tick:
            return Subscription.none()
        return every(self.tick, lambda _t: Tick(bytes(self.payload)))

    def view(self, state: State) -> Widget[Any]:
        # the count in hundreds: the surface is redrawn now and then, not on every tick
        return column([text(f"{state.ticks // 100} hundred ticks"), KeyLog(Fill, Fill)]).padding(8)


class Broken(Probe):
    def init(self) -> State:
        raise RuntimeError("this app cannot start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("window", "layer", "layers"))
    parser.add_argument("--tick", type=float, default=0.0)
    parser.add_argument("--payload", type=int, default=0)
    parser.add_argument("--broken-first", action="store_true")
    args = parser.parse_args(argv)
    if args.kind == "window":
        from widgets.wayland import run
        return run(Probe("none", args.tick, args.payload), 320, 200)
    probe = Probe("exclusive" if args.kind == "layer" else "none", args.tick, args.payload)
    apps = [LayerApp(lambda _ctx, _output: probe, per_output=args.kind == "layers")]
    if args.broken_first:
        apps.insert(0, LayerApp(lambda _ctx, _output: Broken("none", 0.0, 0), name="the broken app"))
    return LayerHost(apps).run()


if __name__ == "__main__":
    sys.exit(main())
