// Webhook subscriptions: one organization's receiver, with its delivery cursor and lease.
CREATE CONSTRAINT webhook_subscription_id IF NOT EXISTS FOR (s:WebhookSubscription) REQUIRE s.id IS UNIQUE;
CREATE INDEX webhook_subscription_uscc IF NOT EXISTS FOR (s:WebhookSubscription) ON (s.uscc);
CREATE INDEX webhook_subscription_due IF NOT EXISTS FOR (s:WebhookSubscription) ON (s.active, s.next_attempt_at);
CREATE INDEX outbox_event_request IF NOT EXISTS FOR (e:OutboxEvent) ON (e.request_id, e.uscc);
