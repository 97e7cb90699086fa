"""What an offering search must make sense of before it runs.

A known capability, a window given whole and in order, amounts above zero and a radius
within reach; certificates and spare capacity are checked over a window, so they need
one. Spare capacity tells of other firms' bookings: only signed-in callers ask for it.
The first problem found is the one reported (InvalidInput, or NotAuthenticated).
Certificates expiring are looked for up to ten years ahead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hub.errors import NotAuthenticated, invalid
from hub.reference.model import Taxonomy
from hub.registry.store.search import OfferingFilter
from hub.time import CHINA

MAX_KM = 2000
MAX_EXPIRY_DAYS = 3650


def checked(search: OfferingFilter, taxonomy: Taxonomy, signed_in: bool) -> OfferingFilter:
    """The search as given, if it may run; raises for the first thing wrong with it."""
    _known_capability(search.capability, taxonomy)
    _whole_window(search)
    _positive_amounts(search)
    if search.spare is not None and not signed_in:
        raise NotAuthenticated
    return search


def _known_capability(code: str, taxonomy: Taxonomy) -> None:
    if code not in taxonomy.nodes:
        raise invalid("capability", f"unknown capability code {code!r}", f"未知能力代码 {code!r}")


def _whole_window(search: OfferingFilter) -> None:
    start, end = search.start, search.end
    if (start is None) != (end is None):
        raise invalid(
            "end" if end is None else "start", "give both start and end", "start 与 end 须同时给出"
        )
    if start is not None and end is not None and end < start:
        raise invalid("end", "the window ends before it starts", "时间窗口的结束早于开始")
    if (search.authorities or search.spare is not None) and start is None:
        raise invalid(
            "start",
            "certificates and spare capacity are checked over a window: give start and end",
            "证书与空余产能须按时间窗口检查：请给出 start 与 end",
        )


def _positive_amounts(search: OfferingFilter) -> None:
    if search.spare is not None and search.spare <= 0:
        raise invalid("spare", "must be greater than zero", "必须大于零")
    if search.quantity is not None and search.quantity <= 0:
        raise invalid("quantity", "must be greater than zero", "必须大于零")
    if search.near is not None and not (0 < search.near.km <= MAX_KM):
        raise invalid("near.km", f"must be between 0 and {MAX_KM}", f"必须在 0 到 {MAX_KM} 之间")


def expiry_horizon(within_days: int) -> date:
    """The last day (China time) of an expiring-certificates search `within_days` ahead."""
    if not 0 <= within_days <= MAX_EXPIRY_DAYS:
        raise invalid("withinDays", "must be between 0 and 3650", "必须在 0 到 3650 之间")
    return datetime.now(CHINA).date() + timedelta(days=within_days)
