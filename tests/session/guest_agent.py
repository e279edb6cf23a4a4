"""Inside the test VM, as root: answers the host's requests on a virtio-serial port (``org.orrery.agent``).

One JSON object per line each way. Requests:
  {"run": "shell command"}                     -> {"status": N, "output": "stdout and stderr"}
  {"ipc": "/run/user/UID/orrery-NAME.sock", "command": "layers", "args": []}
                                               -> the compositor's reply ({"ok": ..., "result": ...})
  {"read": "/path"}                            -> {"data": base64} (e.g. a screenshot the compositor wrote)
Standard library only, run by Debian's /usr/bin/python3: starting a process costs seconds under emulation, so
the compositor's IPC socket is spoken to directly instead of through ``orrery msg``.
"""

from __future__ import annotations

import base64
import glob
import json
import os
import socket
import subprocess
import sys
import time

PORT_NAME = "org.orrery.agent"


def port_device() -> str:
    for name_file in glob.glob("/sys/class/virtio-ports/*/name"):
        with open(name_file) as f:
            if f.read().strip() == PORT_NAME:
                return "/dev/" + name_file.split("/")[-2]
    raise SystemExit(f"guest_agent: no virtio-serial port named {PORT_NAME}")


def ipc(path: str, command: str, args: list[str]) -> dict[str, object]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(60)
        sock.connect(path)
        sock.sendall(json.dumps({"command": command, "args": args}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data) if data else {"ok": False, "error": "connection closed"}


def handle(request: dict[str, object]) -> dict[str, object]:
    try:
        if "run" in request:
            done = subprocess.run(["/bin/sh", "-c", str(request["run"])], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=float(str(request.get("timeout", 120))))
            return {"status": done.returncode, "output": done.stdout.decode(errors="replace")}
        if "ipc" in request:
            args = request.get("args", [])
            return ipc(str(request["ipc"]), str(request["command"]), [str(a) for a in args]
                       if isinstance(args, list) else [])
        if "read" in request:
            with open(str(request["read"]), "rb") as f:
                return {"data": base64.b64encode(f.read()).decode()}
        return {"error": f"unknown request {request!r}"}
    except Exception as error:  # the host gets every failure as an answer
        return {"error": f"{type(error).__name__}: {error}"}


def main() -> int:
    device = port_device()
    fd = os.open(device, os.O_RDWR)
    port = os.fdopen(fd, "r+b", buffering=0)
    print("GUEST_AGENT: READY", flush=True)
    buffer = b""
    while True:
        chunk = port.read(65536)
        if not chunk:
            time.sleep(0.1)  # the host has not connected yet (or reconnected): the port reads empty meanwhile
            continue
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except ValueError as error:
                answer: dict[str, object] = {"error": f"bad request: {error}"}
            else:
                answer = handle(request)
            reply = memoryview(json.dumps(answer).encode() + b"\n")
            while reply:  # the port takes a large answer in parts
                reply = reply[port.write(reply) or 0:]


if __name__ == "__main__":
    sys.exit(main())
