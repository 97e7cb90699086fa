"""The development transport: each message as an `.eml` file, its links in the log.

With no SMTP relay set (the dev default) `make run` works offline: open a message in a
mail client, or follow a confirmation link straight from the log. A file is named by the
message's id and written atomically, so a second attempt replaces the first.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email import policy
from email.message import EmailMessage
from pathlib import Path

import structlog

from hub.mail.render import Rendered
from hub.mail.transport import RelayDown, Session

log = structlog.get_logger("hub.mail")


class EmlTransport:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Session]:
        yield self

    async def send(self, email: EmailMessage, rendered: Rendered) -> None:
        name = str(email["Message-ID"]).strip("<>").partition("@")[0] + ".eml"
        try:
            path = await asyncio.to_thread(self._write, name, email.as_bytes(policy=policy.SMTP))
        except OSError as error:
            raise RelayDown("mail folder not writable") from error
        log.info(
            "mail written",
            to=email["To"],
            subject=rendered.subject,
            file=str(path),
            links=list(rendered.links),
        )

    def _write(self, name: str, data: bytes) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        partial = path.with_suffix(".eml.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        return path
