"""Mail as the sender handles it: a message claimed from the outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outgoing:
    """A queued message one sender holds (leased) while it renders and sends it."""

    id: str
    key: str
    to: str
    language: str
    template: str
    values: dict[str, Any]
    attempts: int  # this attempt included

    @classmethod
    def of(cls, row: dict[str, Any]) -> Outgoing:
        """Raises ValueError when the stored values are not a JSON object."""
        values = json.loads(row["values"] or "{}")
        if not isinstance(values, dict):
            raise ValueError("values are not a JSON object")
        return cls(
            row["id"],
            row["key"],
            row["to"],
            row["language"],
            row["template"],
            values,
            int(row["attempts"]),
        )
