"""Time-based one-time codes (RFC 6238: 6 digits, 30-second steps), with pyotp.

A code is accepted for the step it was made in or the one before or after (clocks drift),
and each step only once per person (store/people.py keeps the last one used), so a code
seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

ISSUER = "Pharma hub"
STEP_S = 30


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads (shown as a QR code by the console)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_S)


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The step `code` was made in, if near now and later than `last_step`; else None."""
    current = int(now.timestamp()) // STEP_S
    for step in (current - 1, current, current + 1):
        if step > (last_step if last_step is not None else -1) and hmac.compare_digest(
            code_at(secret, step), code
        ):
            return step
    return None
