"""Popup grabs of xdg-shell: which popups hold the keyboard, and what dismisses them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..server import Compositor
    from ..surface import Surface
    from ..wm import ManagedWindow
    from .xdg_popup import Popup


class XdgShell:
    """The xdg-shell part of the compositor state: popup grabs."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.grabbed_popups: list[Popup] = []
        self.grab_focus: ManagedWindow | None = None  # the focused window when the grab began
        compositor.seat.press_listeners.append(self.pointer_pressed)
        compositor.window_listeners.append(self.windows_changed)

    def popup_grab_mapped(self, popup: Popup) -> None:
        if not self.grabbed_popups:
            self.grab_focus = self.compositor.wm.focused
        self.grabbed_popups.append(popup)
        self.compositor.seat.set_keyboard_focus(popup.surface)

    def windows_changed(self) -> None:
        """Another window took the focus (a new window, a taskbar's activate): the grabbing popups are
        dismissed rather than left open without the keyboard, as in Mir and GNOME."""
        if self.grabbed_popups and self.compositor.wm.focused is not self.grab_focus:
            for popup in reversed(list(self.grabbed_popups)):
                popup.dismiss()

    def popup_gone(self, popup: Popup) -> None:
        if popup in self.grabbed_popups:
            self.grabbed_popups.remove(popup)
            top = self.grabbed_popups[-1].surface if self.grabbed_popups else None
            if top is None and self.compositor.wm.focused is not None:
                top = self.compositor.wm.focused.surface
            self.compositor.seat.set_keyboard_focus(top)

    def pointer_pressed(self, target: Surface | None) -> None:
        """A click outside the grabbing client's surfaces dismisses its popups."""
        if not self.grabbed_popups:
            return
        client = self.grabbed_popups[-1].resource.client
        if target is None or target.resource.client is not client:
            for popup in reversed(list(self.grabbed_popups)):
                popup.dismiss()
