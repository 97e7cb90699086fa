"""Plain fields executed without the per-field machinery.

graphql-core executes every field the same way: it builds a resolve-info record, calls
the resolver (Strawberry's getter, for a field without a resolver of its own), checks
whether the result is awaitable and dispatches on the return type. For 100 offerings
with their site, organization and capacity that is ~7,000 fields and most of the
answer's time, though nearly all of them are attributes of an object already built.

`PlainFields` answers such a field directly: a Strawberry field without resolver,
arguments or extensions whose type is a scalar or an enum, or a list of them (each
nullable or not), is read with `getattr` and serialised by its type's own `serialize`,
as graphql-core would, in one loop over an object's fields (`execute_fields`). A null
in a nullable place is answered null. Anything else, and any plain field whose value is
null where it may not be, is not a list where one is declared, or does not serialise,
is handed to graphql-core's own path (the answers merged back in the order asked), so
errors (a null in a non-null field, a bad value) are raised and located exactly as
before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


@dataclass(frozen=True, slots=True)
class Plain:
    """How to answer a plain field: its attribute, its leaf type's serializer, whether
    null may be answered, and for a list, whether its items may be null."""

    attribute: str
    serialize: Callable[[Any], Any]
    nullable: bool
    items_nullable: bool | None = None  # None: not a list


# By id of the type, holding the type itself: its id cannot be reused while here.
_plain: dict[int, tuple[GraphQLObjectType, dict[str, Plain | None]]] = {}


def _leaf(type_: GraphQLOutputType) -> tuple[Any, bool] | None:
    """The leaf type and whether it is nullable, or None for anything but a leaf."""
    leaf = get_nullable_type(type_)
    return (leaf, not is_non_null_type(type_)) if is_leaf_type(leaf) else None


def plain(field: GraphQLField) -> Plain | None:
    """How to answer a plain field (a leaf or a list of leaves without resolver or
    arguments); None for any other field."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if (
        not isinstance(definition, StrawberryField)
        or not definition.is_basic_field
        or definition.default_resolver is not getattr
        or field.args
    ):
        return None
    nullable = not is_non_null_type(field.type)
    shape = get_nullable_type(field.type)
    if isinstance(shape, GraphQLList):
        item = _leaf(shape.of_type)
        return (
            None
            if item is None
            else Plain(definition.python_name, item[0].serialize, nullable, item[1])
        )
    leaf = _leaf(field.type)
    return None if leaf is None else Plain(definition.python_name, leaf[0].serialize, nullable)


def plain_fields_of(parent_type: GraphQLObjectType) -> dict[str, Plain | None]:
    """Each field of the type by name: its attribute and serializer when plain."""
    known = _plain.get(id(parent_type))
    if known is None or known[0] is not parent_type:
        fields = {name: plain(field) for name, field in parent_type.fields.items()}
        known = _plain[id(parent_type)] = (parent_type, fields)
    return known[1]


class PlainFields(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A middleware (an extension's `resolve` hook) sees every field: then none is plain.
        manager = self.middleware_manager
        self.plain_fields = manager is None or not manager.middlewares

    @staticmethod
    def plain_value(fields: dict[str, Plain | None], source: Any, details: FieldDetailsList) -> Any:
        """The field's serialised value if it is plain (by `fields`, plain_fields_of its
        type) and its value serialises; else Undefined (graphql-core's own path answers)."""
        node = details[0].node
        found = fields.get(node.name.value)
        if found is None or node.arguments:
            return Undefined
        value = getattr(source, found.attribute, None)
        if value is None:
            return None if found.nullable else Undefined
        if found.items_nullable is None:
            return _serialized(found.serialize, value)
        if not isinstance(value, list | tuple):
            return Undefined
        items = [
            None if item is None and found.items_nullable else _serialized(found.serialize, item)
            for item in value
        ]
        return Undefined if Undefined in items else items

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any = None,
    ) -> Any:
        """Plain fields answered here; the others (if any) by graphql-core, then merged in
        the order asked."""
        if not self.plain_fields:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        fields = plain_fields_of(parent_type)
        answered: dict[str, Any] = {}
        others: GroupedFieldSet = {}
        for response_name, details in grouped_field_set.items():
            value = self.plain_value(fields, source_value, details)
            if value is Undefined:
                others[response_name] = details
            else:
                answered[response_name] = value
        if not others:
            return answered
        rest = super().execute_fields(parent_type, source_value, path, others, position_context)
        if isinstance(rest, dict):
            return _merged(grouped_field_set, answered, rest)
        return _merged_later(grouped_field_set, answered, rest)


def _serialized(serialize: Callable[[Any], Any], value: Any) -> Any:
    """`value` serialised, or Undefined when it does not serialise (or is null)."""
    if value is None:
        return Undefined
    try:
        serialized = serialize(value)
    except Exception:  # graphql-core's own path raises it, located
        return Undefined
    return Undefined if serialized is None else serialized


def _merged(
    asked: GroupedFieldSet, answered: dict[str, Any], rest: dict[str, Any]
) -> dict[str, Any]:
    return {
        name: answered[name] if name in answered else rest[name]
        for name in asked
        if name in answered or name in rest
    }


async def _merged_later(
    asked: GroupedFieldSet, answered: dict[str, Any], rest: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(asked, answered, await rest)
