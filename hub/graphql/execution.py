"""Plain fields executed without the per-field machinery.

graphql-core executes every field the same way: it builds a resolve-info record, calls
the resolver (Strawberry's getter, for a field without a resolver of its own), checks
whether the result is awaitable and dispatches on the return type. For 100 offerings
with their site, organization and capacity that is ~7,000 fields and most of the
answer's time, though nearly all of them are attributes of an object already built.

`PlainFields` answers such a field directly: a Strawberry field without resolver,
arguments or extensions whose type is a scalar or an enum (nullable or not) is read
with `getattr` and serialised by its type's own `serialize`, as graphql-core would, in
one loop over an object's fields (`execute_fields`). Anything else, and any plain field
whose value is null or does not serialise, is handed to graphql-core's own path (the
answers merged back in the order asked), so errors (a null in a non-null field, a bad
value) are raised and located exactly as before.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Plain = tuple[str, Any]  # the attribute, the type's serialize

# By id of the type, holding the type itself: its id cannot be reused while here.
_plain: dict[int, tuple[GraphQLObjectType, dict[str, Plain | None]]] = {}


def plain(field: GraphQLField) -> Plain | None:
    """The attribute and serializer of a plain leaf field; None for any other field."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    leaf = get_nullable_type(field.type)
    if (
        not isinstance(definition, StrawberryField)
        or not definition.is_basic_field
        or definition.default_resolver is not getattr
        or field.args
        or not is_leaf_type(leaf)
    ):
        return None
    return definition.python_name, leaf.serialize


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
        value = getattr(source, found[0], None)
        if value is None:
            return Undefined
        try:
            serialized = found[1](value)
        except Exception:  # graphql-core's own path raises it, located
            return Undefined
        return Undefined if serialized is None else serialized

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
