"""Single-use links in e-mails (confirm an address, reset a password) and their mails.

A link carries 256 random bits; only their SHA-256 is stored (as for API tokens), with
the link's purpose and expiry. The secret sits in the URL's fragment (`#/...?token=`),
which browsers never send to a server, so it stays out of access logs and proxies.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub.accounts.model import Language, Purpose
from hub.config import Settings, public_url
from hub.identity.service import hash_token
from hub.mail.outbox import Mail

PAGES = {Purpose.CONFIRM_EMAIL: "confirm-email", Purpose.RESET_PASSWORD: "reset-password"}


@dataclass(frozen=True)
class Link:
    id: str
    secret: str
    purpose: Purpose
    expires_at: datetime

    def row(self, person_id: str, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "person": person_id,
            "hash": hash_token(self.secret),
            "purpose": self.purpose.value,
            "now": now,
            "expires_at": self.expires_at,
        }

    def url(self, settings: Settings) -> str:
        return f"{console_url(settings)}#/{PAGES[self.purpose]}?token={self.secret}"


def console_url(settings: Settings) -> str:
    return f"{public_url(settings)}/console/"


def new_link(settings: Settings, purpose: Purpose, now: datetime) -> Link:
    ttl_s = (
        settings.confirm_link_ttl_s
        if purpose is Purpose.CONFIRM_EMAIL
        else settings.reset_link_ttl_s
    )
    return Link(
        str(uuid.uuid4()), secrets.token_urlsafe(32), purpose, now + timedelta(seconds=ttl_s)
    )


def link_mail(
    settings: Settings,
    link: Link,
    person_id: str,
    to: str,
    language: Language,
    display_name: str,
) -> Mail:
    """`confirm_email` or `reset_password`: values `link`, `display_name`, `expires_at`."""
    values = {
        "link": link.url(settings),
        "display_name": display_name,
        "expires_at": link.expires_at.isoformat(timespec="seconds"),
    }
    key = f"{link.purpose.value}:{person_id}:{link.id}"
    return Mail(key, to, language, link.purpose.value, values)


def account_exists_mail(
    settings: Settings, person_id: str, to: str, language: Language, display_name: str
) -> Mail:
    """To the owner of an address someone tried to sign up with: values `sign_in_link`,
    `reset_link` (the page that asks for a reset link) and `display_name`."""
    values = {
        "sign_in_link": f"{console_url(settings)}#/sign-in",
        "reset_link": f"{console_url(settings)}#/forgot-password",
        "display_name": display_name,
    }
    key = f"account_exists:{person_id}:{uuid.uuid4()}"
    return Mail(key, to, language, "account_exists", values)
