"""The sender against a real SMTP server: what arrives, once; retries after a 4xx; no retry
after a 5xx; a relay that is down; and the `.eml` files of development."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import structlog
from pydantic import SecretStr

from hub.config import Settings
from hub.db.driver import Database
from hub.db.server import free_port
from hub.mail.kinds import Kind
from hub.mail.outbox import Mail
from hub.mail.samples import SAMPLES
from hub.mail.sender import Sender, mail_dir
from tests.mail.common import make_due, message, queue
from tests.mail.smtp_server import PASSWORD, SmtpServer

HOSTILE = '<img src=x onerror="alert(1)"> & co'


def _quote(key: str = "quote:1", language: str = "zh") -> Mail:
    values = {**SAMPLES[Kind.QUOTE_RECEIVED], "request_title": HOSTILE}
    return Mail(key, "li.lei@example.cn", language, Kind.QUOTE_RECEIVED, values)  # type: ignore[arg-type]


def _parts(email: EmailMessage) -> tuple[str, str]:
    text = email.get_body(("plain",))
    html = email.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


async def test_a_message_arrives_in_the_recipients_language_with_its_links(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _quote("quote:zh", "zh"), _quote("quote:en", "en"))
    assert await Sender(clean, mail_settings).once() == 2

    by_language = {str(m["Content-Language"]): m for m in smtp.inbox.received}
    assert set(by_language) == {"zh-CN", "en"}
    assert smtp.inbox.recipients == [["li.lei@example.cn"], ["li.lei@example.cn"]]
    assert smtp.inbox.logins == [("hub-mailer", PASSWORD)]  # one connection, one login
    zh, en = by_language["zh-CN"], by_language["en"]
    assert zh["Subject"].startswith("需求“") and en["Subject"].startswith("Quote received")
    assert zh["From"] == "Pharma hub <noreply@hub.example.cn>" and zh["To"] == "li.lei@example.cn"
    stored = await message(clean, "quote:zh")
    assert zh["Message-ID"] == f"<{stored['id']}@hub.example.cn>"
    assert stored["state"] == "sent" and stored["attempts"] == 1 and stored["sent_at"]

    text, html = _parts(zh)
    link = f"https://hub.example.cn/console/#/requests/{SAMPLES[Kind.QUOTE_RECEIVED]['request_id']}"
    assert link in text and f'href="{link}"' in html
    assert HOSTILE in text
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co" in html


async def test_the_one_time_token_of_an_account_message_is_erased_once_sent(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    values = SAMPLES[Kind.CONFIRM_EMAIL]
    await queue(clean, Mail("confirm:1", "li.lei@example.cn", "en", Kind.CONFIRM_EMAIL, values))
    await queue(clean, _quote())
    assert await Sender(clean, mail_settings).once() == 2

    text, _ = _parts(next(m for m in smtp.inbox.received if m["Content-Language"] == "en"))
    assert values["link"] in text
    assert "values" not in await message(clean, "confirm:1")
    assert "values" in await message(clean, "quote:1")  # kept: nothing secret in them


async def test_a_4xx_answer_is_retried_later_and_then_sent_once(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _quote())
    smtp.inbox.refuse_next("451 4.3.0 Try again later")
    sender = Sender(clean, mail_settings)

    assert await sender.once() == 0
    waiting = await message(clean, "quote:1")
    assert (waiting["state"], waiting["attempts"]) == ("queued", 1)
    assert waiting["last_error"] == "SMTP 451"
    assert await sender.once() == 0  # its retry is not due yet (backoff of a minute)

    await make_due(clean, "quote:1")
    assert await sender.once() == 1
    sent = await message(clean, "quote:1")
    assert (sent["state"], sent["attempts"], sent.get("last_error")) == ("sent", 2, None)
    assert len(smtp.inbox.received) == 1


async def test_a_message_failing_every_attempt_is_given_up(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _quote())
    smtp.inbox.refuse_next(*["421 4.7.0 Busy"] * mail_settings.mail_max_attempts)
    sender = Sender(clean, mail_settings)
    for _ in range(mail_settings.mail_max_attempts):
        await make_due(clean, "quote:1")
        assert await sender.once() == 0

    failed = await message(clean, "quote:1")
    assert (failed["state"], failed["attempts"]) == ("failed", mail_settings.mail_max_attempts)
    await make_due(clean, "quote:1")
    assert await sender.once() == 0
    assert smtp.inbox.received == [] and smtp.inbox.refusals == []


async def test_a_5xx_refusal_is_not_retried(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _quote())
    smtp.inbox.refuse_next("550 5.1.1 No such mailbox")
    sender = Sender(clean, mail_settings)
    assert await sender.once() == 0

    failed = await message(clean, "quote:1")
    assert (failed["state"], failed["attempts"], failed["last_error"]) == ("failed", 1, "SMTP 550")
    await make_due(clean, "quote:1")
    assert await sender.once() == 0
    assert smtp.inbox.received == []


async def test_a_relay_that_is_down_ends_the_round_and_keeps_the_rest_queued(
    clean: Database, mail_settings: Settings
) -> None:
    nobody = mail_settings.model_copy(
        update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{free_port()}")}
    )
    await queue(clean, _quote("quote:1"), _quote("quote:2"))
    assert await Sender(clean, nobody).once() == 0

    tried = [await message(clean, key) for key in ("quote:1", "quote:2")]
    assert sorted((m["attempts"], m["state"]) for m in tried) == [(0, "queued"), (1, "queued")]
    assert {m.get("last_error") for m in tried} == {None, "connection failed"}


async def test_without_smtp_each_message_is_an_eml_file_and_its_links_are_logged(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    offline = mail_settings.model_copy(update={"smtp_url": None})
    await queue(clean, _quote())
    with structlog.testing.capture_logs() as logs:
        assert await Sender(clean, offline).once() == 1

    stored = await message(clean, "quote:1")
    files = list(mail_dir(offline).iterdir())
    assert [f.name for f in files] == [f"{stored['id']}.eml"]
    assert mail_dir(offline) == Path(offline.state_dir) / "mail"
    from email import message_from_bytes, policy

    email = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert isinstance(email, EmailMessage)
    text, html = _parts(email)
    link = f"https://hub.example.cn/console/#/requests/{SAMPLES[Kind.QUOTE_RECEIVED]['request_id']}"
    assert link in text and "&lt;img" in html
    written = [entry for entry in logs if entry["event"] == "mail written"]
    assert len(written) == 1 and link in written[0]["links"]
    assert stored["state"] == "sent" and smtp.inbox.received == []


async def test_a_required_starttls_the_relay_does_not_offer_sends_nothing_in_clear(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    strict = mail_settings.model_copy(update={"smtp_starttls": True})
    await queue(clean, _quote())
    assert await Sender(clean, strict).once() == 0

    waiting = await message(clean, "quote:1")
    assert (waiting["state"], waiting["attempts"]) == ("queued", 1)
    assert smtp.inbox.received == [] and smtp.inbox.logins == []  # no password in clear
