"""Raw input (GraphQL inputs, CSV/XLSX/JSON rows) → validated registry values:
organizations, sites, offerings, equipment, certificates and capacity buckets.

Fields are read with hub.values (each refusal names its field, in Chinese and English);
what is checked here is what the registry knows: parks, capabilities, units, USCCs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hub.errors import invalid
from hub.reference.model import Reference
from hub.registry import model
from hub.registry.uscc import normalize_uscc
from hub.time import CHINA
from hub.values import (
    MAX_TEXT,
    Raw,
    choice,
    code,
    day,
    flag,
    integer,
    listing,
    moment,
    number,
    optional_choice,
    required_number,
    required_text,
    text,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _park(raw: Raw, name: str, ref: Reference) -> str | None:
    value = text(raw, name, required=False, max_len=64)
    if value is not None and value.upper() not in ref.parks:
        raise invalid(name, f"unknown park {value!r}", f"未知园区 {value!r}")
    return None if value is None else value.upper()


def organization(raw: Raw, ref: Reference) -> model.Organization:
    parks = tuple(p.upper() for p in listing(raw, "parks"))
    unknown = [p for p in parks if p not in ref.parks]
    if unknown:
        raise invalid(
            "parks", f"unknown park {', '.join(unknown)}", f"未知园区 {', '.join(unknown)}"
        )
    email = text(raw, "contact_email", required=False)
    if email is not None and not EMAIL.match(email):
        raise invalid("contact_email", "is not an e-mail address", "不是有效的电子邮件地址")
    fei = text(raw, "fda_fei", required=False, max_len=10)
    if fei is not None and not fei.isdigit():
        raise invalid("fda_fei", "an FDA FEI number has only digits", "FDA FEI 编号只能包含数字")
    return model.Organization(
        uscc=normalize_uscc(required_text(raw, "uscc", 64)),
        name_zh=required_text(raw, "name_zh"),
        name_en=required_text(raw, "name_en"),
        kind=choice(raw, "kind", model.OrgKind),
        parks=parks,
        licence_numbers=listing(raw, "licence_numbers"),
        fda_fei=fei,
        website=text(raw, "website", required=False),
        contact=model.Contact(
            text(raw, "contact_name", required=False),
            email,
            text(raw, "contact_phone", required=False, max_len=40),
        ),
        internal_note=text(raw, "internal_note", required=False, max_len=MAX_TEXT, multiline=True),
        active=flag(raw, "active", True),
        fictional=flag(raw, "fictional", False),
    )


def _coordinate(raw: Raw, name: str, low: float, high: float) -> float:
    value = required_number(raw, name, minimum=-1e6)
    if not low <= value <= high:
        raise invalid(
            name, f"must lie between {low:g} and {high:g}", f"必须在 {low:g} 与 {high:g} 之间"
        )
    return value


def site(raw: Raw, ref: Reference) -> model.Site:
    return model.Site(
        uscc=normalize_uscc(required_text(raw, "uscc", 64)),
        code=code(raw, "site"),
        name_zh=required_text(raw, "name_zh"),
        name_en=required_text(raw, "name_en"),
        address=required_text(raw, "address", 400),
        city=required_text(raw, "city", 60),
        district=text(raw, "district", required=False, max_len=60),
        lat=_coordinate(raw, "lat", -90, 90),
        lon=_coordinate(raw, "lon", -180, 180),
        park=_park(raw, "park", ref),
        active=flag(raw, "active", True),
    )


def capability(raw: Raw, name: str, ref: Reference) -> str:
    value = required_text(raw, name, 64).upper()
    if value not in ref.taxonomy.nodes:
        raise invalid(name, f"unknown capability code {value!r}", f"未知能力代码 {value!r}")
    return value


def offering(raw: Raw, ref: Reference) -> model.Offering:
    uscc = normalize_uscc(required_text(raw, "uscc", 64))
    cap = capability(raw, "capability", ref)
    unit = ref.taxonomy.nodes[cap].unit
    if unit is None:
        raise invalid(
            "capability",
            f"{cap} is too broad: offer a narrower capability",
            f"{cap} 范围过宽：请选择更具体的能力",
        )
    given = text(raw, "unit", required=False, max_len=64)
    if given is not None and given != unit:
        raise invalid(
            "unit",
            f"{cap} is measured in {unit}, not {given}",
            f"{cap} 的计量单位是 {unit}，而不是 {given}",
        )
    low = required_number(raw, "scale_min", positive=True)
    high = required_number(raw, "scale_max", positive=True)
    if high < low:
        raise invalid("scale_max", "must not be below scale_min", "不能小于 scale_min")
    return model.Offering(
        site_id=f"{uscc}/{code(raw, 'site')}",
        code=code(raw, "offering"),
        capability=cap,
        unit=unit,
        gmp_grade=choice(raw, "gmp_grade", model.GmpGrade),
        scale_min=low,
        scale_max=high,
        modality=text(raw, "modality", required=False, max_len=100),
        lead_time_days=integer(raw, "lead_time_days"),
        description_zh=text(
            raw, "description_zh", required=False, max_len=MAX_TEXT, multiline=True
        ),
        description_en=text(
            raw, "description_en", required=False, max_len=MAX_TEXT, multiline=True
        ),
        equipment=listing(raw, "equipment"),
        active=flag(raw, "active", True),
    )


def equipment(raw: Raw) -> model.Equipment:
    uscc = normalize_uscc(required_text(raw, "uscc", 64))
    return model.Equipment(
        site_id=f"{uscc}/{code(raw, 'site')}",
        tag=code(raw, "tag"),
        type=required_text(raw, "type", 100),
        size=number(raw, "size", required=False),
        size_unit=text(raw, "size_unit", required=False, max_len=20),
        model=text(raw, "model", required=False, max_len=100),
        grade=choice(raw, "grade", model.GmpGrade, default=model.GmpGrade.NON_GMP),
        count=integer(raw, "count", minimum=1) or 1,
        shareable=flag(raw, "shareable", False),
        active=flag(raw, "active", True),
    )


def certificate(raw: Raw, ref: Reference) -> model.Certificate:
    valid_from = day(raw, "valid_from")
    valid_to = day(raw, "valid_to", required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise invalid("valid_to", "ends before valid_from", "早于 valid_from")
    sites = listing(raw, "sites")
    if not sites:
        raise invalid(
            "sites", "name at least one site the certificate covers", "至少填写一个适用场地"
        )
    caps = listing(raw, "capabilities")
    if not caps:
        raise invalid("capabilities", "name at least one capability code", "至少填写一个能力代码")
    unknown = [c for c in caps if c.upper() not in ref.taxonomy.nodes]
    if unknown:
        raise invalid(
            "capabilities",
            f"unknown capability code {', '.join(unknown)}",
            f"未知能力代码 {', '.join(unknown)}",
        )
    return model.Certificate(
        uscc=normalize_uscc(required_text(raw, "uscc", 64)),
        authority=choice(raw, "authority", model.Authority),
        number=required_text(raw, "number", 100),
        valid_from=valid_from,
        valid_to=valid_to,
        sites=sites,
        capabilities=tuple(c.upper() for c in caps),
        last_inspection=day(raw, "last_inspection", required=False),
        outcome=optional_choice(raw, "outcome", model.InspectionOutcome),
        active=flag(raw, "active", True),
    )


def _add_month(start: datetime) -> datetime:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


PERIOD_END: dict[model.Grain, Callable[[datetime], datetime]] = {
    model.Grain.HOUR: lambda s: s + timedelta(hours=1),
    model.Grain.DAY: lambda s: s + timedelta(days=1),
    model.Grain.WEEK: lambda s: s + timedelta(days=7),
    model.Grain.MONTH: _add_month,
}


ALIGNED: dict[model.Grain, Callable[[datetime], bool]] = {
    model.Grain.HOUR: lambda s: s.minute == s.second == s.microsecond == 0,
    model.Grain.DAY: lambda s: s.time() == datetime.min.time(),
    model.Grain.WEEK: lambda s: s.time() == datetime.min.time() and s.weekday() == 0,
    model.Grain.MONTH: lambda s: s.time() == datetime.min.time() and s.day == 1,
}


def period_start(raw: Raw, grain: model.Grain) -> datetime:
    """The bucket's start, aligned to its grain in China time (weeks start on Monday)."""
    start = moment(raw, "start").astimezone(CHINA)
    if not ALIGNED[grain](start):
        monday = grain is model.Grain.WEEK
        raise invalid(
            "start",
            f"a {grain.value} bucket starts at the start of a {grain.value}"
            + (" (a Monday)" if monday else ""),
            f"{grain.value} 时段须从该时段的起点开始" + ("（周一）" if monday else ""),
        )
    return start


def bucket(raw: Raw, owner_id: str, unit: str) -> model.CapacityBucket:
    grain = choice(raw, "grain", model.Grain)
    start = period_start(raw, grain)
    given = text(raw, "unit", required=False, max_len=64)
    if given is not None and given != unit:
        raise invalid(
            "unit",
            f"this capacity is measured in {unit}, not {given}",
            f"此产能的计量单位是 {unit}，而不是 {given}",
        )
    return model.CapacityBucket(
        owner_id=owner_id,
        grain=grain,
        start=start,
        end=PERIOD_END[grain](start),
        total=required_number(raw, "total"),
        unit=unit,
        confirmed_at=datetime.now(UTC),
    )
