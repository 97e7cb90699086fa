"""Settings refuse what would be unsafe or unusable, naming the variable."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hub.config import DEV_PASSWORD, Mode, Settings


@pytest.mark.parametrize("mode", [Mode.TEST, Mode.PROD])
def test_the_default_password_is_refused_outside_dev(mode: Mode) -> None:
    with pytest.raises(ValidationError, match="HUB_NEO4J_PASSWORD is the development default"):
        Settings(mode=mode, neo4j_password=DEV_PASSWORD)


def test_the_default_password_is_fine_in_dev() -> None:
    assert Settings(mode=Mode.DEV).neo4j_password.get_secret_value() == DEV_PASSWORD


def test_a_short_password_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        Settings(mode=Mode.PROD, neo4j_password="short")


@pytest.mark.parametrize("uri", ["bolt://db:7687", "neo4j://cluster:7687", "neo4j+s://x.io"])
def test_bolt_and_routing_uris_are_accepted(uri: str) -> None:
    assert Settings(neo4j_uri=uri).neo4j_uri == uri


def test_another_scheme_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValidationError, match="HUB_NEO4J_URI must start with"):
        Settings(neo4j_uri="http://127.0.0.1:7474")


def test_settings_come_from_hub_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_PORT", "9100")
    monkeypatch.setenv("HUB_NEO4J_DATABASE", "hub")
    settings = Settings()
    assert (settings.port, settings.neo4j_database) == (9100, "hub")


@pytest.mark.parametrize("url", ["smtp://relay.example.cn", "smtps://u:p%40ss@relay:465"])
def test_smtp_urls_are_accepted(url: str) -> None:
    smtp_url = Settings(smtp_url=url).smtp_url
    assert smtp_url is not None and smtp_url.get_secret_value() == url


@pytest.mark.parametrize("url", ["http://mailer:hunter2-secret@relay", "smtp://", "smtp://h:x"])
def test_a_bad_smtp_url_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(ValidationError, match="HUB_SMTP_URL") as refused:
        Settings(smtp_url=url)
    assert "hunter2" not in str(refused.value) and "input_value" not in str(refused.value)


@pytest.mark.parametrize("sender", ["hub", "Hub <hub@example.cn>\nBcc: x@example.cn"])
def test_a_bad_mail_from_is_refused(sender: str) -> None:
    with pytest.raises(ValidationError, match="HUB_MAIL_FROM"):
        Settings(mail_from=sender)
