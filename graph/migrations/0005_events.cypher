// Events: one stream per organization, numbered; the outbox is read in stream order.
CREATE CONSTRAINT event_stream_uscc IF NOT EXISTS FOR (s:EventStream) REQUIRE s.uscc IS UNIQUE;
CREATE CONSTRAINT outbox_event_id IF NOT EXISTS FOR (e:OutboxEvent) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT outbox_event_stream_seq IF NOT EXISTS FOR (e:OutboxEvent) REQUIRE (e.uscc, e.seq) IS UNIQUE;
