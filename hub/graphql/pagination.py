"""Relay-style connections shared by every area: edges with opaque cursors, page info,
and a capped page size."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

import strawberry

from hub.errors import InvalidInput

MAX_PAGE = 100
DEFAULT_PAGE = 20
N = TypeVar("N")


class HasCursor(Protocol):
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

    @classmethod
    def of(cls, edges: Sequence[HasCursor], has_next_page: bool) -> PageInfo:
        return cls(has_next_page=has_next_page, end_cursor=edges[-1].cursor if edges else None)


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


def encode_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_cursor(cursor: str | None, prefix: str) -> str | None:
    """What `encode_cursor(prefix + ...)` wrapped; InvalidInput for anything else."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    if not text.startswith(prefix):
        raise InvalidInput(
            "after: is not a cursor this list gave out",
            "after：不是此列表给出的游标",
            field="after",
        )
    return text[len(prefix) :]


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput(
            f"first: must be between 1 and {MAX_PAGE}",
            f"first：必须在 1 到 {MAX_PAGE} 之间",
            field="first",
        )
    return first
