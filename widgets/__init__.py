"""Orrery's toolkit: iced's Elm architecture in Python, drawn with Cairo, text by Pango.

    from widgets import FunctionApp, button, column, text

    def view(count: list[int]) -> Element[str]:
        return column([text(f"Clicked {count[0]} times"), button("Click").on_press("click")]).spacing(8)

See docs/widgets.md.
"""

from .core.application import Application, FunctionApp
from .core.element import Clipboard, Element, MemoryClipboard, Widget
from .core.event import (
    CloseRequested,
    FocusChanged,
    KeyPressed,
    KeyReleased,
    Modifiers,
    PointerLeft,
    PointerMoved,
    PointerPressed,
    PointerReleased,
    Resized,
    Scrolled,
)
from .core.geometry import Padding, Point, Rect, Size
from .core.layout import Align, Fill, FillPortion, Fixed, Length, Shrink
from .core.runtime import Runtime
from .core.subscription import Subscription, every, file_changes, window_events
from .core.task import Task
from .core.text_engine import Ellipsis, TextAlign, Wrap
from .style import Color, DefaultTheme, Palette, Status, Style, Theme
from .widget.button import button
from .widget.checkbox import checkbox
from .widget.container import container
from .widget.flex import column, row
from .widget.icon import icon
from .widget.image import image
from .widget.mouse_area import mouse_area
from .widget.pick_list import pick_list
from .widget.progress_bar import progress_bar
from .widget.radio import radio
from .widget.scrollable import scrollable
from .widget.slider import slider
from .widget.space import Space, horizontal_space, vertical_space
from .widget.stack import stack
from .widget.text import text
from .widget.text_input import text_input
from .widget.toggler import toggler
from .widget.tooltip import Position, tooltip
from .widget.virtual_list import virtual_list

__all__ = [
    "Align", "Application", "Clipboard", "CloseRequested", "Color", "DefaultTheme", "Element", "Ellipsis", "Fill",
    "FillPortion", "Fixed", "FocusChanged", "FunctionApp", "KeyPressed", "KeyReleased", "Length", "MemoryClipboard",
    "Modifiers", "Padding", "Palette", "Point", "PointerLeft", "PointerMoved", "PointerPressed", "PointerReleased",
    "Position", "Rect", "Resized", "Runtime", "Scrolled", "Shrink", "Size", "Space", "Status", "Style",
    "Subscription", "Task", "TextAlign", "Theme", "Widget", "Wrap", "button", "checkbox", "column", "container",
    "every", "file_changes", "horizontal_space", "icon", "image", "mouse_area", "pick_list", "progress_bar", "radio",
    "row", "scrollable", "slider", "stack", "text", "text_input", "toggler", "tooltip", "vertical_space",
    "virtual_list", "window_events",
]
