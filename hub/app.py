"""The ASGI application: FastAPI with the GraphQL endpoint, health probes, downloads,
registry file uploads (`POST /import`) and the console.

One AsyncDriver and one httpx.AsyncClient per process, opened and closed in the lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from neo4j import AsyncDriver
from starlette.requests import HTTPConnection
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from hub import __version__, health, monitoring
from hub.accounts.purge import purge_forever
from hub.api.context import Context, caller_visibility
from hub.api.schema import build_schema
from hub.api.schema import schema as default_schema
from hub.auth import CurrentPrincipal, DatabaseDep
from hub.body_limit import BodyLimitMiddleware
from hub.config import Settings, get_settings, introspection
from hub.consistency import BookmarkMiddleware
from hub.db.driver import Database, open_driver
from hub.deadline import DeadlineMiddleware
from hub.errors import HubError
from hub.graphql.cached_answers import CachedAnswersMiddleware
from hub.graphql.http import HubGraphQLRouter
from hub.graphql.refusal import language, refusal
from hub.imports import upload
from hub.mail.worker import Worker as MailWorker
from hub.network.http import router as network_downloads
from hub.onboarding import http as evidence
from hub.origins import add_cors
from hub.request_id import RequestIdMiddleware
from hub.routing.sweeper import sweep_forever
from hub.security_headers import SecurityHeadersMiddleware
from hub.web import console, ide
from hub.webhooks.dispatcher import Dispatcher

PURGE_INTERVAL = timedelta(minutes=10)
# What receivers of webhooks see: the product and its version, not the HTTP library.
USER_AGENT = f"pharma-hub/{__version__}"


async def get_context(
    connection: HTTPConnection, principal: CurrentPrincipal, db: DatabaseDep
) -> Context:
    return Context(
        principal=principal,
        db=db,
        http=connection.app.state.http,
        settings=connection.app.state.settings,
        request_id=connection.state.request_id,
        language=language(connection),
        fingerprint=getattr(connection.state, "fingerprint", None),
    )


async def _hub_error(request: Request, error: Exception) -> JSONResponse:
    """Errors raised before GraphQL runs (authentication, database down), as GraphQL errors."""
    assert isinstance(error, HubError)
    return refusal(
        request,
        error.http_status or 400,
        error.code,
        error.message_en,
        error.message_zh,
        field=error.field,
        headers=error.http_headers(),
    )


async def _graphql_options() -> Response:
    """A plain OPTIONS (preflights are answered by the CORS middleware before this)."""
    return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})


def create_app(settings: Settings | None = None, schema: BaseSchema | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Pharma service hub",
        version=__version__,
        lifespan=functools.partial(_lifespan, settings=settings),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    _add_middleware(app, settings)
    app.add_exception_handler(HubError, _hub_error)
    _add_routes(app, settings, _schema(settings) if schema is None else schema)
    return app


def _schema(settings: Settings) -> BaseSchema:
    """The shared schema, or one without introspection when production turns it off."""
    return default_schema if introspection(settings) else build_schema(introspection=False)


@asynccontextmanager
async def _lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """The process's one driver and one HTTP client, and its background tasks."""
    driver = open_driver(settings)
    _share(app, settings, driver)
    background = _start_background(app.state.database, app.state.http, settings)
    # What is loaded by now lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise pause a request for ~150 ms now and then.
    gc.freeze()
    try:
        yield
    finally:
        await _stop(background)
        await app.state.http.aclose()
        await driver.close()


def _share(app: FastAPI, settings: Settings, driver: AsyncDriver) -> None:
    """What every request reads from `app.state`: settings, the database, the HTTP client."""
    app.state.settings = settings
    app.state.database = Database(driver, settings.neo4j_database)
    app.state.http = httpx.AsyncClient(
        timeout=10.0, follow_redirects=False, headers={"user-agent": USER_AGENT}
    )


def _start_background(
    db: Database, http: httpx.AsyncClient, settings: Settings
) -> list[asyncio.Task[None]]:
    """The sweeper, the accounts' purge, and the webhook dispatcher and the mail worker
    unless this process leaves them to another."""
    tasks = [
        asyncio.create_task(sweep_forever(db, settings.sweep_interval_s, settings.route_k)),
        asyncio.create_task(purge_forever(db, PURGE_INTERVAL)),
    ]
    if settings.webhook_dispatch:
        tasks.append(asyncio.create_task(Dispatcher(db, http, settings).run_forever()))
    if settings.mail_send:
        tasks.append(asyncio.create_task(MailWorker(db, settings).run_forever()))
    return tasks


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """The last added is the outermost: a request meets the security headers, its id,
    CORS, the body limit, the deadline, the bookmarks and the cached answers, in that
    order."""
    app.add_middleware(
        CachedAnswersMiddleware, caller=caller_visibility, enabled=settings.response_cache
    )
    app.add_middleware(BookmarkMiddleware)
    app.add_middleware(
        DeadlineMiddleware,
        seconds=settings.graphql_timeout_s,
        paths={upload.PATH: settings.import_timeout_s},
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.graphql_max_body_bytes,
        paths={
            upload.PATH: settings.import_max_body_bytes,
            evidence.PATH: 2 * settings.evidence_max_bytes,
        },
    )
    add_cors(app, settings.cors_origins)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)


def _add_routes(app: FastAPI, settings: Settings, schema: BaseSchema) -> None:
    app.include_router(health.router)
    app.include_router(monitoring.router)
    app.include_router(network_downloads)
    app.include_router(upload.router)
    app.include_router(evidence.router)
    _add_graphql(app, settings, schema)
    app.include_router(console.router)
    app.mount(console.STATIC_PATH, console.static_files(), name="console-assets")


def _add_graphql(app: FastAPI, settings: Settings, schema: BaseSchema) -> None:
    """`/graphql`, and the IDE's page and assets when it is turned on."""
    graphql = HubGraphQLRouter(
        schema,
        context_getter=get_context,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        graphql_ide="graphiql" if settings.graphql_ide else None,
        allowed_origins=settings.cors_origins,
    )
    if settings.graphql_ide:
        graphql.render_graphql_ide = ide.render  # type: ignore[method-assign]
        app.mount(ide.STATIC_PATH, ide.static_files(), name="ide-assets")
    app.include_router(graphql, prefix="/graphql")
    app.add_api_route("/graphql", _graphql_options, methods=["OPTIONS"], include_in_schema=False)
