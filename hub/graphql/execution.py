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

Which fields of a selection are plain is worked out once per selection and request (a
`Plan`, kept by the identity of graphql-core's grouped field set, which graphql-core
itself memoises per selection, so the 100 items of a list share one), and the common
scalars (strings, IDs, finite floats, 32-bit ints, booleans, enum members) are passed
through by type without a call to `serialize`.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Convert = Callable[[Any], Any]  # a non-null value -> its serialised form, or Undefined

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True, slots=True)
class Plain:
    """How to answer a plain field: its attribute, how a value of its leaf type is
    serialised, whether null may be answered, and for a list, whether its items may be
    null."""

    attribute: str
    convert: Convert
    nullable: bool
    items_nullable: bool | None = None  # None: not a list


def _serialized(serialize: Callable[[Any], Any]) -> Convert:
    """`serialize`, answering Undefined where graphql-core's own path would raise."""

    def convert(value: Any) -> Any:
        try:
            serialized = serialize(value)
        except Exception:  # graphql-core's own path raises it, located
            return Undefined
        return Undefined if serialized is None else serialized

    return convert


def _passed(kind: type, serialize: Callable[[Any], Any], valid: Callable[[Any], bool]) -> Convert:
    """Values of exactly `kind` that `valid` accepts are their own serialised form (as
    graphql-core's serializer would answer); any other value goes through `serialize`."""
    slow = _serialized(serialize)

    def convert(value: Any) -> Any:
        return value if type(value) is kind and valid(value) else slow(value)

    return convert


def _enum(type_: GraphQLEnumType) -> Convert:
    """An enum's serializer, remembering each member's name once serialised."""
    slow = _serialized(type_.serialize)
    names: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return names[value]
        except (KeyError, TypeError):
            name = slow(value)
            if name is not Undefined and value.__hash__ is not None:
                names[value] = name
            return name

    return convert


def _always(_: Any) -> bool:
    return True


def converter(leaf: Any) -> Convert:
    """How values of a leaf type are serialised."""
    if leaf is GraphQLString or leaf is GraphQLID:
        return _passed(str, leaf.serialize, _always)
    if leaf is GraphQLFloat:
        return _passed(float, leaf.serialize, math.isfinite)
    if leaf is GraphQLInt:
        return _passed(int, leaf.serialize, lambda v: INT_MIN <= v <= INT_MAX)
    if leaf is GraphQLBoolean:
        return _passed(bool, leaf.serialize, _always)
    if isinstance(leaf, GraphQLEnumType):
        return _enum(leaf)
    return _serialized(leaf.serialize)


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
        if item is None:
            return None
        return Plain(definition.python_name, converter(item[0]), nullable, item[1])
    leaf = _leaf(field.type)
    return None if leaf is None else Plain(definition.python_name, converter(leaf[0]), nullable)


def plain_fields_of(parent_type: GraphQLObjectType) -> dict[str, Plain | None]:
    """Each field of the type by name: how to answer it when plain."""
    known = _plain.get(id(parent_type))
    if known is None or known[0] is not parent_type:
        fields = {name: plain(field) for name, field in parent_type.fields.items()}
        known = _plain[id(parent_type)] = (parent_type, fields)
    return known[1]


@dataclass(frozen=True, slots=True)
class Plan:
    """A selection on one type: its plain fields (by response name, in the order asked)
    and the rest, for graphql-core."""

    plain: tuple[tuple[str, Plain], ...]
    others: GroupedFieldSet


def plan(parent_type: GraphQLObjectType, asked: GroupedFieldSet) -> Plan:
    fields = plain_fields_of(parent_type)
    plain_ones: list[tuple[str, Plain]] = []
    others: GroupedFieldSet = {}
    for response_name, details in asked.items():
        node = details[0].node
        found = None if node.arguments else fields.get(node.name.value)
        if found is None:
            others[response_name] = details
        else:
            plain_ones.append((response_name, found))
    return Plan(tuple(plain_ones), others)


def answer(how: Plain, value: Any) -> Any:
    """A plain field's serialised value, or Undefined when graphql-core's own path must
    answer it (a null where none may be, not a list where one is declared, a value that
    does not serialise)."""
    if value is None:
        return None if how.nullable else Undefined
    if how.items_nullable is None:
        return how.convert(value)
    if type(value) is not list and type(value) is not tuple:
        return Undefined
    items: list[Any] = []
    for item in value:
        if item is None:
            if not how.items_nullable:
                return Undefined
            items.append(None)
            continue
        serialized = how.convert(item)
        if serialized is Undefined:
            return Undefined
        items.append(serialized)
    return items


class PlainFields(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A middleware (an extension's `resolve` hook) sees every field: then none is plain.
        manager = self.middleware_manager
        self.plain_fields = manager is None or not manager.middlewares
        # By id of graphql-core's grouped field set, holding it: its id cannot be reused.
        self.plans: dict[int, tuple[GroupedFieldSet, GraphQLObjectType, Plan]] = {}

    def plan_of(self, parent_type: GraphQLObjectType, asked: GroupedFieldSet) -> Plan:
        known = self.plans.get(id(asked))
        if known is None or known[1] is not parent_type:
            known = self.plans[id(asked)] = (asked, parent_type, plan(parent_type, asked))
        return known[2]

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
        chosen = self.plan_of(parent_type, grouped_field_set)
        answered: dict[str, Any] = {}
        others = chosen.others
        for response_name, how in chosen.plain:
            value = answer(how, getattr(source_value, how.attribute, None))
            if value is Undefined:
                others = grouped_field_set  # graphql-core answers the rest in order
            else:
                answered[response_name] = value
        if others is grouped_field_set:
            others = {name: d for name, d in grouped_field_set.items() if name not in answered}
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
