"""Settings: one class, read from `HUB_*` environment variables (and an optional `.env`)."""

from __future__ import annotations

from email.utils import parseaddr
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, NamedTuple
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_PASSWORD = "hub-dev-password"  # noqa: S105 - the documented dev-only default, refused elsewhere
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
SMTP_SCHEMES = ("smtp", "smtps")
DEV_MAIL_FROM = "Pharma hub <noreply@hub.localhost>"


class Mode(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class RateLimit(NamedTuple):
    """At most `attempts` in a window of `window_s` seconds; written `attempts/window_s`."""

    attempts: int
    window_s: int


def _rate_limit(value: object) -> object:
    if not isinstance(value, str):
        return value
    count, slash, window = value.partition("/")
    if not (slash and count.strip().isdigit() and window.strip().isdigit()):
        raise ValueError(f"{value!r} is not a rate limit such as 10/900 (10 per 900 seconds)")
    limit = RateLimit(int(count), int(window))
    if limit.attempts < 1 or not 1 <= limit.window_s <= 7 * 86400:
        raise ValueError(f"{value!r}: at least 1, in a window of 1 s to 7 days")
    return limit


Limit = Annotated[RateLimit, NoDecode, BeforeValidator(_rate_limit)]


class Settings(BaseSettings):
    """Everything the hub reads from its environment."""

    # Errors name the variable but never echo its value: some hold passwords (HUB_SMTP_URL).
    model_config = SettingsConfigDict(
        env_prefix="HUB_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    mode: Mode = Mode.DEV
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr(DEV_PASSWORD)
    neo4j_database: str = "neo4j"
    neo4j_timeout_s: Annotated[float, Field(gt=0, le=120)] = 5.0

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    log_json: bool = True
    log_level: str = "INFO"
    graphql_ide: bool = False
    # Introspection of the schema: unset means on, except in prod mode.
    graphql_introspection: bool | None = None
    # Limits on one GraphQL request: body size, and time until it is answered (504).
    graphql_max_body_bytes: Annotated[int, Field(ge=1024, le=50_000_000)] = 2_000_000
    graphql_timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    # Answers that repeat are kept against the data's fingerprint (response_cache.py);
    # off, every answer is computed (to measure computing, or to rule the cache out).
    response_cache: bool = True
    # Limits on one upload to POST /import: a registry file is bigger than a query, and it
    # is written in one transaction, which may take minutes for tens of thousands of rows.
    import_max_body_bytes: Annotated[int, Field(ge=1024, le=500_000_000)] = 20_000_000
    import_timeout_s: Annotated[float, Field(gt=0, le=3600)] = 600.0
    # Routing: how many providers a request goes to at once.
    route_k: Annotated[int, Field(ge=1, le=20)] = 3
    # How often each process looks for matches past their answer deadline.
    sweep_interval_s: Annotated[float, Field(gt=0, le=3600)] = 30.0
    # Events: how often each process looks for new outbox events (webhooks, subscriptions).
    # Webhook retries back off from base, doubling after each failed attempt, up to max.
    # Private, loopback and link-local receivers are refused unless an admin allows them
    # (closed networks and tests).
    events_poll_interval_s: Annotated[float, Field(gt=0, le=60)] = 1.0
    webhook_backoff_base_s: Annotated[float, Field(gt=0, le=3600)] = 5.0
    webhook_backoff_max_s: Annotated[float, Field(gt=0, le=86400)] = 3600.0
    webhook_timeout_s: Annotated[float, Field(gt=0, le=60)] = 10.0
    webhook_allow_private: bool = False
    # Whether this process delivers webhooks (every replica may; API-only ones need not),
    # and how long a process holds a subscription while delivering (more than the timeout).
    webhook_dispatch: bool = True
    webhook_lease_s: Annotated[int, Field(ge=2, le=3600)] = 60
    # Browsers on these origins may call the API (CORS) and open its WebSocket, e.g. a
    # park's own dashboard: comma-separated, like `https://dash.example.cn`. Empty: the
    # console's own origin only.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # `/metrics` answers only a scraper that sends `Authorization: Bearer <this>`; unset,
    # the app's port serves no metrics at all (it is open to every client of the API).
    metrics_token: SecretStr | None = None

    # Accounts (hub/accounts). Links in e-mails lead to the console at `public_url`
    # (unset: http://host:port, which suits `make run`).
    public_url: str | None = None
    # A sign-in session ends after `session_idle_s` without a request, and `session_max_s`
    # after sign-in whatever happens. Activity is written at most every `session_touch_s`:
    # each write changes the data's fingerprint, which the response cache reads.
    session_idle_s: Annotated[int, Field(ge=60, le=7 * 86400)] = 3600
    session_max_s: Annotated[int, Field(ge=300, le=90 * 86400)] = 12 * 3600
    session_touch_s: Annotated[int, Field(ge=1, le=3600)] = 300
    # How long a link to confirm an e-mail address, or to reset a password, stays good.
    confirm_link_ttl_s: Annotated[int, Field(ge=60, le=30 * 86400)] = 2 * 86400
    reset_link_ttl_s: Annotated[int, Field(ge=60, le=86400)] = 3600
    # argon2id's cost: OWASP's first choice (19 MiB, 2 passes, 1 lane), ~0.1 s on one core.
    # A stored hash made with other parameters is made anew at the next sign-in.
    password_memory_kib: Annotated[int, Field(ge=8192, le=1048576)] = 19456
    password_time_cost: Annotated[int, Field(ge=1, le=10)] = 2
    password_parallelism: Annotated[int, Field(ge=1, le=8)] = 1
    # Rate limits, `count/seconds`, counted in Neo4j (so they hold across hub processes):
    # failed sign-ins per account and per client address; sign-ups, password resets and
    # invitations per address, and sign-ups and resets per e-mail address; invitations
    # per inviter and per invited e-mail address.
    limit_sign_in_account: Limit = RateLimit(10, 900)
    limit_sign_in_address: Limit = RateLimit(50, 900)
    limit_sign_up_address: Limit = RateLimit(20, 3600)
    limit_sign_up_email: Limit = RateLimit(5, 3600)
    limit_reset_address: Limit = RateLimit(20, 3600)
    limit_reset_email: Limit = RateLimit(5, 3600)
    limit_invitation_address: Limit = RateLimit(50, 3600)
    limit_invitation_inviter: Limit = RateLimit(30, 3600)
    limit_invitation_email: Limit = RateLimit(5, 86400)

    # E-mail (hub/mail). `HUB_SMTP_URL` names the relay: `smtp://user:password@host:587`
    # (STARTTLS when the server offers it; `HUB_SMTP_STARTTLS=true` requires it, `false`
    # never tries) or `smtps://...:465` (TLS from the first byte). Unset (the dev default),
    # each message is written as an `.eml` file under `<state dir>/mail` and its links logged.
    smtp_url: SecretStr | None = None
    smtp_starttls: bool | None = None
    smtp_timeout_s: Annotated[float, Field(gt=0, le=300)] = 30.0
    mail_from: str = DEV_MAIL_FROM
    # Whether this process sends queued mail and scans for reminders (every replica may),
    # how often, how long it holds a message while sending (more than the SMTP timeout),
    # and the retries of a message: backoff from base doubling to max, `mail_max_attempts`
    # attempts in all, then `failed`.
    mail_send: bool = True
    mail_poll_interval_s: Annotated[float, Field(gt=0, le=60)] = 2.0
    mail_lease_s: Annotated[int, Field(ge=2, le=3600)] = 120
    mail_max_attempts: Annotated[int, Field(ge=1, le=100)] = 8
    mail_backoff_base_s: Annotated[float, Field(gt=0, le=3600)] = 30.0
    mail_backoff_max_s: Annotated[float, Field(gt=0, le=86400)] = 3600.0
    reminder_interval_s: Annotated[float, Field(gt=0, le=86400)] = 600.0

    # Where `hub db` keeps the local server's data, logs and pid file.
    state_dir: Path = Path(".hub")
    # The file store of verification evidence (business-licence scans: PDF, PNG, JPEG, at
    # most evidence_max_bytes each); by default the folder `evidence` in the state dir.
    evidence_dir: Path | None = None
    evidence_max_bytes: Annotated[int, Field(ge=1024, le=100_000_000)] = 10_000_000

    @property
    def evidence_store(self) -> Path:
        return self.evidence_dir or self.state_dir / "evidence"

    # Heap and page cache of the local server, sized for a 2-core, 24 GB machine.
    neo4j_heap: str = "2g"
    neo4j_pagecache: str = "2g"
    neo4j_version: str = "5.26.30"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        origins = [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(
                    f"HUB_CORS_ORIGINS: {origin!r} is not an origin such as https://host:port"
                )
        return origins

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"HUB_PUBLIC_URL: {url!r} is not a URL such as https://hub.example.cn")
        return url.strip().rstrip("/")

    @field_validator("metrics_token")
    @classmethod
    def _long_token(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < 16:
            raise ValueError("HUB_METRICS_TOKEN must have at least 16 characters")
        return token

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, url: SecretStr | None) -> SecretStr | None:
        """Checked without echoing the URL: it may hold the relay's password."""
        if url is None:
            return None
        parts = urlsplit(url.get_secret_value())
        if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
            raise ValueError(
                "HUB_SMTP_URL must look like smtp://user:password@host:587 or smtps://..."
            )
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ValueError("HUB_SMTP_URL: the port is not a number") from None
        return url

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str) -> str:
        _name, address = parseaddr(value)
        if "@" not in address or any(c in value for c in "\r\n"):
            raise ValueError(
                f"HUB_MAIL_FROM: {value!r} is not an address such as Hub <hub@example.cn>"
            )
        return value

    @field_validator("neo4j_uri")
    @classmethod
    def _known_scheme(cls, uri: str) -> str:
        scheme = urlsplit(uri).scheme
        if scheme not in NEO4J_SCHEMES:
            allowed = ", ".join(f"{s}://" for s in NEO4J_SCHEMES)
            raise ValueError(f"HUB_NEO4J_URI must start with one of {allowed}; got {scheme!r}")
        return uri

    @model_validator(mode="after")
    def _no_default_password_outside_dev(self) -> Settings:
        if self.mode is not Mode.DEV and self.neo4j_password.get_secret_value() == DEV_PASSWORD:
            raise ValueError(
                "HUB_NEO4J_PASSWORD is the development default; set a real password "
                "(or HUB_MODE=dev on a developer machine)"
            )
        if len(self.neo4j_password.get_secret_value()) < 8:
            raise ValueError("HUB_NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)")
        return self


def public_url(settings: Settings) -> str:
    """Where people reach the hub: links in e-mails start with it."""
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def introspection(settings: Settings) -> bool:
    """Whether the schema may be introspected: as set, else everywhere but production."""
    if settings.graphql_introspection is not None:
        return settings.graphql_introspection
    return settings.mode is not Mode.PROD


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
