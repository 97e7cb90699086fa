"""How values read in a message, in the recipient's language: the templates' filters.

Values come from the outbox as JSON, so instants and days arrive as ISO text; instants are
shown in China time (hub/time.py), the clock the hub's days are counted in.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from hub.time import CHINA

# Neo4j's instants have nanoseconds; Python reads at most microseconds.
_FRACTION = re.compile(r"(\.\d{6})\d+")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(_FRACTION.sub(r"\1", str(text)))


@pass_context
def translated(context: Context, value: Any) -> str:
    """A value given in both languages (`{"zh": ..., "en": ...}`) in the recipient's."""
    if isinstance(value, dict):
        return str(value.get(context["language"]) or next(iter(value.values()), ""))
    return str(value)


@pass_context
def when(context: Context, value: Any) -> str:
    moment = instant(value).astimezone(CHINA)
    if context["language"] == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}（北京时间）"
    return f"{moment:%Y-%m-%d %H:%M} (China time, UTC+8)"


@pass_context
def day(context: Context, value: Any) -> str:
    text = str(value)
    when_ = instant(text).astimezone(CHINA).date() if "T" in text else date.fromisoformat(text)
    if context["language"] == "zh":
        return f"{when_.year}年{when_.month}月{when_.day}日"
    return when_.isoformat()


# What a certificate's authority is called, in each language (codes: hub.registry.model).
AUTHORITIES = {
    "nmpa_licence": {"zh": "药品生产许可证", "en": "NMPA manufacturing licence"},
    "nmpa_gmp": {"zh": "药品GMP符合性检查", "en": "NMPA GMP compliance inspection"},
    "fda": {"zh": "FDA cGMP 检查", "en": "FDA cGMP inspection"},
    "eu_gmp": {"zh": "欧盟 GMP 证书", "en": "EU GMP certificate"},
    "who_pq": {"zh": "WHO 预认证", "en": "WHO prequalification"},
    "nmpa_glp": {"zh": "NMPA GLP 认证", "en": "NMPA GLP certification"},
    "oecd_glp": {"zh": "OECD GLP 认证", "en": "OECD GLP certification"},
    "aaalac": {"zh": "AAALAC 认证", "en": "AAALAC accreditation"},
    "cnas": {"zh": "CNAS 实验室认可", "en": "CNAS laboratory accreditation"},
    "cma": {"zh": "检验检测机构资质认定（CMA）", "en": "CMA inspection body qualification"},
}


@pass_context
def authority(context: Context, code: Any) -> str:
    names = AUTHORITIES.get(str(code).lower())
    return str(code) if names is None else names[context["language"]]


def amount(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


FILTERS = {
    "tr": translated,
    "when": when,
    "day": day,
    "amount": amount,
    "authority": authority,
}
