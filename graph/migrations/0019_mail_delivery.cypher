// Mail delivery (hub/mail): how far each organization's event stream has been mailed
// (hub/mail/events.py), and the lookups of the reminder scans (hub/mail/reminders.py).
CREATE CONSTRAINT mail_cursor_uscc IF NOT EXISTS FOR (c:MailCursor) REQUIRE c.uscc IS UNIQUE;
// Streams that exist when mail arrives start at their end: past events are not mailed.
MATCH (s:EventStream)
MERGE (c:MailCursor {uscc: s.uscc})
ON CREATE SET c.seq = s.seq;
