"""The process's one AsyncDriver, and `Database`: managed transactions with the hub's habits.

Every unit of work is a function of a `Tx` run in a managed transaction (retried by the
driver on transient errors, so it must be free of side effects). Connection failures
become `DatabaseUnavailable`, which the HTTP layer answers with 503 and Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, LiteralString, ParamSpec, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import (
    ClientError,
    ConnectionPoolError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.exceptions import DatabaseUnavailable as ServerDatabaseUnavailable

from hub import metrics
from hub.config import Settings
from hub.errors import DatabaseUnavailable, InvalidInput

INVALID_BOOKMARK = "Neo.ClientError.Transaction.InvalidBookmark"
P = ParamSpec("P")
T = TypeVar("T")

_round_trips: ContextVar[list[str] | None] = ContextVar("round_trips", default=None)
# Causal consistency across processes (hub/consistency.py): the bookmarks a request must
# see, and those of the writes it made.
_seen: ContextVar[frozenset[str]] = ContextVar("bookmarks_seen", default=frozenset())
_made: ContextVar[set[str] | None] = ContextVar("bookmarks_made", default=None)
# The response cache (hub/graphql/response_cache.py): the bookmarks of the reads made.
_read: ContextVar[set[str] | None] = ContextVar("bookmarks_read", default=None)
FINGERPRINT: LiteralString = "RETURN 1"
READ_ONE_ATTEMPTS = 3


@contextmanager
def causal(seen: frozenset[str]) -> Iterator[set[str]]:
    """Within: every unit of work waits for `seen`; the bookmarks of its writes are
    collected in the yielded set (to hand back to the client)."""
    made: set[str] = set()
    tokens = _seen.set(seen), _made.set(made)
    try:
        yield made
    finally:
        _seen.reset(tokens[0])
        _made.reset(tokens[1])


def open_driver(settings: Settings) -> AsyncDriver:
    """One driver per process; `bolt://` pins a server, `neo4j://` routes in a cluster."""
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        connection_timeout=settings.neo4j_timeout_s,
        connection_acquisition_timeout=settings.neo4j_timeout_s,
        max_transaction_retry_time=settings.neo4j_timeout_s,
        liveness_check_timeout=30.0,
        user_agent="pharma-hub",
        notifications_min_severity="OFF",
    )


class Tx:
    """The part of a managed transaction that store functions use; counts round-trips."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, cypher: LiteralString, /, **params: Any) -> neo4j.AsyncResult:
        log = _round_trips.get()
        if log is not None:
            log.append(cypher)
        return await self._tx.run(cypher, params)

    async def records(self, cypher: LiteralString, /, **params: Any) -> list[neo4j.Record]:
        """Run and consume: the records of one query, as a list."""
        result = await self.run(cypher, **params)
        return [record async for record in result]

    async def single(self, cypher: LiteralString, /, **params: Any) -> neo4j.Record | None:
        result = await self.run(cypher, **params)
        return await result.single()

    async def collected(
        self, cypher: LiteralString, columns: tuple[LiteralString, ...], /, **params: Any
    ) -> list[dict[str, Any]]:
        """The rows of a query that returns `columns`, fetched as one record holding them
        all, as a list of dicts. For wide answers of many rows: the driver reads and
        decodes one large message instead of a message per row, about half its CPU."""
        wrapped: LiteralString = (
            "CALL () {\n" + cypher + "\n}\nRETURN collect([" + ", ".join(columns) + "]) AS rows"
        )
        record = await self.single(wrapped, **params)
        rows: list[list[Any]] = [] if record is None else record["rows"]
        return [dict(zip(columns, row, strict=True)) for row in rows]


Work = Callable[Concatenate[Tx, P], Awaitable[T]]


class OneQuery(Tx):
    """A `Tx` over an auto-commit transaction: for a unit of work of one query only
    (`Database.read_one`); a second query is a programming error, not a second transaction."""

    def __init__(self, session: neo4j.AsyncSession) -> None:
        self._session = session
        self._ran = False

    async def run(self, cypher: LiteralString, /, **params: Any) -> neo4j.AsyncResult:
        if self._ran:
            raise RuntimeError("read_one: the unit of work runs more than one query")
        self._ran = True
        log = _round_trips.get()
        if log is not None:
            log.append(cypher)
        return await self._session.run(cypher, params)


UNAVAILABLE = (
    ServiceUnavailable,  # no server answers (incomplete commits included)
    SessionExpired,  # the server went away during the session
    ConnectionPoolError,  # no connection free in time (ConnectionAcquisitionTimeoutError)
    ServerDatabaseUnavailable,  # the server answers but the database is not available
    OSError,  # broken sockets, connect timeouts (TimeoutError is an OSError)
)


def _is_unavailable(error: BaseException) -> bool:
    """By the driver's exception types, never by message text (which changes between
    versions: 6.x says "(timeout)" where 5.x said "timed out")."""
    return isinstance(error, UNAVAILABLE)


class Database:
    """Runs units of work against one database of one driver."""

    def __init__(self, driver: AsyncDriver, name: str) -> None:
        self.driver = driver
        self.name = name

    async def read(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._run(neo4j.READ_ACCESS, work, *args, **kwargs)

    async def write(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._run(neo4j.WRITE_ACCESS, work, *args, **kwargs)

    async def read_one(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A read of one query, sent as an auto-commit transaction: one round-trip, where a
        managed transaction takes three (BEGIN, RUN and PULL, COMMIT), for the reads every
        request makes (the sign-in, the fingerprint). Retried as the driver retries managed
        transactions, on errors it calls retryable; bookmarks as `read` has them."""
        for attempt in range(1, READ_ONE_ATTEMPTS + 1):
            try:
                return await self._read_one(work, *args, **kwargs)
            except (DriverError, Neo4jError, OSError) as error:
                retryable = not isinstance(error, OSError) and error.is_retryable()
                if attempt == READ_ONE_ATTEMPTS or not retryable:
                    translated = _translated(error)
                    if translated is error:
                        raise
                    raise translated from error
                metrics.TRANSACTION_RETRIES.labels(neo4j.READ_ACCESS).inc()
                await asyncio.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    async def _read_one(self, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        seen = _seen.get()
        bookmarks = neo4j.Bookmarks.from_raw_values(seen) if seen else None
        async with self.driver.session(
            database=self.name, default_access_mode=neo4j.READ_ACCESS, bookmarks=bookmarks
        ) as session:
            found = await work(OneQuery(session), *args, **kwargs)
            read = _read.get()
            if read is not None:
                read.update((await session.last_bookmarks()).raw_values)
            return found

    async def probe(self, query: LiteralString, timeout_s: float) -> list[neo4j.Record]:
        """One auto-commit read, not retried and bounded in time: for health checks."""
        try:
            async with asyncio.timeout(timeout_s):
                async with self.driver.session(database=self.name) as session:
                    result = await session.run(query)
                    return [record async for record in result]
        except (TimeoutError, ServiceUnavailable, SessionExpired, DriverError, OSError) as error:
            raise DatabaseUnavailable from error

    async def fingerprint(self) -> frozenset[str]:
        """The data's fingerprint: the bookmark of a trivial read, which names the last
        committed transaction (it changes after any write, and is stable otherwise)."""

        async def trivial(tx: Tx) -> None:
            await tx.records(FINGERPRINT)

        with reading() as marks:
            await self.read_one(trivial)
        return frozenset(marks)

    async def _run(self, mode: str, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        attempts = 0

        async def unit(tx: AsyncManagedTransaction) -> T:
            nonlocal attempts
            attempts += 1
            return await work(Tx(tx), *args, **kwargs)

        seen = _seen.get()
        bookmarks = neo4j.Bookmarks.from_raw_values(seen) if seen else None
        try:
            async with self.driver.session(
                database=self.name, default_access_mode=mode, bookmarks=bookmarks
            ) as s:
                if mode == neo4j.READ_ACCESS:
                    found = await s.execute_read(unit)
                    read = _read.get()
                    if read is not None:
                        read.update((await s.last_bookmarks()).raw_values)
                    return found
                done = await s.execute_write(unit)
                made = _made.get()
                if made is not None:
                    made.update((await s.last_bookmarks()).raw_values)
                return done
        except (DriverError, Neo4jError, OSError) as error:
            translated = _translated(error)
            if translated is error:
                raise
            raise translated from error
        finally:
            if attempts > 1:
                metrics.TRANSACTION_RETRIES.labels(mode).inc(attempts - 1)


def _translated(error: Exception) -> Exception:
    """What a driver error becomes for the hub: a bookmark it never gave out is the
    client's bad input, an unreachable server DatabaseUnavailable (503); others stay."""
    if isinstance(error, ClientError) and error.code == INVALID_BOOKMARK:
        return InvalidInput(
            "x-hub-bookmark: not a bookmark this database gave out",
            "x-hub-bookmark：不是本数据库发出的书签",
            field="x-hub-bookmark",
        )
    if _is_unavailable(error):
        metrics.NEO4J_UNAVAILABLE.inc()
        return DatabaseUnavailable()
    return error


def python_value(value: Any) -> Any:
    """A value as Python has it: Neo4j's Date, DateTime, Duration become the standard ones."""
    return value.to_native() if hasattr(value, "to_native") else value


@contextmanager
def reading() -> Iterator[set[str]]:
    """Within: the bookmarks of every read transaction are collected in the yielded set."""
    marks: set[str] = set()
    token = _read.set(marks)
    try:
        yield marks
    finally:
        _read.reset(token)


@contextmanager
def counting_round_trips() -> Iterator[list[str]]:
    """Collect every query sent in this context: tests pin round-trips with it (no N+1)."""
    log: list[str] = []
    token = _round_trips.set(log)
    try:
        yield log
    finally:
        _round_trips.reset(token)
