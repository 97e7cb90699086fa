"""Stored requests and matches → routing's models; Neo4j's dates become Python's here,
once, and the JSON a match keeps (its score parts, its evidence) is read back."""

from __future__ import annotations

import json
from typing import Any

from hub.db.driver import python_value
from hub.registry.model import Authority, GmpGrade
from hub.routing.model import (
    Evidence,
    Match,
    MatchState,
    MatchStatus,
    Need,
    Outcome,
    Quote,
    Request,
    RequestState,
    RequestStatus,
    ScorePart,
)

Row = dict[str, Any]


def request(row: Row) -> Request:
    return Request(
        id=row["id"],
        status=RequestStatus(row["status"]),
        need=need(row),
        title=row["title"],
        created_at=python_value(row["created_at"]),
        modality=row.get("modality"),
        budget_min=row.get("budget_min"),
        budget_max=row.get("budget_max"),
        currency=row.get("currency", "CNY"),
        confidential=row.get("confidential", False),
        provider=row.get("provider"),
        outcome=_outcome(row),
    )


def need(row: Row) -> Need:
    """The Need as stored by hub.routing.rules `need_props`."""
    lat, lon = row.get("origin_lat"), row.get("origin_lon")
    return Need(
        requester=row["requester"],
        capability=row["capability"],
        quantity=row["quantity"],
        unit=row["unit"],
        earliest_start=python_value(row["earliest_start"]),
        need_by=python_value(row["need_by"]),
        gmp_grade=GmpGrade(row["gmp_grade"]),
        authorities=tuple(Authority(a) for a in row.get("authorities") or ()),
        preferred_parks=tuple(row.get("preferred_parks") or ()),
        max_distance_km=row.get("max_distance_km"),
        origin=None if lat is None or lon is None else (lat, lon),
    )


def _outcome(row: Row) -> Outcome | None:
    if row.get("completed_at") is None:
        return None
    return Outcome(
        on_time=row["on_time"],
        rating=row["rating"],
        comment=row.get("comment"),
        completed_at=python_value(row["completed_at"]),
    )


def request_state(row: Row) -> RequestState:
    return RequestState(
        id=row["id"],
        status=RequestStatus(row["status"]),
        requester=row["requester"],
        provider=row.get("provider"),
    )


def match(row: Row) -> Match:
    return Match(
        id=row["id"],
        status=MatchStatus(row["status"]),
        provider=row["uscc"],
        offering_id=row["offering_id"],
        rank=row["rank"],
        score=row["score"],
        score_parts=tuple(_score_part(p) for p in json.loads(row["score_parts"])),
        evidence=_evidence(json.loads(row["evidence"])),
        routed_at=python_value(row["routed_at"]),
        deadline=python_value(row["deadline"]),
        responded_at=python_value(row.get("responded_at")),
        quote=_quote(row),
        decline_reason=row.get("decline_reason"),
    )


def _score_part(part: Row) -> ScorePart:
    """A stored part; parts scored before details were bilingual hold English only."""
    detail_en = part.get("detail_en") or part.get("detail") or ""
    return ScorePart(
        name=part["name"],
        value=part["value"],
        weight=part["weight"],
        detail_en=detail_en,
        detail_zh=part.get("detail_zh") or detail_en,
    )


def _evidence(stored: Row) -> Evidence:
    return Evidence(
        capability=stored["capability"],
        offering_id=stored["offering_id"],
        site_id=stored["site_id"],
        park=stored["park"],
        certificate_ids=tuple(stored["certificate_ids"]),
        bucket_ids=tuple(stored["bucket_ids"]),
    )


def _quote(row: Row) -> Quote | None:
    if row.get("quote_price") is None:
        return None
    return Quote(
        price=row["quote_price"],
        currency=row["quote_currency"],
        lead_time_days=row["quote_lead_time_days"],
        valid_until=python_value(row["quote_valid_until"]),
    )


def match_state(row: Row) -> MatchState:
    return MatchState(
        id=row["id"],
        status=MatchStatus(row["status"]),
        provider=row["uscc"],
        offering_id=row.get("offering_id"),
        past_deadline=row.get("past_deadline") is True,
    )
