"""Verifications as plain values: a registration or a claim awaiting a verifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Asked(StrEnum):
    REGISTRATION = "registration"  # a new firm, registered by the asker (pending until verified)
    CLAIM = "claim"  # a firm already in the hub: the asker wants to act for it


class State(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Evidence:
    """An uploaded business-licence scan: stored under its id, never under a given name."""

    id: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Verification:
    id: str
    uscc: str
    asked: Asked
    state: State
    asker_id: str
    asker_handle: str
    requested_at: datetime
    organization_name_zh: str
    organization_name_en: str
    organization_status: str
    evidence: Evidence | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason_zh: str | None = None
    reason_en: str | None = None
