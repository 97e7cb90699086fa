"""Mail: what the reminder scans cost on a synthetic network, how fast the outbox drains
through the `.eml` transport and through a real local SMTP server, with one and with two
senders (as two hub processes), and whether any message went twice.

Loads `--orgs` synthetic firms (hub/demo/synthetic.py), two confirmed people per firm,
makes a share of certificates end within 90 days, half the firms' capacity 40 days
unconfirmed and `--matches` routed matches due within 24 hours, then:

- times each reminder query (first scan, which queues; then steady state: nothing new)
  and prints its plan's operators (index seeks or scans);
- queues `--messages` messages and times their sending to a drained outbox.

Run: `python -m bench.mail --orgs 2000 --messages 2000`. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString

import structlog
from pydantic import SecretStr

from bench.common import neo4j, summary_ms
from hub.config import Settings
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate
from hub.demo.synthetic import load_synthetic
from hub.mail.kinds import Kind
from hub.mail.outbox import Mail, enqueue
from hub.mail.reminders import LIMIT, SCANS
from hub.mail.samples import SAMPLES
from hub.mail.sender import Sender
from hub.reference.seed import load_reference
from hub.time import CHINA
from tests.mail.smtp_server import SmtpServer

PEOPLE: LiteralString = """
MATCH (o:Organization)
UNWIND [0, 1] AS n
CREATE (p:Person {id: o.uscc + '-' + toString(n), email: o.uscc + '.' + toString(n) + '@example.cn',
                  language: CASE n WHEN 0 THEN 'zh' ELSE 'en' END,
                  email_confirmed_at: datetime()})-[:MEMBER_OF {role: 'provider'}]->(o)
"""

# Every fifth certificate ends 20 to 80 days from now; half the firms' capacity was last
# confirmed 40 days ago.
DUE: LiteralString = """
MATCH (c:Certificate) WITH c, rand() AS r WHERE r < 0.2
SET c.valid_to = date() + duration({days: 20 + toInteger(r * 300)}), c.active = true
WITH count(*) AS certificates
MATCH (o:Organization) WHERE toInteger(right(o.uscc, 2)) % 2 = 0
MATCH (b:CapacityBucket) WHERE b.owner_id STARTS WITH o.uscc + '/'
SET b.confirmed_at = datetime() - duration({days: 40})
RETURN certificates, count(b) AS buckets
"""

MATCHES: LiteralString = """
MATCH (o:Organization) WITH o LIMIT $n
CREATE (r:Request {id: 'bench-' + o.uscc, title: 'bench request', status: 'routed'})
CREATE (m:Match {id: 'bench-m-' + o.uscc, uscc: o.uscc, request_id: r.id, status: 'routed',
                 routed_at: datetime() - duration({hours: 30}),
                 deadline: datetime() + duration({hours: 18})})-[:FOR]->(r)
"""

COUNTS: LiteralString = """
CALL () { MATCH (b:CapacityBucket) RETURN count(b) AS buckets }
CALL () { MATCH (c:Certificate) RETURN count(c) AS certificates }
CALL () { MATCH (p:Person) RETURN count(p) AS people }
RETURN buckets, certificates, people
"""


async def _run(tx: Tx, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    return [r.data() for r in await tx.records(query, **params)]


def _operators(plan: Any) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


async def _plan(db: Database, query: LiteralString, params: dict[str, Any]) -> list[str]:
    async with db.driver.session(database=db.name) as session:
        result = await session.run("EXPLAIN " + query, params)  # type: ignore[arg-type]
        summary = await result.consume()
    assert summary.plan is not None
    return sorted({op for op in _operators(summary.plan) if "Seek" in op or "Scan" in op})


async def prepare(db: Database, orgs: int, matches: int) -> None:
    await migrate(db)
    await load_reference(db)
    began = time.perf_counter()
    await load_synthetic(db, orgs, seed=7)
    print(f"{orgs} synthetic firms written in {time.perf_counter() - began:.0f} s")
    await db.write(_run, PEOPLE)
    [due] = await db.write(_run, DUE)
    await db.write(_run, MATCHES, n=matches)
    [counts] = await db.read(_run, COUNTS)
    print(f"graph: {counts}; made due: {due}, {matches} matches within 24 h")


async def scans(db: Database, repeats: int) -> None:
    now = datetime.now(UTC)
    params = {"now": now, "today": now.astimezone(CHINA).date(), "limit": LIMIT}
    for kind, query in SCANS:
        first, queued = [], 0
        while True:  # a scan queues at most LIMIT of a kind: the next one goes on
            began = time.perf_counter()
            rows = await db.read(_run, query, **params)
            first.append(time.perf_counter() - began)
            if not rows:
                break
            queued += len(rows)
            await db.write(_queue, kind, rows)
        steady = []
        for _ in range(repeats):
            began = time.perf_counter()
            assert not await db.read(_run, query, **params)  # all queued: nothing new
            steady.append(time.perf_counter() - began)
        scans_ms = ", ".join(f"{s * 1000:.0f}" for s in first)
        print(
            f"{kind.value}: {queued} reminders queued by scans of {scans_ms} ms; "
            f"then, nothing new: {summary_ms(steady)}"
        )
        print(f"  plan: {', '.join(await _plan(db, query, params))}")


async def _queue(tx: Tx, kind: Kind, rows: list[dict[str, Any]]) -> None:
    person = "person"
    mails = [
        Mail(r["key"], r[person]["email"], r[person]["language"], kind, dict(r["values"]))
        for r in rows
    ]
    await enqueue(tx, mails)


async def _queue_messages(db: Database, count: int, tag: str) -> None:
    values = SAMPLES[Kind.REQUEST_ROUTED]
    mails = [
        Mail(
            f"bench:{tag}:{n}",
            f"p{n}@example.cn",
            "zh" if n % 2 else "en",
            Kind.REQUEST_ROUTED,
            values,
        )
        for n in range(count)
    ]

    async def work(tx: Tx) -> None:
        await enqueue(tx, mails)

    await db.write(work)


async def drain(db: Database, settings: Settings, count: int, senders: int, tag: str) -> float:
    await _queue_messages(db, count, tag)
    workers = [Sender(db, settings) for _ in range(senders)]

    async def run(sender: Sender) -> int:
        sent = 0
        while (n := await sender.once()) or await _left(db, tag):
            sent += n
        return sent

    began = time.perf_counter()
    sent = await asyncio.gather(*(run(s) for s in workers))
    seconds = time.perf_counter() - began
    print(
        f"  {senders} sender(s): {sum(sent)} sent in {seconds:.1f} s "
        f"({sum(sent) / seconds:.0f}/s), per sender {sent}"
    )
    return seconds


async def _left(db: Database, tag: str) -> bool:
    rows = await db.read(
        _run,
        "MATCH (m:MailMessage) WHERE m.key STARTS WITH $p AND "
        "m.state IN ['queued', 'sending'] RETURN count(m) AS n",
        p=f"bench:{tag}:",
    )
    return bool(rows[0]["n"])


FORGET: LiteralString = "MATCH (m:MailMessage) DETACH DELETE m RETURN count(*) AS n"


async def main(orgs: int, matches: int, messages: int, repeats: int) -> None:
    # Each message sent is logged at INFO: keep the figures readable.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with neo4j() as base:
        async with open_driver(base) as driver:
            db = Database(driver, base.neo4j_database)
            await prepare(db, orgs, matches)
            await scans(db, repeats)
            await db.write(_run, FORGET)  # the reminders are not part of the sending runs
            with tempfile.TemporaryDirectory() as state:
                offline = base.model_copy(update={"state_dir": Path(state), "smtp_url": None})
                print(f"sending {messages} messages as .eml files:")
                for senders in (1, 2):
                    await drain(db, offline, messages, senders, f"eml{senders}")
                files = len(list((Path(state) / "mail").glob("*.eml")))
                print(f"  files written: {files} for {2 * messages} messages")
            server = SmtpServer().start()
            try:
                smtp = base.model_copy(
                    update={
                        "smtp_url": SecretStr(f"smtp://127.0.0.1:{server.port}"),
                        "smtp_starttls": False,
                    }
                )
                print(f"sending {messages} messages to a local SMTP server (aiosmtpd):")
                for senders in (1, 2):
                    await drain(db, smtp, messages, senders, f"smtp{senders}")
                ids = [str(m["Message-ID"]) for m in server.inbox.received]
                print(f"  received {len(ids)}, distinct Message-IDs {len(set(ids))}")
            finally:
                server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--matches", type=int, default=300)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.orgs, args.matches, args.messages, args.repeats))
