"""What a resolver's caller asked for: its selection, merged into a tree of field names.

Fragments and inline fragments are flattened into their parent (at the positions a plan
reads, types are concrete, so a type condition names the type or one of its interfaces);
aliases of the same field are merged, each keeping its own arguments, with variables
already resolved. `@skip`/`@include` are not applied: a plan built from this tree may
read a little more than is returned, never less.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from strawberry import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


@dataclass
class Asked:
    """One field of the selection: the arguments of each occurrence, and what is asked
    beneath it (merged over the occurrences)."""

    name: str
    arguments: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Asked] = field(default_factory=dict)

    def child(self, *path: str) -> Asked | None:
        """The field at `path` beneath this one (`child("edges", "node")`), if asked."""
        here: Asked | None = self
        for name in path:
            here = None if here is None else here.fields.get(name)
        return here

    def names(self) -> set[str]:
        return set(self.fields) - {"__typename"}


def _merge(into: Asked, selections: Iterable[Selection]) -> None:
    for selection in selections:
        if isinstance(selection, SelectedField):
            asked = into.fields.setdefault(selection.name, Asked(selection.name))
            asked.arguments.append(dict(selection.arguments))
            _merge(asked, selection.selections)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            _merge(into, selection.selections)


def asked(info: Info) -> Asked:
    """The resolver's own field, with everything asked beneath it."""
    root = Asked(info.field_name)
    for selected in info.selected_fields:
        if not isinstance(selected, SelectedField):
            continue
        root.arguments.append(dict(selected.arguments))
        _merge(root, selected.selections)
    return root
