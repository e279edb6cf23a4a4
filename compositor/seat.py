"""The seat: pointer, keyboard and touch focus, and delivery of input events to clients.

Backends and virtual devices call the ``pointer_*``, ``key`` and ``touch_*`` methods with global
coordinates and evdev codes; what the window manager does with a press (focus, move, resize) is decided by
the pure functions in :mod:`compositor.input`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from . import bindings
from . import input as actions
from .keyboard import KEYMAP_FORMAT_XKB_V1, Keyboard, ModifierState
from .surface import Surface

if TYPE_CHECKING:
    from .server import Compositor
    from .wl.display import Client
    from .wl.resource import Resource

BTN_LEFT, BTN_RIGHT, BTN_MIDDLE = 0x110, 0x111, 0x112


class Grab(Protocol):
    """Takes pointer events away from clients while active (move, resize)."""

    def motion(self, x: float, y: float) -> None: ...
    def button(self, button: int, pressed: bool) -> bool:
        """Returns True when the grab is over."""


class MotionConstraint(Protocol):
    """Where relative motion may take the pointer (zwp_pointer_constraints_v1: lock or confine)."""

    def constrain(self, x: float, y: float, new_x: float, new_y: float) -> tuple[float, float]: ...


def now_ms() -> int:
    return time.monotonic_ns() // 1_000_000 & 0xFFFFFFFF


class Seat:
    name = "seat0"

    def __init__(self, compositor: Compositor, keyboard: Keyboard) -> None:
        self.compositor = compositor
        self.keyboard = keyboard  # the real keyboard
        self.active_keyboard = keyboard  # whose keymap clients have: the keyboard that last sent input
        self.pointers: list[Resource] = []
        self.keyboards: list[Resource] = []
        self.touches: list[Resource] = []
        self.x = self.y = 0.0
        self.pointer_focus: Surface | None = None
        self.pointer_serial = 0
        self.buttons: set[int] = set()
        self.keyboard_focus: Surface | None = None
        self.grab: Grab | None = None
        self.cursor: Surface | None = None
        self.cursor_hotspot = (0, 0)
        self.cursor_shape: str | None = None  # a named shape (wp_cursor_shape_v1) instead of a cursor surface
        self.touch_points: dict[int, Surface] = {}
        self.cursor_listeners: list[Callable[[], None]] = []
        self.press_listeners: list[Callable[[Surface | None], None]] = []
        self.pointer_focus_listeners: list[Callable[[], None]] = []  # after enter or leave
        # Relative motion (dx, dy, time) goes to these first (zwp_relative_pointer_v1); True if one sent events.
        self.relative_listeners: list[Callable[[float, float, int], bool]] = []
        self.constraint: MotionConstraint | None = None  # an active pointer lock or confinement
        self.pointer_local: tuple[float, float] | None = None  # last position sent to the focus
        self.super_armed = False  # Super is down and nothing else happened since (see input.super_tap)
        self.shortcut_keys: set[int] = set()  # pressed keys that ran a binding: their release is ours too
        self.activity_listeners: list[Callable[[], None]] = []  # any input from the user (idle timers)
        # While the session is locked: the surface that must have the keyboard instead of the one asked for
        self.lock_focus: Callable[[Surface | None], Surface | None] | None = None
        compositor.scene.layout_listeners.append(self.refocus_pointer)

    # -- resources -----------------------------------------------------------------------------------
    def of_client(self, resources: list[Resource], client: Client) -> list[Resource]:
        return [res for res in resources if res.client is client]

    def keyboard_bound(self, res: Resource) -> None:
        self.keyboards.append(res)
        res.destroy_listeners.append(self.keyboards.remove)
        active = self.active_keyboard
        res.post("keymap", KEYMAP_FORMAT_XKB_V1, active.keymap_fd, active.keymap_size)
        self._post_repeat_info(res)
        focus = self.keyboard_focus
        if focus is not None and focus.resource.client is res.client:
            self._send_keyboard_enter([res], focus)

    def _post_repeat_info(self, res: Resource) -> None:
        config = self.compositor.config
        res.post("repeat_info", config.get("keyboard", "repeat_rate"), config.get("keyboard", "repeat_delay"))

    def send_repeat_info(self) -> None:
        """The repeat rate or delay changed (orrery.toml was reloaded): every wl_keyboard learns it."""
        for res in self.keyboards:
            self._post_repeat_info(res)

    def pointer_bound(self, res: Resource) -> None:
        self.pointers.append(res)
        res.destroy_listeners.append(self.pointers.remove)
        focus = self.pointer_focus
        if focus is not None and focus.alive and focus.resource.client is res.client and self.pointer_local:
            # a new wl_pointer of the client under the pointer learns where it is (and gets a leave later)
            res.post("enter", self.pointer_serial, focus.resource, *self.pointer_local)
            res.post("frame")

    def touch_bound(self, res: Resource) -> None:
        self.touches.append(res)
        res.destroy_listeners.append(self.touches.remove)

    def surface_gone(self, surface: Surface) -> None:
        if self.pointer_focus is surface:
            self.pointer_focus = None
            self.compositor.display.call_later(0, self.refocus_pointer)
        if self.keyboard_focus is surface:
            self.keyboard_focus = None
        if self.cursor is surface:
            self.cursor = None
        lifted = [touch_id for touch_id, touched in self.touch_points.items() if touched is surface]
        for touch_id in lifted:  # the client must not keep waiting for these points to lift
            self.touch_up(touch_id)
        if lifted:
            self.touch_frame()

    def _active(self) -> None:
        for listener in self.activity_listeners:
            listener()

    # -- pointer -------------------------------------------------------------------------------------
    def pointer_motion(self, x: float, y: float, time_ms: int | None = None) -> None:
        self._active()
        bounds = self.compositor.scene.layout_bounds()
        self.x = min(max(x, bounds.x), bounds.right - 1)
        self.y = min(max(y, bounds.y), bounds.bottom - 1)
        if self.grab is not None:
            self.grab.motion(self.x, self.y)
        else:
            self._update_pointer_focus(time_ms)
        self._cursor_changed()

    def pointer_motion_relative(self, dx: float, dy: float, time_ms: int | None = None) -> None:
        """Motion reported as a delta (a mouse): relative pointers see it even while the pointer is locked."""
        sent = [listener(dx, dy, time_ms if time_ms is not None else now_ms()) for listener in self.relative_listeners]
        x, y = self.x + dx, self.y + dy
        if self.constraint is not None:
            x, y = self.constraint.constrain(self.x, self.y, x, y)
        if (x, y) != (self.x, self.y):
            self.pointer_motion(x, y, time_ms)
        elif any(sent) and self.pointer_focus is not None:
            for res in self.of_client(self.pointers, self.pointer_focus.resource.client):
                res.post("frame")

    def refocus_pointer(self) -> None:
        """Something moved under a still pointer: send enter/leave as if it had moved."""
        if self.grab is None:
            self._update_pointer_focus(None, motion=False)

    def _update_pointer_focus(self, time_ms: int | None, motion: bool = True) -> None:
        hit = self.compositor.scene.input_at(self.x, self.y)
        if self.buttons and self.pointer_focus is not None and self.pointer_focus.alive:
            hit = self._implicit_grab_target()  # a drag keeps going to the surface it started on
        surface, sx, sy = hit if isinstance(hit, tuple) else (None, 0.0, 0.0)
        # Over a window's frame the pointer is the compositor's: no client has it, the frame picks the cursor.
        frame_cursor = self.compositor.decorations.pointer_over(None if isinstance(hit, tuple) else hit,
                                                                self.x, self.y)
        if surface is not self.pointer_focus:
            self.leave_pointer()
            if surface is not None:
                self._enter_pointer(surface, sx, sy)
                return
        if surface is None:
            self.show_cursor_shape(frame_cursor)
            return
        # A still pointer over a moved surface is a motion too: the surface-local position changed.
        if surface is not None and (motion or (sx, sy) != self.pointer_local):
            self.pointer_local = (sx, sy)
            for res in self.of_client(self.pointers, surface.resource.client):
                res.post("motion", time_ms if time_ms is not None else now_ms(), sx, sy)
                res.post("frame")

    def _implicit_grab_target(self) -> tuple[Surface, float, float] | None:
        surface = self.pointer_focus
        assert surface is not None
        origin = surface.origin()
        if origin is None:
            return None
        return surface, self.x - origin[0], self.y - origin[1]

    def leave_pointer(self) -> None:
        old = self.pointer_focus
        self.pointer_focus = None
        if old is not None and old.alive:
            serial = self.compositor.display.next_serial()
            for res in self.of_client(self.pointers, old.resource.client):
                res.post("leave", serial, old.resource)
                res.post("frame")
        if self.cursor is not None or self.cursor_shape is not None:
            self.cursor, self.cursor_shape = None, None
            self._cursor_changed()
        if old is not None:
            for focus_listener in list(self.pointer_focus_listeners):
                focus_listener()

    def _enter_pointer(self, surface: Surface, sx: float, sy: float) -> None:
        self.pointer_focus = surface
        self.pointer_local = (sx, sy)
        self.pointer_serial = self.compositor.display.next_serial()
        for res in self.of_client(self.pointers, surface.resource.client):
            res.post("enter", self.pointer_serial, surface.resource, sx, sy)
            res.post("frame")
        for listener in list(self.pointer_focus_listeners):
            listener()

    def pointer_button(self, button: int, pressed: bool, time_ms: int | None = None) -> None:
        self._active()
        if pressed:
            self.buttons.add(button)
            self.super_armed = False
        else:
            self.buttons.discard(button)
        if self.grab is not None:
            if self.grab.button(button, pressed):
                self.grab = None
                self.refocus_pointer()
            return
        if pressed:
            hit = self.compositor.scene.input_at(self.x, self.y)
            target = hit[0] if isinstance(hit, tuple) else None
            for listener in self.press_listeners:
                listener(target)
            if hit is not None and not isinstance(hit, tuple):
                self.compositor.decorations.press(hit, self, button)  # a window's frame: the compositor's
                return
            action = actions.pointer_press(self.active_keyboard.super_held, button,
                                           self.compositor.wm.window_of(target))
            if self.compositor.wm.perform(action, self):
                return
        focus = self.pointer_focus
        if focus is None:
            return
        serial = self.compositor.display.next_serial()
        for res in self.of_client(self.pointers, focus.resource.client):
            res.post("button", serial, time_ms if time_ms is not None else now_ms(), button, int(pressed))
            res.post("frame")
        if not pressed and not self.buttons:
            self.refocus_pointer()

    def pointer_axis(self, horizontal: bool, value: float, value120: int = 0,
                     time_ms: int | None = None, source: int = 0, stop: bool = False) -> None:
        """Scrolling along one axis (``value120``: wheel notches in 120ths); ``stop`` ends a scroll sequence
        (e.g. fingers lifted) instead."""
        self._active()
        focus = self.pointer_focus
        if focus is None:
            return
        axis = 1 if horizontal else 0
        for res in self.of_client(self.pointers, focus.resource.client):
            res.post("axis_source", source)
            if stop:
                res.post("axis_stop", time_ms if time_ms is not None else now_ms(), axis)
                res.post("frame")
                continue
            if value120 and not res.post("axis_value120", axis, value120) and value120 % 120 == 0:
                res.post("axis_discrete", axis, value120 // 120)  # clients bound before version 8
            res.post("axis", time_ms if time_ms is not None else now_ms(), axis, value)
            res.post("frame")

    def set_cursor(self, res: Resource, serial: int, surface: Surface | None, hx: int, hy: int) -> None:
        focus = self.pointer_focus
        if focus is None or focus.resource.client is not res.client:
            return  # only the focused client may set the cursor
        self.cursor, self.cursor_shape = surface, None
        self.cursor_hotspot = (hx, hy)
        self._cursor_changed()

    def cursor_committed(self, surface: Surface) -> None:
        """A cursor surface's new state was applied: the pointer shows its new image, and its offset
        (wl_surface.offset) moved the image under the pointer, so the hotspot moves the other way."""
        if self.cursor is surface:
            hx, hy = self.cursor_hotspot
            self.cursor_hotspot = (hx - surface.current.dx, hy - surface.current.dy)
            self._cursor_changed()

    def set_cursor_shape(self, client: Client, shape: str) -> None:
        """The focused client asked for a named cursor (wp_cursor_shape_device_v1.set_shape)."""
        focus = self.pointer_focus
        if focus is None or focus.resource.client is not client:
            return
        self.cursor, self.cursor_shape = None, shape
        self._cursor_changed()

    def show_cursor_shape(self, shape: str | None) -> None:
        """The compositor picks the cursor while no client has the pointer (None: the default arrow)."""
        if self.cursor is not None or self.cursor_shape != shape:
            self.cursor, self.cursor_shape = None, shape
            self._cursor_changed()

    def _cursor_changed(self) -> None:
        for listener in self.cursor_listeners:
            listener()

    def cursor_description(self) -> str:
        """What the pointer shows: a shape name, "client surface", "hidden" or "default"."""
        if self.cursor_shape is not None:
            return self.cursor_shape
        if self.cursor is not None:
            return "client surface" if self.cursor.content is not None else "hidden"
        return "default"

    # -- keyboard ------------------------------------------------------------------------------------
    def key(self, evdev_code: int, pressed: bool, time_ms: int | None = None,
            keyboard: Keyboard | None = None) -> None:
        """A key of ``keyboard`` (default: the real one) changed state."""
        keyboard = self.keyboard if keyboard is None else keyboard
        if pressed == (evdev_code in keyboard.pressed):
            return  # repeated press or release of a key we do not think is down
        self._active()
        self.use_keyboard(keyboard)
        modifiers = keyboard.update(evdev_code, pressed)
        self._super_tap("press" if pressed else "release", keyboard.keysym_name(evdev_code) in actions.SUPER_KEYS,
                        bool(keyboard.pressed - {evdev_code}))
        if pressed and self._shortcut(keyboard, evdev_code):
            self.shortcut_keys.add(evdev_code)
            return
        if pressed and self.compositor.quit_prompt.shown and self.lock_focus is None:  # the question takes the keys
            self.shortcut_keys.add(evdev_code)
            self.compositor.quit_prompt.key(keyboard.keysym_name(evdev_code))
            return
        if not pressed and evdev_code in self.shortcut_keys:
            self.shortcut_keys.discard(evdev_code)
            return
        focus = self.keyboard_focus
        if focus is None or not focus.alive:
            return
        serial = self.compositor.display.next_serial()
        for res in self.of_client(self.keyboards, focus.resource.client):
            res.post("key", serial, time_ms if time_ms is not None else now_ms(), evdev_code, int(pressed))
            if modifiers is not None:
                self._send_modifiers(res, modifiers)

    def _shortcut(self, keyboard: Keyboard, evdev_code: int) -> bool:
        """Ctrl+Alt+Fn (where there are VTs) or a binding of orrery.toml: done here, not sent to the client."""
        vt = bindings.vt_switch(keyboard.keysym_name(evdev_code))
        if vt is not None:
            return self.compositor.backend.switch_vt(vt)
        if self.lock_focus is not None:
            return False  # locked: no binding runs, the keys go to the lock screen
        action = bindings.match(self.compositor.config.bindings, keyboard.held_modifiers(),
                                keyboard.base_keysym(evdev_code))
        if action is None:
            return False
        if action.name == "grab":  # where there is nothing to grab (not nested in Wayland) the keys are the client's
            return self.compositor.backend.toggle_grab()
        self.compositor.perform(action)
        return True

    def set_modifiers(self, keyboard: Keyboard, mods: ModifierState) -> None:
        """A virtual keyboard set its modifier state."""
        self.use_keyboard(keyboard)
        held = keyboard.super_held
        if keyboard.set_modifiers(mods) is not None:
            self._send_focus_modifiers()
        if keyboard.super_held != held:
            self._super_tap("super-on" if keyboard.super_held else "super-off", True, bool(keyboard.pressed))

    def _super_tap(self, kind: str, is_super: bool, others_held: bool) -> None:
        self.super_armed, tapped = actions.super_tap(self.super_armed, kind, is_super, others_held)
        if tapped and self.lock_focus is None:
            self.compositor.perform(bindings.Action("launcher"))

    def use_keyboard(self, keyboard: Keyboard) -> None:
        """Make ``keyboard`` the one clients interpret keys with: resend the keymap and modifiers if it changed."""
        if keyboard is self.active_keyboard:
            return
        self.active_keyboard = keyboard
        for res in self.keyboards:  # every client, so that a later enter needs no keymap of its own
            res.post("keymap", KEYMAP_FORMAT_XKB_V1, keyboard.keymap_fd, keyboard.keymap_size)
        self._send_focus_modifiers()

    def replace_keyboard(self, keyboard: Keyboard) -> None:
        """The real keyboard has a new keymap (orrery.toml was reloaded, maybe by a binding whose keys are still
        down): the keys held now stay held, so that their releases reach whoever saw them pressed."""
        old = self.keyboard
        for code in sorted(old.pressed):
            keyboard.update(code, True)
        self.keyboard = keyboard
        if self.active_keyboard is old:
            self.use_keyboard(keyboard)  # every client gets the new keymap
        old.close()

    def keyboard_gone(self, keyboard: Keyboard) -> None:
        """A virtual keyboard went away: release what it held and go back to the real keyboard."""
        for code in sorted(keyboard.pressed):
            self.key(code, False, keyboard=keyboard)
        if self.active_keyboard is keyboard:
            self.use_keyboard(self.keyboard)

    def _send_focus_modifiers(self) -> None:
        focus = self.keyboard_focus
        if focus is None or not focus.alive:
            return
        modifiers = self.active_keyboard.modifiers()
        for res in self.of_client(self.keyboards, focus.resource.client):
            self._send_modifiers(res, modifiers)

    def set_keyboard_focus(self, surface: Surface | None) -> None:
        if self.lock_focus is not None:
            surface = self.lock_focus(surface)
        if surface is self.keyboard_focus:
            return
        old = self.keyboard_focus
        self.keyboard_focus = surface
        if old is not None and old.alive:
            serial = self.compositor.display.next_serial()
            for res in self.of_client(self.keyboards, old.resource.client):
                res.post("leave", serial, old.resource)
        for listener in self.compositor.focus_listeners:  # the selection goes out before the enter
            listener(surface)
        if surface is not None:
            self._send_keyboard_enter(self.of_client(self.keyboards, surface.resource.client), surface)

    def _send_keyboard_enter(self, resources: list[Resource], surface: Surface) -> None:
        keys = b"".join(code.to_bytes(4, "little") for code in sorted(self.active_keyboard.pressed))
        modifiers = self.active_keyboard.modifiers()
        serial = self.compositor.display.next_serial()
        for res in resources:
            res.post("enter", serial, surface.resource, keys)
            self._send_modifiers(res, modifiers)

    def _send_modifiers(self, res: Resource, mods: ModifierState) -> None:
        res.post("modifiers", self.compositor.display.next_serial(), mods.depressed, mods.latched,
                 mods.locked, mods.group)

    # -- touch ---------------------------------------------------------------------------------------
    def touch_down(self, touch_id: int, x: float, y: float, time_ms: int | None = None) -> None:
        self._active()
        hit = self.compositor.scene.surface_at(x, y)
        if hit is None:
            return
        surface, sx, sy = hit
        self.touch_points[touch_id] = surface
        for listener in self.press_listeners:
            listener(surface)
        self.compositor.wm.perform(actions.touch_press(self.compositor.wm.window_of(surface)), self)
        serial = self.compositor.display.next_serial()
        for res in self.of_client(self.touches, surface.resource.client):
            res.post("down", serial, time_ms if time_ms is not None else now_ms(), surface.resource,
                     touch_id, sx, sy)

    def touch_motion(self, touch_id: int, x: float, y: float, time_ms: int | None = None) -> None:
        self._active()
        surface = self.touch_points.get(touch_id)
        origin = surface.origin() if surface is not None else None
        if surface is None or origin is None:
            return
        for res in self.of_client(self.touches, surface.resource.client):
            res.post("motion", time_ms if time_ms is not None else now_ms(), touch_id,
                     x - origin[0], y - origin[1])

    def touch_up(self, touch_id: int, time_ms: int | None = None) -> None:
        surface = self.touch_points.pop(touch_id, None)
        if surface is None:
            return
        serial = self.compositor.display.next_serial()
        for res in self.of_client(self.touches, surface.resource.client):
            res.post("up", serial, time_ms if time_ms is not None else now_ms(), touch_id)

    def touch_frame(self) -> None:
        clients = {surface.resource.client for surface in self.touch_points.values()}
        for res in self.touches:
            if res.client in clients or not self.touch_points:
                res.post("frame")
