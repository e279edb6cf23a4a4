"""A virtual machine with a display, a keyboard and a tablet, for testing Orrery as a login session.

virtme-ng boots this machine's own root filesystem (read-only, with throw-away overlays on /etc, /home, /tmp
…) with Debian's kernel in QEMU, with a virtio-gpu display, a virtio keyboard and tablet. The host drives it
as a person would, through QEMU's monitors: screendumps of the display, keys, pointer moves and clicks. A
small agent in the guest (``session/guest_agent.py``, on a virtio-serial port) runs commands and speaks to the
compositor's IPC socket for the checks made from inside.

KVM is used where the CPU offers VT-x/AMD-V; otherwise QEMU emulates the CPU (TCG), slower but everywhere.
Under emulation, file reads over the VM's 9p root dominate Python's start-up, so the directories the session
runs from are shared again with caching (``cached_dirs``). Recipe and pitfalls: docs/login-session.md.
"""

from __future__ import annotations

import base64
import io
import json
import lzma
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import cairo

# Modules udev would load for the emulated PC that nothing here uses; each costs ~0.5-1 s under TCG.
MODULE_BLACKLIST = ("kvm,kvm_amd,kvm_intel,irqbypass,ccp,aesni_intel,sha512_ssse3,sha256_ssse3,sha1_ssse3,"
                    "sha512_generic,cryptd,crypto_simd,ghash_clmulni_intel,crct10dif_pclmul,crc32_pclmul,"
                    "crc32c_intel,libahci,ahci,libata,sr_mod,cdrom,sg,scsi_mod,scsi_common,i2c_i801,i2c_smbus,"
                    "lpc_ich,iTCO_wdt,iTCO_vendor_support,intel_pmc_bxt,pcspkr,joydev,serio_raw,qemu_fw_cfg,"
                    "i6300esb,virtiofs")
ABS_MAX = 0x7FFF  # QEMU's absolute pointer axes run 0..0x7fff whatever the resolution
_ANSI = re.compile(rb"\x1b\[[0-9;]*[A-Za-z]")
# HMP sendkey names of the characters a test types (US layout)
KEY_NAMES = {" ": "spc", ">": "shift-dot", "<": "shift-comma", ".": "dot", ",": "comma", "/": "slash",
             "-": "minus", "_": "shift-minus", "=": "equal", "\n": "ret", ":": "shift-semicolon",
             ";": "semicolon", "'": "apostrophe", '"': "shift-apostrophe", "|": "shift-backslash",
             "&": "shift-7", "$": "shift-4", "~": "shift-grave_accent"}


class VmError(RuntimeError):
    pass


def why_no_vm() -> str | None:
    """One line saying why no VM can start here, or None."""
    if shutil.which("qemu-system-x86_64") is None:
        return "no VM: qemu-system-x86_64 is missing (Debian package qemu-system-x86; run make setup)"
    if not kernel_image():
        return "no VM: no kernel in /boot (Debian package linux-image-amd64; run make setup)"
    if shutil.which("vng") is None and not (Path(sys.prefix) / "bin" / "vng").exists():
        return "no VM: vng is missing (virtme-ng from PyPI, in the test extras; run make setup)"
    return None


def kernel_image() -> str:
    images = sorted(Path("/boot").glob("vmlinuz-*"), key=lambda p: [int(n) if n.isdigit() else n
                                                                     for n in re.split(r"(\d+)", p.name)])
    return str(images[-1]) if images else ""


def use_kvm() -> bool:
    """Only with VT-x/AMD-V: a /dev/kvm without them can be a software KVM that cannot run a stock kernel."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return os.access("/dev/kvm", os.W_OK) and re.search(r"\b(vmx|svm)\b", flags) is not None


def uncompressed_kernel(image: str, cache: Path) -> str:
    """Under TCG decompressing Debian's XZ kernel costs ~8 s per boot: boot its ELF (QEMU's PVH entry)."""
    version = Path(image).name.removeprefix("vmlinuz-")
    if "CONFIG_PVH=y" not in Path(f"/boot/config-{version}").read_text(errors="replace"):
        return image
    elf = cache / f"vmlinux-{version}"
    if elf.exists() and elf.stat().st_mtime >= Path(image).stat().st_mtime:
        return str(elf)
    data = Path(image).read_bytes()
    start = data.find(b"\xfd7zXZ\x00")
    out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[start:]) if start >= 0 else b""
    if not out.startswith(b"\x7fELF"):
        return image
    cache.mkdir(parents=True, exist_ok=True)
    part = elf.with_suffix(".part")
    part.write_bytes(out)
    part.replace(elf)
    return str(elf)


class VirtualMachine:
    """Boots, runs ``command`` as root in the guest, and is driven from here until :meth:`close`."""

    def __init__(self, command: str, work: Path, cached_dirs: Iterable[str] = (), resolution: tuple[int, int] =
                 (1280, 800), memory: str = "2G", environment: dict[str, str] | None = None, heads: int = 1) -> None:
        """``heads``: the virtual GPU's connectors; only the first has a monitor (the others can be forced on
        through /sys/class/drm/card0-Virtual-N/status, which the kernel reports as a hot-plug)."""
        self.work = work
        self.resolution = resolution
        work.mkdir(parents=True, exist_ok=True)
        self.monitor_path, self.qmp_path, self.agent_path = work / "hmp.sock", work / "qmp.sock", work / "agent.sock"
        for path in (self.monitor_path, self.qmp_path, self.agent_path):
            path.unlink(missing_ok=True)
        self.lines: list[str] = []
        self.log = open(work / "console.log", "w")  # noqa: SIM115 - as long as the VM runs
        self._changed = threading.Condition()
        self.started = time.monotonic()
        self._monitor: socket.socket | None = None
        self._qmp: Any = None
        self._agent: Any = None
        self._agent_socket: socket.socket | None = None
        width, height = resolution
        qemu = [f"-device virtio-gpu-pci,id=gpu,max_outputs={heads},xres={width},yres={height}",
                "-device virtio-keyboard-pci", "-device virtio-tablet-pci",
                "-device qemu-xhci,id=xhci",  # for USB devices plugged in later
                f"-monitor unix:{self.monitor_path},server,nowait",
                f"-qmp unix:{self.qmp_path},server,nowait", "-device virtio-serial-pci,id=agentbus",
                f"-chardev socket,id=agent,path={self.agent_path},server=on,wait=off",
                "-device virtserialport,bus=agentbus.0,chardev=agent,name=org.orrery.agent"]
        mounts = ""
        for index, directory in enumerate(cached_dirs):
            real = os.path.realpath(directory)
            qemu += [f"-fsdev local,id=cached{index},path={real},security_model=none,readonly=on,multidevs=remap",
                     f"-device virtio-9p-pci,fsdev=cached{index},mount_tag=cached{index}"]
            mounts += (f"mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000,ro cached{index} "
                       f"'{real}' || exit 1; ")
        exports = "".join(f"export {key}='{value}'; " for key, value in (environment or {}).items())
        kernel = uncompressed_kernel(kernel_image(), Path.home() / ".cache" / "orrery-vm")
        vng = shutil.which("vng") or str(Path(sys.prefix) / "bin" / "vng")
        argv = [vng, "--run", kernel, *([] if use_kvm() else ["--disable-kvm"]), "--force-9p", "--memory", memory,
                "--cpus", "2", f"--append=module_blacklist={MODULE_BLACKLIST}",
                *(["--rodir=/var/cache/fontconfig"] if Path("/var/cache/fontconfig").is_dir() else []),
                f"--qemu-opts={' '.join(qemu)}", "--exec", f"{mounts}{exports}{{ {command}\n}} 2>&1"]
        env = {**os.environ, "PATH": f"{Path(vng).parent}:{os.environ.get('PATH', '')}"}
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self._reader = threading.Thread(target=self._read_console, daemon=True)
        self._reader.start()

    # -- the console ---------------------------------------------------------------------------------------------
    def _read_console(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            self.log.write(f"{time.monotonic() - self.started:7.2f} {line}\n")
            self.log.flush()
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_line(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        seen = 0
        with self._changed:
            while True:
                for line in self.lines[seen:]:
                    if text in line:
                        return line
                seen = len(self.lines)
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise VmError(f"the VM stopped before printing {text!r} (see {self.work / 'console.log'})")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise VmError(f"no {text!r} from the VM within {timeout:.0f} s (see {self.work / 'console.log'})")
                self._changed.wait(min(remaining, 1.0))

    # -- the guest agent ---------------------------------------------------------------------------------------
    def agent(self, request: dict[str, Any], timeout: float = 180) -> dict[str, Any]:
        if self._agent is None:
            self._agent_socket = _connect(self.agent_path, 60)
            self._agent = self._agent_socket.makefile("rwb")
        assert self._agent_socket is not None
        self._agent_socket.settimeout(timeout)
        self._agent.write(json.dumps(request).encode() + b"\n")
        self._agent.flush()
        line = self._agent.readline()
        if not line:
            raise VmError("the guest agent closed its port")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise VmError(f"guest agent: {answer['error']}")
        return answer

    def run(self, command: str, timeout: float = 120) -> str:
        """A shell command as root in the guest; its output (VmError when it fails)."""
        answer = self.agent({"run": command, "timeout": timeout}, timeout + 30)
        if answer["status"] != 0:
            raise VmError(f"guest command {command!r} exited {answer['status']}: {answer['output'].strip()}")
        return str(answer["output"])

    def read(self, path: str) -> bytes:
        return base64.b64decode(self.agent({"read": path})["data"])

    def ipc(self, socket_path: str, command: str, *args: str) -> Any:
        answer = self.agent({"ipc": socket_path, "command": command, "args": list(args)})
        if not answer.get("ok"):
            raise VmError(f"orrery msg {command}: {answer.get('error')}")
        return answer.get("result")

    # -- the display, keys and pointer -----------------------------------------------------------------------
    def monitor(self, command: str) -> str:
        if self._monitor is None:
            self._monitor = _connect(self.monitor_path, 60)
            self._read_prompt()
        self._monitor.sendall(command.encode() + b"\n")
        text = _ANSI.sub(b"", self._read_prompt()).decode(errors="replace").replace("\r", "")
        text = text.removesuffix("(qemu) ")
        return text.split("\n", 1)[1].strip() if "\n" in text else ""

    def _read_prompt(self) -> bytes:
        assert self._monitor is not None
        self._monitor.settimeout(60)
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = self._monitor.recv(65536)
            if not chunk:
                raise VmError("QEMU's monitor closed")
            data += chunk
        return data

    def screendump(self, png: Path) -> cairo.ImageSurface:
        """The display as QEMU shows it, written to ``png`` and returned."""
        ppm = png.with_suffix(".ppm")
        ppm.unlink(missing_ok=True)
        self.monitor(f"screendump {ppm}")
        deadline = time.monotonic() + 10
        while not ppm.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        image = ppm_image(ppm.read_bytes())
        ppm.unlink()
        image.write_to_png(str(png))
        return image

    def sendkey(self, keys: str) -> None:
        """HMP key names: ``meta_l``, ``ctrl-alt-f2``, ``shift-a``, ``ret``."""
        self.monitor(f"sendkey {keys}")

    def type(self, text: str) -> None:
        for char in text:
            if char.isupper():
                self.sendkey(f"shift-{char.lower()}")
            else:
                self.sendkey(KEY_NAMES.get(char, char))
            time.sleep(0.05)

    def qmp(self, command: str, **arguments: Any) -> Any:
        if self._qmp is None:
            self._qmp = _connect(self.qmp_path, 60).makefile("rwb")
            self._qmp_reply()
            self.qmp("qmp_capabilities")
        self._qmp.write(json.dumps({"execute": command, "arguments": arguments}).encode() + b"\n")
        self._qmp.flush()
        reply = self._qmp_reply()
        if "error" in reply:
            raise VmError(f"QMP {command}: {reply['error']}")
        return reply.get("return")

    def _qmp_reply(self) -> dict[str, Any]:
        while True:
            line = self._qmp.readline()
            if not line:
                raise VmError("QMP closed")
            message: dict[str, Any] = json.loads(line)
            if "event" not in message:
                return message

    def plug_usb_keyboard(self, name: str) -> None:
        # bound to the display's console, so that keys can be sent to this keyboard alone (type_on)
        self.qmp("device_add", driver="usb-kbd", id=name, bus="xhci.0", display="gpu")

    def unplug(self, name: str) -> None:
        self.qmp("device_del", id=name)

    def type_on_usb_keyboard(self, text: str) -> None:
        """Type lower-case letters, spaces and Return by key position on the USB keyboard: the input device
        bound to the display's console gets events sent to that console, the others do not."""
        for char in text:
            code = {" ": "spc", "\n": "ret"}.get(char, char)
            for down in (True, False):
                self.qmp("input-send-event", device="gpu", events=[
                    {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": code}}}])
                time.sleep(0.03)

    def move(self, x: int, y: int) -> None:
        """Move the tablet's pointer to pixel (x, y) of the display."""
        width, height = self.resolution
        self.qmp("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": round(x * ABS_MAX / max(width - 1, 1))}},
            {"type": "abs", "data": {"axis": "y", "value": round(y * ABS_MAX / max(height - 1, 1))}}])

    def click(self, x: int, y: int, button: str = "left") -> None:
        """Move the tablet's pointer to pixel (x, y) of the display and click."""
        self.move(x, y)
        for down in (True, False):
            time.sleep(0.1)
            self.qmp("input-send-event", events=[{"type": "btn", "data": {"down": down, "button": button}}])

    def close(self) -> None:
        for connection in (self._agent, self._agent_socket, self._qmp, self._monitor):
            if connection is not None:
                connection.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._reader.join(5)
        self.log.close()


def _connect(path: Path, timeout: float) -> socket.socket:
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            sock.settimeout(timeout)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise VmError(f"cannot connect to {path}") from None
            time.sleep(0.2)


def ppm_image(data: bytes) -> cairo.ImageSurface:
    """QEMU's binary PPM (P6, 255) as a Cairo image."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    position += 1
    if fields[0] != b"P6" or fields[3] != b"255":
        raise VmError(f"not a P6/255 PPM: {fields!r}")
    width, height = int(fields[1]), int(fields[2])
    rgb = data[position:position + width * height * 3]
    # PNG through zlib (standard library) is the quickest way from packed RGB to a Cairo image in pure Python
    raw = b"".join(b"\x00" + rgb[row * width * 3:(row + 1) * width * 3] for row in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
    return cairo.ImageSurface.create_from_png(io.BytesIO(png))
