"""xdg_popup: menus and tooltips, placed by their positioner against a parent (an xdg_surface, or a layer
surface through zwlr_layer_surface_v1.get_popup) and kept, while open, in their parent's list of popups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pywayland.protocol.xdg_shell import XdgPopup, XdgSurface, XdgWmBase

from .. import positioner as pos
from ..geometry import Box
from ..wl.resource import ProtocolError, Resource

if TYPE_CHECKING:
    from ..surface import Surface
    from .xdg_shell import XdgSurfaceRole


class PopupParent(Protocol):
    """What an xdg_popup is placed against and kept by: an xdg_surface, or a layer surface
    (zwlr_layer_surface_v1.get_popup)."""

    @property
    def surface(self) -> Surface: ...

    def origin(self) -> tuple[int, int] | None: ...
    def geometry(self) -> Box: ...

    def popup_holder(self) -> list[Popup] | None:
        """Where its open popups are kept (drawn with it, listed by IPC); None while it can show none."""


class Popup:
    def __init__(self, xdg: XdgSurfaceRole, resource: Resource, parent: PopupParent | None,
                 positioner: pos.Positioner) -> None:
        self.xdg = xdg
        self.resource = resource
        self.surface = xdg.surface
        self.parent = parent
        self.positioner = positioner
        self.rect = Box(0, 0, positioner.width, positioner.height)
        self.popups: list[Popup] = []
        self.holder: list[Popup] | None = None  # the parent's list this popup is in while mapped
        self.mapped = False
        self.grabbed = False

    def parent_origin(self) -> tuple[int, int] | None:
        """Global position of the parent's window geometry."""
        if self.parent is None:
            return None
        origin = self.parent.origin()
        if origin is None:
            return None
        geometry = self.parent.geometry()
        return origin[0] + geometry.x, origin[1] + geometry.y

    def global_rect(self) -> Box | None:
        """The popup's window geometry on the layout (what the positioner placed)."""
        base = self.parent_origin()
        return None if base is None or not self.mapped else self.rect.translate(*base)

    def origin(self) -> tuple[int, int] | None:
        base = self.parent_origin()
        if base is None or not self.mapped:
            return None
        geometry = self.xdg.geometry()
        return base[0] + self.rect.x - geometry.x, base[1] + self.rect.y - geometry.y

    def place(self) -> None:
        compositor = self.xdg.shell.compositor
        base = self.parent_origin() or (0, 0)
        output = compositor.scene.output_at(*base) or (compositor.scene.outputs[0] if compositor.scene.outputs
                                                       else None)
        bounds = output.rect if output is not None else Box(-(1 << 20), -(1 << 20), 1 << 21, 1 << 21)
        self.rect = pos.place(self.positioner, bounds.translate(-base[0], -base[1]))

    def committed(self) -> None:
        xdg = self.xdg
        if not xdg.initial_commit_done:
            if self.surface.content is None:
                xdg.initial_commit_done = True
                self.place()
                self.send_configure()  # the reply to the initial commit
                return
            if not xdg.configure_sent:
                raise ProtocolError(XdgSurface.error.unconfigured_buffer, "buffer attached before configure",
                                    xdg.resource)
            xdg.initial_commit_done = True  # the first buffer came right after the configure on creation
        if self.surface.content is None:
            self.unmap()
            return
        if not self.mapped and self.parent is not None:
            holder = self.parent.popup_holder()
            if holder is None:
                return
            self.mapped = True
            self.holder = holder
            holder.append(self)
            xdg.shell.compositor.scene.damage_node(self)
            if self.grabbed:
                xdg.shell.popup_grab_mapped(self)

    def send_configure(self) -> None:
        self.resource.post("configure", self.rect.x, self.rect.y, self.rect.width, self.rect.height)
        self.xdg.send_configure()

    def unmap(self) -> None:
        if not self.mapped:
            return
        for child in list(self.popups):
            child.dismiss()
        self.xdg.shell.compositor.scene.damage_node(self)
        self.mapped = False
        if self.holder is not None and self in self.holder:
            self.holder.remove(self)
        self.holder = None
        self.xdg.shell.popup_gone(self)
        self.xdg.shell.compositor.scene.layout_changed_soon()

    def dismiss(self) -> None:
        for child in list(self.popups):
            child.dismiss()
        self.resource.post("popup_done")
        self.unmap()

    # -- requests ------------------------------------------------------------------------------------
    def destroy(self, res: Resource) -> None:
        if self.popups:
            raise ProtocolError(XdgWmBase.error.not_the_topmost_popup, "destroy child popups first",
                                self.xdg.wm_base)
        self.unmap()
        res.destroy()

    def grab(self, res: Resource, seat: Resource, serial: int) -> None:
        if self.mapped:
            raise ProtocolError(XdgPopup.error.invalid_grab, "grab after the popup was mapped")
        self.grabbed = True

    def reposition(self, res: Resource, positioner: Resource, token: int) -> None:
        self.positioner = positioner.impl.value
        self.xdg.shell.compositor.scene.damage_node(self)
        self.place()
        res.post("repositioned", token)
        self.send_configure()


def popup_rects(popups: list[Popup]) -> list[dict[str, int]]:
    """Open popups (menus, tooltips), nested ones included, as their geometry on the layout (for IPC)."""
    result = []
    for popup in popups:
        bounds = popup.global_rect()
        if bounds is not None:
            result.append({"x": bounds.x, "y": bounds.y, "width": bounds.width, "height": bounds.height})
        result.extend(popup_rects(popup.popups))
    return result
