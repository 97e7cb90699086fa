"""Cypher for accounts: people and their links (people.py), sign-in sessions (sessions.py)
and rate-limit counters (counters.py). Each function runs in the caller's transaction."""
