"""Input objects as the plain mappings the areas' rules read: the shape an imported
row has too, so one set of rules checks both."""

from __future__ import annotations

from enum import Enum
from typing import Any

from strawberry.types.base import get_object_definition


def raw(input: object) -> dict[str, Any]:
    """`input` as a mapping: enums as their values, each field named as in Python unless
    the schema renames it (EquipmentInput's `instrument_model` is the rules' `model`)."""
    fields = get_object_definition(input, strict=True).fields
    return {f.graphql_name or f.python_name: _plain(getattr(input, f.python_name)) for f in fields}


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.value if isinstance(value, Enum) else value
