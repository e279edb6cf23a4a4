"""Damage between two frames, and scrolled viewports moved by copying their pixels.

Every widget leaves a paint :class:`Record`: its bounds on screen (clipped) and its paint key. Records are
matched across frames by *identity path* (a child's key where it has one, else its position), so a keyed row of
a virtual list is the same record wherever it is on screen. A widget that scrolls its content (scrollable,
virtual_list) also reports a :class:`ScrollView`.

When the offset is all that changed about a scroller (and nothing outside it is drawn over its viewport), its
viewport's pixels are copied by the difference in whole device pixels (a :class:`Blit`); then only the strip
that scrolled into view, its scrollbar and the widgets inside whose own paint key changed are redrawn.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import cairo

from .geometry import Point, Rect


@dataclass(frozen=True)
class ScrollView:
    """What a scrolling widget reports: its content viewport (window coordinates), offset and scrollbar."""

    viewport: Rect
    offset: float
    chrome: Rect | None = None
    """Redrawn when only the offset changed (the scrollbar)."""


@dataclass(frozen=True)
class Record:
    rect: Rect | None
    """On screen, clipped; None when scrolled out of sight."""
    key: Hashable
    scrollers: tuple[Hashable, ...] = ()
    """Identity paths of the scrolling widgets this one is inside, outermost first."""
    view: ScrollView | None = None


Records = dict[Hashable, Record]
"""Identity path → record, in drawing order."""


@dataclass(frozen=True)
class Blit:
    """Move the pixels inside ``viewport`` up by ``dy`` logical pixels (down when negative)."""

    viewport: Rect
    dy: float

    def device_rows(self, scale: float) -> tuple[int, int, int, int, int]:
        """``(x0, x1, y0, y1, d)``: whole device pixels inside the viewport and the shift in device pixels."""
        v = self.viewport
        x0, x1 = math.ceil(v.x * scale - 1e-6), math.floor(v.right * scale + 1e-6)
        y0, y1 = math.ceil(v.y * scale - 1e-6), math.floor(v.bottom * scale + 1e-6)
        return x0, x1, y0, y1, round(self.dy * scale)

    def exposed(self, scale: float) -> list[Rect]:
        """The parts of the viewport the copy does not fill: the strip scrolled into view and sub-pixel fringes."""
        v = self.viewport
        x0, x1, y0, y1, d = self.device_rows(scale)
        kept_top, kept_bottom = (y0, y1 - d) if d > 0 else (y0 - d, y1)
        parts = [Rect(v.x, v.y, v.width, kept_top / scale - v.y),
                 Rect(v.x, kept_bottom / scale, v.width, v.bottom - kept_bottom / scale),
                 Rect(v.x, v.y, x0 / scale - v.x, v.height),
                 Rect(x1 / scale, v.y, v.right - x1 / scale, v.height)]
        return [p for p in parts if p.width > 1e-6 and p.height > 1e-6]

    def apply(self, surface: cairo.ImageSurface, scale: float) -> None:
        x0, x1, y0, y1, d = self.device_rows(scale)
        width, height = x1 - x0, y1 - y0 - abs(d)
        if width <= 0 or height <= 0:
            return
        source_y, target_y = (y0 + d, y0) if d > 0 else (y0, y0 - d)
        scratch = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)  # cairo cannot copy a surface onto itself
        cr = cairo.Context(scratch)
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.set_source_surface(surface, -x0, -source_y)
        cr.paint()
        scratch.flush()
        cr = cairo.Context(surface)
        cr.set_operator(cairo.OPERATOR_SOURCE)
        cr.rectangle(x0, target_y, width, height)
        cr.clip()
        cr.set_source_surface(scratch, x0, target_y)
        cr.paint()


@dataclass
class Frame:
    """What the last render did: rectangles redrawn and viewports copied (logical pixels)."""

    drawn: list[Rect] = field(default_factory=list)
    copied: list[Blit] = field(default_factory=list)

    @property
    def changed(self) -> list[Rect]:
        """Everything whose pixels changed (what a compositor is told is damaged)."""
        return merge([*self.drawn, *(b.viewport for b in self.copied)])


class Collector:
    """A :data:`~widgets.core.element.Visitor` building the records of one frame."""

    def __init__(self, cursor: Point) -> None:
        self.cursor = cursor
        self.records: Records = {}
        self._places: dict[tuple[int, ...], tuple[Hashable, tuple[Hashable, ...]]] = {}

    def __call__(self, widget: Any, tree: Any, node: Any, offset: Point, clip: Rect, path: tuple[int, ...]) -> None:
        if path:
            parent, scrollers = self._places[path[:-1]]
            ident: Hashable = (*parent, path[-1] if tree.key is None else ("key", tree.key))  # type: ignore[misc]
        else:
            ident, scrollers = (), ()
        screen = node.bounds.translate(-offset.x, -offset.y).intersection(clip)
        cursor = self.cursor
        local = Point(cursor.x + offset.x, cursor.y + offset.y) if clip.contains(cursor) \
            else Point(-math.inf, -math.inf)
        view = widget.scroll_view(tree, node)
        if view is not None:
            viewport = view.viewport.translate(-offset.x, -offset.y).intersection(clip) or Rect(0, 0, 0, 0)
            chrome = view.chrome.translate(-offset.x, -offset.y).intersection(clip) if view.chrome else None
            view = ScrollView(viewport, view.offset, chrome)
        self.records[ident] = Record(screen, (type(widget), widget.paint_key(tree, node, local)), scrollers, view)
        self._places[path] = (ident, (*scrollers, ident) if view is not None else scrollers)


def diff(old: Records, new: Records, scale: float) -> tuple[list[Rect], list[Blit]]:
    """The rectangles to redraw and the viewports to copy to turn frame ``old`` into frame ``new``."""
    moved: dict[Hashable, float] = {}
    for ident, record in new.items():
        before = old.get(ident)
        if record.view is not None and before is not None and before.view is not None \
                and before.view.offset != record.view.offset:
            moved[ident] = record.view.offset - before.view.offset
    blits = {ident: Blit(new[ident].view.viewport, dy)  # type: ignore[union-attr]
             for ident, dy in moved.items() if _can_copy(ident, dy, old, new, moved, scale)}
    rects: list[Rect] = []
    for ident in old.keys() | new.keys():
        before, after = old.get(ident), new.get(ident)
        if ident in blits:  # the scroller itself: only its chrome (scrollbar) moved
            rects += [r.view.chrome for r in (before, after) if r and r.view and r.view.chrome]
            continue
        inside = next((blits[s] for s in (after or before).scrollers if s in blits), None)  # type: ignore[union-attr]
        if inside is not None:
            if before is not None and after is not None and before.key == after.key:
                continue  # its pixels were copied along with the viewport
            if after is not None and after.rect is not None:
                rects.append(after.rect)
            if before is not None and before.rect is not None:
                shifted = before.rect.translate(0, -inside.dy).intersection(inside.viewport)
                if shifted is not None:
                    rects.append(shifted)
            continue
        if before == after:
            continue
        rects += [r.rect for r in (before, after) if r is not None and r.rect is not None]
    for blit in blits.values():
        rects += blit.exposed(scale)
    return merge(rects), list(blits.values())


def _can_copy(ident: Hashable, dy: float, old: Records, new: Records, moved: dict[Hashable, float],
              scale: float) -> bool:
    record, before = new[ident], old[ident]
    assert record.view is not None and before.view is not None
    viewport = record.view.viewport
    if any(s in moved for s in record.scrollers) or record.key != before.key or record.rect != before.rect \
            or viewport != before.view.viewport or record.scrollers != before.scrollers:
        return False
    if abs(dy) >= viewport.height or abs(dy * scale - round(dy * scale)) > 1e-6:
        return False
    # Anything drawn later that is not inside this scroller and overlaps the viewport would be copied too.
    later = False
    for other_ident, other in new.items():
        if other_ident == ident:
            later = True
        elif later and ident not in other.scrollers and other.rect is not None and other.rect.intersects(viewport):
            return False
    return True


def merge(rects: list[Rect]) -> list[Rect]:
    """Merge overlapping rectangles so each pixel is redrawn once."""
    merged: list[Rect] = []
    for rect in rects:
        if rect.width <= 0 or rect.height <= 0:
            continue
        changed = True
        while changed:
            changed = False
            for other in merged:
                if other.intersects(rect):
                    merged.remove(other)
                    rect = rect.union(other)
                    changed = True
                    break
        merged.append(rect)
    return merged
