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
