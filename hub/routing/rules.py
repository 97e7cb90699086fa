"""A request as the requester typed it → a validated Need and its other fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from hub import values
from hub.errors import invalid
from hub.reference.model import Reference
from hub.registry import rules
from hub.registry.model import Authority, GmpGrade
from hub.registry.uscc import normalize_uscc
from hub.routing.model import Need
from hub.values import Raw

CURRENCIES = frozenset({"CNY", "USD", "EUR", "HKD", "JPY", "GBP", "CHF", "SGD", "KRW", "AUD"})


def _authorities(raw: Raw) -> tuple[Authority, ...]:
    return tuple(
        values.choice({"authorities": a}, "authorities", Authority)
        for a in values.listing(raw, "authorities")
    )


def _window(raw: Raw) -> tuple[date, date]:
    start, end = values.day(raw, "earliest_start"), values.day(raw, "need_by")
    assert start is not None and end is not None
    if end < start:
        raise invalid("need_by", "is before earliest_start", "早于 earliest_start")
    return start, end


def _origin(raw: Raw) -> tuple[float, float] | None:
    lat, lon = (
        values.number(raw, "lat", required=False, minimum=-90),
        values.number(raw, "lon", required=False, minimum=-180),
    )
    if (lat is None) != (lon is None):
        raise invalid(
            "lon" if lon is None else "lat", "give both lat and lon", "lat 与 lon 须同时给出"
        )
    return None if lat is None or lon is None else (lat, lon)


def _unit(raw: Raw, capability: str, ref: Reference) -> str:
    unit = ref.taxonomy.nodes[capability].unit
    if unit is None:
        raise invalid(
            "capability",
            f"{capability} is too broad to measure: choose a narrower one",
            f"{capability} 范围过宽，无法计量：请选择更具体的能力",
        )
    given = values.text(raw, "unit", required=False, max_len=64)
    if given is not None and given != unit:
        raise invalid(
            "unit",
            f"{capability} is measured in {unit}, not {given}",
            f"{capability} 的计量单位是 {unit}，而不是 {given}",
        )
    return unit


def need(raw: Raw, ref: Reference) -> Need:
    capability = rules.capability(raw, "capability", ref)
    start, end = _window(raw)
    parks = tuple(p.upper() for p in values.listing(raw, "preferred_parks"))
    unknown = [p for p in parks if p not in ref.parks]
    if unknown:
        raise invalid(
            "preferred_parks",
            f"unknown park {', '.join(unknown)}",
            f"未知园区 {', '.join(unknown)}",
        )
    origin = _origin(raw)
    max_km = values.number(raw, "max_distance_km", required=False, positive=True)
    if max_km is not None and origin is None:
        raise invalid(
            "max_distance_km", "needs lat and lon to measure from", "需要 lat 与 lon 作为起点"
        )
    return Need(
        requester=normalize_uscc(values.required_text(raw, "requester", 64), "requester"),
        capability=capability,
        quantity=values.required_number(raw, "quantity", positive=True),
        unit=_unit(raw, capability, ref),
        earliest_start=start,
        need_by=end,
        gmp_grade=values.choice(raw, "gmp_grade", GmpGrade),
        authorities=_authorities(raw),
        preferred_parks=parks,
        max_distance_km=max_km,
        origin=origin,
    )


def details(raw: Raw) -> dict[str, Any]:
    """The fields of a request that matching does not read."""
    low = values.number(raw, "budget_min", required=False)
    high = values.number(raw, "budget_max", required=False)
    if low is not None and high is not None and high < low:
        raise invalid("budget_max", "is below budget_min", "低于 budget_min")
    given = values.text(raw, "currency", required=False, max_len=3)
    return {
        "title": values.required_text(raw, "title", 200),
        "modality": values.text(raw, "modality", required=False, max_len=100),
        "budget_min": low,
        "budget_max": high,
        "currency": "CNY" if given is None else currency("currency", given),
        "confidential": values.flag(raw, "confidential", False),
    }


def need_props(need: Need) -> dict[str, Any]:
    """The Need as Request node properties (read back by hub.routing.store.rows `need`)."""
    return {
        "requester": need.requester,
        "capability": need.capability,
        "quantity": need.quantity,
        "unit": need.unit,
        "earliest_start": need.earliest_start,
        "need_by": need.need_by,
        "gmp_grade": need.gmp_grade.value,
        "authorities": [a.value for a in need.authorities],
        "preferred_parks": list(need.preferred_parks),
        "max_distance_km": need.max_distance_km,
        "origin_lat": None if need.origin is None else need.origin[0],
        "origin_lon": None if need.origin is None else need.origin[1],
    }


def currency(name: str, code: str) -> str:
    """`code` in capitals (ISO 4217 writes them so: `cny` is `CNY`) if it is one the hub
    prices in; requests and quotes alike."""
    known = code.strip().upper()
    if known not in CURRENCIES:
        listed = ", ".join(sorted(CURRENCIES))
        raise invalid(name, f"use one of {listed}", f"须为 {listed} 之一")
    return known
