"""Events: every state change is written to an outbox in the same transaction as the
change; webhooks and subscriptions deliver them from there."""
