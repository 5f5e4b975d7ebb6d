"""Every side effect out: mail and staff notifications queued in the OutboxMessage table,
sent by the worker (``send_due``) and, right after commit, by a background task."""
