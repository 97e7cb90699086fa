"""GraphQL for webhook subscriptions, managed by the organization that owns them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.api.context import Info
from hub.audit.log import Actor
from hub.graphql.problems import Problems, attempt
from hub.webhooks import service
from hub.webhooks.model import EVENT_TYPES, Subscription


@strawberry.type(
    name="WebhookSubscription",
    description="A receiver of one organization's events, signed per Standard Webhooks.",
)
class WebhookSubscriptionType:
    id: strawberry.ID
    uscc: str
    url: str
    description: str
    event_types: list[str] = strawberry.field(description="Empty: every event type.")
    active: bool
    created_at: datetime
    backlog: int = strawberry.field(description="Events of the organization not yet passed.")
    failures: int = strawberry.field(description="Failed attempts since the last delivery.")
    last_error: str | None
    last_attempt_at: datetime | None
    last_delivered_at: datetime | None
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, s: Subscription) -> WebhookSubscriptionType:
        return cls(
            id=strawberry.ID(s.id),
            uscc=s.uscc,
            url=s.url,
            description=s.description,
            event_types=list(s.event_types),
            active=s.active,
            created_at=s.created_at,
            backlog=s.backlog,
            failures=s.failures,
            last_error=s.last_error,
            last_attempt_at=s.last_attempt_at,
            last_delivered_at=s.last_delivered_at,
            next_attempt_at=s.next_attempt_at,
        )


@strawberry.input
class WebhookSubscriptionInput:
    uscc: str = strawberry.field(description="The organization whose events are sent.")
    url: str = strawberry.field(description="https://… (private addresses are refused).")
    description: str = ""
    event_types: list[str] = strawberry.field(
        default_factory=list, description="Empty: every event type."
    )


@strawberry.input
class WebhookSubscriptionChange:
    url: str | None = None
    description: str | None = None
    event_types: list[str] | None = None
    active: bool | None = None


@strawberry.type(description="The subscription, and its signing secret: shown only now.")
class WebhookSecret:
    subscription: WebhookSubscriptionType
    secret: str


@strawberry.type
class WebhookSubscriptionSaved:
    subscription: WebhookSubscriptionType


@strawberry.type
class WebhookSubscriptionDeleted:
    id: strawberry.ID


WebhookSecretResult = Annotated[WebhookSecret | Problems, strawberry.union("WebhookSecretResult")]
WebhookSubscriptionResult = Annotated[
    WebhookSubscriptionSaved | Problems, strawberry.union("WebhookSubscriptionResult")
]
WebhookDeleteResult = Annotated[
    WebhookSubscriptionDeleted | Problems, strawberry.union("WebhookDeleteResult")
]


def _actor(info: Info) -> Actor:
    return Actor.serving(info.context.require_principal().handle)


def _secret(found: service.WithSecret) -> WebhookSecret:
    return WebhookSecret(
        subscription=WebhookSubscriptionType.of(found.subscription), secret=found.secret
    )


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="An organization's webhook subscriptions (its members only).")
    async def webhook_subscriptions(self, info: Info, uscc: str) -> list[WebhookSubscriptionType]:
        principal = info.context.require_principal()
        found = await service.subscriptions(info.context.db, principal, uscc)
        return [WebhookSubscriptionType.of(s) for s in found]

    @strawberry.field(description="The event types a subscription can choose from.")
    def webhook_event_types(self) -> list[str]:
        return list(EVENT_TYPES)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Subscribe a receiver to your organization's events from now on; "
        "the answer carries the signing secret, shown only this once."
    )
    async def create_webhook_subscription(
        self, info: Info, input: WebhookSubscriptionInput
    ) -> WebhookSecretResult:
        ctx = info.context
        draft = service.Draft(input.url, input.description, tuple(input.event_types))

        async def change() -> WebhookSecret:
            found = await service.create(
                ctx.db, ctx.require_principal(), ctx.settings, input.uscc, draft, _actor(info)
            )
            return _secret(found)

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Change, pause (active: false) or resume a subscription.")
    async def update_webhook_subscription(
        self, info: Info, id: strawberry.ID, input: WebhookSubscriptionChange
    ) -> WebhookSubscriptionResult:
        ctx = info.context
        types = None if input.event_types is None else tuple(input.event_types)
        draft = service.Draft(input.url, input.description, types, input.active)

        async def change() -> WebhookSubscriptionSaved:
            found = await service.update(
                ctx.db, ctx.require_principal(), ctx.settings, str(id), draft, _actor(info)
            )
            return WebhookSubscriptionSaved(subscription=WebhookSubscriptionType.of(found))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="A new signing secret, shown only this once.")
    async def rotate_webhook_secret(self, info: Info, id: strawberry.ID) -> WebhookSecretResult:
        ctx = info.context

        async def change() -> WebhookSecret:
            found = await service.rotate_secret(
                ctx.db, ctx.require_principal(), str(id), _actor(info)
            )
            return _secret(found)

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Delete a subscription; undelivered events are dropped.")
    async def delete_webhook_subscription(
        self, info: Info, id: strawberry.ID
    ) -> WebhookDeleteResult:
        ctx = info.context

        async def change() -> WebhookSubscriptionDeleted:
            await service.delete(ctx.db, ctx.require_principal(), str(id), _actor(info))
            return WebhookSubscriptionDeleted(id=id)

        return await attempt(ctx.language, change)
