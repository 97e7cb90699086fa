"""Plain fields (hub/graphql/execution.py) answer exactly what graphql-core's own path
answers: values, enums, custom scalars, lists of them, aliases, nulls, and the errors of
a null in a non-null field or list item or a value that does not serialise, located the
same."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import pytest
import strawberry

from hub.graphql.execution import PlainFields, plain


@strawberry.enum
class Grade(enum.Enum):
    GMP = "gmp"
    NON_GMP = "non_gmp"


@strawberry.type
class Offering:
    id: strawberry.ID
    scale: float
    grade: Grade
    valid_to: date | None
    note: str | None
    required: str
    count: int
    ratio: float
    flag: bool
    tags: list[str]
    grades: list[Grade | None] | None

    @strawberry.field
    def shouted(self) -> str:
        return self.required.upper()


def _offering(id_: str, **changes: Any) -> Offering:
    fields: dict[str, Any] = {
        "scale": 4000.0,
        "grade": Grade.GMP,
        "valid_to": date(2027, 3, 1),
        "note": None,
        "required": "ok",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "tags": ["a", "b"],
        "grades": [Grade.GMP, None],
    }
    return Offering(id=strawberry.ID(id_), **{**fields, **changes})


def _offerings() -> list[Offering]:
    return [
        _offering("f1"),
        _offering("f2", grade=Grade.NON_GMP, valid_to=None, note="x", required=None),
        _offering("f3", count=2**40),  # not a GraphQL Int
        _offering("f4", tags=["a", None], grades=None),  # a null item where none may be
        _offering("f5", tags=[], grades=[Grade.NON_GMP]),
        _offering("f6", tags=("t",), grades=[None]),
        _offering("f7", ratio=float("nan")),  # not a GraphQL Float
        _offering("f8", ratio=2, count=True, flag=1, note=7),  # serialised as graphql-core does
    ]


@strawberry.type
class Query:
    @strawberry.field
    def offerings(self) -> list[Offering | None]:
        return list(_offerings())


QUERY = """{ offerings { id scale grade validTo note required count ratio flag tags grades shouted
  alias: scale __typename } }"""


def _answer(execution_context_class: Any) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=execution_context_class)
    result = schema.execute_sync(QUERY)
    return {
        "data": result.data,
        "errors": [(e.message, e.path, e.locations) for e in result.errors or []],
    }


def test_plain_fields_answer_what_graphql_core_answers() -> None:
    fast, slow = _answer(PlainFields), _answer(None)
    assert fast == slow
    assert fast["data"]["offerings"][0] == {
        "id": "f1",
        "scale": 4000.0,
        "grade": "GMP",
        "validTo": "2027-03-01",
        "note": None,
        "required": "ok",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "tags": ["a", "b"],
        "grades": ["GMP", None],
        "shouted": "OK",
        "alias": 4000.0,
        "__typename": "Offering",
    }
    assert [o and (o["tags"], o["grades"]) for o in fast["data"]["offerings"][4:6]] == [
        ([], ["NON_GMP"]),
        (["t"], [None]),
    ]
    converted = fast["data"]["offerings"][7]
    assert (converted["ratio"], converted["count"], converted["flag"], converted["note"]) == (
        2.0,
        1,
        True,
        "7",
    )
    # a null in a non-null field or list item, an Int out of range: errors at their own
    # paths, the offerings themselves null
    assert fast["data"]["offerings"][1:4] == [None, None, None]
    assert fast["data"]["offerings"][6] is None
    assert [path for _, path, _ in fast["errors"]] == [
        ["offerings", 1, "required"],
        ["offerings", 2, "count"],
        ["offerings", 3, "tags", 1],
        ["offerings", 6, "ratio"],
    ]


@pytest.mark.parametrize(
    ("field", "is_plain"),
    [
        ("scale", True),
        ("grade", True),
        ("validTo", True),
        ("tags", True),
        ("grades", True),
        ("shouted", False),
    ],
)
def test_only_leaves_without_a_resolver_are_plain(field: str, is_plain: bool) -> None:
    schema = strawberry.Schema(query=Query)
    offering = schema._schema.type_map["Offering"]
    assert (plain(offering.fields[field]) is not None) is is_plain  # type: ignore[attr-defined]
