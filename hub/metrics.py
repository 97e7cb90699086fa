"""What the hub measures for Prometheus (served by hub/monitoring.py at `/metrics`).

- `hub_graphql_operation_seconds{type, field}`: latency of each GraphQL operation, by
  operation type and first root field (bounded by the schema: never a client's name);
  rejected operations are `type="rejected"`.
- `hub_neo4j_transaction_retries_total{mode}`: transactions the driver ran again after a
  transient error (deadlock, leader switch); `hub_neo4j_unavailable_total`: units of work
  that failed because Neo4j could not be reached.
- `hub_outbox_backlog_events`: events not yet delivered to active webhook subscriptions,
  read from the graph when scraped (so every replica reports the same figure).
- `hub_webhook_deliveries_total{result}` and `hub_webhook_delivery_seconds`.
- `hub_mail_messages_total{result}`: messages sent, retried or given up (hub/mail).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import FieldNode, OperationDefinitionNode
from prometheus_client import Counter, Gauge, Histogram
from strawberry.extensions import SchemaExtension

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

GRAPHQL_SECONDS = Histogram(
    "hub_graphql_operation_seconds",
    "GraphQL operations by type and first root field.",
    ["type", "field"],
    buckets=LATENCY_BUCKETS,
)
TRANSACTION_RETRIES = Counter(
    "hub_neo4j_transaction_retries_total",
    "Neo4j transactions retried after a transient error.",
    ["mode"],
)
NEO4J_UNAVAILABLE = Counter(
    "hub_neo4j_unavailable_total", "Units of work that failed because Neo4j was unreachable."
)
OUTBOX_BACKLOG = Gauge(
    "hub_outbox_backlog_events", "Events not yet delivered to active webhook subscriptions."
)
WEBHOOK_DELIVERIES = Counter(
    "hub_webhook_deliveries_total", "Webhook delivery attempts by result.", ["result"]
)
MAIL_MESSAGES = Counter(
    "hub_mail_messages_total", "Mail send attempts by result (sent, retried, failed).", ["result"]
)
WEBHOOK_SECONDS = Histogram(
    "hub_webhook_delivery_seconds", "Time a receiver took to answer.", buckets=LATENCY_BUCKETS
)


class OperationMetrics(SchemaExtension):
    """Times every operation; labels come from the validated document only."""

    def on_operation(self) -> Iterator[None]:
        began = time.perf_counter()
        yield
        context = self.execution_context
        kind, field = "rejected", ""
        operation = context._get_first_operation()
        if operation is not None and not context.pre_execution_errors:
            kind, field = operation.operation.value, _first_field(operation)
        GRAPHQL_SECONDS.labels(kind, field).observe(time.perf_counter() - began)


def _first_field(operation: OperationDefinitionNode) -> str:
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            return selection.name.value
    return "fragment"
