"""Expected failures as GraphQL types: mutations return `Success | Problem` unions.

Each problem has a stable `code`, the message in Chinese and English (and `message` in
the caller's language, from Accept-Language), and the input `field` it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Self, TypeVar

import strawberry

from hub import errors


@strawberry.interface(description="An expected failure: stable code, bilingual message.")
class Problem:
    code: str
    message: str
    message_zh: str
    message_en: str
    field: str | None = strawberry.field(description="The input field the problem is about.")

    @classmethod
    def of(cls, error: errors.HubError, language: str) -> Self:
        """This problem made from an expected failure, `message` in the caller's language."""
        message = error.message_zh if language == "zh" else error.message_en
        return cls(
            code=error.code,
            message=message,
            message_zh=error.message_zh,
            message_en=error.message_en,
            field=error.field,
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


Problems = InvalidInputProblem | NotFoundProblem | ConflictProblem
T = TypeVar("T")


async def attempt(language: str, change: Callable[[], Awaitable[T]]) -> T | Problems:
    """Expected failures become union members; anything else propagates (and is masked)."""
    try:
        return await change()
    except errors.InvalidInput as error:
        return InvalidInputProblem.of(error, language)
    except errors.NotFound as error:
        return NotFoundProblem.of(error, language)
    except errors.Conflict as error:
        return ConflictProblem.of(error, language)
