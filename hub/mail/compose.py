"""A rendered message as an e-mail: headers, a plain-text part and an HTML alternative.

`Message-ID` is made from the outbox message's id, so every attempt to send one message
carries the same one: a copy that arrives twice (the rare at-least-once case, see
sender.py) is recognisable as such by the recipient's mail system and by us.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from hub.mail.model import Outgoing
from hub.mail.render import Rendered

CONTENT_LANGUAGE = {"zh": "zh-CN", "en": "en"}


def message_id(message_id: str, sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "hub.localhost"
    return f"<{message_id}@{domain}>"


def compose(message: Outgoing, rendered: Rendered, sender: str) -> EmailMessage:
    """Raises ValueError when the address or a header cannot be written."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = rendered.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = message_id(message.id, sender)
    # RFC 3834: an automatic message; out-of-office replies should not answer it.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    # After the body: setting content clears every Content-* header.
    email["Content-Language"] = CONTENT_LANGUAGE.get(message.language, message.language)
    return email
