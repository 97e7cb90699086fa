"""Cypher for mail: the outbox's sending states, preferences and audiences, reminder scans."""
