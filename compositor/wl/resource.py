"""Server-side Wayland objects whose requests reach plain Python methods.

A :class:`Resource` wraps one ``wl_resource``. Requests are dispatched to a method of the same name on
``resource.impl`` called as ``impl.request_name(resource, *args)``. Arguments arrive as Python values:
objects as their :class:`Resource` (or :class:`ForeignResource` for objects libwayland created itself,
such as shm buffers), ``new_id`` arguments as a freshly created :class:`Resource` whose ``impl`` the
handler sets. An exception in a handler becomes a protocol error for that client only.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from pywayland.protocol_core.argument import ArgumentType

from .native import NULL, address, ffi, lib

if TYPE_CHECKING:
    from pywayland.protocol_core.interface import Interface

    from .display import Client

log = logging.getLogger(__name__)


class ProtocolError(Exception):
    """Raised by a handler: posts ``code`` on ``resource`` (default: the request's target)."""

    def __init__(self, code: int, message: str, resource: Resource | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.resource = resource


class ClientLimit(Exception):
    """Raised by a handler: the client went over one of its caps (``limits.py``); it is disconnected with
    this message, a ``wl_display.error.no_memory``."""


ArgSpec = tuple[ArgumentType, bool, "type[Interface] | None"]


Decoder = Callable[["Resource", Any], tuple[Any, ...]]


class MessageSpec:
    """Argument layout of one request or event, precomputed once per interface."""

    __slots__ = ("name", "since", "args", "decoder", "encoders")

    def __init__(self, message: Any) -> None:
        self.name: str = message.name
        self.since: int = message.version or 1
        self.args: list[ArgSpec] = [
            (a.argument_type, bool(a.nullable), a.interface) for a in message._marshaled_arguments
        ]
        # decoder(resource, c_args): the request's arguments as Python values; compiled on first use
        self.decoder: Decoder | None = None
        # An event's arguments, one encoding function each, chosen once rather than per event.
        self.encoders: tuple[Encoder, ...] = tuple(_ENCODERS[kind] for kind, _, _ in self.args)

    def compile_decoder(self) -> Decoder:
        self.decoder = _compile_decoder(self.args)
        return self.decoder


class InterfaceSpec:
    """Everything the layer needs to know about a pywayland protocol interface class."""

    _cache: ClassVar[dict[type, InterfaceSpec]] = {}

    def __init__(self, interface: type[Interface]) -> None:
        self.interface = interface
        self.name: str = interface.name
        self.c_interface = ffi.cast("const struct wl_interface *", address(interface._ptr))
        self.requests = [MessageSpec(m) for m in interface.requests]
        self.events = [MessageSpec(m) for m in interface.events]
        self.event_opcodes = {spec.name: opcode for opcode, spec in enumerate(self.events)}

    @classmethod
    def of(cls, interface: type[Interface]) -> InterfaceSpec:
        spec = cls._cache.get(interface)
        if spec is None:
            spec = cls._cache[interface] = InterfaceSpec(interface)
        return spec


class ForeignResource:
    """An object created by libwayland itself (e.g. a ``wl_buffer`` of its wl_shm)."""

    def __init__(self, client: Client, ptr: Any) -> None:
        self.client = client
        self.ptr = ptr
        self.alive = True
        self.destroy_listeners: list[Callable[[], None]] = []
        self.user_data: Any = None  # what the compositor made of it (an shm buffer's checked layout)
        client.display.watch_destroy(ptr, self._destroyed)

    def _destroyed(self) -> None:
        self.alive = False
        self.client.display.forget(self.ptr)
        for listener in list(self.destroy_listeners):
            listener()

    def post_opcode(self, opcode: int) -> None:
        """Send an argument-less event (``wl_buffer.release`` is opcode 0)."""
        if self.alive:
            lib.wl_resource_post_event_array(self.ptr, opcode, NULL)
            self.client.display.schedule_flush()


class Resource:
    """One protocol object of one client."""

    __slots__ = ("client", "spec", "version", "ptr", "impl", "alive", "destroy_listeners", "_handle",
                 "__weakref__")

    def __init__(self, client: Client, interface: type[Interface], version: int, id: int,
                 impl: object | None = None) -> None:
        self.client = client
        self.spec = InterfaceSpec.of(interface)
        self.version = version
        self.impl: Any = impl  # the handler object; protocol parts know its type
        self.alive = True
        self.destroy_listeners: list[Callable[[Resource], None]] = []
        self.ptr = lib.wl_resource_create(client.ptr, self.spec.c_interface, version, id)
        if self.ptr == NULL:
            raise MemoryError(f"wl_resource_create failed for {self.spec.name}@{id}")
        self._handle = ffi.new_handle(self)
        lib.wl_resource_set_dispatcher(self.ptr, _dispatch, self._handle, self._handle, _destroyed)
        client.display.remember(self.ptr, self)

    def __repr__(self) -> str:
        return f"<{self.spec.name}@{self.id if self.alive else 'dead'}>"

    @property
    def id(self) -> int:
        return int(lib.wl_resource_get_id(self.ptr))

    @property
    def interface(self) -> type[Interface]:
        return self.spec.interface

    def post(self, event: str, *args: Any) -> bool:
        """Send an event; events newer than the bound version are skipped (returns False)."""
        if not self.alive:
            return False
        opcode = self.spec.event_opcodes[event]
        spec = self.spec.events[opcode]
        if spec.since > self.version:
            return False
        keep: list[Any] = []
        lib.wl_resource_post_event_array(self.ptr, opcode, _encode(spec, args, keep))
        self.client.display.schedule_flush()
        return True

    def post_error(self, code: int, message: str) -> None:
        if self.alive:
            lib.wl_resource_post_error(self.ptr, ffi.cast("uint32_t", code), b"%s",
                                       ffi.new("char[]", message.encode()))
            self.client.display.schedule_flush()

    def destroy(self) -> None:
        if self.alive:
            lib.wl_resource_destroy(self.ptr)

    # -- called from C ---------------------------------------------------------------------------------
    def _dispatch(self, opcode: int, c_args: Any) -> None:
        spec = self.spec.requests[opcode]
        try:
            args = (spec.decoder or spec.compile_decoder())(self, c_args)
            handler = getattr(self.impl, spec.name, None)
            if handler is None:
                if spec.name in ("destroy", "release"):
                    self.destroy()
                    return
                raise NotImplementedError(f"{self.spec.name}.{spec.name} is not implemented")
            handler(self, *args)
        except ProtocolError as error:
            target = error.resource or self
            log.info("protocol error for client %s: %s", self.client.pid, error.message)
            target.post_error(error.code, f"{error.message}")
        except ClientLimit as limit:  # (a name per clause: compiled, one name has the first clause's type)
            log.warning("client %s disconnected: %s", self.client.pid, limit)
            self.client.post_limit_error(str(limit))
        except Exception as bug:  # any bug becomes that client's error, never the compositor's
            log.error("error in %s.%s:\n%s", self.spec.name, spec.name, traceback.format_exc())
            self.client.post_implementation_error(f"{self.spec.name}.{spec.name}: {bug!r}")

    def _on_destroyed(self) -> None:
        self.alive = False
        self.client.display.forget(self.ptr)
        for listener in list(self.destroy_listeners):
            try:
                listener(self)
            except Exception:
                log.error("destroy listener of %r failed:\n%s", self, traceback.format_exc())
        self.destroy_listeners.clear()
        self.impl = None


class Callback:
    """A ``wl_callback``: no requests, one ``done`` event, then gone. Every frame of every client makes
    one, so it is a bare libwayland object without a Python dispatcher. Only we destroy it, or the
    client's disconnection (after which ``client.alive`` is False and the pointer is never touched)."""

    __slots__ = ("client", "ptr")

    def __init__(self, client: Client, c_interface: Any, version: int, id: int) -> None:
        self.client = client
        self.ptr = lib.wl_resource_create(client.ptr, c_interface, version, id)
        if self.ptr == NULL:
            raise MemoryError(f"wl_resource_create failed for wl_callback@{id}")

    @property
    def alive(self) -> bool:
        return self.ptr is not None and self.client.alive

    def done(self, data: int) -> None:
        """Send ``done`` and destroy the object (what the protocol says happens next)."""
        if self.alive:
            args = ffi.new(_ARGUMENTS, 1)
            args[0].u = data & 0xFFFFFFFF
            lib.wl_resource_post_event_array(self.ptr, 0, args)
            lib.wl_resource_destroy(self.ptr)
            self.client.display.schedule_flush()
        self.ptr = None


# How each argument type reads from ``a``, libwayland's ``union wl_argument`` array (``r``: the resource).
_ARGUMENT_EXPRESSIONS = {
    ArgumentType.Uint: "a[{i}].u",
    ArgumentType.Int: "a[{i}].i",
    ArgumentType.Fixed: "a[{i}].f / 256.0",
    ArgumentType.FileDescriptor: "a[{i}].h",
    ArgumentType.Object: "_object(r, a[{i}].o)",
    ArgumentType.NewId: "_new_{i}(r, a[{i}].n)",
    ArgumentType.String: "_string(a[{i}].s)",
    ArgumentType.Array: "_array(a[{i}].a)",
}


def _compile_decoder(args: list[ArgSpec]) -> Decoder:
    """One function per request that reads all its arguments in a single expression (as dataclasses
    compile their __init__): requests arrive thousands of times a second, and a loop over argument
    types per request was a measurable share of the compositor's CPU."""
    namespace: dict[str, Any] = {"_object": _decode_object, "_string": _decode_string, "_array": _decode_array}
    parts = []
    for index, (kind, _nullable, interface) in enumerate(args):
        if kind is ArgumentType.NewId:
            assert interface is not None, "untyped new_id requests are handled by libwayland"
            namespace[f"_new_{index}"] = _new_object_maker(interface)
        parts.append(_ARGUMENT_EXPRESSIONS[kind].format(i=index))
    decoder: Decoder = eval(f"lambda r, a: ({''.join(part + ', ' for part in parts)})", namespace)
    return decoder


def _new_object_maker(interface: type[Interface]) -> Callable[[Resource, int], Resource | Callback]:
    if interface.name == "wl_callback":
        c_interface = InterfaceSpec.of(interface).c_interface  # it has no requests: no recursion here
        return lambda resource, id: Callback(resource.client, c_interface, 1, id)
    return lambda resource, id: Resource(resource.client, interface, resource.version, id)


def _decode_object(resource: Resource, pointer: Any) -> Resource | ForeignResource | None:
    return None if pointer == NULL else resource.client.display.lookup(resource.client, pointer)


def _decode_string(pointer: Any) -> str | None:
    return None if pointer == NULL else ffi.string(pointer).decode("utf-8", "replace")


def _decode_array(array: Any) -> bytes:
    return bytes(ffi.buffer(array.data, array.size)) if array.size else b""


_ARGUMENTS = ffi.typeof("union wl_argument[]")  # parsed once, not per event


def _encode(spec: MessageSpec, values: tuple[Any, ...], keep: list[Any]) -> Any:
    if len(values) != len(spec.args):
        raise TypeError(f"event {spec.name} takes {len(spec.args)} arguments, got {len(values)}")
    c_args = ffi.new(_ARGUMENTS, max(1, len(values)))
    keep.append(c_args)
    for index, (encode, value) in enumerate(zip(spec.encoders, values, strict=True)):
        encode(c_args[index], value, keep)
    return c_args


def _encode_uint(arg: Any, value: int, keep: list[Any]) -> None:
    arg.u = value & 0xFFFFFFFF


def _encode_int(arg: Any, value: int, keep: list[Any]) -> None:
    arg.i = value


def _encode_fd(arg: Any, value: int, keep: list[Any]) -> None:
    arg.h = value


def _encode_fixed(arg: Any, value: float, keep: list[Any]) -> None:
    arg.f = int(round(value * 256.0))


def _encode_object(arg: Any, value: Resource | ForeignResource | None, keep: list[Any]) -> None:
    arg.o = NULL if value is None else ffi.cast("struct wl_object *", value.ptr)


def _encode_string(arg: Any, value: str | None, keep: list[Any]) -> None:
    if value is None:
        arg.s = NULL
    else:
        text = ffi.new("char[]", value.encode())
        keep.append(text)
        arg.s = text


def _encode_array(arg: Any, value: bytes, keep: list[Any]) -> None:
    data = bytes(value)
    array = ffi.new("struct wl_array *")
    buffer = ffi.new("char[]", data) if data else NULL
    keep.extend((array, buffer))
    array.size = array.alloc = len(data)
    array.data = buffer
    arg.a = array


Encoder = Callable[[Any, Any, list[Any]], None]
_ENCODERS: dict[ArgumentType, Encoder] = {
    ArgumentType.Uint: _encode_uint, ArgumentType.Int: _encode_int, ArgumentType.FileDescriptor: _encode_fd,
    ArgumentType.Fixed: _encode_fixed, ArgumentType.Object: _encode_object, ArgumentType.NewId: _encode_object,
    ArgumentType.String: _encode_string, ArgumentType.Array: _encode_array,
}


def _dispatch_from_c(implementation: Any, target: Any, opcode: int, message: Any, c_args: Any) -> int:
    resource: Resource = ffi.from_handle(implementation)
    resource._dispatch(opcode, c_args)
    return 0


def _destroyed_from_c(ptr: Any) -> None:
    resource: Resource = ffi.from_handle(lib.wl_resource_get_user_data(ptr))
    resource._on_destroyed()


def _report_callback_error(exc_type: Any, exc: Any, tb: Any) -> None:
    log.critical("uncaught error in a libwayland callback:\n%s",
                 "".join(traceback.format_exception(exc_type, exc, tb)))


_dispatch = ffi.callback("wl_dispatcher_func_t", _dispatch_from_c, onerror=_report_callback_error)
_destroyed = ffi.callback("wl_resource_destroy_func_t", _destroyed_from_c, onerror=_report_callback_error)
