"""Mail tests: a real SMTP server, people (as the accounts area stores them), and mail
settings with quick retries. Senders are run by the tests, one round at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from hub.config import Settings
from tests.mail.smtp_server import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings: Settings, smtp: SmtpServer, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "smtp_url": SecretStr(smtp.url),
            "smtp_starttls": False,
            "smtp_timeout_s": 5.0,
            "mail_from": "Pharma hub <noreply@hub.example.cn>",
            "public_url": "https://hub.example.cn",
            "mail_lease_s": 60,
            "mail_max_attempts": 3,
            "mail_backoff_base_s": 60.0,
            "state_dir": tmp_path,
        }
    )
