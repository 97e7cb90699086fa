"""Expected failures as GraphQL types: mutations return `Success | Problem` unions.

Each problem has a stable `code`, the message in Chinese and English (and `message` in
the caller's language, from Accept-Language), and the input `field` it is about.

The rules layer names fields as Python and the CSV headers do (`earliest_start`); over
GraphQL a field is named as the schema spells it (`earliestStart`, `quote.leadTimeDays`),
in `field` and in the messages alike (`graphql_path`, `graphql_text`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeVar, overload

import strawberry
from graphql import GraphQLInputObjectType, GraphQLObjectType
from starlette.responses import Response
from strawberry.utils.str_converters import to_camel_case

from hub import errors

# A snake_case word, not part of a longer word or code (CJK counts as a boundary).
SNAKE = re.compile(r"(?<![A-Za-z0-9_.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_-])")


def graphql_path(field: str | None) -> str | None:
    """An input path as GraphQL spells it: `quote.lead_time_days` → `quote.leadTimeDays`."""
    return None if field is None else ".".join(to_camel_case(p) for p in field.split("."))


# Every input field and argument name of the hub's schema, as GraphQL spells them: told
# by the module that assembles it (the toolkit imports no area, hence no schema).
INPUT_NAMES: set[str] = set()


def learn_input_names(schema: strawberry.Schema) -> None:
    """Spell input names in messages as `schema` does."""
    for kind in schema._schema.type_map.values():
        if isinstance(kind, GraphQLInputObjectType):
            INPUT_NAMES.update(kind.fields)
        elif isinstance(kind, GraphQLObjectType):
            INPUT_NAMES.update(arg for f in kind.fields.values() for arg in f.args)


def _camel_if_input(word: re.Match[str]) -> str:
    camel = to_camel_case(word[0])
    return camel if camel in INPUT_NAMES else word[0]


def graphql_text(text: str, field: str | None) -> str:
    """`text` with the input names in it as GraphQL spells them: the field it starts with
    (`need_by：…`) and any other input it names, never a value (a unit code stays)."""
    if field and re.match(re.escape(field) + r"\s*[:：]", text):
        return f"{graphql_path(field)}{SNAKE.sub(_camel_if_input, text[len(field) :])}"
    return SNAKE.sub(_camel_if_input, text)


@strawberry.interface(description="An expected failure: stable code, bilingual message.")
class Problem:
    code: str
    message: str
    message_zh: str
    message_en: str
    field: str | None = strawberry.field(description="The input field the problem is about.")

    @classmethod
    def of(cls, error: errors.HubError, language: str) -> Self:
        """This problem made from an expected failure, `message` in the caller's language,
        its field names as GraphQL spells them."""
        message_zh = graphql_text(error.message_zh, error.field)
        message_en = graphql_text(error.message_en, error.field)
        return cls(
            code=error.code,
            message=message_zh if language == "zh" else message_en,
            message_zh=message_zh,
            message_en=message_en,
            field=graphql_path(error.field),
        )


@strawberry.type(description="A value is missing, malformed or out of range.")
class InvalidInputProblem(Problem):
    pass


@strawberry.type(description="The object does not exist or is not visible to the caller.")
class NotFoundProblem(Problem):
    pass


@strawberry.type(description="The object's current state does not allow this change.")
class ConflictProblem(Problem):
    pass


@strawberry.type(
    description="Too many attempts of this kind: retry after `retryAfterSeconds` (the HTTP "
    "answer carries the same in Retry-After)."
)
class RateLimitedProblem(Problem):
    retry_after_seconds: int

    @classmethod
    def of(cls, error: errors.HubError, language: str) -> Self:
        message_zh, message_en = error.message_zh, error.message_en
        return cls(
            code=error.code,
            message=message_zh if language == "zh" else message_en,
            message_zh=message_zh,
            message_en=message_en,
            field=graphql_path(error.field),
            retry_after_seconds=error.retry_after_s if isinstance(error, errors.RateLimited) else 1,
        )


Problems = InvalidInputProblem | NotFoundProblem | ConflictProblem
T = TypeVar("T")
P = TypeVar("P", bound=Problem)

# Subclasses (ImportFailed, ImportRunning) are answered as the failure they refine.
PROBLEM_OF: tuple[tuple[type[errors.HubError], type[Problem]], ...] = (
    (errors.InvalidInput, InvalidInputProblem),
    (errors.NotFound, NotFoundProblem),
    (errors.Conflict, ConflictProblem),
    (errors.RateLimited, RateLimitedProblem),
)
EXPECTED = tuple(error for error, _ in PROBLEM_OF)


def problem_of(error: errors.HubError) -> type[Problem]:
    """The union member that answers an expected failure."""
    return next(problem for kind, problem in PROBLEM_OF if isinstance(error, kind))


@overload
async def attempt(language: str, change: Callable[[], Awaitable[T]]) -> T | Problems: ...


@overload
async def attempt(language: str, change: Callable[[], Awaitable[T]], only: type[P]) -> T | P: ...


async def attempt(
    language: str, change: Callable[[], Awaitable[T]], only: type[Problem] | None = None
) -> Any:
    """Expected failures become union members; anything else propagates (and is masked),
    as does a failure the result's union has no member for (`only`, when it has one)."""
    try:
        return await change()
    except EXPECTED as error:
        problem = problem_of(error)
        if only not in (None, problem):
            raise
        return problem.of(error, language)


async def attempt_telling_retry(
    language: str, response: object, change: Callable[[], Awaitable[T]]
) -> Any:
    """`attempt` for a rate-limited change: a RateLimitedProblem also sets `Retry-After` on
    the HTTP answer (`response`, the request's Starlette response, when there is one)."""
    result = await attempt(language, change)
    if isinstance(result, RateLimitedProblem) and isinstance(response, Response):
        response.headers["Retry-After"] = str(result.retry_after_seconds)
    return result
