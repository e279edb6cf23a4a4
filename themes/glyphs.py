"""The window buttons' glyphs, drawn the same by the compositor's title bars and the theme preview."""

from __future__ import annotations

import cairo


def window_button(ctx: cairo.Context, kind: str, cx: float, cy: float, half: float) -> None:
    """Strokes ``kind``'s glyph (``minimize``: a low bar, ``maximize``: a square, else a cross) centred on
    (cx, cy), ``half`` from its centre to its edge, with the context's source and line width."""
    ctx.new_path()
    if kind == "minimize":
        ctx.move_to(cx - half, cy + half * 0.6)
        ctx.line_to(cx + half, cy + half * 0.6)
    elif kind == "maximize":
        ctx.rectangle(cx - half, cy - half, 2 * half, 2 * half)
    else:
        ctx.move_to(cx - half, cy - half)
        ctx.line_to(cx + half, cy + half)
        ctx.move_to(cx + half, cy - half)
        ctx.line_to(cx - half, cy + half)
    ctx.stroke()
