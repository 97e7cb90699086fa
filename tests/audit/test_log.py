"""The audit log's records: ids unique without a constraint, in the order written."""

from __future__ import annotations

from hub.audit import log
from hub.db.driver import Database, Tx

WRITTEN = "MATCH (a:AuditRecord {actor: $actor}) RETURN a.id AS id, a.key AS key ORDER BY id"


async def test_every_record_of_every_write_has_its_own_id(clean: Database) -> None:
    changes = [log.Change("Thing", f"k{n:02d}", "create", None, {"n": n}) for n in range(12)]

    async def write(tx: Tx) -> None:
        await log.record(tx, log.Actor("test:ids"), changes)
        await log.record(tx, log.Actor("test:ids"), changes[:3])  # a second write, same tx

    await clean.write(write)
    await clean.write(write)

    async def read(tx: Tx) -> list[tuple[str, str]]:
        return [(r["id"], r["key"]) for r in await tx.records(WRITTEN, actor="test:ids")]

    records = await clean.read(read)
    ids = [i for i, _ in records]
    assert len(records) == 30 and len(set(ids)) == 30
    batches: dict[str, list[str]] = {}
    for record_id, key in records:
        batches.setdefault(record_id.rsplit("-", 1)[0], []).append(key)
    # four writes, each read back by id in the order its changes were given
    assert sorted(batches.values()) == sorted(
        [[c.key for c in changes]] * 2 + [["k00", "k01", "k02"]] * 2
    )
