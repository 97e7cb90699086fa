"""Objects for the mutation tests to act on: each target makes the variables of one call,
with a fresh object when the call needs one (an award needs a quoted match, a retirement a
live site)."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.identity import service as identity
from hub.identity.model import Role
from hub.routing import service as routing
from tests import factories
from tests.registry import sample
from tests.registry.test_mutations import NEW_ORG
from tests.routing.common import QUOTE, REQUESTER, STARTUP, member, raw
from tests.routing.test_routing_api import _input
from tests.security.matrix import HANDLES
from tests.webhooks.common import subscribe

PROVIDER = sample.USCC
OFFERING = f"{PROVIDER}/yz-1/mab-usp"
HOOK_URL = "http://127.0.0.1:9/hooks"
QUOTE_INPUT = '{price: 9, leadTimeDays: 30, validUntil: "2030-12-31T00:00:00+08:00"}'


@dataclass
class Bench:
    """What targets are made with: the database, the app, an admin's token."""

    db: Database
    client: httpx.AsyncClient
    settings: Settings
    admin: str
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def as_admin(self, document: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers={"authorization": f"Bearer {self.admin}"},
        )
        [result] = response.json()["data"].values()
        assert "code" not in result, result
        return dict(result)


Target = Callable[[Bench, int], Awaitable[dict[str, Any]]]


async def no_hooks(tx: Tx) -> None:
    """Room for the row's subscriptions (an organization may have 10)."""
    await tx.run("MATCH (s:WebhookSubscription {uscc: $u}) DETACH DELETE s", u=REQUESTER)


def doc(declared: str, call: str, success: str = "") -> str:
    problem = "... on Problem { code field }"
    return f"mutation({declared}) {{ {call} {{ __typename {problem} {success} }} }}"


# Targets: the variables of one call, with a fresh object when the call needs one ----------


def _site(n: int) -> dict[str, Any]:
    return {
        "uscc": PROVIDER,
        "site": f"m{n}",
        "nameZh": f"矩阵{n}厂",
        "nameEn": f"Matrix plant {n}",
        "address": "北京经济技术开发区示例路9号",
        "city": "北京",
        "lat": 39.79,
        "lon": 116.51,
        "park": "BJ-ETOWN",
    }


def _offering(n: int) -> dict[str, Any]:
    return {
        "uscc": PROVIDER,
        "site": "yz-1",
        "offering": f"o{n}",
        "capability": "BIO.USP.FB",
        "gmpGrade": "GMP_CLINICAL",
        "scaleMin": 100,
        "scaleMax": 2000,
    }


def _equipment(n: int) -> dict[str, Any]:
    return {"uscc": PROVIDER, "site": "yz-1", "tag": f"EQ-{n}", "type": "freeze dryer"}


def _certificate(n: int) -> dict[str, Any]:
    return {
        "uscc": PROVIDER,
        "authority": "NMPA_GMP",
        "number": f"MATRIX-{n}",
        "validFrom": "2026-01-01",
        "validTo": "2029-12-31",
        "sites": ["yz-1"],
        "capabilities": ["BIO.USP"],
    }


SAVE_SITE = doc("$i: SiteInput!", "saveSite(input: $i)", "... on SiteSaved { site { id } }")
SAVE_OFFERING = doc(
    "$i: OfferingInput!", "saveOffering(input: $i)", "... on OfferingSaved { offering { id } }"
)
SAVE_EQUIPMENT = doc(
    "$i: EquipmentInput!",
    "saveEquipment(input: $i)",
    "... on EquipmentSaved { equipment { id } }",
)
SAVE_CERTIFICATE = doc(
    "$i: CertificateInput!",
    "saveCertificate(input: $i)",
    "... on CertificateSaved { certificate { id } }",
)


async def new_capability(_: Bench, n: int) -> dict[str, Any]:
    return {"i": {"parent": "DP.STE", "segment": f"MX{n}", "nameZh": f"矩阵{n}", "nameEn": f"M{n}"}}


async def new_organization(_: Bench, n: int) -> dict[str, Any]:
    return {"i": {**NEW_ORG, "uscc": factories.uscc(6000 + n), "nameEn": f"Matrix {n} (fictional)"}}


async def active_organization(bench: Bench, n: int) -> dict[str, Any]:
    return {"u": await factories.organization(bench.db, 7000 + n)}


async def _deactivate(tx: Tx, uscc: str) -> None:
    await tx.run("MATCH (o:Organization {uscc: $u}) SET o.active = false", u=uscc)


async def inactive_organization(bench: Bench, n: int) -> dict[str, Any]:
    uscc = await factories.organization(bench.db, 7000 + n)
    await bench.db.write(_deactivate, uscc)
    return {"u": uscc}


async def provider_profile(_: Bench, n: int) -> dict[str, Any]:
    names = sample.rows()["organizations"][0]
    return {
        "i": {
            "uscc": PROVIDER,
            "nameZh": names["name_zh"],
            "nameEn": f"E-Town Example Biologics {n} (fictional)",
            "kind": "PROVIDER",
            "parks": ["BJ-ETOWN"],
        }
    }


async def new_site(_: Bench, n: int) -> dict[str, Any]:
    return {"i": _site(n)}


async def new_offering(_: Bench, n: int) -> dict[str, Any]:
    return {"i": _offering(n)}


async def new_equipment(_: Bench, n: int) -> dict[str, Any]:
    return {"i": _equipment(n)}


async def new_certificate(_: Bench, n: int) -> dict[str, Any]:
    return {"i": _certificate(n)}


async def live_site(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": (await bench.as_admin(SAVE_SITE, i=_site(n)))["site"]["id"]}


async def live_offering(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": (await bench.as_admin(SAVE_OFFERING, i=_offering(n)))["offering"]["id"]}


async def live_equipment(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": (await bench.as_admin(SAVE_EQUIPMENT, i=_equipment(n)))["equipment"]["id"]}


async def live_certificate(bench: Bench, n: int) -> dict[str, Any]:
    saved = await bench.as_admin(SAVE_CERTIFICATE, i=_certificate(n))
    return {"id": saved["certificate"]["id"]}


async def new_week(_: Bench, n: int) -> dict[str, Any]:
    start = date(2027, 6, 7) + timedelta(weeks=n)
    week = {"start": f"{start.isoformat()}T00:00:00+08:00", "total": 500}
    return {"i": {"owner": OFFERING, "grain": "WEEK", "buckets": [week]}}


async def _last_bucket(tx: Tx) -> str:
    """The sample's last week, after every request's window."""
    row = await tx.single(
        "MATCH (b:CapacityBucket {owner_id: $o}) RETURN b.id AS id ORDER BY b.start DESC LIMIT 1",
        o=OFFERING,
    )
    assert row is not None
    return str(row["id"])


async def a_bucket(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": await bench.db.read(_last_bucket), "t": 3000 + n}


async def new_request(_: Bench, n: int) -> dict[str, Any]:
    return {"i": _input(title=f"Matrix request {n}")}


async def _submitted(bench: Bench, n: int) -> str:
    # 200 L: routing holds capacity, and the sample has 4,000 L a week for 20 holds.
    request = raw(title=f"Matrix request {n}", quantity=200)
    return await routing.submit(bench.db, STARTUP, request)


async def submitted(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": await _submitted(bench, n)}


async def _match(tx: Tx, request_id: str) -> str:
    row = await tx.single(
        "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id", r=request_id, u=PROVIDER
    )
    assert row is not None, "the sample provider was not routed"
    return str(row["id"])


async def _routed(bench: Bench, n: int) -> tuple[str, str]:
    request_id = await _submitted(bench, n)
    await routing.route(bench.db, STARTUP, request_id, k=2)
    return request_id, await bench.db.read(_match, request_id)


async def routed_match(bench: Bench, n: int) -> dict[str, Any]:
    _, match_id = await _routed(bench, n)
    return {"id": match_id}


async def quoted(bench: Bench, n: int) -> dict[str, Any]:
    request_id, match_id = await _routed(bench, n)
    await routing.respond(bench.db, member(PROVIDER), match_id, QUOTE)
    return {"r": request_id, "m": match_id}


async def awarded(bench: Bench, n: int) -> dict[str, Any]:
    chosen = await quoted(bench, n)
    await routing.award(bench.db, STARTUP, chosen["r"], chosen["m"])
    return {"id": chosen["r"]}


async def new_hook(_: Bench, n: int) -> dict[str, Any]:
    return {"i": {"uscc": REQUESTER, "url": f"{HOOK_URL}/{n}"}}


async def live_hook(bench: Bench, n: int) -> dict[str, Any]:
    made = await subscribe(bench.db, bench.settings, f"{HOOK_URL}/{n}")
    return {"id": made.subscription.id}


async def startup_token(bench: Bench, n: int) -> dict[str, Any]:
    """A token of the startup's member (not the one the matrix calls with)."""
    roles = frozenset({Role.parse(f"requester:{REQUESTER}")})
    _, token = await identity.issue_token(bench.db, HANDLES["requester"], roles, f"spare {n}")
    return {"id": token.id}
