"""GraphQL for a person's notification settings: which kinds of notification they get by
e-mail, each switched on or off (hub/mail/preferences.py). Thin: the signed-in person only."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from hub.api.context import Info
from hub.audit.log import Actor
from hub.errors import NotFound
from hub.graphql.problems import InvalidInputProblem, NotFoundProblem, attempt
from hub.mail import preferences
from hub.mail.kinds import Kind

strawberry.enum(Kind, name="NotificationKind")


@strawberry.type(description="One kind of notification and whether it is sent to you.")
class NotificationSetting:
    kind: Kind
    on: bool


@strawberry.type
class NotificationsChanged:
    settings: list[NotificationSetting]


SwitchNotificationResult = Annotated[
    NotificationsChanged | InvalidInputProblem | NotFoundProblem,
    strawberry.union("SwitchNotificationResult"),
]


def _settings(found: preferences.Preferences) -> list[NotificationSetting]:
    return [NotificationSetting(kind=kind, on=on) for kind, on in found.items()]


@strawberry.type
class NotificationsQuery:
    @strawberry.field(
        description="Your notification settings, every kind that can be switched (a person "
        "signed in; null for a principal that is not a person)."
    )
    async def notification_settings(self, info: Info) -> list[NotificationSetting] | None:
        principal = info.context.require_principal()
        try:
            return _settings(await preferences.preferences(info.context.db, principal.id))
        except NotFound:
            return None


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(
        description="Switch one kind of notification on or off for yourself (messages about "
        "your account itself cannot be switched off)."
    )
    async def switch_notification(
        self, info: Info, kind: Kind, on: bool
    ) -> SwitchNotificationResult:
        principal = info.context.require_principal()

        async def change() -> NotificationsChanged:
            actor = Actor.serving(principal.handle)
            found = await preferences.switch(info.context.db, actor, principal.id, kind, on)
            return NotificationsChanged(settings=_settings(found))

        return cast(SwitchNotificationResult, await attempt(info.context.language, change))
