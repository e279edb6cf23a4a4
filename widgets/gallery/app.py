"""The gallery application: one of every widget, wired to state so each can be tried."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import (
    Align,
    DefaultTheme,
    Element,
    Fill,
    FillPortion,
    Position,
    Subscription,
    Task,
    Theme,
    button,
    checkbox,
    column,
    container,
    horizontal_space,
    icon,
    image,
    mouse_area,
    pick_list,
    progress_bar,
    radio,
    row,
    scrollable,
    slider,
    stack,
    text,
    text_input,
    toggler,
    tooltip,
    virtual_list,
)

Message = tuple[Any, ...]
SIZES = ["Small", "Medium", "Large"]
LOGO = Path(__file__).with_name("logo.png")


@dataclass
class GalleryState:
    clicks: int = 0
    name: str = ""
    password: str = "hunter2"
    wifi: bool = True
    dark: bool = False
    size: str = "Medium"
    volume: float = 40.0
    fruit: str | None = None
    picked_row: int | None = None
    hovering: bool = False
    log: list[str] = field(default_factory=list)


def section(title: str, *content: Element[Message]) -> Element[Message]:
    return container(column([text(title).bold().size(15), *content]).spacing(8)).padding(12).width(Fill) \
        .style("container.box")


class Gallery:
    """``Gallery(light, dark)``: the themes for the "Dark mode" toggle (default: orrery-light, orrery-dark)."""

    def __init__(self, light: Theme | None = None, dark: Theme | None = None) -> None:
        self.light = light or DefaultTheme.light()
        self.dark = dark or DefaultTheme.dark()

    def init(self) -> GalleryState:
        return GalleryState()

    def title(self, state: GalleryState) -> str:
        return f"Widget gallery — {state.clicks} clicks"

    def app_id(self) -> str:
        return "org.orrery.Gallery"

    def theme(self, state: GalleryState) -> Theme:
        return self.dark if state.dark else self.light

    def subscriptions(self, state: GalleryState) -> Subscription[Message]:
        return Subscription.none()

    def update(self, state: GalleryState, message: Message) -> Task[Message] | None:
        kind, *args = message
        if kind == "click":
            state.clicks += 1
        elif kind == "reset":
            state.clicks = 0
        elif kind == "name":
            state.name = args[0]
        elif kind == "password":
            state.password = args[0]
        elif kind == "wifi":
            state.wifi = args[0]
        elif kind == "dark":
            state.dark = args[0]
        elif kind == "size":
            state.size = args[0]
        elif kind == "volume":
            state.volume = args[0]
        elif kind == "fruit":
            state.fruit = args[0]
        elif kind == "row":
            state.picked_row = args[0]
        elif kind == "hover":
            state.hovering = args[0]
        return None

    def view(self, state: GalleryState) -> Element[Message]:
        buttons = section(
            "Buttons",
            text(f"Clicked {state.clicks} times").key("clicks"),
            row([button("Click me").on_press(("click",)),
                 button("Reset").style("button.secondary").on_press(("reset",)),
                 button("Delete").style("button.danger").on_press(("reset",)),
                 button("Disabled")]).spacing(8).align_items(Align.CENTER),
        )
        inputs = section(
            "Text input",
            text_input("Your name", state.name).on_input(lambda v: ("name", v)),
            text_input("Password", state.password).password().on_input(lambda v: ("password", v)),
            text(f"Hello, {state.name or 'stranger'}!").style("text.muted"),
        )
        choices = section(
            "Choices",
            row([checkbox("Wi-Fi", state.wifi).on_toggle(lambda v: ("wifi", v)),
                 toggler("Dark mode", state.dark).on_toggle(lambda v: ("dark", v))]).spacing(24),
            row([radio(s, s, state.size).on_select(lambda v: ("size", v)) for s in SIZES]).spacing(16),
            row([text("Fruit"), pick_list(["Apple", "Banana", "Cherry", "Durian"], state.fruit,
                                          lambda v: ("fruit", v)).placeholder("Pick one…").width(160)])
            .spacing(8).align_items(Align.CENTER),
        )
        ranges = section(
            "Ranges",
            row([text(f"Volume {state.volume:.0f}").width(90),
                 slider(0, 100, state.volume).step(1).on_change(lambda v: ("volume", v))]).spacing(8)
            .align_items(Align.CENTER),
            progress_bar(0, 100, state.volume).height(8),
        )
        texts = section(
            "Text",
            text("Arabic: مرحبا بالعالم · Hebrew: שלום עולם"),
            text("CJK: 你好，世界 · こんにちは · Emoji: 🎉🚀😀"),
            text("<b>Markup</b> with <i>italics</i> and <span foreground='#c4302b'>colour</span>").markup(),
            text("A very long label that cannot possibly fit in the space it is given and so it ends in an "
                 "ellipsis").ellipsize().width(Fill),
        )
        visuals = section(
            "Images and icons",
            row([image(LOGO).width(48).height(48),
                 icon("document-save-symbolic", 24), icon("edit-delete-symbolic", 24),
                 icon("folder", 32), icon("user-home", 32),
                 tooltip(button("Hover me").style("button.secondary").on_press(("click",)),
                         "A tooltip drawn above everything", Position.BOTTOM),
                 mouse_area(container(text("Mouse area: " + ("inside" if state.hovering else "outside")))
                            .padding(6).style("container.box"))
                 .on_enter(("hover", True)).on_exit(("hover", False))]).spacing(12).align_items(Align.CENTER),
            stack([container(text("Stacked")).padding(10).width(Fill).style("container.box"),
                   container(text("on top")).padding(10).width(Fill).align_x(Align.END)]),
        )
        rows = section(
            "Virtual list (10,000 rows)",
            virtual_list(10_000, 26, lambda i: container(text(f"Row {i + 1}")).padding((4, 8)))
            .on_select(lambda i: ("row", i)).selected(state.picked_row).height(180),
            text(f"Picked row {state.picked_row + 1}" if state.picked_row is not None else "No row picked")
            .style("text.muted"),
        )
        left = column([buttons, inputs, choices, ranges]).spacing(12).width(FillPortion(1))
        right = column([texts, visuals, rows]).spacing(12).width(FillPortion(1))
        header = row([text("Orrery widgets").size(22).bold(), horizontal_space(),
                      text(f"{state.clicks} clicks").style("text.muted")]).align_items(Align.CENTER)
        body = column([header, row([left, right]).spacing(12)]).spacing(12).padding(16)
        return scrollable(body)
