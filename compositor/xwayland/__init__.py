"""X11 applications through Xwayland: the X server process (server.py), the window manager for X11 (wm.py),
ICCCM/EWMH property decoding (props.py)."""
