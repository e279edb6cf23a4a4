"""X11 backend: each output is a pyglet window on an existing X desktop (development, `make run`).

The compositor's asyncio loop drives pyglet: the X connection's fd is watched with ``add_reader`` and its
events are handed to pyglet's per-window dispatch; nothing here runs ``pyglet.app``. Input events are read
raw from Xlib (pyglet's key events carry no keycodes): evdev code = X keycode - 8. Each output's
framebuffer lives in a GL texture that ``present`` updates only where damaged; the pointer image is drawn
over it in the window, never into the framebuffer, so screenshots do not contain it.
"""

from __future__ import annotations

import ctypes
import logging
import os
import time
from typing import TYPE_CHECKING, Any

import cairo
import pyglet

pyglet.options["shadow_window"] = False  # no hidden extra X window; each output window has its own context
pyglet.options["debug_gl"] = False  # a glGetError round trip after every call is too slow for us

from pyglet import gl  # noqa: E402  (after the options above)
from pyglet.graphics.shader import Shader, ShaderProgram  # noqa: E402
from pyglet.libs.x11 import xlib  # noqa: E402

from themes.xcursor import ShapeCursors, default_cursor  # noqa: E402

from ..cursor import pointer_image  # noqa: E402
from ..seat import BTN_LEFT, BTN_MIDDLE, BTN_RIGHT  # noqa: E402
from .base import OutputSpec  # noqa: E402

if TYPE_CHECKING:
    import asyncio

    from ..config import Config
    from ..geometry import Box
    from ..scene import Mode, Output
    from ..server import Compositor

log = logging.getLogger(__name__)

BTN_SIDE, BTN_EXTRA = 0x113, 0x114
X_BUTTONS = {1: BTN_LEFT, 2: BTN_MIDDLE, 3: BTN_RIGHT, 8: BTN_SIDE, 9: BTN_EXTRA}
# X core scroll "buttons": (horizontal, direction)
X_SCROLL = {4: (False, -1), 5: (False, 1), 6: (True, -1), 7: (True, 1)}
SCROLL_STEP = 10.0  # surface pixels per wheel notch, as other compositors send
EVDEV_OFFSET = 8  # X keycodes are evdev codes + 8 (xkb's evdev rules)

VERTEX_SHADER = """#version 330 core
in vec2 position;
uniform vec4 rect;      // x, y, width, height in window pixels, origin at the top left
uniform vec2 viewport;  // window size in pixels
out vec2 uv;
void main() {
    vec2 pixel = rect.xy + position * rect.zw;
    gl_Position = vec4(pixel.x / viewport.x * 2.0 - 1.0, 1.0 - pixel.y / viewport.y * 2.0, 0.0, 1.0);
    uv = position;
}
"""

FRAGMENT_SHADER = """#version 330 core
in vec2 uv;
uniform sampler2D image;
uniform float opaque;   // 1.0: ignore the texture's alpha (RGB24 has an undefined padding byte)
out vec4 colour;
void main() {
    vec4 texel = texture(image, uv);
    colour = vec4(texel.rgb, max(texel.a, opaque));
}
"""


def _buffer_address(image: cairo.ImageSurface) -> tuple[int, Any]:
    """The address of a Cairo image's pixels, and the object that keeps that memory exported."""
    data = image.get_data()
    anchor = ctypes.c_char.from_buffer(data)
    return ctypes.addressof(anchor), (data, anchor)


class Texture:
    """One GL texture holding BGRA pixels (Cairo's native-endian ARGB32/RGB24 layout on little-endian)."""

    def __init__(self) -> None:
        name = gl.GLuint()
        gl.glGenTextures(1, ctypes.byref(name))
        self.name = name.value
        self.width = self.height = 0
        gl.glBindTexture(gl.GL_TEXTURE_2D, self.name)
        for parameter, value in ((gl.GL_TEXTURE_MIN_FILTER, gl.GL_NEAREST), (gl.GL_TEXTURE_MAG_FILTER, gl.GL_NEAREST),
                                 (gl.GL_TEXTURE_WRAP_S, gl.GL_CLAMP_TO_EDGE),
                                 (gl.GL_TEXTURE_WRAP_T, gl.GL_CLAMP_TO_EDGE)):
            gl.glTexParameteri(gl.GL_TEXTURE_2D, parameter, value)

    def upload(self, image: cairo.ImageSurface, rects: list[tuple[int, int, int, int]] | None = None) -> None:
        """Copy ``rects`` (x, y, w, h; everything when None or when the size changed) of ``image``."""
        width, height, stride = image.get_width(), image.get_height(), image.get_stride()
        gl.glBindTexture(gl.GL_TEXTURE_2D, self.name)
        if (width, height) != (self.width, self.height):
            gl.glTexImage2D(gl.GL_TEXTURE_2D, 0, gl.GL_RGBA8, width, height, 0, gl.GL_BGRA,
                            gl.GL_UNSIGNED_BYTE, None)
            self.width, self.height = width, height
            rects = None
        if rects is None:
            rects = [(0, 0, width, height)]
        image.flush()
        address, anchor = _buffer_address(image)
        gl.glPixelStorei(gl.GL_UNPACK_ALIGNMENT, 4)
        gl.glPixelStorei(gl.GL_UNPACK_ROW_LENGTH, stride // 4)
        for x, y, w, h in rects:
            x0, y0 = max(0, x), max(0, y)
            x1, y1 = min(width, x + w), min(height, y + h)
            if x1 <= x0 or y1 <= y0:
                continue
            pixels = ctypes.c_void_p(address + y0 * stride + x0 * 4)
            gl.glTexSubImage2D(gl.GL_TEXTURE_2D, 0, x0, y0, x1 - x0, y1 - y0, gl.GL_BGRA, gl.GL_UNSIGNED_BYTE,
                               pixels)
        gl.glPixelStorei(gl.GL_UNPACK_ROW_LENGTH, 0)
        del anchor

    def delete(self) -> None:
        name = gl.GLuint(self.name)
        gl.glDeleteTextures(1, ctypes.byref(name))


class NestedWindow(pyglet.window.Window):
    """A pyglet window whose raw X input events go to ``x_event`` before pyglet sees them."""

    _enable_event_queue = False  # dispatch window events at once: there is no pyglet event loop to drain a queue

    def __init__(self, view: OutputView, **kwargs: Any) -> None:
        self.output_view = view
        super().__init__(**kwargs)

    def dispatch_platform_event(self, event: Any) -> None:
        if not self.output_view.x_event(event):
            super().dispatch_platform_event(event)

    def dispatch_platform_event_view(self, event: Any) -> None:
        if not self.output_view.x_event(event):
            super().dispatch_platform_event_view(event)


class OutputView:
    """One output's window: its textures, its input, its redraw."""

    def __init__(self, backend: X11Backend, output: Output, caption: str) -> None:
        self.backend = backend
        self.output = output
        self.keys_down: set[int] = set()
        self.cursor_shown = False
        self.cursor_key: tuple[int, bytes] | None = None
        self.destroyed = False
        self.window = NestedWindow(self, width=output.width, height=output.height, caption=caption,
                                   resizable=True, vsync=False)
        self.window.set_mouse_visible(False)
        self.window.push_handlers(on_resize=self.on_resize, on_close=self.on_close, on_expose=self.on_expose)
        self.program = ShaderProgram(Shader(VERTEX_SHADER, "vertex"), Shader(FRAGMENT_SHADER, "fragment"))
        self.quad = self.program.vertex_list(4, gl.GL_TRIANGLE_STRIP, position=("f", (0, 0, 1, 0, 0, 1, 1, 1)))
        self.screen = Texture()
        self.pointer = Texture()

    @property
    def compositor(self) -> Compositor:
        return self.backend.compositor

    # -- X input ---------------------------------------------------------------------------------------
    def x_event(self, event: Any) -> bool:
        """Handle input events ourselves; returns False for events pyglet should process."""
        kind = event.type
        seat = self.compositor.seat
        if kind in (xlib.KeyPress, xlib.KeyRelease):
            code = event.xkey.keycode - EVDEV_OFFSET
            pressed = kind == xlib.KeyPress
            if pressed:
                self.keys_down.add(code)
            else:
                self.keys_down.discard(code)
            seat.key(code, pressed)
            return True
        if kind == xlib.MotionNotify:
            self.move_pointer(event.xmotion.x, event.xmotion.y)
            return True
        if kind == xlib.EnterNotify:
            self.move_pointer(event.xcrossing.x, event.xcrossing.y)
            return True
        if kind in (xlib.ButtonPress, xlib.ButtonRelease):
            self.button(event.xbutton.button, event.xbutton.x, event.xbutton.y, kind == xlib.ButtonPress)
            return True
        if kind == xlib.DestroyNotify and event.xdestroywindow.window == self.window._window:
            self.destroyed = True  # someone destroyed our window (xdotool windowclose, xkill)
            self.compositor.quit()
            return True
        if kind == xlib.FocusOut:
            for code in sorted(self.keys_down):  # the host took the keyboard: nothing stays stuck down
                seat.key(code, False)
            self.keys_down.clear()
        return False

    def move_pointer(self, x: int, y: int) -> None:
        seat = self.compositor.seat
        scale = self.output.scale  # X gives physical pixels of the window; the layout is logical
        global_x, global_y = self.output.x + x / scale, self.output.y + y / scale
        if (global_x, global_y) != (seat.x, seat.y):
            seat.pointer_motion(global_x, global_y)

    def button(self, number: int, x: int, y: int, pressed: bool) -> None:
        self.move_pointer(x, y)
        seat = self.compositor.seat
        if number in X_SCROLL:
            if pressed:
                horizontal, direction = X_SCROLL[number]
                seat.pointer_axis(horizontal, direction * SCROLL_STEP, direction * 120)
            return
        code = X_BUTTONS.get(number)
        if code is not None:
            seat.pointer_button(code, pressed)

    # -- window events -----------------------------------------------------------------------------------
    def on_resize(self, width: int, height: int) -> bool:
        fb_width, fb_height = self.window.get_framebuffer_size()
        if fb_width > 0 and fb_height > 0:
            self.compositor.set_output_mode(self.output, fb_width, fb_height)
        self.backend.schedule_redraw(self)
        return True

    def on_close(self) -> bool:
        self.compositor.quit()
        return True  # the compositor closes its windows when it stops

    def on_expose(self) -> bool:
        self.backend.schedule_redraw(self)
        return True

    # -- drawing -------------------------------------------------------------------------------------------
    def present(self, damage: list[Box]) -> None:
        framebuffer = self.output.framebuffer
        if framebuffer is None or self.destroyed:
            return
        self.window.switch_to()
        self.screen.upload(framebuffer, [(r.x, r.y, r.width, r.height) for r in damage])
        self.redraw()

    def cursor_rect(self) -> tuple[float, float, int, int, cairo.ImageSurface] | None:
        shape = pointer_image(self.compositor.seat, self.backend.shapes)
        if shape is None:
            return None
        (hx, hy), (width, height) = shape.hotspot, shape.size
        if shape.logical:  # a client's cursor surface is in logical pixels, like the layout
            hx, hy, width, height = (round(v * self.output.scale) for v in (hx, hy, width, height))
        seat = self.compositor.seat
        x = (seat.x - self.output.x) * self.output.scale - hx
        y = (seat.y - self.output.y) * self.output.scale - hy
        if x + width <= 0 or y + height <= 0 or x >= self.output.width or y >= self.output.height:
            return None
        return x, y, width, height, shape.image

    def redraw(self) -> None:
        if self.destroyed:
            return
        window = self.window
        window.switch_to()
        fb_width, fb_height = window.get_framebuffer_size()
        gl.glViewport(0, 0, max(1, fb_width), max(1, fb_height))
        gl.glClearColor(0.0, 0.0, 0.0, 1.0)
        gl.glClear(gl.GL_COLOR_BUFFER_BIT)
        program = self.program
        program.use()
        program["viewport"] = (float(max(1, fb_width)), float(max(1, fb_height)))
        gl.glActiveTexture(gl.GL_TEXTURE0)
        if self.screen.width:
            gl.glDisable(gl.GL_BLEND)
            gl.glBindTexture(gl.GL_TEXTURE_2D, self.screen.name)
            program["opaque"] = 1.0
            program["rect"] = (0.0, 0.0, float(self.screen.width), float(self.screen.height))
            self.quad.draw(gl.GL_TRIANGLE_STRIP)
        placed = self.cursor_rect()
        self.cursor_shown = placed is not None
        if placed is not None:
            x, y, width, height, image = placed
            key = (id(image), bytes(image.get_data()))
            if key != self.cursor_key:
                self.pointer.upload(image)
                self.cursor_key = key
            gl.glEnable(gl.GL_BLEND)
            gl.glBlendFunc(gl.GL_ONE, gl.GL_ONE_MINUS_SRC_ALPHA)  # Cairo pixels are premultiplied
            gl.glBindTexture(gl.GL_TEXTURE_2D, self.pointer.name)
            program["opaque"] = 0.0 if image.get_format() == cairo.FORMAT_ARGB32 else 1.0
            program["rect"] = (float(x), float(y), float(width), float(height))
            self.quad.draw(gl.GL_TRIANGLE_STRIP)
            gl.glDisable(gl.GL_BLEND)
        program.stop()
        window.flip()

    def close(self) -> None:
        if self.destroyed:
            return  # its GL context and X window are gone with it
        self.window.switch_to()
        self.screen.delete()
        self.pointer.delete()
        self.quad.delete()
        self.program.delete()
        self.window.close()


class X11Backend:
    name = "x11"

    def __init__(self, outputs: list[OutputSpec]) -> None:
        self.specs = outputs or [OutputSpec(1280, 800, 60.0)]
        self.views: list[OutputView] = []
        self.default_cursor = default_cursor()
        self.shapes = ShapeCursors(self.default_cursor)  # named shapes (wp_cursor_shape_v1)
        self._compositor: Compositor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._display: Any = None
        self._pending: set[OutputView] = set()
        self._redraw_handle: asyncio.Handle | None = None
        self._last_redraw = 0.0

    @property
    def compositor(self) -> Compositor:
        assert self._compositor is not None, "the backend has not started"
        return self._compositor

    def start(self, compositor: Compositor) -> None:
        self._compositor = compositor
        self._loop = compositor.loop
        x = 0
        for index, spec in enumerate(self.specs, start=1):
            name = f"X11-{index}"
            output = compositor.add_output(name, x, 0, spec.width, spec.height, int(spec.refresh_hz * 1000))
            caption = "Orrery" if len(self.specs) == 1 else f"Orrery {name}"
            try:
                self.views.append(OutputView(self, output, caption))
            except Exception as error:  # pyglet's display, config and context errors share no base class
                raise RuntimeError(f"cannot open a window on X display {os.environ.get('DISPLAY')!r}: "
                                   f"{error}") from error
            x += spec.width
        self._display = self.views[0].window.display
        self._loop.add_reader(self._display.fileno(), self.dispatch)
        self.dispatch()

    def dispatch(self) -> None:
        """Handle every X event Xlib has read or can read without blocking (and flush our requests)."""
        if self._display is not None:
            self._display.select()

    def view_of(self, output: Output) -> OutputView | None:
        return next((view for view in self.views if view.output is output), None)

    def prepare(self, output: Output) -> None:
        pass  # one framebuffer per output, uploaded where damaged

    def present(self, output: Output, damage: list[Box]) -> bool:
        view = self.view_of(output)
        if view is None:
            return False
        self._pending.discard(view)
        view.present(damage)
        self.dispatch()  # GL may have read events into Xlib's queue, where the fd watch cannot see them
        return False

    def set_mode(self, output: Output, mode: Mode) -> None:
        """The output is the window: a mode is a window size (the window manager may still refuse it)."""
        view = self.view_of(output)
        if view is not None:
            view.window.set_size(round(mode.width / output.scale), round(mode.height / output.scale))
            self.dispatch()

    def set_power(self, output: Output, on: bool) -> None:
        pass  # the window shows the black the renderer draws while the output is off
    def plug(self, spec: OutputSpec) -> Output:
        raise ValueError("only the headless backend has virtual monitors (nested outputs are windows)")

    def unplug(self, output: Output) -> None:
        raise ValueError("only the headless backend has virtual monitors (nested outputs are windows)")
    def toggle_grab(self) -> bool:
        return False  # not done for X11 (yet)

    def switch_vt(self, vt: int) -> bool:
        return False  # the X server's own keys switch VTs; inside the window Ctrl+Alt+Fn reaches clients

    def config_changed(self, config: Config) -> None:
        pass  # the X server's devices are not ours to configure

    def cursor_changed(self) -> None:
        for view in self.views:
            if view.cursor_shown or view.cursor_rect() is not None:
                self.schedule_redraw(view)

    def schedule_redraw(self, view: OutputView) -> None:
        """Redraw soon, at most once per refresh period, however many pointer events arrive."""
        self._pending.add(view)
        if self._redraw_handle is not None or self._loop is None:
            return
        period = 1000.0 / max(1, view.output.refresh_mhz)
        delay = max(0.0, self._last_redraw + period - time.monotonic())
        self._redraw_handle = self._loop.call_later(delay, self._redraw_pending)

    def _redraw_pending(self) -> None:
        self._redraw_handle = None
        self._last_redraw = time.monotonic()
        views, self._pending = self._pending, set()
        for view in views:
            if view in self.views:
                view.redraw()
        self.dispatch()

    def stop(self) -> None:
        if self._redraw_handle is not None:
            self._redraw_handle.cancel()
            self._redraw_handle = None
        if self._loop is not None and self._display is not None:
            self._loop.remove_reader(self._display.fileno())
        for view in self.views:
            view.close()
        self.views = []
        self.dispatch()
        self._display = None
