"""An organization's standing: whether it has been verified, and so whether it is public.

A firm that registers itself is `pending` until an administrator or an operator of one of
its parks verifies it (hub/onboarding); it may be `rejected`. Firms created by admins,
imports, park loads and the demo carry no status and count as verified (migration 0020
marked the firms that existed before as verified).

`PUBLIC` is the one definition of "shown to others": searched, listed, routed, in park
networks. Every read that decides it uses this expression on `o`, the organization.
"""

from __future__ import annotations

from enum import StrEnum
from typing import LiteralString

from hub.db.driver import Tx
from hub.errors import Conflict


class Status(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


VERIFIED: LiteralString = "(coalesce(o.status, 'verified') = 'verified')"

PUBLIC: LiteralString = "(o.active AND " + VERIFIED + ")"


def is_public(active: bool, status: str | None) -> bool:
    """`PUBLIC`, for an organization already read."""
    return active and (status or Status.VERIFIED) == Status.VERIFIED


STANDING: LiteralString = "MATCH (o:Organization {uscc: $uscc}) RETURN " + VERIFIED + " AS verified"


async def require_verified(tx: Tx, uscc: str, field: str) -> None:
    """Refuse (Conflict on `field`) what only a verified firm may do: submit a request."""
    row = await tx.single(STANDING, uscc=uscc)
    if row is not None and not row["verified"]:
        raise Conflict(
            f"{field}: {uscc} is not verified yet; it can prepare its profile, but submits "
            "requests only once verified",
            f"{field}：{uscc} 尚未通过审核；可先完善资料，通过审核后才能提交需求",
            field=field,
        )
