"""Routing: a request reaches the providers that can really take it, explained."""
