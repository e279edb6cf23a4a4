"""A screen locker that unlocks on request, for tests (swaylock needs a password checked by PAM).

    python -m tests.tools.lock_client RRGGBB STATUS_FILE UNLOCK_FILE [first-only]
    python -m tests.tools.lock_client misuse CASE

Locks the session with ext_session_lock_v1 and covers every output (those that appear later too) with a lock
surface of one colour. Appends ``locked`` (or ``finished``, when the compositor refuses) to STATUS_FILE; once
UNLOCK_FILE exists it unlocks, appends ``unlocked`` and exits. With ``first-only`` it covers only the first
output announced (as if the others had just been plugged in).

``misuse`` breaks the protocol one way (CASE: ``unlock-early``: unlock before ``locked``; ``destroy-locked``:
destroy instead of unlocking; ``twice``: two lock surfaces on one output), prints ``disconnected`` once the
compositor cut it off (libwayland prints the error on stderr) and exits 0.
"""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path
from typing import Any

from pywayland.protocol.ext_session_lock_v1 import ExtSessionLockManagerV1
from pywayland.protocol.wayland import WlCompositor, WlOutput, WlShm

from orrery_testing.client import connect
from orrery_testing.shm import XRGB8888, shm_buffer, solid


def misuse(case: str) -> int:
    display, bound = connect({WlCompositor: 4, WlOutput: 1, ExtSessionLockManagerV1: 1})
    lock = bound["ext_session_lock_manager_v1"].lock()
    locked: list[bool] = []
    lock.dispatcher["locked"] = lambda _lock: locked.append(True)
    if case == "unlock-early":
        lock.unlock_and_destroy()
    elif case == "destroy-locked":
        while not locked and display.dispatch(block=True) != -1:
            pass
        lock.destroy()
    elif case == "twice":
        compositor, output = bound["wl_compositor"], bound["wl_output"]
        lock.get_lock_surface(compositor.create_surface(), output)
        lock.get_lock_surface(compositor.create_surface(), output)
    else:
        print(f"unknown case {case}", file=sys.stderr)
        return 2
    for _ in range(40):
        if display.roundtrip() < 0:
            print("disconnected", flush=True)
            return 0
        time.sleep(0.05)
    print("still connected", flush=True)
    return 1


def main(argv: list[str]) -> int:
    if argv[0] == "misuse":
        return misuse(argv[1])
    colour, status_path, unlock_path = bytes.fromhex(argv[0]), Path(argv[1]), Path(argv[2])
    display, bound = connect({WlCompositor: 4, WlShm: 1, ExtSessionLockManagerV1: 1})
    state: dict[str, Any] = {"locked": False, "finished": False}
    lock = bound["ext_session_lock_manager_v1"].lock()
    keep: list[Any] = []  # proxies the client must keep alive

    def status(word: str) -> None:
        with status_path.open("a") as out:
            out.write(word + "\n")

    def on_locked(_lock: Any) -> None:
        state["locked"] = True
        status("locked")

    def on_finished(_lock: Any) -> None:
        state["finished"] = True

    lock.dispatcher["locked"] = on_locked
    lock.dispatcher["finished"] = on_finished

    def cover(output: Any) -> None:
        surface = bound["wl_compositor"].create_surface()
        lock_surface = lock.get_lock_surface(surface, output)

        def on_configure(obj: Any, serial: int, width: int, height: int) -> None:
            obj.ack_configure(serial)
            buffer = shm_buffer(bound["wl_shm"], width, height, solid(width, 1, (colour[0], colour[1], colour[2])),
                                XRGB8888, "lock-client")
            surface.attach(buffer, 0, 0)
            surface.damage_buffer(0, 0, width, height)
            surface.commit()
            keep.append(buffer)

        lock_surface.dispatcher["configure"] = on_configure
        keep.extend((surface, lock_surface, output))

    covered: list[bool] = []

    def on_global(registry: Any, name: int, interface: str, version: int) -> None:
        if interface == "wl_output" and not (covered and argv[3:] == ["first-only"]):
            covered.append(True)
            cover(registry.bind(name, WlOutput, 1))

    registry = display.get_registry()  # a second registry: every output, now and later
    registry.dispatcher["global"] = on_global
    keep.append(registry)
    display.roundtrip()
    display.roundtrip()
    fd = display.get_fd()
    while not unlock_path.exists():
        if state["finished"]:
            status("finished")
            return 1
        display.flush()
        if select.select([fd], [], [], 0.05)[0] and display.dispatch(block=True) == -1:
            return 1
    lock.unlock_and_destroy()
    display.roundtrip()
    status("unlocked")
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # skip pywayland's teardown
