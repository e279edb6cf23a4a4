"""Stack: children drawn on top of one another in the same space; the topmost gets the pointer first.

    stack([image("wallpaper.png").width(Fill), container(text("over it")).center().width(Fill)])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from ..core.element import EventContext, LayoutContext, Tree, Widget
from ..core.event import Event, PointerPressed, Scrolled
from ..core.geometry import Size
from ..core.layout import Limits, Node

M = TypeVar("M")


class Stack(Widget[M], Generic[M]):
    def __init__(self, children: Iterable[Widget[M]]) -> None:
        self._children = list(children)

    def children(self) -> Sequence[Widget[Any]]:
        return self._children

    def signature(self) -> Hashable:
        return (self._width, self._height, len(self._children))

    def layout(self, tree: Tree, limits: Limits, ctx: LayoutContext) -> Node:
        own = limits.constrain(self._width, self._height)
        if not self._children:
            return Node(own.resolve(self._width, self._height, Size(0, 0)))
        base = self._children[0].layout(tree.children[0], own, ctx)
        size = limits.resolve(self._width, self._height, base.size)
        layer_limits = Limits(0, 0, size.width, size.height)
        nodes = [base] + [c.layout(t, layer_limits, ctx) for c, t in zip(self._children[1:], tree.children[1:],
                                                                          strict=True)]
        return Node(size, nodes)

    def on_event(self, tree: Tree, node: Node, event: Event, ctx: EventContext[M]) -> bool:
        exclusive = isinstance(event, PointerPressed | Scrolled)
        captured = False
        for child, subtree, subnode in reversed(list(zip(self._children, tree.children, node.children,
                                                         strict=True))):
            if exclusive and captured:
                break
            captured = child.on_event(subtree, subnode, event, ctx) or captured
        return captured


def stack(children: Iterable[Widget[M]]) -> Stack[M]:
    return Stack(children)
