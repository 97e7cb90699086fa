"""How a composed message leaves the hub: the `Transport` seam, and why a send failed.

    SendFailure            the message did not go; `category` is what `last_error` records
    ├── Retryable          try the message again later (4xx answers, the relay away)
    │   └── RelayDown      ... and stop this round: the relay is unusable right now
    └── Rejected           never retry: the relay refused this message for good (5xx)

A category is a fixed phrase or an SMTP code, never the relay's text, an address or a
password (what an operator reads need not be scrubbed).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from email.message import EmailMessage
from typing import Protocol

from hub.mail.render import Rendered


class SendFailure(Exception):
    retryable = False
    ends_round = False

    def __init__(self, category: str) -> None:
        super().__init__(category)
        self.category = category


class Retryable(SendFailure):
    retryable = True


class RelayDown(Retryable):
    ends_round = True


class Rejected(SendFailure):
    pass


class Session(Protocol):
    async def send(self, email: EmailMessage, rendered: Rendered) -> None:
        """Hand one message over; raises a `SendFailure` when it did not go."""


class Transport(Protocol):
    def session(self) -> AbstractAsyncContextManager[Session]:
        """One round of sends (one SMTP connection, opened at the first send)."""
