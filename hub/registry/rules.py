"""Raw input (GraphQL inputs, CSV/XLSX/JSON rows) → validated registry values.

Every check raises `InvalidInput` naming the field, in Chinese and English. Values from
files arrive as text, so each reader accepts text as well as typed values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from hub.errors import invalid
from hub.reference.model import Taxonomy
from hub.registry import model
from hub.registry.uscc import normalize_uscc
from hub.time import CHINA

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
E = TypeVar("E", bound=StrEnum)
Raw = Mapping[str, Any]
MAX_TEXT = 2000
# What stored text may not hold (see `plain`): C0 controls, DEL and C1 controls, the bidi
# embeddings/overrides (U+202A-202E) and isolates (U+2066-2069), and lone surrogates.
_REFUSED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
MULTILINE_REFUSED = re.compile(f"[{_REFUSED}]")
LINE_REFUSED = re.compile(f"[{_REFUSED}\t\n\r]")


@dataclass(frozen=True)
class Reference:
    """What validation checks codes against: the taxonomy and the parks."""

    taxonomy: Taxonomy
    parks: frozenset[str]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain(name: str, value: str, *, multiline: bool = False) -> str:
    """`value` when it holds only characters fit to store and show; otherwise an error
    naming the field.

    Refused everywhere: C0 and C1 control characters (NUL, ESC...), DEL, the bidirectional
    embeddings, overrides and isolates (U+202A-202E, U+2066-2069: they make text read in
    another order than it is stored) and lone surrogates. Free text that may run over
    several lines (`multiline`: notes, descriptions, reasons, comments) keeps tab, line
    feed and carriage return; every other field is one line.
    """
    found = (MULTILINE_REFUSED if multiline else LINE_REFUSED).search(value)
    if found is None:
        return value
    shown = f"U+{ord(found.group()):04X}"
    raise invalid(
        name,
        f"contains {shown}, a control or bidirectional-override character",
        f"含有控制字符或双向覆盖字符 {shown}",
    )


def text(
    raw: Raw, name: str, *, required: bool = True, max_len: int = 200, multiline: bool = False
) -> str | None:
    value = raw.get(name)
    if _blank(value):
        if required:
            raise invalid(name, "is required", "必填")
        return None
    if not isinstance(value, str | int | float):
        raise invalid(name, "must be text", "必须是文本")
    result = str(value).strip()
    if len(result) > max_len:
        raise invalid(name, f"is longer than {max_len} characters", f"超过 {max_len} 个字符")
    return plain(name, result, multiline=multiline)


def required_text(raw: Raw, name: str, max_len: int = 200) -> str:
    value = text(raw, name, max_len=max_len)
    assert value is not None
    return value


def code(raw: Raw, name: str) -> str:
    value = required_text(raw, name, 64)
    if not CODE.match(value):
        raise invalid(
            name,
            "use letters, digits, '.', '_' or '-' (at most 64)",
            "只能使用字母、数字、'.'、'_' 或 '-'（最多 64 个）",
        )
    return value


def number(
    raw: Raw, name: str, *, required: bool = True, minimum: float = 0.0, positive: bool = False
) -> float | None:
    value = raw.get(name)
    if _blank(value):
        if required:
            raise invalid(name, "is required", "必填")
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        result = float(value if isinstance(value, int | float) else str(value))
    except ValueError:
        raise invalid(
            name,
            f"must be a number, not {str(value)[:40]!r}",
            f"必须是数字，而不是 {str(value)[:40]!r}",
        ) from None
    if math.isnan(result) or math.isinf(result) or result > 1e12:
        raise invalid(name, "must be a finite number", "必须是有限的数字")
    if positive and result <= 0:
        raise invalid(name, "must be greater than zero", "必须大于零")
    if result < minimum:
        raise invalid(name, f"must be at least {minimum:g}", f"不能小于 {minimum:g}")
    return result


def required_number(
    raw: Raw,
    name: str,
    *,
    minimum: float = 0.0,
    positive: bool = False,
) -> float:
    value = number(raw, name, minimum=minimum, positive=positive)
    assert value is not None
    return value


def integer(raw: Raw, name: str, *, required: bool = False, minimum: int = 0) -> int | None:
    value = number(raw, name, required=required, minimum=minimum)
    if value is None:
        return None
    if not value.is_integer():
        raise invalid(name, "must be a whole number", "必须是整数")
    return int(value)


def flag(raw: Raw, name: str, default: bool) -> bool:
    value = raw.get(name)
    if _blank(value):
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1", "y", "是"):
        return True
    if lowered in ("false", "no", "0", "n", "否"):
        return False
    raise invalid(name, "must be true or false", "必须是 true 或 false")


def choice(raw: Raw, name: str, kind: type[E], *, default: E | None = None) -> E:
    value = raw.get(name)
    if _blank(value):
        if default is not None:
            return default
        raise invalid(name, "is required", "必填")
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise invalid(name, f"must be one of {allowed}", f"必须是以下之一：{allowed}") from None


def optional_choice(raw: Raw, name: str, kind: type[E]) -> E | None:
    return None if _blank(raw.get(name)) else choice(raw, name, kind)


def listing(raw: Raw, name: str, max_items: int = 100) -> tuple[str, ...]:
    """A list given as a list, or as text separated by ';' or '；' (spreadsheet cells)."""
    value = raw.get(name)
    if _blank(value):
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[;；]", str(value))
    cleaned = tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))
    if len(cleaned) > max_items:
        raise invalid(name, f"has more than {max_items} items", f"超过 {max_items} 项")
    if any(len(i) > 200 for i in cleaned):
        raise invalid(name, "has an item longer than 200 characters", "有超过 200 个字符的项")
    for item in cleaned:
        plain(name, item)
    return cleaned


def day(raw: Raw, name: str, *, required: bool = True) -> date | None:
    value = raw.get(name)
    if _blank(value):
        if required:
            raise invalid(name, "is required", "必填")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise invalid(
            name,
            f"must be a date like 2027-01-31, not {str(value)[:40]!r}",
            f"必须是形如 2027-01-31 的日期，而不是 {str(value)[:40]!r}",
        ) from None


def instant(name: str, value: datetime) -> datetime:
    """`value` (naive: China time) if it is an instant the database can hold: one whose
    UTC time falls within years 1-9999 (0001-01-01T00:00+09:00 does not)."""
    aware = value if value.tzinfo else value.replace(tzinfo=CHINA)
    try:
        aware.astimezone(UTC)
    except OverflowError:
        raise invalid(
            name,
            "is out of range: its UTC time must fall within the years 1 to 9999",
            "超出范围：其 UTC 时间必须在 1 至 9999 年之间",
        ) from None
    return aware


def moment(raw: Raw, name: str) -> datetime:
    """A date or date-time; naive values are China time (UTC+8)."""
    value = raw.get(name)
    if isinstance(value, datetime):
        return instant(name, value)
    if isinstance(value, date):
        return instant(name, datetime(value.year, value.month, value.day))
    if _blank(value):
        raise invalid(name, "is required", "必填")
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise invalid(
            name,
            f"must be a date or date-time, not {str(value)[:40]!r}",
            f"必须是日期或日期时间，而不是 {str(value)[:40]!r}",
        ) from None
    return instant(name, parsed)


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


def period_start(raw: Raw, grain: model.Grain) -> datetime:
    """The bucket's start, aligned to its grain in China time (weeks start on Monday)."""
    start = moment(raw, "start").astimezone(CHINA)
    aligned = {
        model.Grain.HOUR: start.minute == start.second == start.microsecond == 0,
        model.Grain.DAY: start.time() == datetime.min.time(),
        model.Grain.WEEK: start.time() == datetime.min.time() and start.weekday() == 0,
        model.Grain.MONTH: start.time() == datetime.min.time() and start.day == 1,
    }[grain]
    if not aligned:
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
