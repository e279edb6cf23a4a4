"""The machine's devices for a login session: the GPU (libdrm), input (libinput), the seat (libseat) and
device events (libudev), each through cffi in ABI mode over the system's shared library, as ``wl/native.py``
does for libwayland. Nothing here knows about Wayland; ``backends/drm.py`` puts them together."""
