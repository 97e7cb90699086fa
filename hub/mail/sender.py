"""The mail sender: sends the mail outbox (run by worker.py in every hub process).

- One message, one sender at a time: a sender claims a due message under a lease in the
  database (store/sending.py), so two hub processes never send one message at once; the
  SMTP conversation never runs inside a transaction.
- Sent once, in all but one case: a message is marked `sent` right after the relay took
  it. If the process dies between the two, the lease runs out (`HUB_MAIL_LEASE_S`) and
  another sender sends it again: SMTP gives at-least-once at that edge, never more than
  once otherwise. The copy has the same `Message-ID` (made from the message's id, see
  compose.py), so it is recognisable as a duplicate of the first, and the outbox `key`
  (one message per cause and person) leads from it back to its cause.
- Failures: a 4xx answer or an unreachable relay is retried with exponential backoff
  (`HUB_MAIL_BACKOFF_BASE_S` doubling to `HUB_MAIL_BACKOFF_MAX_S`) until
  `HUB_MAIL_MAX_ATTEMPTS`, then the message is `failed`; a 5xx refusal or a message that
  cannot be rendered fails at once. An unreachable relay ends the round (the next
  message would fail the same way).
- Secrets: the values of account messages (one-time tokens, kinds.SECRET_KINDS) are
  erased once the message is sent or failed.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

import structlog

from hub.config import Mode, Settings, public_url
from hub.db.driver import Database
from hub.mail import compose, render
from hub.mail.eml import EmlTransport
from hub.mail.kinds import SECRET_KINDS
from hub.mail.model import Outgoing
from hub.mail.smtp import SmtpTransport
from hub.mail.store import sending
from hub.mail.transport import SendFailure, Session, Transport
from hub.metrics import MAIL_MESSAGES

log = structlog.get_logger("hub.mail")

ROUND = 50  # messages one round sends at most over one connection
SECRET = sorted(kind.value for kind in SECRET_KINDS)


def mail_dir(settings: Settings) -> Path:
    return settings.state_dir / "mail"


def transport_for(settings: Settings) -> Transport:
    """SMTP when `HUB_SMTP_URL` is set, else `.eml` files under the state dir."""
    if settings.smtp_url is None:
        if settings.mode is Mode.PROD:
            log.warning("HUB_SMTP_URL is not set: mail is written to files, not sent")
        return EmlTransport(mail_dir(settings))
    url = settings.smtp_url.get_secret_value()
    return SmtpTransport(url, settings.smtp_starttls, settings.smtp_timeout_s)


def backoff_s(attempts: int, settings: Settings) -> float:
    """Delay after the `attempts`-th failed attempt: doubling, capped, up to 10 % jitter."""
    delay = min(settings.mail_backoff_base_s * 2 ** (attempts - 1), settings.mail_backoff_max_s)
    return float(delay * (1 + random.random() / 10))  # noqa: S311 - jitter, not secrecy


class Sender:
    def __init__(
        self, db: Database, settings: Settings, transport: Transport | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.transport = transport or transport_for(settings)
        self.worker = str(uuid.uuid4())

    async def once(self) -> int:
        """One round: claim and send due messages one by one; returns how many were sent."""
        sent = 0
        async with self.transport.session() as session:
            for _ in range(ROUND):
                row = await self.db.write(
                    sending.claim,
                    self.worker,
                    self.settings.mail_lease_s,
                    self.settings.mail_max_attempts,
                    SECRET,
                )
                if row is None:
                    break
                if row["state"] == "failed":
                    MAIL_MESSAGES.labels("failed").inc()
                    log.warning("mail given up: no sender finished it", message=row["id"])
                    continue
                outcome = await self._deliver(session, row)
                sent += outcome == "sent"
                if outcome == "relay down":
                    break
        return sent

    async def _deliver(self, session: Session, row: dict[str, Any]) -> str:
        try:
            message = Outgoing.of(row)
            rendered = render.render(
                message.template, message.language, message.values, public_url(self.settings)
            )
            email = compose.compose(message, rendered, self.settings.mail_from)
        except (render.RenderError, ValueError) as error:
            log.error("mail cannot be written", message=row["id"], error=str(error))
            await self.db.write(sending.give_up, row["id"], self.worker, "cannot render", SECRET)
            MAIL_MESSAGES.labels("failed").inc()
            return "failed"
        try:
            await session.send(email, rendered)
        except SendFailure as failure:
            return await self._failed(message, failure)
        held = await self.db.write(sending.sent, message.id, self.worker, SECRET)
        MAIL_MESSAGES.labels("sent").inc()
        if not held:
            log.warning("mail lease ran out while sending: it may go twice", message=message.id)
        return "sent"

    async def _failed(self, message: Outgoing, failure: SendFailure) -> str:
        log.info(
            "mail not sent",
            message=message.id,
            error=failure.category,
            cause=type(failure.__cause__).__name__,
            attempt=message.attempts,
        )
        if not failure.retryable:
            await self.db.write(sending.give_up, message.id, self.worker, failure.category, SECRET)
            MAIL_MESSAGES.labels("failed").inc()
            return "failed"
        delay_ms = int(backoff_s(message.attempts, self.settings) * 1000)
        state = await self.db.write(
            sending.retry,
            message.id,
            self.worker,
            failure.category,
            delay_ms,
            self.settings.mail_max_attempts,
            SECRET,
        )
        MAIL_MESSAGES.labels("failed" if state == "failed" else "retried").inc()
        return "relay down" if failure.ends_round else "retried"
