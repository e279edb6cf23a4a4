"""Leaving the session: log out through the compositor, suspend / reboot / power off through logind.

Log out runs ``orrery msg action exit`` (as waybar would run ``swaymsg exit``): the compositor asks every window
to close, then exits. The others are org.freedesktop.login1.Manager calls on the system bus, offered only when
logind is there and its ``Can*`` answers "yes" or "challenge" (polkit will ask). D-Bus is spoken with Gio's
blocking calls on a daemon thread each, with timeouts: the panel's loop is asyncio, not GLib's, and a thread
still stuck in a call when the panel exits does not hold it up.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from gi.repository import Gio, GLib

log = logging.getLogger(__name__)
T = TypeVar("T")

LOGIND = "org.freedesktop.login1"
MANAGER_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
PROBE_TIMEOUT_MS = 2000
ACTION_TIMEOUT_MS = 120_000  # polkit may be waiting for the user to authenticate
LOG_OUT = (sys.executable, "-m", "compositor", "msg", "action", "exit")


class SessionAction(enum.Enum):
    """A menu entry: its label and, for logind's, the Manager method (``Can`` + method tells if allowed)."""

    LOG_OUT = ("Log out", "")
    SUSPEND = ("Suspend", "Suspend")
    REBOOT = ("Reboot", "Reboot")
    POWER_OFF = ("Power off", "PowerOff")

    def __init__(self, label: str, method: str) -> None:
        self.label, self.method = label, method


POWER = (SessionAction.SUSPEND, SessionAction.REBOOT, SessionAction.POWER_OFF)


def entries(allowed: frozenset[SessionAction]) -> list[SessionAction]:
    """The menu: Log out, then what logind allows, in a fixed order."""
    return [SessionAction.LOG_OUT, *(a for a in POWER if a in allowed)]


async def probe() -> frozenset[SessionAction]:
    """What logind allows on this machine; nothing when there is no system bus or no logind on it."""
    try:
        return await _in_thread(_probe)
    except GLib.Error as error:
        log.info("logind's power actions are not offered: %s", _reason(error))
        return frozenset()


async def perform(action: SessionAction) -> str | None:
    """Do ``action``; None when it was done (or handed over), else what went wrong, for the panel to show."""
    try:
        if action is SessionAction.LOG_OUT:
            return await _log_out()
        await _in_thread(lambda: _call_manager(action.method))
        return None
    except (GLib.Error, OSError) as error:
        problem = f"{action.label} failed: {_reason(error) if isinstance(error, GLib.Error) else error}"
        log.warning("%s", problem)
        return problem


async def _log_out() -> str | None:
    process = await asyncio.create_subprocess_exec(*LOG_OUT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.PIPE)
    _out, err = await process.communicate()
    if process.returncode == 0:
        return None
    lines = err.decode(errors="replace").strip().splitlines()
    reason = lines[-1].removeprefix("orrery msg: ") if lines else f"exit status {process.returncode}"
    problem = f"{SessionAction.LOG_OUT.label} failed: {reason}"
    log.warning("%s", problem)
    return problem


def _reason(error: Any) -> str:
    """A GLib.Error's message without GDBus's "GDBus.Error:NAME: " prefix of remote errors."""
    remote = Gio.DBusError.get_remote_error(error)
    message = str(error.message)
    return message.removeprefix(f"GDBus.Error:{remote}: ") if remote else message


def _connect() -> Gio.DBusConnection:
    """A private connection to the system bus ($DBUS_SYSTEM_BUS_ADDRESS or the standard socket): unlike Gio's
    shared one, closing it (or the bus going away) does not end the process."""
    address = Gio.dbus_address_get_for_bus_sync(Gio.BusType.SYSTEM, None)
    flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
    return Gio.DBusConnection.new_for_address_sync(address, flags, None, None)


def _probe() -> frozenset[SessionAction]:
    connection = _connect()
    try:
        owned = connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                     "NameHasOwner", GLib.Variant("(s)", (LOGIND,)), GLib.VariantType("(b)"),
                                     Gio.DBusCallFlags.NONE, PROBE_TIMEOUT_MS, None).unpack()[0]
        if not owned:
            return frozenset()
        allowed = set()
        for action in POWER:
            answer = connection.call_sync(LOGIND, MANAGER_PATH, MANAGER, f"Can{action.method}", None,
                                          GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, PROBE_TIMEOUT_MS,
                                          None).unpack()[0]
            if answer in ("yes", "challenge"):
                allowed.add(action)
        return frozenset(allowed)
    finally:
        connection.close_sync(None)


def _call_manager(method: str) -> None:
    connection = _connect()
    try:
        connection.call_sync(LOGIND, MANAGER_PATH, MANAGER, method, GLib.Variant("(b)", (True,)), None,
                             Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION, ACTION_TIMEOUT_MS, None)
    finally:
        connection.close_sync(None)


async def _in_thread(work: Callable[[], T]) -> T:
    """``work()`` on a daemon thread (unlike asyncio.to_thread's pool, one stuck in a call is not waited for
    at exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def hand_over(setter: Callable[[Any], None], value: Any) -> None:
        try:
            loop.call_soon_threadsafe(lambda: None if future.done() else setter(value))
        except RuntimeError:  # the loop is closed: the panel is exiting
            pass

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting coroutine
            hand_over(future.set_exception, error)
        else:
            hand_over(future.set_result, result)

    threading.Thread(target=run, name="session-dbus", daemon=True).start()
    return await future
