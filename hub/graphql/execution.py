"""Plain fields executed without the per-field machinery.

graphql-core executes every field the same way: it builds a resolve-info record, calls
the resolver (Strawberry's getter, for a field without a resolver of its own), checks
whether the result is awaitable and dispatches on the return type. For 100 offerings
with their site, organization and capacity that is ~7,000 fields and most of the
answer's time, though nearly all of them are attributes of an object already built.

`PlainFields` answers such a field directly: a Strawberry field without resolver,
arguments or extensions whose type is a scalar or an enum (nullable or not) is read
with `getattr` and serialised by its type's own `serialize`, as graphql-core would.
Anything else, and any plain field whose value is null or does not serialise, takes
graphql-core's own path, so errors (a null in a non-null field, a bad value) are raised
and located exactly as before.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Plain = tuple[str, Any]  # the attribute, the type's serialize

# By id of the field, holding the field itself: its id cannot be reused while here.
_plain: dict[int, tuple[GraphQLField, Plain | None]] = {}


def _plain_of(field: GraphQLField) -> Plain | None:
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


def plain(field: GraphQLField) -> Plain | None:
    """The attribute and serializer of a plain leaf field; None for any other field."""
    known = _plain.get(id(field))
    if known is None or known[0] is not field:
        known = _plain[id(field)] = (field, _plain_of(field))
    return known[1]


class PlainFields(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A middleware (an extension's `resolve` hook) sees every field: then none is plain.
        manager = self.middleware_manager
        self.plain_fields = manager is None or not manager.middlewares

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any = None,
    ) -> Any:
        node = field_details_list[0].node
        field = self.schema.get_field(parent_type, node.name.value)
        found = plain(field) if field is not None and self.plain_fields else None
        if found is not None and not node.arguments:
            value = getattr(source, found[0], None)
            if value is not None:
                try:
                    serialized = found[1](value)
                except Exception:  # graphql-core's own path raises it, located
                    serialized = None
                if serialized is not None and serialized is not Undefined:
                    return serialized
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
