"""The toolkit's programming model: update/view, tasks, subscriptions, map, retained state, focus, layout
caching and damage — checked through what a user of an app would see (messages, state, pixels)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets import (
    Element,
    Fill,
    FillPortion,
    Fixed,
    FunctionApp,
    Rect,
    Size,
    Subscription,
    Task,
    button,
    column,
    container,
    every,
    file_changes,
    row,
    scrollable,
    text,
    text_input,
)
from widgets.core.event import KeyPressed, Resized
from widgets.testing import Simulator
from widgets.widget.space import Space


@dataclass
class Counter:
    count: int = 0
    log: list[str] = field(default_factory=list)


def counter_app(**kwargs: Any) -> FunctionApp[Counter, str]:
    def update(state: Counter, message: str) -> Task[str] | None:
        if message == "inc":
            state.count += 1
        elif message == "later":
            async def work() -> int:
                await asyncio.sleep(0.01)  # work that takes a while: its result comes as a later message
                return 5
            return Task.perform(work(), lambda n: f"add{n}")
        elif message.startswith("add"):
            state.count += int(message[3:])
        return None

    def view(state: Counter) -> Element[str]:
        return column([text(f"Count: {state.count}"), button("Increment").on_press("inc"),
                       button("Later").on_press("later")]).spacing(8).padding(10)
    return FunctionApp(Counter, update, view, **kwargs)


def test_click_runs_update_and_view_shows_new_state() -> None:
    with Simulator(counter_app(), (300, 200)) as sim:
        assert sim.click("Increment") == ["inc"]
        assert sim.state.count == 1
        sim.find("Count: 1")


def test_task_result_becomes_a_message() -> None:
    with Simulator(counter_app(), (300, 200)) as sim:
        assert sim.click("Later") == ["later", "add5"]
        sim.find("Count: 5")


def test_task_batch_and_map() -> None:
    task: Task[str] = Task.batch([Task.done(1), Task.done(2)]).map(lambda n: f"add{n}")
    app = counter_app()
    original = app._update
    app._update = lambda s, m: task if m == "inc" else original(s, m)  # type: ignore[method-assign]
    with Simulator(app, (300, 200)) as sim:
        assert sim.click("Increment") == ["inc", "add1", "add2"]
        assert sim.state.count == 3


def test_every_subscription_ticks_and_stops_when_not_returned() -> None:
    def subs(state: Counter) -> Subscription[str]:
        return every(0.02, lambda _t: "inc") if state.count < 3 else Subscription.none()
    with Simulator(counter_app(subscriptions=subs), (300, 200)) as sim:
        sim.wait_until(lambda: not sim.runtime.executor.sources, what="the ticks to be unsubscribed")
        assert sim.state.count == 3  # and with no source left, nothing can tick again


def test_file_changes_subscription(tmp_path: Path) -> None:
    watched = tmp_path / "config.toml"
    watched.write_text("a")

    def subs(state: Counter) -> Subscription[str]:
        return file_changes(watched, lambda p: "inc", interval=0.01)
    with Simulator(counter_app(subscriptions=subs), (300, 200)) as sim:
        # that no change is reported can only be seen over time: a tenth of a second is ten looks at the file
        sim.wait(0.1)
        assert sim.state.count == 0, "the file as it was when watching started is no change"
        sizes = iter(range(2, 1000))

        def changed() -> bool:  # the watch takes its first look when its task first runs: write until it sees one
            watched.write_text("b" * next(sizes))
            return sim.state.count > 0
        sim.wait_until(changed, what="the change to be seen")
        assert all(m == "inc" for m in sim.messages)


def test_map_turns_child_messages_into_parent_messages() -> None:
    def child(label: str) -> Element[str]:
        return button(label).on_press("pressed")

    def view(state: Counter) -> Element[tuple[str, str]]:
        return row([child("Left").map(lambda m: ("left", m)), child("Right").map(lambda m: ("right", m))])
    app = FunctionApp(Counter, lambda s, m: None, view)
    with Simulator(app, (300, 100)) as sim:
        assert sim.click("Right") == [("right", "pressed")]
        assert sim.click("Left") == [("left", "pressed")]


@dataclass
class Form:
    name: str = ""
    other: str = ""
    banner: bool = False


def form_app() -> FunctionApp[Form, tuple[str, str]]:
    def update(state: Form, message: tuple[str, str]) -> None:
        if message[0] == "name":
            state.name = message[1]
            state.banner = True
        elif message[0] == "other":
            state.other = message[1]

    def view(state: Form) -> Element[tuple[str, str]]:
        items: list[Element[tuple[str, str]] | None] = [
            text("Saved!") if state.banner else None,  # shifts everything below: state must still follow
            text_input("Name", state.name).on_input(lambda v: ("name", v)).key("name"),
            text_input("Other", state.other).on_input(lambda v: ("other", v)).key("other"),
        ]
        return column(items).spacing(6).padding(8)
    return FunctionApp(Form, update, view)


def test_text_cursor_and_focus_survive_rerender_by_key() -> None:
    with Simulator(form_app(), (300, 200)) as sim:
        sim.click("Name")
        sim.type("Ada")
        assert sim.state.name == "Ada"
        sim.key("Left")
        sim.type("r")  # the cursor stayed where it was across three re-renders and a layout shift
        assert sim.state.name == "Adra"


def test_tab_and_shift_tab_move_focus() -> None:
    with Simulator(form_app(), (300, 200)) as sim:
        sim.tab()
        sim.type("x")
        sim.tab()
        sim.type("y")
        sim.tab(backwards=True)
        sim.type("z")
        assert (sim.state.name, sim.state.other) == ("xz", "y")


def test_layout_lengths_fill_portion_fixed_shrink() -> None:
    def view(state: Counter) -> Element[str]:
        return row([Space(Fixed(100), 10), Space(FillPortion(1), 10), Space(FillPortion(3), 10),
                    text("shrink")]).width(Fill)
    with Simulator(FunctionApp(Counter, lambda s, m: None, view), (500, 100)) as sim:
        spaces = [f.bounds for f in sim.find_all(Space)]
        label = sim.find("shrink").bounds
        assert spaces[0].width == 100
        rest = 500 - 100 - label.width
        assert abs(spaces[1].width - rest / 4) < 0.01 and abs(spaces[2].width - rest * 3 / 4) < 0.01
        assert abs(label.right - 500) < 0.01


def test_padding_alignment_center() -> None:
    def view(state: Counter) -> Element[str]:
        return container(text("middle")).width(Fill).height(Fill).center().padding(20)
    with Simulator(FunctionApp(Counter, lambda s, m: None, view), (400, 300)) as sim:
        b = sim.find("middle").bounds
        assert abs(b.center.x - 200) < 1 and abs(b.center.y - 150) < 1


def test_layout_is_skipped_when_the_view_did_not_change() -> None:
    with Simulator(counter_app(), (300, 200)) as sim:
        before = sim.runtime.layout_count
        sim.move("Increment")  # hover: no message, no relayout
        sim.runtime.dispatch(KeyPressed("x"))
        assert sim.runtime.layout_count == before
        sim.click("Increment")
        assert sim.runtime.layout_count == before + 1


def test_only_changed_widgets_are_redrawn() -> None:
    with Simulator(counter_app(), (300, 200)) as sim:
        sim.render()
        sim.move("Later")
        damage = sim.runtime.render(sim.surface)  # type: ignore[arg-type]
        later = sim.find("Later")
        assert damage
        union = damage[0]
        for r in damage[1:]:
            union = union.union(r)
        # only the hovered button's box is repainted, not the window
        assert union.width * union.height < 0.2 * 300 * 200
        assert union.intersects(later.bounds)
        assert sim.runtime.render(sim.surface) == []  # type: ignore[arg-type]


def test_damage_redraw_matches_full_redraw() -> None:
    from widgets.headless import render
    from widgets.testing import compare
    with Simulator(counter_app(), (300, 200)) as sim:
        sim.render()
        sim.click("Increment")
        sim.move("Later")
        incremental = sim.render()
        full = render(sim.runtime, 300, 200)
        assert compare(incremental, full, threshold=0) == 0.0


def test_scroll_offset_survives_rerender_and_wheel_scrolls() -> None:
    def view(state: Counter) -> Element[str]:
        return column([text(f"Count {state.count}"), button("Increment").on_press("inc"),
                       scrollable(column([text(f"Line {i}") for i in range(50)]).spacing(4)).height(120)])
    with Simulator(FunctionApp(Counter, lambda s, m: setattr(s, "count", s.count + 1), view), (300, 200)) as sim:
        assert sim.find("Line 0").bounds.height > 0
        sim.scroll("Line 1", 200)
        assert not any(f.text == "Line 0" for f in sim.all())
        top = sim.find("Line 12").bounds.y
        sim.click("Increment")
        assert sim.find("Line 12").bounds.y == top


def test_window_resize_relayouts() -> None:
    with Simulator(counter_app(), (300, 200)) as sim:
        sim.event(Resized(Size(500, 400)))
        assert sim.runtime.size == Size(500, 400)
        assert sim.render().get_width() == 500


def test_theme_change_restyles_without_restart() -> None:
    from widgets import DefaultTheme

    def theme(state: Counter) -> Any:
        return DefaultTheme.dark() if state.count else DefaultTheme.light()
    with Simulator(counter_app(theme=theme), (300, 200)) as sim:
        light = sim.pixel(290, 190)
        sim.click("Increment")
        dark = sim.pixel(290, 190)
        assert sum(light) > 600 and sum(dark) < 150


def test_rect_helpers() -> None:
    assert Rect(0, 0, 10, 10).intersection(Rect(5, 5, 10, 10)) == Rect(5, 5, 5, 5)
