"""Answers that repeat, kept against the data's fingerprint.

Only queries whose root fields are all public registry or reference reads (`CACHEABLE`)
are kept: never a mutation, never routing, identity, webhooks or audit. `HUB_RESPONSE_CACHE`
false turns it off (every answer computed).
- Key: the document, its variables and operation name, the caller's visibility (anonymous,
  or signed in with this set of roles: what the registry's visibility rules read), the
  language, and today's date in China (certificate status, default capacity windows).
- Fingerprint: the bookmark of a read, which names the last committed transaction. An
  entry answers only while the fingerprint is unchanged, so any write makes the next
  answer fresh. A signed-in caller's sign-in read tells it (hub/auth.py): a hit costs no
  other round-trip. Else it is read (`Database.fingerprint`, a trivial read) only for a
  key the cache holds: a hit costs that one round-trip, a first or refused query nothing.
- An answer is kept only if it had no errors and every read that computed it carried the
  same bookmark as the fingerprint (the sign-in's, or the one read before it when an
  entry was there, else the reads' own bookmark when they all had one, else one read
  right after): no write slipped in between.
- One computation per key at a time: a miss while the same key is being computed waits
  for it, then looks again as a hit would (its own fingerprint), so many callers asking
  one new answer at once cost one computation, never a stale answer.
- Bounded: least recently used entries go first beyond `MAX_BYTES`; an entry lives at
  most `TTL_S` (`stale` turns true at an instant, not on a write).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from strawberry.types.execution import ExecutionResult

from hub.db.driver import reading
from hub.graphql import wire
from hub.graphql.context import RequestContext
from hub.time import CHINA

CACHEABLE = frozenset(
    {
        "organization",
        "organizations",
        "offerings",
        "parks",
        "taxonomy",
        "capability",
        "searchCapabilities",
        "__typename",
    }
)
TTL_S = 15.0
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024
Key = tuple[str, str, str | None, tuple[str, ...], str, str]

_bypass: ContextVar[bool] = ContextVar("response_cache_bypass", default=False)


@dataclass(frozen=True)
class Entry:
    fingerprint: frozenset[str]
    data: dict[str, Any]
    body: bytes  # the answer as the wire carries it: `{"data": ...}` (hub/graphql/wire.py)
    size: int
    stored_at: float


class ResponseCache:
    """Least recently used answers, bounded by their size in bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES, ttl_s: float = TTL_S) -> None:
        self.max_bytes = max_bytes
        self.ttl_s = ttl_s
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0
        self.computing: dict[Key, asyncio.Event] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: Key, fingerprint: frozenset[str]) -> dict[str, Any] | None:
        entry = self.entry(key, fingerprint)
        return None if entry is None else entry.data

    def entry(self, key: Key, fingerprint: frozenset[str]) -> Entry | None:
        """The entry while the data is unchanged and it is young enough; else None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.fingerprint != fingerprint or time.monotonic() - entry.stored_at > self.ttl_s:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, fingerprint: frozenset[str], data: dict[str, Any]) -> None:
        body = wire.encode({"data": data})
        size = len(body) + len(key[0]) + len(key[1])
        if size > MAX_ENTRY_BYTES or size > self.max_bytes:
            return
        self._drop(key)
        self._entries[key] = Entry(fingerprint, data, body, size, time.monotonic())
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size


CACHE = ResponseCache()


def bypassed_now() -> bool:
    """Whether answers are computed here and now (within `bypassed`)."""
    return _bypass.get()


@contextmanager
def bypassed() -> Iterator[None]:
    """Within: answers are computed, never taken from or put in the cache (tests that
    count the round-trips of a computed answer)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def _roots(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[str]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _roots(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                yield ""  # an unknown fragment: let validation answer it
            else:
                yield from _roots(fragment.selection_set, fragments)


@lru_cache(maxsize=512)
def _document(query: str) -> DocumentNode | None:
    try:
        return parse(query, no_location=True)
    except GraphQLError:
        return None


def cacheable(query: str, operation_name: str | None) -> bool:
    """Whether the operation is a query whose root fields are all on the allow-list."""
    document = _document(query)
    if document is None:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    chosen = [
        o
        for o in operations
        if operation_name is None or getattr(o.name, "value", None) == operation_name
    ]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return False
    try:
        return all(name in CACHEABLE for name in _roots(chosen[0].selection_set, fragments))
    except RecursionError:
        return False


def key_of(query: str, variables: Any, operation_name: str | None, context: RequestContext) -> Key:
    return key_for(query, variables, operation_name, context.visibility(), context.language)


def key_for(
    query: str,
    variables: Any,
    operation_name: str | None,
    visibility: tuple[str, ...],
    language: str,
) -> Key:
    return (
        query,
        json.dumps(variables, sort_keys=True, default=str),
        operation_name,
        visibility,
        language,
        datetime.now(CHINA).date().isoformat(),
    )


async def answer(
    request: Any,
    context: Any,
    compute: Callable[[], Awaitable[ExecutionResult]],
    cache: ResponseCache = CACHE,
) -> ExecutionResult:
    """The cached answer when the data has not changed since it was computed; else
    `compute()`, kept when it qualifies. `request`: Strawberry's GraphQLRequestData."""
    query: str | None = getattr(request, "query", None)
    variables: Any = getattr(request, "variables", None)
    operation_name: str | None = getattr(request, "operation_name", None)
    if (
        _bypass.get()
        or query is None
        or not isinstance(context, RequestContext)
        or not context.settings.response_cache
        or not cacheable(query, operation_name)
    ):
        return await compute()
    key = key_of(query, variables, operation_name, context)
    under_way = cache.computing.get(key)
    if under_way is not None:
        await under_way.wait()  # the same answer is being computed: then look again
    fingerprint = context.fingerprint
    if key in cache:
        fingerprint = fingerprint or await context.db.fingerprint()
        data = cache.get(key, fingerprint)
        if data is not None:
            cache.hits += 1
            return ExecutionResult(data=data, errors=None)
    cache.misses += 1
    done = cache.computing.setdefault(key, asyncio.Event())
    try:
        return await _computed(key, context, compute, cache, fingerprint)
    finally:
        if cache.computing.get(key) is done:
            del cache.computing[key]
            done.set()


async def _computed(
    key: Key,
    context: RequestContext,
    compute: Callable[[], Awaitable[ExecutionResult]],
    cache: ResponseCache,
    fingerprint: frozenset[str] | None,
) -> ExecutionResult:
    with reading() as marks:
        result = await compute()
    if result.errors or result.data is None:
        return result  # a refused query (limits, validation) reads nothing, not even this
    if fingerprint is None:
        # The answer stands for the data as it is now only if every read that computed it
        # saw the same last transaction: one read (or several at one bookmark) names it;
        # none (reference data held by the process) or several: read it after.
        fingerprint = frozenset(marks) if len(marks) == 1 else await context.db.fingerprint()
    if marks <= fingerprint:
        cache.put(key, fingerprint, result.data)
    return result
