"""Invitations are rate-limited per inviter and per invited address (and per client
address), in counters every hub process shares; a window that ends frees them."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from hub.config import RateLimit, Settings
from hub.db.driver import Database
from hub.errors import RateLimited
from hub.identity.model import Principal
from hub.members import service
from hub.members.model import MemberRole
from hub.time import now, travel
from tests import factories
from tests.accounts.common import mails
from tests.members.common import INVITE, caller, principal


async def test_the_sixth_invitation_of_one_address_in_a_day_is_refused(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    for _ in range(5):
        made = await boss.one(INVITE, u=uscc, e="wang@example.test", r="PROVIDER", l="zh")
        assert made["__typename"] == "Invited", made
    refused = await boss.one(INVITE, u=uscc, e="wang@example.test", r="PROVIDER", l="zh")
    assert refused["code"] == "RATE_LIMITED" and refused["field"] == "email", refused
    assert 0 < refused["retryAfterSeconds"] <= 86400
    assert len(await mails(clean, "wang@example.test", "invitation")) == 5
    with travel(timedelta(days=1, seconds=1)):
        made = await boss.one(INVITE, u=uscc, e="wang@example.test", r="PROVIDER", l="zh")
        assert made["__typename"] == "Invited", made


async def test_an_inviter_is_limited_whoever_it_invites(
    clean: Database, settings: Settings
) -> None:
    strict = settings.model_copy(update={"limit_invitation_inviter": RateLimit(2, 3600)})
    uscc = await factories.organization(clean, 1)
    await factories.token(clean, "boss@firm.test", f"firm_admin:{uscc}")
    await factories.token(clean, "deputy@firm.test", f"firm_admin:{uscc}")
    boss = await principal(clean, "boss@firm.test")
    deputy = await principal(clean, "deputy@firm.test")

    async def invite(who: Principal, email: str) -> None:
        form = service.InviteForm(email, "zh", "127.0.0.1")
        await service.invite_member(clean, strict, who, uscc, MemberRole.PROVIDER, form, now())

    await invite(boss, "a@example.test")
    await invite(boss, "b@example.test")
    with pytest.raises(RateLimited):
        await invite(boss, "c@example.test")
    await invite(deputy, "c@example.test")  # another inviter has its own count
    assert await mails(clean, "c@example.test", "invitation")


async def test_a_refused_invitation_does_not_count(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    for _ in range(6):  # one more than an address's daily limit
        refused = await boss.one(INVITE, u=uscc, e="sales@firm.test", r="PROVIDER", l="zh")
        assert refused["code"] == "CONFLICT" and refused["field"] == "email", refused
