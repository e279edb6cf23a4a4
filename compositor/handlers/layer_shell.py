"""zwlr_layer_shell_v1 (version 4): panels, wallpapers, launchers and notifications.

A :class:`LayerShellSurface` is both the wl_surface's role and, while mapped, a node of the scene's
"background", "bottom", "top" or "overlay" layer. Placement is :mod:`compositor.layer_layout`'s; the
exclusive zones it reserves shrink ``Compositor.usable_area``, and maximized windows follow.

Keyboard: the topmost mapped surface of the top or overlay layer asking for ``exclusive`` interactivity
holds the keyboard while it is mapped (the window manager asks :meth:`LayerShell.keyboard_owner`);
``on_demand`` surfaces take it when they appear above the windows (top, overlay) and when clicked (as do
``exclusive`` ones below the windows), and lose it to the next window focused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from protocols.wlr_layer_shell_unstable_v1 import ZwlrLayerShellV1, ZwlrLayerSurfaceV1

from .. import layer_layout
from ..geometry import Box
from ..layer_layout import LayerState
from ..scene import Output
from ..surface import Surface
from ..wl.resource import ProtocolError, Resource
from .xdg_popup import Popup, popup_rects

if TYPE_CHECKING:
    from ..server import Compositor

VERSION = 4
LAYERS = ("background", "bottom", "top", "overlay")  # zwlr_layer_shell_v1.layer values
NONE, EXCLUSIVE, ON_DEMAND = 0, 1, 2
SurfaceError = ZwlrLayerSurfaceV1.error


class LayerShellSurface:
    """One zwlr_layer_surface_v1: the role of its wl_surface and its node in the scene."""

    name = "zwlr_layer_surface_v1"
    window = None

    def __init__(self, shell: LayerShell, resource: Resource, surface: Surface, output: Output | None,
                 layer: str, namespace: str) -> None:
        self.shell = shell
        self.resource = resource
        self.surface = surface
        self.output = output
        self.namespace = namespace
        self.pending = self.state = LayerState(layer=layer)
        self.pending_keyboard = self.keyboard = NONE
        self.popups: list[Popup] = []  # the open xdg_popups parented here (see get_popup)
        self.rect: Box | None = None  # where it is on the layout, once placed
        self.moved_to: tuple[int, int] | None = None  # put here by `surface move` (IPC) until unmapped
        self.mapped = False
        self.closed = False
        self.initial_commit_done = False
        self.configure_sent = False
        self.configured_size: tuple[int, int] | None = None
        self.sent_serials: list[int] = []
        surface.attach_checks.append(self._check_attach)

    # -- scene node, and parent of xdg_popups --------------------------------------------------------------
    @property
    def visible(self) -> bool:
        return self.mapped

    def geometry(self) -> Box:
        return Box(0, 0, self.surface.width, self.surface.height)

    def popup_holder(self) -> list[Popup]:
        return self.popups

    # -- Role ----------------------------------------------------------------------------------------
    def origin(self) -> tuple[int, int] | None:
        return (self.rect.x, self.rect.y) if self.mapped and self.rect is not None else None

    def parent_surface(self) -> Surface | None:
        return None

    def synchronized(self) -> bool:
        return False

    def committed(self) -> None:
        if self.closed:
            return
        self._apply_pending()
        if not self.initial_commit_done:
            if self.surface.content is not None:
                raise ProtocolError(SurfaceError.invalid_surface_state, "buffer committed before configure",
                                    self.resource)
            self.initial_commit_done = True
            self.shell.arrange(self.output)  # sends the first configure
            return
        if self.surface.content is None:
            if self.mapped:
                self.unmap()  # back to the state right after get_layer_surface
            else:
                self.shell.arrange(self.output)  # new size, anchors or margins: configured again if need be
            return
        newly_mapped = not self.mapped
        if newly_mapped:
            self.mapped = True
            self.shell.compositor.scene.layers[self.state.layer].append(self)
        self.shell.arrange(self.output)
        self.shell.compositor.scene.damage_node(self)
        if newly_mapped:
            self.shell.focus_on_map(self)
        self.shell.keyboard_changed()

    def surface_destroyed(self) -> None:
        self.unmap()

    def _apply_pending(self) -> None:
        old, new = self.state, self.pending
        anchor = new.anchor
        if new.width == 0 and not (anchor & layer_layout.LEFT and anchor & layer_layout.RIGHT):
            raise ProtocolError(SurfaceError.invalid_size, "width 0 needs both left and right anchors",
                                self.resource)
        if new.height == 0 and not (anchor & layer_layout.TOP and anchor & layer_layout.BOTTOM):
            raise ProtocolError(SurfaceError.invalid_size, "height 0 needs both top and bottom anchors",
                                self.resource)
        self.state, self.keyboard = new, self.pending_keyboard
        if self.mapped and old.layer != new.layer:
            scene = self.shell.compositor.scene
            scene.layers[old.layer].remove(self)
            scene.layers[new.layer].append(self)
            scene.damage_node(self)
            scene.layout_changed()

    def _check_attach(self) -> None:
        if not self.configure_sent and not self.initial_commit_done and not self.closed:
            # Like xdg surfaces (and Mir): a first buffer attached without the initial commit is taken as if
            # that commit had come first, so the configure goes out now with the state set so far.
            self._apply_pending()
            self.initial_commit_done = True
            self.shell.arrange(self.output)
        if not self.configure_sent:
            raise ProtocolError(SurfaceError.invalid_surface_state, "buffer attached before the first configure",
                                self.resource)

    def send_configure(self, size: tuple[int, int]) -> None:
        serial = self.shell.compositor.display.next_serial()
        self.sent_serials.append(serial)
        self.configure_sent = True
        self.configured_size = size
        self.resource.post("configure", serial, *size)

    def unmap(self) -> None:
        for popup in list(self.popups):
            popup.dismiss()
        was_mapped, self.mapped = self.mapped, False
        self.initial_commit_done = self.configure_sent = False
        self.moved_to = None
        self.configured_size = None
        self.sent_serials.clear()
        if was_mapped:
            scene = self.shell.compositor.scene
            if self in scene.layers[self.state.layer]:
                scene.layers[self.state.layer].remove(self)
            if self.rect is not None:
                scene.damage(self.rect)
            scene.layout_changed()
            self.shell.arrange(self.output)
            self.shell.keyboard_changed()

    def close(self) -> None:
        """Its output went away: it will not be shown again."""
        if not self.closed:
            self.unmap()
            self.closed = True
            self.resource.post("closed")

    # -- requests ------------------------------------------------------------------------------------
    def set_size(self, res: Resource, width: int, height: int) -> None:
        if width > 1 << 20 or height > 1 << 20:
            raise ProtocolError(SurfaceError.invalid_size, f"size {width}x{height} is too large")
        self.pending = replace(self.pending, width=width, height=height)

    def set_anchor(self, res: Resource, anchor: int) -> None:
        if anchor > 15:
            raise ProtocolError(SurfaceError.invalid_anchor, f"invalid anchor {anchor}")
        self.pending = replace(self.pending, anchor=anchor)

    def set_exclusive_zone(self, res: Resource, zone: int) -> None:
        self.pending = replace(self.pending, exclusive_zone=max(-1, zone))

    def set_margin(self, res: Resource, top: int, right: int, bottom: int, left: int) -> None:
        self.pending = replace(self.pending, margin=(top, right, bottom, left))

    def set_keyboard_interactivity(self, res: Resource, interactivity: int) -> None:
        if interactivity > (ON_DEMAND if res.version >= 4 else EXCLUSIVE):
            raise ProtocolError(SurfaceError.invalid_keyboard_interactivity,
                                f"invalid keyboard interactivity {interactivity}")
        self.pending_keyboard = interactivity

    def set_layer(self, res: Resource, layer: int) -> None:
        if layer >= len(LAYERS):
            raise ProtocolError(ZwlrLayerShellV1.error.invalid_layer, f"invalid layer {layer}")
        self.pending = replace(self.pending, layer=LAYERS[layer])

    def get_popup(self, res: Resource, popup: Resource) -> None:
        kind = popup.impl
        if not isinstance(kind, Popup):
            raise ProtocolError(SurfaceError.invalid_surface_state, "not an xdg_popup")
        kind.parent = self

    def ack_configure(self, res: Resource, serial: int) -> None:
        if serial not in self.sent_serials:
            raise ProtocolError(SurfaceError.invalid_surface_state, f"serial {serial} was never sent")
        del self.sent_serials[: self.sent_serials.index(serial) + 1]

    def destroy(self, res: Resource) -> None:
        res.destroy()

    def destroyed(self) -> None:
        self.unmap()
        self.shell.surfaces.remove(self)
        if self._check_attach in self.surface.attach_checks:
            self.surface.attach_checks.remove(self._check_attach)
        if self.surface.role is self:
            self.surface.clear_role_object()


class LayerShell:
    """The layer-shell part of the compositor state: every layer surface, their placement, the keyboard."""

    def __init__(self, compositor: Compositor) -> None:
        self.compositor = compositor
        self.surfaces: list[LayerShellSurface] = []
        self.usable: dict[str, Box] = {}  # by output name, as last arranged
        self.keyboard_surface: Surface | None = None  # a layer surface we gave the keyboard to
        compositor.seat.press_listeners.append(self.pointer_pressed)
        compositor.output_listeners.append(self.outputs_changed)
        compositor.wm.keyboard_owner = self.keyboard_owner

    # -- requests of zwlr_layer_shell_v1 ------------------------------------------------------------------
    def get_layer_surface(self, res: Resource, new: Resource, surface_res: Resource, output_res: Resource | None,
                          layer: int, namespace: str) -> None:
        surface: Surface = surface_res.impl.surface
        if layer >= len(LAYERS):
            raise ProtocolError(ZwlrLayerShellV1.error.invalid_layer, f"invalid layer {layer}")
        if surface.role is not None or surface.role_name not in (None, LayerShellSurface.name):
            raise ProtocolError(ZwlrLayerShellV1.error.role, "surface already has another role")
        if surface.content is not None or surface.pending.buffer is not None:
            raise ProtocolError(ZwlrLayerShellV1.error.already_constructed, "surface already has a buffer")
        scene = self.compositor.scene
        output = output_res.impl.output if output_res is not None and output_res.impl is not None else None
        output = output or scene.output_at(self.compositor.seat.x, self.compositor.seat.y) or (
            scene.outputs[0] if scene.outputs else None)
        layer_surface = LayerShellSurface(self, new, surface, output, LAYERS[layer], namespace)
        surface.set_role(LayerShellSurface.name, layer_surface, res, ZwlrLayerShellV1.error.role)
        new.impl = layer_surface
        new.destroy_listeners.append(lambda _res: layer_surface.destroyed())
        self.surfaces.append(layer_surface)
        if output is None:
            layer_surface.close()

    def destroy(self, res: Resource) -> None:
        res.destroy()

    # -- placement -----------------------------------------------------------------------------------
    def _arrangement(self, output: Output) -> tuple[list[LayerShellSurface], list[layer_layout.Placement], Box]:
        placed = [s for s in self.surfaces if s.output is output and s.initial_commit_done and not s.closed]
        sizes = [(s.state, (s.surface.width, s.surface.height) if s.mapped else None) for s in placed]
        placements, usable = layer_layout.arrange(output.rect, sizes)
        return placed, placements, usable

    def usable_area(self, output: Output) -> Box:
        return self._arrangement(output)[2]

    def arrange(self, output: Output | None) -> None:
        """Place every layer surface of the output again; configure those whose size changed."""
        if output is None or output not in self.compositor.scene.outputs:
            return
        scene = self.compositor.scene
        placed, placements, usable = self._arrangement(output)
        moved = False
        for layer_surface, placement in zip(placed, placements, strict=True):
            size = layer_layout.configure_size(layer_surface.state, placement.bounds)
            if size != layer_surface.configured_size:
                layer_surface.send_configure(size)
            rect = placement.rect
            if layer_surface.moved_to is not None:
                rect = Box(*layer_surface.moved_to, rect.width, rect.height)
            if layer_surface.rect != rect:
                if layer_surface.mapped:
                    scene.damage_node(layer_surface)
                layer_surface.rect = rect
                if layer_surface.mapped:
                    scene.damage_node(layer_surface)
                    moved = True
        if moved:
            scene.layout_changed()
        if self.usable.get(output.name) != usable:
            self.usable[output.name] = usable
            self.compositor.wm.outputs_changed()  # maximized windows fit the new usable area

    def move(self, layer_surface: LayerShellSurface, x: int, y: int) -> None:
        """Put a layer surface's top-left corner at x, y whatever its anchors say, until it is unmapped
        (`orrery msg surface move`: for scripts and the conformance suite, as Mir's test hooks allow)."""
        layer_surface.moved_to = (x, y)
        self.arrange(layer_surface.output)

    def outputs_changed(self) -> None:
        """An output was added, resized or removed: close what lost its output, place the rest again."""
        outputs = self.compositor.scene.outputs
        for layer_surface in list(self.surfaces):
            if layer_surface.output is not None and layer_surface.output not in outputs:
                layer_surface.close()
        for output in outputs:
            self.arrange(output)

    # -- keyboard ------------------------------------------------------------------------------------
    def keyboard_owner(self) -> Surface | None:
        """The surface that holds the keyboard whatever window is focused (exclusive interactivity)."""
        for layer in ("overlay", "top"):
            for node in reversed(self.compositor.scene.layers[layer]):
                if isinstance(node, LayerShellSurface) and node.mapped and node.keyboard == EXCLUSIVE:
                    return node.surface
        return None

    def keyboard_changed(self) -> None:
        """A layer surface was mapped, unmapped or changed interactivity: move the keyboard if needed."""
        seat, wm = self.compositor.seat, self.compositor.wm
        owner = self.keyboard_owner()
        if owner is not None:
            self.keyboard_surface = owner
            seat.set_keyboard_focus(owner)
            return
        held = self.keyboard_surface
        if held is not None and seat.keyboard_focus is held:
            role = held.role
            if not (isinstance(role, LayerShellSurface) and role.mapped and role.keyboard != NONE):
                self.keyboard_surface = None
                seat.set_keyboard_focus(wm.focused.surface if wm.focused is not None else None)
        elif held is not None and seat.keyboard_focus is not held:
            self.keyboard_surface = None

    def focus_on_map(self, layer_surface: LayerShellSurface) -> None:
        """An ``on_demand`` surface above the windows (a launcher, a menu) has the keyboard when it appears,
        as in sway and Mir; the next window focused or a click elsewhere takes it back."""
        if (layer_surface.keyboard == ON_DEMAND and layer_surface.state.layer in LAYERS[2:]
                and self.keyboard_owner() is None):
            self.keyboard_surface = layer_surface.surface
            self.compositor.seat.set_keyboard_focus(layer_surface.surface)

    def pointer_pressed(self, target: Surface | None) -> None:
        """Click to focus an on-demand layer surface; a click elsewhere gives the keyboard back."""
        if self.keyboard_owner() is not None:
            return
        role = _layer_of(target)
        seat, wm = self.compositor.seat, self.compositor.wm
        if role is not None and role.mapped and (
                role.keyboard == ON_DEMAND or (role.keyboard == EXCLUSIVE and role.state.layer in LAYERS[:2])):
            self.keyboard_surface = role.surface
            seat.set_keyboard_focus(role.surface)
        elif self.keyboard_surface is not None and seat.keyboard_focus is self.keyboard_surface:
            self.keyboard_surface = None
            if wm.window_of(target) is None:  # a click on a window focuses it anyway
                seat.set_keyboard_focus(wm.focused.surface if wm.focused is not None else None)

    # -- for IPC -------------------------------------------------------------------------------------
    def describe(self) -> list[dict[str, Any]]:
        result = []
        for layer in LAYERS:
            for node in self.compositor.scene.layers[layer]:
                if isinstance(node, LayerShellSurface) and node.mapped and node.rect is not None:
                    result.append({"namespace": node.namespace, "layer": layer,
                                   "output": node.output.name if node.output is not None else None,
                                   "x": node.rect.x, "y": node.rect.y, "width": node.rect.width,
                                   "height": node.rect.height, "keyboard_interactivity": node.keyboard,
                                   "exclusive_zone": node.state.exclusive_zone,
                                   "pid": node.surface.resource.client.pid, "popups": popup_rects(node.popups)})
        return result


def _layer_of(surface: Surface | None) -> LayerShellSurface | None:
    """The layer surface a surface belongs to (itself, or through subsurfaces and popups)."""
    while surface is not None and surface.role is not None:
        role = surface.role
        if isinstance(role, LayerShellSurface):
            return role
        surface = role.parent_surface()
    return None


def layers(compositor: Compositor, args: list[str]) -> Any:
    """`orrery msg layers`: the mapped layer surfaces, bottom layer first."""
    return compositor.layer_shell.describe()


def register(compositor: Compositor) -> LayerShell:
    shell = LayerShell(compositor)

    def bind(res: Resource) -> None:
        res.impl = shell

    compositor.display.add_global(ZwlrLayerShellV1, VERSION, bind)
    return shell
