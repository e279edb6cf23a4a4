"""Argument values for any request, mostly plausible (so requests get past the first check and reach the
compositor's deeper code) and sometimes hostile (extremes, wrong objects, nulls where none are allowed).

    values, fds = Values(client, rng).arguments("wl_surface", message)
    client.send(surface, message, values, fds)
    close_fds(fds)                                        # the compositor has its own copies once sent
"""

from __future__ import annotations

import os
import random

from .client import Client
from .protocol import Arg, Message

EXTREMES = (-1, 0, 1, 2**31 - 1, -(2**31), 2**32 - 1, 32767, 32768, 65535, 65536, 2**24, -32768)
MEMFD_CAP = 4 << 20  # the most a generated shm pool or keymap file holds
SIZE_NAMES = ("width", "height", "size", "stride", "length")


class Values:
    """Values for ``client``'s requests from ``rng``; ``hostile`` is the chance of an unreasonable one per argument."""

    def __init__(self, client: Client, rng: random.Random, hostile: float = 0.08) -> None:
        self.client = client
        self.rng = rng
        self.hostile = hostile

    def arguments(self, interface: str, message: Message) -> tuple[list[object], list[int]]:
        """Values for every argument of ``message`` but its fds, and the fds (new ones: close them once sent)."""
        values: list[object] = []
        fds: list[int] = []
        size_hint = 0
        if message.new_id is not None and message.new_id.interface is None:
            return self.bind(), []  # wl_registry.bind, the one request with an untyped new_id
        for arg in message.args:
            if arg.type == "fd":
                continue
            value = self.value(arg)
            if arg.name == "size" and isinstance(value, int):
                size_hint = value
            values.append(value)
        for _ in range(message.fd_count):
            fds.append(self.fd(size_hint))
        return values, fds

    def bind(self) -> list[object]:
        """wl_registry.bind's (name, interface, version, id): a global on offer at a version it offers, or now and
        then a name, interface or version that is not."""
        offered = list(self.client.globals.values())
        if offered and self.rng.random() > self.hostile:
            chosen = self.rng.choice(offered)
            known = self.client.protocols.get(chosen.interface)
            top = min(chosen.version, known.version if known else 1)
            return [chosen.name, chosen.interface, self.rng.randint(1, top), self.client.new_id()]
        name = self.rng.choice((0, 1, 999, *self.client.globals))
        return [name, self.rng.choice(("wl_surface", "nonexistent_v1", "")), self.rng.choice((0, 1, 99, 2**32 - 1)),
                self.client.new_id()]

    def value(self, arg: Arg) -> object:
        rng = self.rng
        wild = rng.random() < self.hostile
        if arg.type == "new_id":
            return self.client.new_id()
        if arg.type == "object":
            return self.object(arg, wild)
        if arg.type == "string":
            return self.string(arg, wild)
        if arg.type == "array":
            return rng.randbytes(rng.choice((0, 4, 8, 16, 64, 1024) if wild else (0, 4, 8, 16)))
        if arg.type == "fixed":
            if wild:
                return rng.choice(EXTREMES)
            return int(rng.uniform(-64, 512) * 256)
        enum = self.client.protocols.enum_values(arg)
        if enum and not wild:
            if self.client.protocols.is_bitfield(arg):
                return sum({v for v in enum if rng.random() < 0.3})
            return rng.choice(enum)
        if wild:
            return rng.choice(EXTREMES) & (0xFFFFFFFF if arg.type == "uint" else -1)
        return self.number(arg)

    def number(self, arg: Arg) -> int:
        rng = self.rng
        name = arg.name
        if name == "serial":
            serials = list(self.client.serials.values())
            return rng.choice(serials) if serials and rng.random() < 0.8 else rng.randint(0, 100)
        if name == "name":  # a global's name (wl_registry.bind) or a wl_output name
            names = list(self.client.globals)
            return rng.choice(names) if names else 1
        if name in ("scale", "factor"):
            return rng.randint(1, 3)
        if name == "format":
            return rng.choice((0, 1, 0x34325241, 0x34325258))  # argb, xrgb, their fourcc forms
        if any(part in name for part in SIZE_NAMES):
            return rng.choice((1, 16, 64, 100, 256, 512, 1024)) if name != "stride" else rng.choice((64, 400, 1024))
        if arg.type == "uint":
            return rng.choice((0, 1, 2, 3, rng.randint(0, 1000)))
        return rng.choice((0, 1, -1, rng.randint(-100, 1000)))

    def object(self, arg: Arg, wild: bool) -> int:
        rng = self.rng
        if arg.nullable and rng.random() < 0.15:
            return 0
        if wild:
            return rng.choice((0, 1, 0xFFFFFFFF, self.client._next_id + 5, rng.choice(list(self.client.objects))))
        if arg.interface:
            candidates = self.client.of(arg.interface)
            if candidates:
                return rng.choice(candidates)
        return 0 if arg.nullable else rng.choice(list(self.client.objects))

    def string(self, arg: Arg, wild: bool) -> str | bytes | None:
        rng = self.rng
        if arg.nullable and rng.random() < 0.1:
            return None
        if wild:
            return rng.choice(("", "x" * 3000, "\u202e\U0001f600" * 100, b"\xff\xfe invalid utf-8",
                               "text/plain;charset=utf-8" * 40))
        return rng.choice(("fuzz", "text/plain", "org.example.fuzz", "a" * rng.randint(0, 40)))

    def fd(self, size: int) -> int:
        """A file for an fd argument: mostly a memfd of ``size`` bytes (an shm pool's, a keymap's), sometimes
        something no client should send (/dev/null, a pipe, a directory)."""
        rng = self.rng
        if rng.random() < self.hostile:
            kind = rng.choice(("null", "pipe", "dir"))
            if kind == "null":
                return os.open("/dev/null", os.O_RDWR)
            if kind == "dir":
                return os.open("/", os.O_RDONLY)
            read, write = os.pipe()
            os.close(write)
            return read
        fd = os.memfd_create("fuzz", os.MFD_CLOEXEC)
        os.ftruncate(fd, max(0, min(size if size > 0 else rng.choice((0, 64, 4096)), MEMFD_CAP)))
        return fd
