"""The registry's writes: compare with what the graph holds, write only what differs,
and record each change (who, when, what, before, after) in the same transaction.

The one writer of registry entities: mutations (hub.registry.service), imports
(hub.imports.pipeline) and the demo (hub.demo.generate); the Cypher it runs is each
entity's storage (hub.registry.store.entities). The audit record is written here, not by
the callers, because a change and its record must share the transaction.

One path serves a single mutation and a 10,000-row import alike: a batch costs a constant
number of queries (read state, check parents, write — new entities and changed ones
apart, for a bulk writer — audit), whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

from neo4j.exceptions import ConstraintError
from neo4j.time import Date, DateTime

from hub.audit import log as audit
from hub.audit.log import Actor
from hub.db.driver import Database, Tx, Work
from hub.errors import Conflict, NotFound
from hub.fit.summary import refresh
from hub.registry.store.entities import STORAGE, State, Storage

# Kept by writers other than the registry's (`reserved` by reservations, `track_*` by
# routing: hub.routing.store.track_record, an organization's `status` by verification:
# hub.onboarding) or derived: never a change, never written back.
BOOKKEEPING = {
    "status",
    "created_at",
    "updated_at",
    "confirmed_at",
    "reserved",
    "location",
    "track_completed",
    "track_on_time",
    "track_rated",
    "track_rating_sum",
    "track_routed",
    "track_answered",
    "track_partners",
}


@dataclass(frozen=True)
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: Summary) -> Summary:
        return Summary(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


P = ParamSpec("P")
T = TypeVar("T")

_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: no conversion (a hot loop of imports)
        return value
    if isinstance(value, Date | DateTime):
        value = value.to_native()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(_plain(v) for v in value)
    return value


def comparable(state: State) -> State:
    """State without bookkeeping or empty values, in JSON-friendly types."""
    return {
        k: _plain(v)
        for k, v in sorted(state.items())
        if k not in BOOKKEEPING and v is not None and v != []
    }


def _action(before: State | None, after: State) -> str:
    if before is None:
        return "create"
    if before.get("active", True) and not after.get("active", True):
        return "retire"
    if not before.get("active", True) and after.get("active", True):
        return "reactivate"
    return "update"


async def _check_parents(tx: Tx, storage: Storage, rows: list[dict[str, Any]]) -> None:
    missing = await tx.records(storage.missing, rows=rows)
    if missing:
        field, value = missing[0]["field"], missing[0]["value"]
        raise NotFound(f"{field}: no {field} {value}", f"{field}：不存在 {value}", field=field)


async def _write(
    tx: Tx, storage: Storage, rows: list[dict[str, Any]], stale: set[str] | None, new: set[str]
) -> None:
    """`storage.write`, or given `stale` (a bulk writer), `storage.write_stale` adding to it
    the offerings whose fit summaries the write leaves to refresh, and `storage.create` for
    the rows whose keys are `new` (read as absent in this transaction)."""
    if stale is None:
        written = await tx.records(storage.write, **storage.params(rows))
    else:
        created = [r for r in rows if r["key"] in new] if storage.create else []
        updated = [r for r in rows if r["key"] not in new] if created else rows
        written = []
        write = storage.write_stale or storage.write
        for cypher, some in ((storage.create, created), (write, updated)):
            if some and cypher is not None:
                written += await tx.records(cypher, **storage.params(some))
        stale.update(i for r in written for i in r.get("offerings", ()))
    problems = [p for r in written for p in r["problems"]]
    if problems:
        raise Conflict(
            f"total: below what is already reserved ({problems[0]})",
            f"total：不能低于已预留的数量（{problems[0]}）",
            field="total",
        )


async def bulk(db: Database, work: Work[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`db.write(work, ...)` for a writer that passes `stale` (an import, a generated network):
    its new rows are created without a lookup of their keys. Should a concurrent writer
    create one of them between this transaction's read and its write, the key's uniqueness
    constraint refuses the write; the work runs once more, and finds that row this time."""
    try:
        return await db.write(work, *args, **kwargs)
    except ConstraintError:
        return await db.write(work, *args, **kwargs)


async def apply(
    tx: Tx,
    entities: Sequence[Any],
    actor: Actor,
    *,
    parents_checked: bool = False,
    stale: set[str] | None = None,
) -> Summary:
    """Write the entities (all of one kind) that differ from the graph, and audit them.
    `parents_checked`: the caller has checked in this transaction that their parents exist
    (an import does, by line), so the check is not run twice. `stale`: the caller refreshes
    the fit summaries of these offerings once, before its transaction ends (refresh_stale);
    the write adds those it touches instead of refreshing them itself."""
    if not entities:
        return Summary()
    storage = STORAGE[type(entities[0])]
    states = {storage.key(e): storage.state(e) for e in entities}
    return await apply_states(
        tx, storage, states, actor, parents_checked=parents_checked, stale=stale
    )


async def refresh_stale(tx: Tx, stale: set[str], chunk: int = 1_000) -> None:
    """Refresh the fit summaries that writes with `stale` left, `chunk` offerings a query."""
    ids = sorted(stale)
    for start in range(0, len(ids), chunk):
        await refresh(tx, ids[start : start + chunk])


async def read_states(tx: Tx, storage: Storage, keys: Sequence[str]) -> dict[str, State]:
    """What the graph holds now for these keys (those it holds)."""
    rows = await tx.records(storage.read, keys=list(keys))
    return {r["key"]: dict(r["state"]) for r in rows}


async def read_state(tx: Tx, entity: Any) -> State | None:
    """What the graph holds now for this entity's key, or None."""
    storage = STORAGE[type(entity)]
    key = storage.key(entity)
    return (await read_states(tx, storage, [key])).get(key)


def _check_same_holder(before: dict[str, State], states: dict[str, State]) -> None:
    """A key (e.g. a certificate number) never moves to another organization."""
    for key, state in states.items():
        held_by = before.get(key, {}).get("uscc")
        if held_by is not None and held_by != state.get("uscc"):
            raise Conflict(
                f"{key} is registered to another organization",
                f"{key} 已登记在其他机构名下",
                field="number",
            )


async def apply_states(
    tx: Tx,
    storage: Storage,
    states: dict[str, State],
    actor: Actor,
    *,
    parents_checked: bool = False,
    reason: str | None = None,
    stale: set[str] | None = None,
) -> Summary:
    """Write these states (key -> state) where they differ from the graph; audit each
    (with `reason`, when the caller gave one). `stale`: as for `apply`."""
    before = {
        r["key"]: comparable(r["state"]) for r in await tx.records(storage.read, keys=list(states))
    }
    _check_same_holder(before, states)
    after = {k: comparable(s) for k, s in states.items()}
    changed = {k: s for k, s in states.items() if after[k] != before.get(k)}
    if not changed:
        return Summary(unchanged=len(states))
    # Bookkeeping (reserved above all) is never written back from a state read earlier.
    rows = [
        storage.row(key, {k: v for k, v in state.items() if k not in BOOKKEEPING})
        for key, state in changed.items()
    ]
    if not parents_checked:
        await _check_parents(tx, storage, rows)
    await _write(tx, storage, rows, stale, {k for k in changed if k not in before})
    await audit.record(
        tx,
        actor,
        [
            audit.Change(
                storage.label, k, _action(before.get(k), after[k]), before.get(k), after[k], reason
            )
            for k in changed
        ],
    )
    created = sum(1 for k in changed if k not in before)
    return Summary(created, len(changed) - created, len(states) - len(changed))
