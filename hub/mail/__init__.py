"""E-mail: messages written to a mail outbox in the transaction that causes them, then
sent (SMTP, or `.eml` files in the state dir when none is configured) by a worker."""
