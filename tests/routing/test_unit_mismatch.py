"""An offering in another capacity unit than the request's (issue 14, item 5).

Its capability is a node beneath the requested one measured in its own unit. Its scale and
capacity are in that unit, so they are not compared: it never fits (never routed nor
awarded), and it is a near-miss naming both units when the unit is its only failure among
the rules that do not depend on it (grade, certificates, distance).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.identity.model import Principal, Role, RoleKind
from hub.reference import cache
from hub.reference.service import add_capability
from hub.reference.store import reference
from hub.registry import rules
from hub.registry import service as registry
from hub.registry.store.writes import apply
from hub.routing import service
from hub.routing.matching import near_misses
from hub.routing.model import Constraint
from hub.routing.store import rows
from tests import factories
from tests.fit.common import pending
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, REQUESTER, STARTUP, member, raw
from tests.routing.test_routing_api import gql

ADMIN = Principal(id="p-admin-units", handle="ops@units", roles=frozenset({Role(RoleKind.ADMIN)}))
VIALS, UNIT = "BIO.USP.VIAL", "vials_hour"  # beneath BIO.USP, in bioreactor litre-batches
EN = "offered in vials per hour, asked in bioreactor litre-batches"
ZH = "按 瓶/小时 提供，需求按 升·批 计量"
NEAR_MISSES = """query($id: ID!) { request(id: $id) {
  nearMisses { providerUscc offeringId constraint messageZh messageEn } } }"""


async def _vials_line(db: Database, uscc: str, grade: str = "gmp_clinical") -> str:
    """A line of `uscc` in vials per hour, taking 10-100 and publishing no capacity: in the
    request's unit both its scale and its capacity would fail."""
    row = {
        **sample.rows(uscc)["offerings"][0],
        "offering": "vials",
        "capability": VIALS,
        "gmp_grade": grade,
        "scale_min": 10,
        "scale_max": 100,
        "equipment": "",
    }

    async def work(tx: Tx) -> None:
        await apply(tx, [rules.offering(row, await reference(tx))], Actor("test"))

    await db.write(work)
    return f"{uscc}/yz-1/vials"


async def _remove_node(tx: Tx) -> None:
    await tx.run("MATCH (c:Capability {code: $code}) DETACH DELETE c", code=VIALS)


@pytest.fixture
async def vials(network: Database) -> AsyncIterator[Database]:
    """The other provider offers the capability only in vials per hour."""
    await add_capability(network, ADMIN, "BIO.USP", "VIAL", "瓶装培养", "Vial culture", UNIT)
    await registry.retire(
        network, member(OTHER_PROVIDER), "offering", f"{OTHER_PROVIDER}/yz-1/mab-usp"
    )
    await _vials_line(network, OTHER_PROVIDER)
    yield network
    await network.write(_remove_node)
    cache.invalidate_all()


async def _seen(db: Database, client: httpx.AsyncClient, request_id: str) -> list[Any]:
    token = await factories.token(db, "cmc@startup.test", f"requester:{REQUESTER}")
    found: list[Any] = (await gql(client, token, NEAR_MISSES, id=request_id))["request"][
        "nearMisses"
    ]
    return found


async def _need(tx: Tx, request_id: str) -> Any:
    row = await tx.single("MATCH (r:Request {id: $id}) RETURN r {.*} AS r", id=request_id)
    assert row is not None
    return rows.need(row["r"])


async def test_an_offering_in_another_unit_is_a_near_miss_naming_both_units(
    vials: Database, client: httpx.AsyncClient
) -> None:
    request_id = await service.submit(vials, STARTUP, raw())
    assert await _seen(vials, client, request_id) == [
        {
            "providerUscc": OTHER_PROVIDER,
            "offeringId": f"{OTHER_PROVIDER}/yz-1/vials",
            "constraint": "UNIT",
            "messageZh": ZH,
            "messageEn": EN,
        }
    ]
    # its scale (10-100 of 2,000) and capacity (none) are not counted as failed
    need = await vials.read(_need, request_id)
    [miss] = await vials.read(near_misses, need, request_id)
    assert [f.constraint for f in miss.failures] == [Constraint.UNIT]


async def test_another_unit_and_a_grade_failure_is_no_near_miss(
    vials: Database, client: httpx.AsyncClient
) -> None:
    request_id = await service.submit(vials, STARTUP, raw())
    assert [m["providerUscc"] for m in await _seen(vials, client, request_id)] == [OTHER_PROVIDER]
    await _vials_line(vials, OTHER_PROVIDER, grade="non_gmp")  # gmp_clinical asked
    assert await _seen(vials, client, request_id) == []


async def _matches(tx: Tx, request_id: str) -> list[tuple[str, str]]:
    rows = await tx.records(
        "MATCH (:Request {id: $id})<-[:FOR]-(m:Match) RETURN m.uscc AS u, m.offering_id AS f",
        id=request_id,
    )
    return sorted((r["u"], r["f"]) for r in rows)


async def _status(tx: Tx, request_id: str) -> str:
    row = await tx.single("MATCH (r:Request {id: $id}) RETURN r.status AS s", id=request_id)
    assert row is not None
    return str(row["s"])


async def test_an_offering_in_another_unit_is_never_routed_nor_awarded(vials: Database) -> None:
    own_vials = await _vials_line(vials, sample.USCC)
    request_id = await service.submit(vials, STARTUP, raw())
    await service.route(vials, STARTUP, request_id, k=3)
    assert await vials.read(_matches, request_id) == [(sample.USCC, f"{sample.USCC}/yz-1/mab-usp")]
    await pending(  # an accepted match naming the vials line, as routing never makes one
        vials,
        "unit-r",
        own_vials,
        capability="BIO.USP",
        quantity=2000.0,
        unit="bioreactor_l_batch",
        start=date(2027, 1, 4),
        end=date(2027, 1, 31),
        grade="gmp_clinical",
        authorities=["nmpa_licence"],
    )
    with pytest.raises(Conflict) as refused:
        await service.award(vials, STARTUP, "unit-r", "unit-r-m")
    assert refused.value.field == "unit"
    assert EN in refused.value.message_en and ZH in refused.value.message_zh
    assert await vials.read(_status, "unit-r") == "routed"
