"""logind for the session menu's tests: python-dbusmock's ``logind`` template on a private system bus.

The bus is a real dbus-daemon; its address goes into $DBUS_SYSTEM_BUS_ADDRESS of this process (dbusmock's own
helpers read it there) and from there into the compositor's environment, so the panel finds it like the
machine's system bus. ``no_system_bus`` points the variable at a socket that does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dbusmock
from dbusmock.testcase import BusType, PrivateDBus, SpawnedMock

MANAGER = "org.freedesktop.login1.Manager"
ADDRESS = "DBUS_SYSTEM_BUS_ADDRESS"


@contextmanager
def _address(value: str | None) -> Iterator[None]:
    before = os.environ.get(ADDRESS)
    if value is not None:
        os.environ[ADDRESS] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ADDRESS, None)
        else:
            os.environ[ADDRESS] = before


@contextmanager
def logind(parameters: dict[str, Any] | None = None) -> Iterator[SpawnedMock]:
    """A system bus with logind's Manager on it (``parameters`` such as ``{"CanSuspend": "na"}``)."""
    with _address(None), PrivateDBus(BusType.SYSTEM), \
            SpawnedMock.spawn_with_template("logind", parameters or {}, stdout=None, stderr=None) as mock:
        yield mock


@contextmanager
def no_system_bus(directory: Path) -> Iterator[None]:
    with _address(f"unix:path={directory / 'no-system-bus'}"):
        yield


def calls(mock: SpawnedMock, method: str) -> list[list[Any]]:
    """The arguments of every call of the Manager's ``method`` so far, as dbusmock logged them."""
    return [list(args) for _time, args in mock.obj.GetMethodCalls(method, dbus_interface=dbusmock.MOCK_IFACE)]


def fail(mock: SpawnedMock, method: str, message: str) -> None:
    """From now on the Manager's ``method`` answers an AccessDenied error."""
    mock.obj.AddMethod(MANAGER, method, "b", "",
                       f"raise dbus.exceptions.DBusException({message!r}, "
                       "name='org.freedesktop.DBus.Error.AccessDenied')", dbus_interface=dbusmock.MOCK_IFACE)

