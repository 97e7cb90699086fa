"""Webhooks: organizations subscribe a receiver URL; a dispatcher in every hub process
delivers their outbox events to it, signed, in order, at least once (Standard Webhooks)."""
