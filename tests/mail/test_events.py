"""Routing's events become mail for the people of the firm told: routed, quote received,
awarded, not awarded, cancelled; each event once, whoever mails it and how often; past
events are not mailed when mail arrives."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from typing import Any

from hub.config import Settings
from hub.db.driver import Database, Tx, counting_round_trips
from hub.db.migrations import load
from hub.mail.events import mail_events
from hub.mail.render import render
from hub.mail.sender import mail_dir
from hub.mail.worker import Worker
from hub.routing import service
from tests.mail.common import keys
from tests.mail.people import person
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw


async def _queued(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (m:MailMessage) RETURN m {.key, .to, .language, .template, .values} AS m"
    )
    return [dict(r["m"]) for r in rows]


async def told(db: Database) -> list[tuple[str, str]]:
    """(person, kind) of each queued message, each rendered to prove its values fit."""
    found = await db.read(_queued)
    for m in found:
        render(m["template"], m["language"], json.loads(m["values"]), "https://hub.example.cn")
    return sorted((m["key"].rsplit(":", 1)[1], m["template"]) for m in found)


async def _people(db: Database) -> None:
    await person(db, "startup", "en", uscc=REQUESTER)
    await person(db, "cdmo", "zh", uscc=sample.USCC)
    await person(db, "rival", "en", uscc=OTHER_PROVIDER)
    await person(db, "rival-muted", "en", uscc=OTHER_PROVIDER, muted=("not_awarded",))
    await person(db, "rival-unconfirmed", "en", uscc=OTHER_PROVIDER, confirmed=False)


async def _match_of(tx: Tx, uscc: str) -> str:
    row = await tx.single("MATCH (m:Match {uscc: $u}) RETURN m.id AS id", u=uscc)
    assert row is not None
    return str(row["id"])


async def test_each_routing_event_is_mailed_once_to_the_firm_it_concerns(
    network: Database,
) -> None:
    await _people(network)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    await mail_events(network)
    assert await told(network) == [
        ("cdmo", "request_routed"),
        ("rival", "request_routed"),
        ("rival-muted", "request_routed"),
    ]

    winner = await network.read(_match_of, sample.USCC)
    await service.respond(network, member(sample.USCC), winner, QUOTE)
    await service.award(network, STARTUP, request_id, winner)
    await service.cancel(network, STARTUP, request_id)
    await mail_events(network)
    assert await mail_events(network) == 0  # nothing left, nothing twice
    assert await told(network) == [
        ("cdmo", "awarded"),
        ("cdmo", "request_cancelled"),  # its award was cancelled
        ("cdmo", "request_routed"),
        ("rival", "not_awarded"),
        ("rival", "request_routed"),
        ("rival-muted", "request_routed"),
        ("startup", "quote_received"),
    ]


async def test_a_request_cancelled_before_its_award_is_told_as_cancelled(
    network: Database,
) -> None:
    await _people(network)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    await service.cancel(network, STARTUP, request_id)
    await mail_events(network)
    cancelled = [who for who, kind in await told(network) if kind == "request_cancelled"]
    assert cancelled == ["cdmo", "rival", "rival-muted"]


async def test_a_stream_is_mailed_in_a_fixed_number_of_queries_whatever_its_length(
    network: Database,
) -> None:
    await _people(network)
    for _ in range(3):
        request_id = await service.submit(network, STARTUP, raw())
        await service.route(network, STARTUP, request_id, k=2)
    with counting_round_trips() as queries:
        await mail_events(network)
    # Which streams are behind; then for each of the three (the requester's, the two
    # providers'): its batch and its cursor, and the messages where there are any (the
    # requester's events here are not mailed).
    assert len(queries) == 1 + 2 * 3 + 2
    assert len(await keys(network)) == 3 * 3  # three requests, three provider people


async def test_events_from_before_mail_arrived_are_not_mailed(network: Database) -> None:
    await _people(network)
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    [migration] = [m for m in load() if m.name == "mail_delivery"]

    async def apply(tx: Tx) -> None:
        for statement in migration.statements:
            if not statement.startswith("CREATE CONSTRAINT"):
                await tx.run(statement)  # type: ignore[arg-type]

    await network.write(apply)
    assert await mail_events(network) == 0
    assert await keys(network) == []


async def test_the_worker_mails_routing_events_offline_as_eml_files(
    network: Database, mail_settings: Settings
) -> None:
    await _people(network)
    offline = mail_settings.model_copy(update={"smtp_url": None})
    request_id = await service.submit(network, STARTUP, raw())
    await service.route(network, STARTUP, request_id, k=2)
    worker = Worker(network, offline)
    assert await worker.round() > 0

    files = sorted(mail_dir(offline).glob("*.eml"))
    subjects = sorted(
        str(message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"]) for f in files
    )
    assert len(subjects) == 3
    assert sum(s.startswith("New request for") for s in subjects) == 2  # the rival's two
    assert sum("收到新需求" in s for s in subjects) == 1  # the CDMO's person reads Chinese
