// The mail outbox (hub/mail): one message per cause and person, sent by a worker.
CREATE CONSTRAINT mail_message_key IF NOT EXISTS FOR (m:MailMessage) REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT mail_message_id IF NOT EXISTS FOR (m:MailMessage) REQUIRE m.id IS UNIQUE;
CREATE INDEX mail_message_due IF NOT EXISTS FOR (m:MailMessage) ON (m.state, m.due_at);
