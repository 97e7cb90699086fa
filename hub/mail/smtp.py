"""Sending through an SMTP relay (`HUB_SMTP_URL`) with aiosmtplib.

`smtp://user:password@host:port` speaks plain SMTP and upgrades with STARTTLS when the
relay offers it (`HUB_SMTP_STARTTLS=true`: the relay must, or nothing is sent; `false`:
never); `smtps://` is TLS from the first byte. Without a port, aiosmtplib picks the usual
one (465 for smtps, 587 with STARTTLS required, else 25). Certificates are verified.

One connection serves a round of sends; it is opened at the first send and closed after
the round. What went wrong is sorted by whose fault it is: the relay or the connection
(retry, and stop the round), this message's recipient or content (4xx: retry it later;
5xx: give it up).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib
import structlog

from hub.mail.render import Rendered
from hub.mail.transport import Rejected, RelayDown, Retryable, SendFailure, Session

log = structlog.get_logger("hub.mail.smtp")


class SmtpTransport:
    def __init__(self, url: str, starttls: bool | None, timeout_s: float) -> None:
        parts = urlsplit(url)
        self.implicit_tls = parts.scheme == "smtps"
        self.hostname = parts.hostname or ""
        self.port = parts.port
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = False if self.implicit_tls else starttls
        self.timeout_s = timeout_s

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.implicit_tls,
            start_tls=self.starttls,
            timeout=self.timeout_s,
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Session]:
        session = SmtpSession(self)
        try:
            yield session
        finally:
            await session.close()


class SmtpSession:
    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.smtp: aiosmtplib.SMTP | None = None

    async def send(self, email: EmailMessage, rendered: Rendered) -> None:
        try:
            smtp = await self._connected()
            refused, _ = await smtp.send_message(email)
        except aiosmtplib.SMTPException as error:
            failure = _failure(error)
            if failure.ends_round:
                await self.close()
            raise failure from error
        except OSError as error:  # a socket error aiosmtplib let through
            await self.close()
            raise RelayDown("connection failed") from error
        if refused:  # some recipients refused (we send to one, so not reached in practice)
            codes = sorted(r.code for r in refused.values())
            raise _by_code(codes[-1])

    async def _connected(self) -> aiosmtplib.SMTP:
        if self.smtp is None or not self.smtp.is_connected:
            smtp = self.transport.client()
            await smtp.connect()
            self.smtp = smtp
        return self.smtp

    async def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None and smtp.is_connected:
            with suppress(aiosmtplib.SMTPException, OSError):
                await smtp.quit()
            smtp.close()


def _by_code(code: int) -> SendFailure:
    return Retryable(f"SMTP {code}") if code < 500 else Rejected(f"SMTP {code}")


def _failure(error: aiosmtplib.SMTPException) -> SendFailure:
    """Order matters: a timeout or refused connection is the relay's, before any code."""
    if isinstance(error, aiosmtplib.SMTPTimeoutError):
        return RelayDown("timeout")
    if isinstance(error, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPServerDisconnected):
        return RelayDown("connection failed")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError | aiosmtplib.SMTPNotSupported):
        return RelayDown("relay refused the hub's login or TLS")  # a setting to fix
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return _by_code(max(r.code for r in error.recipients))
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return _by_code(error.code)
    if isinstance(error, aiosmtplib.SMTPResponseException):  # HELO, sender refused ...
        return RelayDown(f"SMTP {error.code}")  # about the hub or the relay, not the message
    return RelayDown("protocol error")
