"""People, their sign-in sessions and single-use links, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


class Purpose(StrEnum):
    """What a single-use link in an e-mail is for."""

    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password


@dataclass(frozen=True)
class Person:
    """Someone with an account; never carries the password hash or the TOTP secret."""

    id: str
    email: str
    language: Language
    display_name: str
    created_at: datetime
    email_confirmed_at: datetime | None
    totp_enabled: bool


@dataclass(frozen=True)
class Credentials:
    """What sign-in checks of an account (a principal whose handle is the e-mail)."""

    id: str
    email: str
    language: Language
    display_name: str
    password_hash: str | None  # None: a principal made by the CLI, no password yet
    email_confirmed: bool
    totp_secret: str | None
    totp_last_step: int | None


@dataclass(frozen=True)
class SessionGrant:
    """A new sign-in session: the secrets go to the browser once, only hashes are kept."""

    id: str
    secret: str  # the session cookie's value
    csrf_token: str  # the proof that a state-changing request comes from the console
    expires_at: datetime  # absolute end (the idle end moves with use)
