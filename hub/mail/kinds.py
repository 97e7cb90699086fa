"""The kinds of message the hub sends, and which of them a person may switch off.

Each kind has one bilingual template of the same name (hub/mail/templates/<lang>/<kind>.txt).
Messages about a person's own account (confirm the address, reset the password, "this
address already has an account") always go: switching them off would lock the person out.
Every other kind is a notification, on unless the person switched it off
(hub/mail/preferences.py), and sent only to a confirmed address.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a template's name
    ACCOUNT_EXISTS = "account_exists"  # someone tried to sign up with a taken address
    INVITATION = "invitation"
    REQUEST_ROUTED = "request_routed"  # a request routed to your firm: answer by the deadline
    DEADLINE_SOON = "deadline_soon"  # 24 hours before that deadline
    QUOTE_RECEIVED = "quote_received"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    REQUEST_CANCELLED = "request_cancelled"
    CERTIFICATE_EXPIRING = "certificate_expiring"  # 90 and 30 days before it ends
    CAPACITY_UNCONFIRMED = "capacity_unconfirmed"  # no capacity confirmed for 30 days
    VERIFICATION_PENDING = "verification_pending"  # a firm awaits your verification
    VERIFICATION_DECIDED = "verification_decided"  # your registration or claim: approved or not

    @property
    def switchable(self) -> bool:
        return self not in ACCOUNT_KINDS


ACCOUNT_KINDS = frozenset({Kind.CONFIRM_EMAIL, Kind.RESET_PASSWORD, Kind.ACCOUNT_EXISTS})
# Whose values carry a secret (a one-time token in a link): erased once the message is
# sent or given up, so the database does not keep usable tokens in clear.
SECRET_KINDS = frozenset({Kind.CONFIRM_EMAIL, Kind.RESET_PASSWORD, Kind.INVITATION})
NOTIFICATIONS = tuple(k for k in Kind if k.switchable)
