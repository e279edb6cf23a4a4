"""Helpers for the layer-shell and taskbar tests: a waybar configuration and reading its taskbar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import Screenshot, Session, wait_until

BAR_HEIGHT = 30
BAR_BLUE = (0, 0, 255)
BUTTON_GREEN = (0, 255, 0)  # a taskbar button
BUTTON_YELLOW = (255, 255, 0)  # the focused window's button

WAYBAR_CONFIG = json.dumps({
    "layer": "top", "position": "top", "height": BAR_HEIGHT, "modules-left": ["wlr/taskbar"], "modules-right": [],
    "wlr/taskbar": {"format": "{app_id}", "all-outputs": True, "on-click": "minimize-raise",
                    "on-click-middle": "close"},
})
WAYBAR_STYLE = """* { font-family: DejaVu Sans; font-size: 12px; border: none; border-radius: 0; min-height: 0; }
window#waybar { background: #0000ff; color: #ffffff; }
#taskbar button { background: #00ff00; color: #000000; min-width: 100px; padding: 0 4px; }
#taskbar button.active { background: #ffff00; }
"""


def start_waybar(session: Session, tmp: Path) -> dict[str, Any]:
    """waybar with a taskbar and flat colours, in its own XDG_CONFIG_HOME; returns its layer surface."""
    config = tmp / "config" / "waybar"
    config.mkdir(parents=True)
    (config / "config").write_text(WAYBAR_CONFIG)
    (config / "style.css").write_text(WAYBAR_STYLE)
    session.spawn(["waybar"], env={"XDG_CONFIG_HOME": str(tmp / "config")})
    bar = wait_until(lambda: [s for s in session.msg("layers") if s["namespace"] == "waybar"], timeout=15,
                     what="waybar's layer surface")[0]
    wait_until(lambda: session.screenshot("bar.png").pixel(1000, 2) == BAR_BLUE, timeout=10, what="the bar drawn")
    return bar  # type: ignore[no-any-return]


def taskbar_buttons(shot: Screenshot, y: int = 2) -> list[tuple[int, int, bool]]:
    """The taskbar's buttons along the bar, left to right: (left, right, is the focused window's)."""
    buttons: list[tuple[int, int, bool]] = []
    x = 0
    while x < shot.width:
        colour = shot.pixel(x, y)
        if colour in (BUTTON_GREEN, BUTTON_YELLOW):
            start = x
            while x < shot.width and shot.pixel(x, y) == colour:
                x += 1
            buttons.append((start, x, colour == BUTTON_YELLOW))
        x += 1
    return buttons


def wait_for_buttons(session: Session, count: int) -> list[tuple[int, int, bool]]:
    found: list[list[tuple[int, int, bool]]] = []

    def check() -> bool:
        buttons = taskbar_buttons(session.screenshot("taskbar.png"))
        found[:] = [buttons]
        return len(buttons) == count

    wait_until(check, timeout=10, what=f"{count} taskbar buttons")
    return found[0]
