"""The mail outbox: a message exists if and only if the change that caused it committed.

A message is a template name, the recipient's address and language, and the values the
template fills in; it is rendered when sent, in that language. `key` names the cause
(e.g. `confirm:<person>:<token id>`, `routed:<match>:<person>`): a second message with
the same key is not written, so one event never mails one person twice, even when its
transaction is retried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from hub.db.driver import Tx

Language = Literal["zh", "en"]

ENQUEUE = """
UNWIND $messages AS m
MERGE (message:MailMessage {key: m.key})
ON CREATE SET message.id = randomUUID(), message.to = m.to, message.language = m.language,
              message.template = m.template, message.values = m.values,
              message.state = 'queued', message.attempts = 0, message.created_at = datetime(),
              message.due_at = datetime()
"""


@dataclass(frozen=True)
class Mail:
    """One message to one person: `template` names a bilingual template (hub/mail/templates)."""

    key: str
    to: str
    language: Language
    template: str
    values: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "to": self.to,
            "language": self.language,
            "template": self.template,
            "values": json.dumps(self.values, ensure_ascii=False, default=str),
        }


async def enqueue(tx: Tx, messages: list[Mail]) -> None:
    """Queue the messages in the caller's transaction; a key already queued is skipped."""
    if messages:
        await tx.run(ENQUEUE, messages=[m.row() for m in messages])
