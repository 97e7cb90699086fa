"""Reminders go at most once each, to the members who want them, when they are due: 24 h
before an answer deadline, 90 and 30 days before a certificate ends, after 30 days without
a capacity confirmation. Scans are run for chosen moments: no waiting on the clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from hub.db.driver import Database, Tx, python_value
from hub.mail.reminders import scan
from hub.mail.render import render
from hub.routing import service
from hub.time import CHINA
from tests.mail.people import person
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, STARTUP, member, raw


async def _queued(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (m:MailMessage) RETURN m {.key, .to, .language, .template, .values} AS m "
        "ORDER BY m.key"
    )
    return [dict(r["m"]) for r in rows]


async def queued(db: Database) -> list[dict[str, Any]]:
    """The queued messages, each rendered once to prove its values fit its template."""
    found = await db.read(_queued)
    for m in found:
        render(m["template"], m["language"], json.loads(m["values"]), "https://hub.example.cn")
    return found


async def _deadlines(tx: Tx) -> dict[str, tuple[str, datetime]]:
    rows = await tx.records("MATCH (m:Match) RETURN m.uscc AS uscc, m.id AS id, m.deadline AS d")
    return {r["uscc"]: (r["id"], python_value(r["d"])) for r in rows}


async def test_a_deadline_reminder_goes_once_a_day_before_to_members_who_want_it(
    network: Database,
) -> None:
    await person(network, "cdmo-zh", "zh", uscc=sample.USCC)
    await person(network, "cdmo-muted", "en", uscc=sample.USCC, muted=("deadline_soon",))
    await person(network, "rival-en", "en", uscc=OTHER_PROVIDER)
    await person(network, "rival-unconfirmed", "en", uscc=OTHER_PROVIDER, confirmed=False)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    matches = await network.read(_deadlines)
    ours, deadline = matches[sample.USCC]
    rivals, _ = matches[OTHER_PROVIDER]

    assert await scan(network, deadline - timedelta(hours=30)) == 0  # not yet
    assert await scan(network, deadline - timedelta(hours=12)) == 2
    assert await scan(network, deadline - timedelta(hours=11)) == 0  # once
    assert [(m["key"], m["language"]) for m in await queued(network)] == sorted(
        [(f"deadline_soon:{ours}:cdmo-zh", "zh"), (f"deadline_soon:{rivals}:rival-en", "en")]
    )
    assert await scan(network, deadline + timedelta(hours=1)) == 0  # past: the sweeper's


async def test_an_answered_match_gets_no_deadline_reminder(network: Database) -> None:
    await person(network, "cdmo", uscc=sample.USCC)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    ours, deadline = (await network.read(_deadlines))[sample.USCC]
    await service.respond(network, member(sample.USCC), ours, QUOTE)
    assert await scan(network, deadline - timedelta(hours=12)) == 0


async def _set_certificate_end(tx: Tx, end: str) -> None:
    await tx.run("MATCH (c:Certificate) SET c.valid_to = date($end)", end=end)


def _china(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=CHINA)


async def test_a_certificate_ending_is_told_at_90_and_again_at_30_days_and_after_renewal(
    clean: Database,
) -> None:
    await sample.load(clean)
    await person(clean, "cdmo", "en", uscc=sample.USCC)
    await clean.write(_set_certificate_end, "2029-12-31")

    assert await scan(clean, _china("2029-09-01")) == 0  # 121 days out
    assert await scan(clean, _china("2029-11-01")) == 1  # 60 days: the 90-day reminder
    assert await scan(clean, _china("2029-11-20")) == 0
    assert await scan(clean, _china("2029-12-11")) == 1  # 20 days: the 30-day reminder
    assert await scan(clean, _china("2029-12-30")) == 0
    await clean.write(_set_certificate_end, "2030-03-01")  # renewed
    assert await scan(clean, _china("2029-12-31")) == 1  # 60 days before the new end

    certificate = f"nmpa_licence/京2025{sample.USCC[-6:]}"
    messages = await queued(clean)
    assert [m["key"] for m in messages] == sorted(
        f"certificate_expiring:{certificate}:{end}:{stage}:cdmo"
        for end, stage in [("2029-12-31", 90), ("2029-12-31", 30), ("2030-03-01", 90)]
    )
    assert sorted(json.loads(m["values"])["days"] for m in messages) == [20, 60, 60]


async def _confirmed(tx: Tx, at: str, owner_start: str | None = None) -> None:
    await tx.run(
        "MATCH (b:CapacityBucket) WHERE $start IS NULL OR b.start = datetime($start) "
        "SET b.confirmed_at = datetime($at)",
        at=at,
        start=owner_start,
    )


async def test_capacity_unconfirmed_for_30_days_is_told_once_per_stretch(
    network: Database,
) -> None:
    await person(network, "cdmo", uscc=sample.USCC)
    await network.write(_confirmed, "2026-12-01T00:00:00Z")

    assert await scan(network, _china("2026-12-20")) == 0  # 19 days
    assert await scan(network, _china("2027-01-10")) == 1  # 40 days
    assert await scan(network, _china("2027-01-20")) == 0  # the same stretch
    await network.write(_confirmed, "2027-01-19T00:00:00Z", "2027-02-01T00:00:00+08:00")
    assert await scan(network, _china("2027-02-10")) == 0  # confirmed 22 days before
    assert await scan(network, _china("2027-02-25")) == 1  # a new stretch
    assert await scan(network, _china("2027-03-30")) == 0  # no capacity left to confirm

    assert [m["key"] for m in await queued(network)] == [
        f"capacity_unconfirmed:{sample.USCC}:2026-12-01:cdmo",
        f"capacity_unconfirmed:{sample.USCC}:2027-01-19:cdmo",
    ]
