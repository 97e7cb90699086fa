"""Raw values (GraphQL inputs, CSV/XLSX/JSON cells) → checked Python values.

Every area's rules read their fields with these: each check raises `InvalidInput` naming
the field, in Chinese and English. Values from files arrive as text, so each reader
accepts text as well as typed values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from hub.errors import invalid
from hub.time import CHINA

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
E = TypeVar("E", bound=StrEnum)
Raw = Mapping[str, Any]
MAX_TEXT = 2000
# What stored text may not hold (see `plain`): C0 controls, DEL and C1 controls, the bidi
# embeddings/overrides (U+202A-202E) and isolates (U+2066-2069), and lone surrogates.
_REFUSED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
MULTILINE_REFUSED = re.compile(f"[{_REFUSED}]")
LINE_REFUSED = re.compile(f"[{_REFUSED}\t\n\r]")


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
