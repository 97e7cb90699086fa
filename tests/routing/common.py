"""People and requests the routing tests share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hub.identity.model import Principal, Role, RoleKind
from hub.routing.model import Quote
from tests import factories

REQUESTER = factories.uscc(8)
OTHER_PROVIDER = factories.uscc(1002)
QUOTE = Quote(
    price=1_200_000,
    currency="CNY",
    lead_time_days=60,
    valid_until=datetime(2030, 12, 31, tzinfo=UTC),
)


def member(uscc: str, kind: RoleKind = RoleKind.PROVIDER) -> Principal:
    return Principal(id="p-" + uscc, handle=f"staff@{uscc}", roles=frozenset({Role(kind, uscc)}))


STARTUP = member(REQUESTER, RoleKind.REQUESTER)


def raw(**change: Any) -> dict[str, Any]:
    return {
        "requester": REQUESTER,
        "title": "2,000 L mAb batches for a Phase I trial",
        "capability": "BIO.USP",
        "quantity": 2000,
        "earliest_start": "2027-01-04",
        "need_by": "2027-01-31",
        "gmp_grade": "gmp_clinical",
        "authorities": ["nmpa_licence"],
        "budget_max": 3_000_000,
        **change,
    }
