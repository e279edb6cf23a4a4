"""Every interface a compositor may offer, read from protocol XML: requests (what the fuzzer sends), events (what
it decodes) and enums (the values worth trying).

The XML comes from libwayland (wayland.xml), wayland-protocols and Orrery's ``protocols/xml``. Interfaces newer
than the installed wayland-protocols (cursor-shape, ext-workspace, ext-foreign-toplevel-list on Debian 12) are
read from pywayland's generated modules instead, which carry the same signatures without the enums.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
XML_PLACES = (Path("/usr/share/wayland/wayland.xml"), Path("/usr/share/wayland-protocols"), ROOT / "protocols" / "xml")
WORD_TYPES = ("int", "uint", "fixed", "object", "new_id")


@dataclass(frozen=True)
class Arg:
    name: str
    type: str  # int, uint, fixed, string, object, new_id, array, fd
    interface: str | None = None  # for object and new_id; None for a new_id means (interface, version, id)
    nullable: bool = False
    enum: str | None = None  # "interface.enum" once resolved


@dataclass(frozen=True)
class Message:
    name: str
    opcode: int
    args: tuple[Arg, ...]
    since: int = 1
    destructor: bool = False

    @property
    def new_id(self) -> Arg | None:
        return next((arg for arg in self.args if arg.type == "new_id"), None)

    @property
    def fd_count(self) -> int:
        return sum(arg.type == "fd" for arg in self.args)


@dataclass
class Interface:
    name: str
    version: int
    requests: list[Message] = field(default_factory=list)
    events: list[Message] = field(default_factory=list)
    enums: dict[str, tuple[int, ...]] = field(default_factory=dict)  # its values, bitfields' single bits included
    bitfields: set[str] = field(default_factory=set)

    def request(self, name: str) -> Message:
        return next(message for message in self.requests if message.name == name)


class Protocols:
    """Interfaces by name (``protocols.get("wl_surface")``), loaded from XML files and pywayland modules."""

    def __init__(self) -> None:
        self.interfaces: dict[str, Interface] = {}

    def __getitem__(self, name: str) -> Interface:
        return self.interfaces[name]

    def get(self, name: str) -> Interface | None:
        return self.interfaces.get(name)

    def enum_values(self, arg: Arg) -> tuple[int, ...]:
        """The values of ``arg``'s enum (empty when it has none or it is unknown)."""
        if arg.enum is None:
            return ()
        owner, _, name = arg.enum.rpartition(".")
        interface = self.interfaces.get(owner)
        return interface.enums.get(name, ()) if interface else ()

    def is_bitfield(self, arg: Arg) -> bool:
        owner, _, name = (arg.enum or "").rpartition(".")
        interface = self.interfaces.get(owner)
        return interface is not None and name in interface.bitfields

    # -- loading --------------------------------------------------------------------------------------------------
    def load_xml(self, path: Path) -> None:
        for node in ElementTree.parse(path).getroot().iter("interface"):
            name = node.get("name", "")
            if name in self.interfaces:
                continue  # the first place wins: stable before unstable, ours last
            interface = Interface(name, int(node.get("version", "1")))
            for kind, into in (("request", interface.requests), ("event", interface.events)):
                for opcode, child in enumerate(node.findall(kind)):
                    into.append(_xml_message(name, child, opcode))
            for child in node.findall("enum"):
                values = tuple(_number(entry.get("value", "0")) for entry in child.findall("entry"))
                interface.enums[child.get("name", "")] = values
                if child.get("bitfield") == "true":
                    interface.bitfields.add(child.get("name", ""))
            self.interfaces[name] = interface

    def load_pywayland(self) -> None:
        """Interfaces the XML did not have, from pywayland's generated protocol modules."""
        import pywayland.protocol

        for module_info in pkgutil.iter_modules(pywayland.protocol.__path__):
            try:
                module = importlib.import_module(f"pywayland.protocol.{module_info.name}")
            except ImportError:
                continue
            for value in vars(module).values():
                name = getattr(value, "name", None)
                if not (isinstance(value, type) and isinstance(name, str) and hasattr(value, "requests")):
                    continue
                known, newer = self.interfaces.get(name), _pywayland_interface(value)
                if known is None:
                    self.interfaces[name] = newer
                elif known.version < newer.version:
                    # pywayland's wayland.xml is newer than Debian's: keep the XML's messages and enums, add the
                    # later messages and raise the version
                    known.requests.extend(newer.requests[len(known.requests):])
                    known.events.extend(newer.events[len(known.events):])
                    known.version = newer.version


def _number(text: str) -> int:
    return int(text, 0)


def _xml_message(owner: str, node: ElementTree.Element, opcode: int) -> Message:
    args = []
    for arg in node.findall("arg"):
        enum = arg.get("enum")
        if enum is not None and "." not in enum:
            enum = f"{owner}.{enum}"
        args.append(Arg(arg.get("name", ""), arg.get("type", "uint"), arg.get("interface"),
                        arg.get("allow-null") == "true", enum))
    return Message(node.get("name", ""), opcode, tuple(args), int(node.get("since", "1")),
                   node.get("type") == "destructor")


_PYWAYLAND_TYPES = {"Int": "int", "Uint": "uint", "Fixed": "fixed", "String": "string", "Object": "object",
                    "NewId": "new_id", "Array": "array", "FileDescriptor": "fd"}


def _pywayland_interface(cls: Any) -> Interface:
    interface = Interface(str(cls.name), int(cls.version))
    for kind, into in (("requests", interface.requests), ("events", interface.events)):
        for opcode, message in enumerate(getattr(cls, kind)):
            args = tuple(Arg(f"arg{index}", _PYWAYLAND_TYPES[arg.argument_type.name],
                             arg.interface.name if arg.interface is not None else None, bool(arg.nullable))
                         for index, arg in enumerate(message.arguments))
            # the generated method of a destructor ends in ``self._destroy()``
            destructor = "_destroy()" in inspect.getsource(message.py_func) if kind == "requests" else False
            into.append(Message(message.name, opcode, args, message.version or 1, destructor))
    return interface


def _xml_files() -> Iterable[Path]:
    for place in XML_PLACES:
        if place.is_file():
            yield place
        elif place.is_dir():
            # stable before staging before unstable: the first definition of a name is kept
            for sub in ("stable", "staging", "unstable", ""):
                yield from sorted((place / sub).glob("*/*.xml") if sub else place.glob("*.xml"))


@cache
def load() -> Protocols:
    """Every interface there is XML (or a pywayland module) for."""
    protocols = Protocols()
    for path in _xml_files():
        protocols.load_xml(path)
    protocols.load_pywayland()
    return protocols
