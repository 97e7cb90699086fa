"""The one place the schema is assembled from the areas, with its limits and error policy.

It sits above the areas (they import the toolkit in hub/graphql, this imports them), so
nothing below it imports the schema. Strawberry orders the SDL's types by first reference:
the order of the areas here is the order of schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter
from strawberry.tools import merge_types

from hub.accounts.graphql import AccountsMutation, AccountsQuery
from hub.audit.graphql import AuditQuery
from hub.events.graphql import EventSubscription
from hub.graphql.error_policy import ErrorPolicy
from hub.graphql.execution import PlainFields
from hub.graphql.limits import ShapeLimits, parsed
from hub.graphql.problems import (
    ConflictProblem,
    InvalidInputProblem,
    NotFoundProblem,
    learn_input_names,
)
from hub.identity.graphql import IdentityMutation
from hub.mail.graphql import NotificationsMutation, NotificationsQuery
from hub.members.graphql import MembersMutation, MembersQuery
from hub.metrics import OperationMetrics
from hub.network.graphql import NetworkQuery
from hub.onboarding.graphql import OnboardingMutation, OnboardingQuery
from hub.reference.graphql import ReferenceMutation, ReferenceQuery
from hub.registry.graphql import RegistryMutation, RegistryQuery
from hub.routing.graphql import RoutingMutation, RoutingQuery
from hub.webhooks.graphql import WebhookMutation, WebhookQuery

MAX_TOKENS = 2000  # the console's largest query has ~110; lexing 2,000 takes ~15 ms

Query = merge_types(
    "Query",
    (
        AccountsQuery,
        NotificationsQuery,
        MembersQuery,
        ReferenceQuery,
        RegistryQuery,
        OnboardingQuery,
        RoutingQuery,
        WebhookQuery,
        AuditQuery,
        NetworkQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountsMutation,
        NotificationsMutation,
        IdentityMutation,
        MembersMutation,
        ReferenceMutation,
        RegistryMutation,
        OnboardingMutation,
        RoutingMutation,
        WebhookMutation,
    ),
)


class HubSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Errors are logged by ErrorPolicy: unexpected ones only, with the request id."""


def build_schema(introspection: bool = True) -> strawberry.Schema:
    """The schema; production turns introspection off (`HUB_GRAPHQL_INTROSPECTION`)."""
    closed = [] if introspection else [DisableIntrospection]
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=EventSubscription,
        types=[InvalidInputProblem, NotFoundProblem, ConflictProblem],
        execution_context_class=PlainFields,
        extensions=[
            ErrorPolicy,
            OperationMetrics,
            ShapeLimits,
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            parsed,  # after the token limit, which sets the parser's options
            *closed,
        ],
    )


schema = build_schema()
learn_input_names(schema)
