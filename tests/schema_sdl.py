"""Reading the checked-in schema.graphql: tests that must cover every operation use it."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def type_body(name: str) -> str:
    """The field lines of `type <name> { ... }` in schema.graphql."""
    sdl = (ROOT / "schema.graphql").read_text()
    body = re.search(rf"^type {name} \{{(.*?)^\}}", sdl, re.S | re.M)
    assert body is not None, name
    return body.group(1)


def operations(root: str) -> set[str]:
    """The field names of a root type (Query, Mutation, Subscription)."""
    return set(re.findall(r"^  (\w+)[(:]", type_body(root), re.M))
