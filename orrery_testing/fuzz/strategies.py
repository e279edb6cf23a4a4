"""What a hostile client does in one step of the fuzzer, each strategy a function of its client and its random
generator that runs until the client's request budget is spent or the compositor cuts it off.

``STRATEGIES`` names them all; ``KNOWN_FAULTS`` maps the strategies that aim at a fault known to break Orrery today
to that fault, and :data:`DEFAULT` leaves them out (``--strategies`` turns them on).
"""

from __future__ import annotations

import os
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass

from . import macros, wire
from .client import DISPLAY_ID, Client, close_fds
from .known import chains, foreign_stop, huge_buffers, keymap_leak, keymap_shrink, regions, viewport
from .protocol import Message
from .values import Values

Strategy = Callable[[Client, random.Random], None]


@dataclass(frozen=True)
class Plan:
    """One step: a fresh connection running ``strategy`` from ``seed`` for at most ``budget`` requests; written
    ``strategy:seed:budget`` in reproducers."""

    strategy: str
    seed: int
    budget: int

    def __str__(self) -> str:
        return f"{self.strategy}:{self.seed}:{self.budget}"

    @classmethod
    def parse(cls, text: str) -> Plan:
        strategy, seed, budget = text.split(":")
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
        return cls(strategy, int(seed), int(budget))


# Requests that do, legitimately, what a privileged client may do to other clients' windows: close or minimize the
# bystander, press its Escape key (simple-shm quits), switch to another workspace. The fuzzer leaves them out so
# that a bystander gone for those reasons is not mistaken for a fault.
INTRUSIVE = frozenset({
    "zwlr_foreign_toplevel_handle_v1.close", "zwlr_foreign_toplevel_handle_v1.set_minimized",
    "zwp_virtual_keyboard_v1.key", "zwp_virtual_keyboard_v1.modifiers",
    "zwlr_foreign_toplevel_handle_v1.activate", "ext_workspace_handle_v1.activate",
    "ext_workspace_handle_v1.deactivate",
    # a locker hides every window (and a dead one keeps them hidden), a switched-off output shows nothing: both
    # what their protocols are for
    "ext_session_lock_manager_v1.lock", "zwlr_output_power_v1.set_mode", "zwlr_output_configuration_v1.apply",
})


# Requests that trip a fault known today (the strategy in KNOWN_FAULTS that aims at it) even with plausible
# arguments: the generic strategies leave them out, so that a long run of the default set finds something new.
# Delete an entry once its fault is fixed.
KNOWN_FAULT_REQUESTS: frozenset[str] = frozenset()


# -- generic: any request of any global ------------------------------------------------------------------------------
def random_requests(client: Client, rng: random.Random, values: Values, count: int) -> None:
    """``count`` requests, each on a random live object with arguments from ``values``; destructors are rare so
    that objects live long enough to be misused."""
    for sent in range(count):
        oid = rng.choice([oid for oid in client.objects if oid != DISPLAY_ID] or [DISPLAY_ID])
        obj = client.objects[oid]
        interface = client.protocols.get(obj.interface)
        if interface is None:
            continue
        wrong_version = rng.random() < 0.02  # a request newer than the version bound: a protocol error
        requests = [m for m in interface.requests if (m.since <= obj.version or wrong_version)
                    and f"{obj.interface}.{m.name}" not in INTRUSIVE | KNOWN_FAULT_REQUESTS
                    and (not m.destructor or rng.random() < 0.05) and (feasible(client, m) or rng.random() < 0.03)]
        if not requests:
            continue
        message = rng.choice(requests)
        args, fds = values.arguments(obj.interface, message)
        try:
            client.send(oid, message, args, fds)
        finally:
            close_fds(fds)
        if sent % 8 == 7:
            client.pump()


def feasible(client: Client, message: Message) -> bool:
    """Whether every object argument ``message`` needs has a candidate of its interface (else only a wrong
    object could be sent: a protocol error that ends the client before it gets anywhere)."""
    return all(arg.nullable or arg.interface is None or client.of(arg.interface)
               for arg in message.args if arg.type == "object")


def bind_everything(client: Client, rng: random.Random) -> None:
    for offered in sorted(client.globals.values(), key=lambda g: rng.random()):
        macros.bound(client, offered.interface)


def protocol(client: Client, rng: random.Random) -> None:
    """Every global bound, windows mapped now and then, and random requests with mostly plausible arguments."""
    client.start()
    bind_everything(client, rng)
    values = Values(client, rng)
    while True:
        roll = rng.random()
        if roll < 0.05:
            macros.toplevel(client, (rng.randint(1, 300), rng.randint(1, 300)))
        elif roll < 0.08:
            parents = client.of("xdg_surface")
            macros.popup(client, rng.choice(parents) if parents else None)
        elif roll < 0.11:
            surfaces = client.of("wl_surface")
            if surfaces:
                macros.subsurface(client, rng.choice(surfaces))
        elif roll < 0.13:
            macros.layer_surface(client, rng.randint(0, 3))
        random_requests(client, rng, values, 20)


def roles(client: Client, rng: random.Random) -> None:
    """Role misuse: a second role on a surface, roles on destroyed or foreign objects, requests before
    configure, a window's own surface as its subsurface parent, destroying objects out of order."""
    client.start()
    values = Values(client, rng, hostile=0.02)
    while True:
        surf, xdg, top = macros.toplevel(client)
        choice = rng.randrange(9)
        if choice == 0:
            client.request(macros.bound(client, "xdg_wm_base") or 0, "get_xdg_surface", client.new_id(), surf)
        elif choice == 1:
            client.request(xdg, "get_toplevel", client.new_id())
        elif choice == 2:
            sub = macros.bound(client, "wl_subcompositor") or 0
            client.request(sub, "get_subsurface", client.new_id(), surf, surf)
        elif choice == 3:
            client.request(xdg, "destroy")  # before its toplevel: defunct_role_object
            client.request(surf, "commit")
        elif choice == 4:
            client.request(surf, "destroy")  # the role object outlives its surface
            client.request(top, "set_title", "orphan")
            client.request(top, "set_maximized")
        elif choice == 5:
            layer = macros.bound(client, "zwlr_layer_shell_v1")
            if layer is not None:
                client.request(layer, "get_layer_surface", client.new_id(), surf, 0, 2, "role")
        elif choice == 6:
            child, sub = macros.subsurface(client, surf)
            client.request(sub, "place_above", surf)
            client.request(sub, "place_below", child)
            client.request(surf, "destroy")
            client.request(sub, "set_position", 5, 5)
            client.request(child, "commit")
        elif choice == 7:
            wm_base = macros.bound(client, "xdg_wm_base") or 0
            bare = macros.surface(client)
            client.request(surf, "attach", macros.buffer(client, 8, 8), 0, 0)
            new = client.new_id()
            client.request(wm_base, "get_xdg_surface", new, bare)
            client.request(bare, "attach", macros.buffer(client, 8, 8), 0, 0)  # a buffer before the role
            client.request(new, "ack_configure", 12345)
        else:
            request = rng.choice(("set_fullscreen", "set_maximized", "set_minimized", "unset_fullscreen"))
            client.request(top, request, *([0] if request == "set_fullscreen" else []))
        random_requests(client, rng, values, 5)
        client.roundtrip(1.0)


# -- the wire itself -------------------------------------------------------------------------------------------------
def framing(client: Client, rng: random.Random) -> None:
    """Messages whose header lies: sizes below the header, not a multiple of 4, beyond the bytes sent, zero; unknown
    opcodes; a message cut off as the connection ends."""
    client.start()
    surface = macros.surface(client)
    while True:
        target = rng.choice((surface, DISPLAY_ID, *client.objects))
        payload = rng.randbytes(rng.choice((0, 4, 8, 12, 64)))
        kind = rng.randrange(6)
        if kind == 0:
            data = wire.message(target, rng.randrange(12), payload, size=rng.choice((0, 4, 7)))
        elif kind == 1:
            data = wire.message(target, rng.randrange(12), payload, size=8 + len(payload) + rng.choice((1, 2, 3)))
        elif kind == 2:
            told = rng.choice((0xFFFC, 4096, 8 + len(payload) + 400))
            data = wire.message(target, rng.randrange(12), payload, size=told)
        elif kind == 3:
            data = wire.message(target, rng.choice((200, 0xFFFF)), payload)
        elif kind == 4:
            data = rng.randbytes(rng.randint(1, 64))
        else:
            data = wire.message(target, 0, payload)[: rng.randint(1, 7)]
        client.send_raw(data)


def ids(client: Client, rng: random.Random) -> None:
    """Bad object ids: requests to ids that never existed or were destroyed, new ids that are taken, skip ahead or
    lie in the compositor's range, object arguments of the wrong interface."""
    client.start()
    compositor = macros.bound(client, "wl_compositor") or 0
    values = Values(client, rng, hostile=0.3)
    while True:
        kind = rng.randrange(6)
        if kind == 0:
            client.send_raw(wire.message(rng.choice((0, 9999, 0xFEFFFFFF, 0xFF000005)), 0, b""))
        elif kind == 1:
            taken = rng.choice(list(client.objects))
            client.send_raw(wire.message(compositor, 0, wire.encode_word(taken)))
        elif kind == 2:
            client.send_raw(wire.message(compositor, 0, wire.encode_word(rng.choice((0, 0xFF000001, 0x7FFFFFFF)))))
        elif kind == 3:
            region = client.new_id()
            client.request(compositor, "create_region", region)
            client.request(region, "destroy")
            client.send_raw(wire.message(region, 1, struct.pack("=iiii", 0, 0, 10, 10)))
        elif kind == 4:
            surface = macros.surface(client)
            wrong = rng.choice(list(client.objects))  # wl_surface.attach with any object as the buffer
            client.send_raw(wire.message(surface, 1, struct.pack("=Iii", wrong, 0, 0)))
            client.request(surface, "commit")
        else:
            random_requests(client, rng, values, 5)


def fds(client: Client, rng: random.Random) -> None:
    """Fd abuse: requests that need an fd sent without one, fds nobody asked for, many at once, fds of the wrong
    kind (a directory as an shm pool, a pipe as a keymap)."""
    client.start()
    bind_everything(client, rng)
    values = Values(client, rng, hostile=0.5)
    shm = macros.bound(client, "wl_shm") or 0
    while True:
        kind = rng.randrange(5)
        if kind == 0:  # wl_shm.create_pool without its fd
            client.send_raw(wire.message(shm, 0, wire.encode_word(client.new_id()) + wire.encode_word(4096)))
        elif kind == 1:  # a sync with stray fds attached
            count = rng.randint(1, wire.MAX_FDS_PER_MESSAGE)
            stray = [os.open("/dev/null", os.O_RDONLY) for _ in range(count)]
            try:
                client.send_raw(wire.message(DISPLAY_ID, 0, wire.encode_word(client.new_id())), stray)
            finally:
                close_fds(stray)
        else:  # any request with fds, with hostile values for them
            candidates = [(oid, m) for oid, obj in client.objects.items()
                          if (known := client.protocols.get(obj.interface))
                          for m in known.requests if m.fd_count and m.since <= obj.version
                          and f"{obj.interface}.{m.name}" not in KNOWN_FAULT_REQUESTS]
            if not candidates:
                random_requests(client, rng, values, 3)
                continue
            oid, message = rng.choice(candidates)
            args, sent = values.arguments(client.objects[oid].interface, message)
            try:
                client.send(oid, message, args, sent)
            finally:
                close_fds(sent)
        client.pump()


def payload(client: Client, rng: random.Random) -> None:
    """Huge and lying payloads: strings and arrays up to the size a message can carry, lengths that point past the
    message, strings without their NUL, titles and app ids in every encoding."""
    client.start()
    _surf, _xdg, top = macros.toplevel(client)
    while True:
        kind = rng.randrange(5)
        text = rng.randbytes(rng.choice((1, 100, 3000, 4000)))
        if kind == 0:
            client.request(top, rng.choice(("set_title", "set_app_id")), text.replace(b"\0", b"x"))
        elif kind == 1:  # a string length beyond the message
            body = struct.pack("=I", rng.choice((0xFFFFFFFF, 5000, 0x7FFFFFFF))) + b"abcd"
            client.send_raw(wire.message(top, 2, body))
        elif kind == 2:  # a string without its NUL
            client.send_raw(wire.message(top, 2, struct.pack("=I", 4) + b"abcd"))
        elif kind == 3:  # xdg_toplevel.set_title of length 0 where the protocol wants a string
            client.send_raw(wire.message(top, 2, struct.pack("=I", 0)))
        else:
            wm_base = macros.bound(client, "xdg_wm_base") or 0
            client.request(wm_base, "pong", rng.choice((0, 2**32 - 1)))
        client.pump()


# -- volume ----------------------------------------------------------------------------------------------------------
def flood(client: Client, rng: random.Random) -> None:
    """Floods of objects: thousands of surfaces, regions, callbacks, bindings or shm pools (each a mapping of a file
    of its own) on one connection, events never read."""
    client.start()
    compositor = macros.bound(client, "wl_compositor") or 0
    while True:
        kind = rng.randrange(5)
        for _ in range(rng.choice((50, 200, 1000))):
            if kind == 0:
                client.request(compositor, "create_surface", client.new_id())
            elif kind == 1:
                region = client.new_id()
                client.request(compositor, "create_region", region)
                client.request(region, "add", rng.randint(0, 500), rng.randint(0, 500), 10, 10)
            elif kind == 2:
                client.request(DISPLAY_ID, "sync", client.new_id())
            elif kind == 3:
                offered = rng.choice(list(client.globals.values()))
                client.bind_global(offered, 1)
            else:
                os.close(macros.pool(client, 4096)[1])


def shm(client: Client, rng: random.Random) -> None:
    """Pools and buffers at the edges: offsets and strides that overrun the pool, pools grown past their file,
    formats not offered, zero and odd sizes, buffers destroyed while shown."""
    client.start()
    surf, _xdg, _top = macros.toplevel(client)
    while True:
        width, height = rng.choice((1, 2, 7, 64, 300, 2048)), rng.choice((1, 3, 64, 300, 1500))
        stride = rng.choice((width * 4, width * 4 - 4, width * 4 + 4, 0, -4))
        kind = rng.randrange(5)
        size = max(4, width * 4 * height)
        pool, fd = macros.pool(client, size)
        try:
            if kind == 1:  # grows the pool past the end of its file
                client.request(pool, "resize", size + rng.choice((4, 4096, 1 << 20)))
            elif kind == 2:
                client.request(pool, "resize", rng.choice((0, -1, size - 4)))  # shrinks: a protocol error
        finally:
            os.close(fd)
        buffer = client.new_id()
        offset = rng.choice((0, 4, size - 4, size, -4))
        client.request(pool, "create_buffer", buffer, offset, width, height, stride,
                       rng.choice((0, 1, 0x34325241, 12345)))
        if rng.random() < 0.5:
            client.request(pool, "destroy")
        client.request(surf, "attach", buffer, 0, 0)
        client.request(surf, "damage_buffer", 0, 0, 2**31 - 1, 2**31 - 1)
        client.request(surf, "commit")
        if rng.random() < 0.3:
            client.request(buffer, "destroy")  # while shown
        client.roundtrip(1.0)


def shm_shrink(client: Client, rng: random.Random) -> None:
    """A pool whose file shrinks after the compositor mapped it, while its buffer is shown."""
    client.start()
    surf, _xdg, _top = macros.toplevel(client)
    while True:
        size = 256 * 256 * 4
        pool, fd = macros.pool(client, size)
        buffer = client.new_id()
        client.request(pool, "create_buffer", buffer, 0, 256, 256, 1024, 0)
        client.request(surf, "attach", buffer, 0, 0)
        client.request(surf, "damage", 0, 0, 256, 256)
        client.request(surf, "commit")
        os.ftruncate(fd, rng.choice((0, 4096)))
        client.request(surf, "damage", 0, 0, 256, 256)
        client.request(surf, "commit")
        os.close(fd)
        client.roundtrip(1.0)


STRATEGIES: dict[str, Strategy] = {
    "protocol": protocol, "roles": roles, "framing": framing, "ids": ids, "fds": fds, "payload": payload,
    "flood": flood, "shm": shm, "shm_shrink": shm_shrink, "huge_buffers": huge_buffers, "viewport": viewport,
    "keymap_leak": keymap_leak, "keymap_shrink": keymap_shrink, "chains": chains, "regions": regions,
    "foreign_stop": foreign_stop,
}
# strategy -> the fault it aims at, for faults Orrery has today: left out of DEFAULT until fixed (none now; the
# strategies of known.py hunt the faults fixed before)
KNOWN_FAULTS: dict[str, str] = {}
DEFAULT = tuple(name for name in STRATEGIES if name not in KNOWN_FAULTS)
