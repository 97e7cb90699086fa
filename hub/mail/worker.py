"""The mail worker: the one background task of mail in a hub process (started with the
app unless `HUB_MAIL_SEND=false`). Each round it turns new routing events into messages
(events.py), sends what is due (sender.py), and every `HUB_REMINDER_INTERVAL_S` scans for
reminders (reminders.py); it sleeps `HUB_MAIL_POLL_INTERVAL_S` only after a round that
found nothing to do. Several processes may run it at once: see each module for why
nothing goes twice.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import structlog

from hub.config import Settings
from hub.db.driver import Database
from hub.errors import DatabaseUnavailable
from hub.mail.events import mail_events
from hub.mail.reminders import scan
from hub.mail.sender import Sender
from hub.mail.transport import Transport

log = structlog.get_logger("hub.mail")


class Worker:
    def __init__(self, db: Database, settings: Settings, transport: Transport | None = None):
        self.db = db
        self.settings = settings
        self.sender = Sender(db, settings, transport)
        self.next_scan = 0.0

    async def run_forever(self) -> None:
        while True:
            try:
                if await self.round():
                    continue
            except DatabaseUnavailable:
                log.warning("mail round skipped: database unavailable")
            except Exception:
                log.exception("mail round failed")
            await asyncio.sleep(self.settings.mail_poll_interval_s)

    async def round(self) -> int:
        """One round; returns how much it did (events mailed, reminders queued, sent)."""
        done = 0
        if time.monotonic() >= self.next_scan:
            self.next_scan = time.monotonic() + self.settings.reminder_interval_s
            done += await scan(self.db, datetime.now(UTC))
        done += await mail_events(self.db)
        return done + await self.sender.once()
