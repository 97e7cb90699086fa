"""The `hub` command: serve, migrate, seed, export the schema, run a local Neo4j, manage tokens."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, TypeVar
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from hub.config import Settings, get_settings
from hub.db.driver import Database, open_driver
from hub.db.server import LocalServer
from hub.errors import HubError
from hub.identity import service as identity
from hub.identity.model import Role

if TYPE_CHECKING:
    from hub.imports.pipeline import ImportReport

T = TypeVar("T")
SHOW_BAR = 300  # rows from which `hub import` draws a progress bar

app = typer.Typer(
    help="Pharmaceutical service hub: capability graph, routing, park networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(
    help="Run a local Neo4j 5.26 server (needs Java 17 and Maven).", no_args_is_help=True
)
tokens_app = typer.Typer(help="Issue, list and revoke API tokens.", no_args_is_help=True)
seed_app = typer.Typer(help="Load data: reference data, the demo network.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(tokens_app, name="tokens")
app.add_typer(seed_app, name="seed")


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValueError as error:
        raise _fail(f"Invalid settings: {error}") from None


def _with_database(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` with a driver opened for this command only; errors become one clear line."""
    settings = _settings()

    async def main() -> T:
        async with open_driver(settings) as driver:
            return await work(Database(driver, settings.neo4j_database))

    try:
        return asyncio.run(main())
    except HubError as error:
        raise _fail(error.message_en) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default HUB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default HUB_PORT).")] = None,
) -> None:
    """Serve the API at http://HOST:PORT/graphql."""
    import uvicorn

    from hub import logs
    from hub.app import create_app

    settings = _settings()
    logs.configure(settings.log_level, settings.log_json)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )


@app.command()
def migrate() -> None:
    """Apply the Cypher migrations of graph/migrations that are not applied yet."""
    from hub.db.migrations import migrate as apply

    done = _with_database(apply)
    typer.echo(f"applied {', '.join(done)}" if done else "nothing to apply: schema is current")


@seed_app.command("reference")
def seed_reference() -> None:
    """Parks, capacity units and the capability taxonomy (idempotent)."""
    from hub.reference.seed import load_reference

    counts = _with_database(load_reference)
    typer.echo(", ".join(f"{n} {what}" for what, n in counts.items()))


@seed_app.command("demo")
def seed_demo() -> None:
    """The demo network: reference data plus 60-120 fictional firms (idempotent)."""
    from hub.demo.firms import load_demo

    seed_reference()
    counts = _with_database(load_demo)
    typer.echo(", ".join(f"{n} {what}" for what, n in counts.items()))


@seed_app.command("synthetic")
def seed_synthetic(
    orgs: Annotated[int, typer.Option(min=1, max=50_000, help="How many organizations.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same network.")] = 1,
) -> None:
    """A deterministic synthetic network for tests and benchmarks (fictional firms)."""
    from rich.progress import Progress

    from hub.demo.synthetic import load_synthetic

    seed_reference()
    with Progress(transient=True) as bar:
        task = bar.add_task("firms", total=orgs)
        counts = _with_database(
            lambda db: load_synthetic(
                db, orgs, seed, progress=lambda done: bar.update(task, completed=done)
            )
        )
    typer.echo(", ".join(f"{n} {what}" for what, n in counts.items()))


@app.command("import")
def import_file(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A .csv, .xlsx or .json file."
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            help="organizations, sites, offerings, equipment, certificates or capacity "
            "(default: from the file name, e.g. sites.csv)."
        ),
    ] = None,
) -> None:
    """Import one file, all or nothing; every bad row is reported with its line and field."""
    report = _with_database(lambda db: _import_showing_progress(db, path, kind))
    typer.echo(f"{path.name}: {report}")


class ProgressBar:
    """A progress bar on stderr, drawn only once a file turns out to be big."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < SHOW_BAR:
            return
        if self._bar is None or self._task is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
            )
            self._bar.start()
            self._task = self._bar.add_task(self._label, total=total)
        self._bar.update(self._task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()


async def _import_showing_progress(db: Database, path: Path, kind: str | None) -> ImportReport:
    """The import, with a progress bar for big files; the bar is gone before anything is
    printed. ImportFailed is a HubError: _with_database prints its report, exits with 1."""
    from hub.imports.pipeline import import_file

    with ProgressBar(path.name) as bar:
        return await import_file(db, path, kind, progress=bar)


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
    check: Annotated[bool, typer.Option(help="Only check that OUTPUT is current.")] = False,
) -> None:
    """Write the GraphQL schema (SDL) to schema.graphql, or check that it is current."""
    from hub.api.schema import schema

    sdl = schema.as_str() + "\n"
    if check:
        if not output.exists() or output.read_text(encoding="utf-8") != sdl:
            raise _fail(f"{output} is stale: run `hub export-schema`")
        typer.echo(f"{output} is current")
        return
    output.write_text(sdl, encoding="utf-8")
    typer.echo(f"wrote {output}")


def _local_server(instance: str, port: int | None) -> LocalServer:
    settings = _settings()
    uri = urlsplit(settings.neo4j_uri)
    if port is None and uri.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise _fail(f"HUB_NEO4J_URI points at {uri.hostname}: nothing to run locally")
    return LocalServer(
        home=(settings.state_dir / "neo4j" / instance).resolve(),
        port=port or uri.port or 7687,
        password=settings.neo4j_password.get_secret_value(),
        version=settings.neo4j_version,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
    )


Instance = Annotated[str, typer.Option(help="Instance name: its own data folder.")]
Port = Annotated[int | None, typer.Option(help="Bolt port (default: HUB_NEO4J_URI's).")]


@db_app.command("start")
def db_start(instance: Instance = "dev", port: Port = None) -> None:
    """Start the local server (fetching its jars once) and wait until it answers."""
    server = _local_server(instance, port)
    try:
        seconds = server.start()
    except HubError as error:
        raise _fail(error.message_en) from None
    typer.echo(f"Neo4j answers at {server.uri} after {seconds:.1f} s (data in {server.home})")


@db_app.command("stop")
def db_stop(instance: Instance = "dev", port: Port = None) -> None:
    """Stop the local server cleanly."""
    server = _local_server(instance, port)
    typer.echo("stopped" if server.stop() else "not running")


@db_app.command("status")
def db_status(instance: Instance = "dev", port: Port = None) -> None:
    """Say whether the local server runs (exit code 1 when not)."""
    server = _local_server(instance, port)
    pid = server.pid()
    typer.echo(f"running (pid {pid}) at {server.uri}" if pid else "not running")
    if pid is None:
        raise typer.Exit(code=1)


@db_app.command("reset")
def db_reset(
    instance: Instance = "dev",
    port: Port = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Stop the local server and delete its data."""
    server = _local_server(instance, port)
    if not yes and not typer.confirm(f"Delete all data in {server.home}?"):
        raise typer.Exit(code=1)
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)
    typer.echo(f"deleted {server.home}")


@db_app.command("backup")
def db_backup(
    to: Annotated[Path, typer.Option("--to", help="Folder for neo4j.dump.")],
    instance: Instance = "dev",
    port: Port = None,
) -> None:
    """Dump the local server's database (stopped for the dump, then started again)."""
    server = _local_server(instance, port)
    try:
        dump = server.backup(to.resolve())
    except HubError as error:
        raise _fail(error.message_en) from None
    typer.echo(f"wrote {dump} ({dump.stat().st_size:,} bytes)")


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Option("--from", help="Folder holding neo4j.dump.")],
    instance: Instance = "dev",
    port: Port = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Replace the local server's database with a dump."""
    server = _local_server(instance, port)
    if not yes and not typer.confirm(f"Replace all data in {server.home} with {source}?"):
        raise typer.Exit(code=1)
    try:
        server.restore(source.resolve())
    except HubError as error:
        raise _fail(error.message_en) from None
    typer.echo(f"restored {source} into {server.home}")


def _expiry(days: int | None) -> datetime | None:
    return None if days is None else datetime.now(UTC) + timedelta(days=days)


@tokens_app.command("create")
def tokens_create(
    user: Annotated[str, typer.Option(help="Who the token is for, e.g. an e-mail address.")],
    role: Annotated[
        list[str],
        typer.Option(
            help="admin, provider:USCC, requester:USCC, firm_admin:USCC or operator:PARK "
            "(repeatable)."
        ),
    ] = [],  # noqa: B006
    name: Annotated[str, typer.Option(help="A label, e.g. the machine it lives on.")] = "cli",
    expires_in_days: Annotated[int | None, typer.Option(min=1, help="Expire after N days.")] = None,
) -> None:
    """Issue a token; its secret is printed once and only its hash is kept."""
    try:
        roles = frozenset(Role.parse(r) for r in role)
    except HubError as error:
        raise _fail(error.message_en) from None
    secret, token = _with_database(
        lambda db: identity.issue_token(db, user, roles, name, _expiry(expires_in_days))
    )
    typer.echo(
        f"token {token.id} for {token.handle} "
        f"(roles: {', '.join(map(str, sorted(roles))) or 'none'})",
        err=True,
    )
    typer.echo("Store this secret now; it cannot be shown again:", err=True)
    typer.echo(secret)


@tokens_app.command("list")
def tokens_list(
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
) -> None:
    """List tokens (never their secrets)."""
    tokens = _with_database(lambda db: identity.list_tokens(db, user))
    now = datetime.now(UTC)
    for t in tokens:
        state = "active" if t.is_active(now) else ("revoked" if t.revoked_at else "expired")
        expires = t.expires_at.date().isoformat() if t.expires_at else "never"
        typer.echo(f"{t.id}  {state:8} {t.handle:30} {t.name:16} expires {expires}")


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token at once."""
    token = _with_database(lambda db: identity.revoke_token(db, token_id))
    typer.echo(f"revoked {token.id} of {token.handle}")


def main() -> None:  # pragma: no cover - for `python -m hub`
    sys.exit(app())
