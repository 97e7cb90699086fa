"""The current password, asked again before a sensitive change (a new password, turning
the second factor off): guesses count against the same limits as sign-ins."""

from __future__ import annotations

from datetime import datetime

from hub.accounts import limits
from hub.accounts.failures import BadCredentials
from hub.accounts.model import Credentials
from hub.accounts.passwords import passwords
from hub.accounts.store import people
from hub.config import Settings
from hub.db.driver import Database
from hub.identity.model import Principal


async def prove(
    db: Database,
    settings: Settings,
    principal: Principal,
    password: str,
    field: str,
    address: str,
    now: datetime,
) -> Credentials:
    """The caller's credentials, once `password` (named `field`) is shown to be theirs."""
    found = limits.sign_in_counters(settings, principal.handle, address)
    places = await limits.take(db, found, now, field)
    creds = await db.read(people.credentials, principal.handle)
    verdict = await passwords(settings).verify(creds.password_hash if creds else None, password)
    if creds is None or not verdict.matches:
        raise BadCredentials(field)
    await limits.give_back(db, places)
    return creds
