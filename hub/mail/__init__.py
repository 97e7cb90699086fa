"""E-mail: messages written to a mail outbox in the transaction that causes them, then
sent (SMTP, or `.eml` files in the state dir when none is configured) by a worker.

Entry points for other areas (each documented in its module):

- `outbox.enqueue(tx, [Mail(...)])`: queue messages to addresses, in the caller's
  transaction (the accounts area's confirm/reset links, an invitation to a newcomer);
- `notify.notify(tx, kind, person_ids, cause, values)` / `notify.mails_for(...)`: to people,
  as their preferences say, in their language; `notify.members(tx, uscc)`,
  `notify.verifiers(tx, uscc)`: who to tell about a firm;
- `preferences.preferences(db, person_id)`, `preferences.switch(db, actor, person_id, kind,
  on)`: what a person's notification settings page reads and writes;
- `samples.SAMPLES`: the values each kind's template needs, by example.

Nobody needs to call anything for routing's events (events.py mails them from the event
outbox) or the reminders (reminders.py scans for them); worker.py runs both and the sender
(sender.py) in every hub process.
"""
