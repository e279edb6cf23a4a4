"""The Wayland display: sockets, globals, clients, and the event loop fd driven by asyncio."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .. import limits
from .native import NULL, address, ffi, lib
from .resource import ClientLimit, ForeignResource, InterfaceSpec, Resource

if TYPE_CHECKING:
    from pywayland.protocol_core.interface import Interface

log = logging.getLogger(__name__)


class Listener:
    """A ``wl_listener`` whose notify calls a Python function (kept alive while registered): once (a destroy
    signal), unless ``repeat`` (a signal that fires again, such as a new client)."""

    def __init__(self, notify: Callable[[Any], None], repeat: bool = False) -> None:
        self._notify = notify
        self._repeat = repeat
        self._callback = ffi.callback("void(struct wl_listener *, void *)", self._fire)
        self.c = ffi.new("struct wl_listener *")
        self.c.notify = self._callback
        lib.wl_list_init(ffi.addressof(self.c.link))

    def _fire(self, _listener: Any, data: Any) -> None:
        if not self._repeat:
            lib.wl_list_remove(ffi.addressof(self.c.link))
            lib.wl_list_init(ffi.addressof(self.c.link))
        try:
            self._notify(data)
        except Exception:
            log.exception("listener failed")


class Client:
    """One connected client, known to the display from the moment it connects."""

    def __init__(self, display: Display, ptr: Any, id: int) -> None:
        self.display = display
        self.id = id  # stable for the connection, unlike the pointer (IPC names clients by it)
        self.ptr = ptr
        self.alive = True
        pid, uid, gid = ffi.new("int32_t *"), ffi.new("uint32_t *"), ffi.new("uint32_t *")
        lib.wl_client_get_credentials(ptr, pid, uid, gid)
        # SO_PEERCRED: the process that connected (or made the socket pair); whoever hands a socket it made to a
        # child it started names the child instead
        self.pid = int(pid[0])
        # Objects created since they were last counted: every OBJECT_CHECK_INTERVAL, all are counted
        # (libwayland's own too: registries, shm pools, buffers), against limits.MAX_OBJECTS.
        self._created = 0
        self._creation_listener = Listener(self._object_created, repeat=True)
        lib.wl_client_add_resource_created_listener(ptr, self._creation_listener.c)
        self._commits = 0  # commits in the window that ends at _window_end (limits.MAX_COMMITS_PER_FRAME)
        self._window_end = 0.0
        self.destroy_listeners: list[Callable[[Client], None]] = []
        self._listener = Listener(self._destroyed)
        lib.wl_client_add_destroy_listener(ptr, self._listener.c)

    def _destroyed(self, _data: Any) -> None:
        self.alive = False
        lib.wl_list_remove(ffi.addressof(self._creation_listener.c.link))  # (the client's signal is freed)
        lib.wl_list_init(ffi.addressof(self._creation_listener.c.link))
        self.display.clients.pop(address(self.ptr), None)
        for listener in list(self.destroy_listeners):
            listener(self)

    @property
    def fd(self) -> int:
        """The connection's socket (libwayland's: look, do not close)."""
        return int(lib.wl_client_get_fd(self.ptr))

    def object(self, id: int) -> Resource | ForeignResource | None:
        """The client's object with this id (as the client numbers it), or None."""
        if not self.alive:
            return None
        ptr = lib.wl_client_get_object(self.ptr, id)
        return None if ptr == NULL else self.display.lookup(self, ptr)

    def _object_created(self, _resource: Any) -> None:
        self._created += 1
        if self._created < OBJECT_CHECK_INTERVAL:
            return
        self._created = 0
        count = self.object_count()
        if count > limits.MAX_OBJECTS:
            log.warning("client %s disconnected: %d objects", self.pid, count)
            self.post_limit_error(f"more than {limits.MAX_OBJECTS} objects (the cap on objects per client)")

    def object_count(self) -> int:
        """How many protocol objects the client has now (libwayland's count: ours and its own)."""
        counter = ffi.new("int *")
        lib.wl_client_for_each_resource(self.ptr, _count_resource, counter)
        return int(counter[0])

    def count_commit(self) -> None:
        """One more wl_surface.commit; ClientLimit past the cap of commits per frame."""
        now = time.monotonic()
        if now >= self._window_end:
            self._window_end, self._commits = now + limits.COMMIT_WINDOW, 0
        self._commits += 1
        if self._commits > limits.MAX_COMMITS_PER_FRAME * 60 * limits.COMMIT_WINDOW:
            raise ClientLimit(f"more than {limits.MAX_COMMITS_PER_FRAME} commits per frame at 60 Hz "
                              "(the cap on commits per frame per client)")

    def post_limit_error(self, message: str) -> None:
        """Disconnect the client for going over a cap: wl_display.error.no_memory with ``message``."""
        display = lib.wl_client_get_object(self.ptr, 1) if self.alive else NULL
        if display == NULL:
            self.post_implementation_error(message)
            return
        lib.wl_resource_post_error(display, ffi.cast("uint32_t", 2), b"%s", ffi.new("char[]", message.encode()))
        self.display.schedule_flush()

    def post_implementation_error(self, message: str) -> None:
        if self.alive:
            lib.wl_client_post_implementation_error(self.ptr, b"%s", ffi.new("char[]", message.encode()))
            self.display.schedule_flush()

    def disconnect(self) -> None:
        if self.alive:
            lib.wl_client_destroy(self.ptr)


class Global:
    """A global; ``bind(resource)`` is called with the client's new resource."""

    def __init__(self, display: Display, interface: type[Interface], version: int,
                 bind: Callable[[Resource], None]) -> None:
        self.display = display
        self.interface = interface
        self.version = version
        self._bind = bind
        self._handle = ffi.new_handle(self)
        spec = InterfaceSpec.of(interface)
        self.ptr = lib.wl_global_create(display.ptr, spec.c_interface, version, self._handle, _bind)
        self.removed = False
        display.global_at[address(self.ptr)] = self

    def bind(self, client_ptr: Any, version: int, id: int) -> None:
        client = self.display.client(client_ptr)
        resource = Resource(client, self.interface, version, id)
        try:
            self._bind(resource)
        except Exception as error:
            log.exception("binding %s failed", self.interface.name)
            client.post_implementation_error(f"binding {self.interface.name}: {error!r}")

    def destroy(self) -> None:
        """Remove the global now; free it a little later so binds already in flight still resolve."""
        if self.removed:
            return
        self.removed = True
        lib.wl_global_remove(self.ptr)
        self.display.call_later(5.0, self._free)

    def _free(self) -> None:
        if self.display.destroyed:
            return  # (freed with the display)
        lib.wl_global_destroy(self.ptr)
        self.display.global_at.pop(address(self.ptr), None)  # (after: the filter may be asked till the end)
        self.display.globals.remove(self)


OBJECT_CHECK_INTERVAL = 500  # objects created between two counts of them all (a count per 500 creations)


def _count_one(resource: Any, counter: Any) -> int:
    ffi.cast("int *", counter)[0] += 1
    return int(lib.WL_ITERATOR_CONTINUE)


_count_resource = ffi.callback("wl_client_for_each_resource_iterator_func_t", _count_one)


def _bind_from_c(client: Any, data: Any, version: int, id: int) -> None:
    global_: Global = ffi.from_handle(data)
    global_.bind(client, version, id)


_bind = ffi.callback("wl_global_bind_func_t", _bind_from_c)

GlobalFilter = Callable[[Client, Global], bool]


def _filter_from_c(client: Any, global_ptr: Any, data: Any) -> bool:
    display: Display = ffi.from_handle(data)
    global_ = display.global_at.get(address(global_ptr))
    if global_ is None or display.global_filter is None:
        return True  # libwayland's own (wl_shm)
    return display.global_filter(display.client(client), global_)


def _filter_failed(exc_type: Any, exc: Any, tb: Any) -> None:
    log.error("the global filter failed (the global is hidden):", exc_info=(exc_type, exc, tb))


# An exception answers False: a filter that fails hides the global rather than showing it.
_filter = ffi.callback("wl_display_global_filter_func_t", _filter_from_c, onerror=_filter_failed)


class Display:
    """A ``wl_display`` with libwayland's wl_shm, driven by the running asyncio loop."""

    def __init__(self) -> None:
        self.ptr = lib.wl_display_create()
        if lib.wl_display_init_shm(self.ptr) != 0:
            raise RuntimeError("wl_display_init_shm failed")
        self.event_loop = lib.wl_display_get_event_loop(self.ptr)
        self.clients: dict[int, Client] = {}
        self._client_ids = itertools.count(1)
        self.globals: list[Global] = []
        self.global_at: dict[int, Global] = {}  # by wl_global address
        self.socket_name: str | None = None
        # Which globals a client sees and may bind (wl_display_set_global_filter); None: every one
        self.global_filter: GlobalFilter | None = None
        self.connect_listeners: list[Callable[[Client], None]] = []  # a client connected (before its requests)
        self._handle = ffi.new_handle(self)
        lib.wl_display_set_global_filter(self.ptr, _filter, self._handle)
        # Every client is known from its connection on: its rights are decided, its objects counted from the first.
        self._created = Listener(self._client_created, repeat=True)
        lib.wl_display_add_client_created_listener(self.ptr, self._created.c)
        self._objects: dict[int, Resource | ForeignResource] = {}  # by wl_resource address
        self._watchers: dict[int, Listener] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flush_pending = False
        # Callbacks the loop still runs after shutdown (a frame tick, a delayed free) must not touch freed memory.
        self.destroyed = False

    # -- sockets and clients -------------------------------------------------------------------------
    def add_socket(self, name: str | None = None) -> str:
        """Listen on ``$XDG_RUNTIME_DIR/name``, or on the first free ``wayland-N``."""
        runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
        if not runtime_dir:
            raise RuntimeError("XDG_RUNTIME_DIR is not set")
        candidates = [name] if name else [f"wayland-{n}" for n in range(1, 33)]
        for candidate in candidates:
            if lib.wl_display_add_socket(self.ptr, candidate.encode()) == 0:
                self.socket_name = candidate
                return candidate
        raise RuntimeError(f"cannot listen on {name or 'any wayland-N'} in {runtime_dir} (in use?)")

    def create_client(self, fd: int) -> Client:
        """Adopt one end of a socketpair as a connected client."""
        ptr = lib.wl_client_create(self.ptr, fd)
        if ptr == NULL:
            raise OSError("wl_client_create failed")
        return self.client(ptr)

    def client(self, ptr: Any) -> Client:
        key = address(ptr)
        client = self.clients.get(key)
        if client is None:
            client = self.clients[key] = Client(self, ffi.cast("struct wl_client *", ptr), next(self._client_ids))
        return client

    def _client_created(self, ptr: Any) -> None:
        client = self.client(ptr)
        for listener in list(self.connect_listeners):
            listener(client)

    def add_global(self, interface: type[Interface], version: int,
                   bind: Callable[[Resource], None]) -> Global:
        global_ = Global(self, interface, version, bind)
        self.globals.append(global_)
        return global_

    def next_serial(self) -> int:
        return int(lib.wl_display_next_serial(self.ptr))

    # -- object lookup -----------------------------------------------------------------------------
    def remember(self, ptr: Any, obj: Resource | ForeignResource) -> None:
        self._objects[address(ptr)] = obj

    def forget(self, ptr: Any) -> None:
        key = address(ptr)
        self._objects.pop(key, None)
        self._watchers.pop(key, None)

    def lookup(self, client: Client, ptr: Any) -> Resource | ForeignResource:
        """The object behind a ``wl_resource`` (or ``wl_object``) pointer: ours, or libwayland's own."""
        obj = self._objects.get(address(ptr))
        if obj is None:
            obj = ForeignResource(client, ffi.cast("struct wl_resource *", ptr))
            self.remember(ptr, obj)
        return obj

    def watch_destroy(self, ptr: Any, callback: Callable[[], None]) -> None:
        listener = Listener(lambda _data: callback())
        self._watchers[address(ptr)] = listener
        lib.wl_resource_add_destroy_listener(ptr, listener.c)

    # -- event loop ----------------------------------------------------------------------------------
    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        loop.add_reader(lib.wl_event_loop_get_fd(self.event_loop), self.dispatch)

    def dispatch(self) -> None:
        if self.destroyed:
            return
        with self.batch():
            lib.wl_event_loop_dispatch(self.event_loop, 0)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Events posted inside go out with one flush at the end, not with one scheduled per event."""
        self._flush_pending = True
        try:
            yield
        finally:
            self.flush()

    def flush(self) -> None:
        self._flush_pending = False
        if not self.destroyed:
            lib.wl_display_flush_clients(self.ptr)

    def schedule_flush(self) -> None:
        """Flush once the current batch of work is done (events posted from timers and backends)."""
        if not self._flush_pending and self._loop is not None:
            self._flush_pending = True
            self._loop.call_soon(self.flush)

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        if self._loop is not None:
            self._loop.call_later(delay, callback)

    def destroy(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(lib.wl_event_loop_get_fd(self.event_loop))
        self.destroyed = True
        lib.wl_display_destroy_clients(self.ptr)
        lib.wl_display_destroy(self.ptr)

