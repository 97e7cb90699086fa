"""The dated facts of generated firms, certificates and capacity, all counted from one anchor.

Nothing here reads the clock, so loading the demo twice (today, or next year) writes the
same rows and `changes.apply` skips them all. The anchor is the first day of the capacity
horizon: twelve months of buckets run from it (2026-12-01 to 2027-11-30; weekly buckets
from the Monday of its week), and certificate expiry is drawn around it, so that some
certificates expired before it and some expire within 90 days after it. Moving the demo
to a later year is one edit of ANCHOR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any

from hub.demo.archetypes import Archetype
from hub.demo.fictional import Identity
from hub.registry.model import Authority, GmpGrade, Grain, InspectionOutcome

ANCHOR = date(2026, 12, 1)
MONTHS = 12
WEEKS = 52
WEEKLY_UNITS = frozenset({"assay_points_week", "compounds_week"})
# Units counted in whole numbers: nobody books 2.6 study slots.
COUNTED_UNITS = frozenset(
    {"study_slot_month", "study_slot_quarter", "projects_year", "patient_batches_month",
     "methods_quarter"}
)  # fmt: skip
SPARE_SHARE = (0.15, 0.45)  # 15-25 % idle bioreactors, 30-45 % free fill-finish (DOMAIN §4)
FULLY_BOOKED = 0.08  # chance that a period has nothing left to offer
EXPIRED, EXPIRING = 0.12, 0.15  # shares of expiring certificates drawn around the anchor
GMP = (GmpGrade.GMP_CLINICAL, GmpGrade.GMP_COMMERCIAL)
# Which authorities scope which capabilities (prefixes of taxonomy codes).
MANUFACTURING = ("API", "BIO.USP", "BIO.DSP", "BIO.CPX", "CGT", "DP", "PKG")
ANIMAL_WORK = ("PRE.TOX", "PRE.PHA", "DIS.DMK.IVP", "SHR.ANI")
LABORATORY = ("PRE.BAN", "CLN.LAB", "QC", "CMC.ANA")
VALIDITY_YEARS: dict[Authority, int | None] = {
    Authority.NMPA_LICENCE: 5,  # renewed 6 months before expiry
    Authority.NMPA_GMP: None,  # an inspection outcome, no expiry since 2019
    Authority.FDA: None,  # an inspection classification, no expiry
    Authority.EU_GMP: 3,  # renewed only by re-inspection
    Authority.WHO_PQ: 5,
    Authority.NMPA_GLP: 3,  # ‡ DOMAIN.md §2 found no term: an estimate
    Authority.AAALAC: 3,  # site visit every 3 years
    Authority.CNAS: 6,
    Authority.CMA: 6,
}
NUMBER_PREFIX = {
    Authority.NMPA_GMP: "GMP",
    Authority.NMPA_GLP: "GLP",
    Authority.EU_GMP: "EUGMP",
    Authority.FDA: "FDA",
    Authority.WHO_PQ: "WHOPQ",
    Authority.AAALAC: "AAALAC",
    Authority.CNAS: "CNAS-L",
    Authority.CMA: "CMA",
}


@dataclass(frozen=True)
class Offered:
    """An offering as certificates and capacity see it."""

    owner_id: str
    site: str  # the site's code
    capability: str
    family: str  # the profiled taxonomy node above it: API.SML, PKG, SHR.INS...
    grade: GmpGrade
    unit: str
    full: float  # full capacity of one period (a week for weekly units, else a month)


def nice(value: float, counted: bool = False) -> float:
    """Rounded as people quote figures: two significant digits, whole counts."""
    if counted:
        return float(max(1, round(value)))
    if value <= 0:
        return 0.0
    return float(round(value, 1 - math.floor(math.log10(value))))


def periods(unit: str) -> list[tuple[Grain, date]]:
    """Twelve months of buckets from the anchor, weekly for units counted per week."""
    if unit in WEEKLY_UNITS:
        monday = ANCHOR - timedelta(days=ANCHOR.weekday())
        return [(Grain.WEEK, monday + timedelta(weeks=n)) for n in range(WEEKS)]
    months = [(ANCHOR.year + (ANCHOR.month - 1 + n) // 12, (ANCHOR.month - 1 + n) % 12 + 1)
              for n in range(MONTHS)]  # fmt: skip
    return [(Grain.MONTH, date(year, month, 1)) for year, month in months]


def _spare(full: float, share: float, step: int, steps: int, start: date, rng: Random) -> float:
    if rng.random() < FULLY_BOOKED:
        return 0.0
    # The near term is mostly booked already; the Spring Festival month runs at half.
    horizon = 0.5 + 0.7 * step / (steps - 1)
    festival = 0.5 if start.month == 2 else 1.0
    return full * share * horizon * festival * rng.uniform(0.8, 1.2)


def capacity_rows(owner_id: str, unit: str, full: float, rng: Random) -> list[dict[str, Any]]:
    """The published (spare) capacity of one offering or instrument, period by period."""
    share = rng.uniform(*SPARE_SHARE)
    slots = periods(unit)
    rows = []
    for step, (grain, start) in enumerate(slots):
        spare = _spare(full, share, step, len(slots), start, rng)
        total = 0.0 if spare == 0 else nice(spare, unit in COUNTED_UNITS)
        rows.append({"owner": owner_id, "unit": unit, "grain": grain.value, "start": start,
                     "total": total})  # fmt: skip
    return rows


def _validity(authority: Authority, rng: Random) -> tuple[date, date | None]:
    """From and to: some expired before the anchor, some expiring within 90 days of it."""
    years = VALIDITY_YEARS[authority]
    if years is None:  # an inspection outcome: dated, never expiring
        return ANCHOR - timedelta(days=rng.randint(60, 1000)), None
    span = round(365.25 * years)
    roll = rng.random()
    if roll < EXPIRED:
        valid_to = ANCHOR - timedelta(days=rng.randint(30, 400))
    elif roll < EXPIRED + EXPIRING:
        valid_to = ANCHOR + timedelta(days=rng.randint(1, 90))
    else:
        valid_to = ANCHOR + timedelta(days=rng.randint(91, span - 30))
    return valid_to - timedelta(days=span - 1), valid_to


def _outcome(authority: Authority, rng: Random) -> InspectionOutcome | None:
    if authority is Authority.FDA:
        roll = rng.random()
        if roll < 0.05:
            return InspectionOutcome.OAI
        return InspectionOutcome.VAI if roll < 0.45 else InspectionOutcome.NAI
    if authority is Authority.NMPA_GMP:
        return (
            InspectionOutcome.NON_COMPLIANT if rng.random() < 0.05 else InspectionOutcome.COMPLIANT
        )
    if authority is Authority.EU_GMP:
        return InspectionOutcome.COMPLIANT
    return None


INSPECTED = frozenset({Authority.NMPA_GMP, Authority.FDA, Authority.EU_GMP, Authority.AAALAC})


def certificate(
    who: Identity,
    authority: Authority,
    number: str,
    sites: list[str],
    capabilities: list[str],
    rng: Random,
) -> dict[str, Any]:
    valid_from, valid_to = _validity(authority, rng)
    return {
        "uscc": who.uscc,
        "authority": authority.value,
        "number": number,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "sites": sorted(set(sites)),
        "capabilities": sorted(set(capabilities)),
        "last_inspection": valid_from if authority in INSPECTED else None,
        "outcome": None if (o := _outcome(authority, rng)) is None else o.value,
    }


def _under(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code == p or code.startswith(p + ".") for p in prefixes)


def _site_certificates(
    who: Identity, firm: Archetype, site: str, offered: list[Offered], rng: Random
) -> list[dict[str, Any]]:
    """The certificates one site holds for what it offers there."""

    def number(authority: Authority) -> str:
        local = who.province if authority in (Authority.NMPA_GMP, Authority.NMPA_GLP) else ""
        return f"{local}{NUMBER_PREFIX[authority]}-{who.tag}-{site}"

    made = [o for o in offered if _under(o.capability, MANUFACTURING) and o.grade in GMP]
    wanted: list[tuple[Authority, list[str]]] = []
    if made:
        families = [o.family for o in made]
        wanted.append((Authority.NMPA_GMP, families))
        wanted += [(a, families) for a in (Authority.EU_GMP, Authority.FDA)
                   if rng.random() < firm.export]  # fmt: skip
        if firm.who_pq and rng.random() < firm.export:
            wanted.append((Authority.WHO_PQ, families))
    glp = [o.capability for o in offered if o.grade is GmpGrade.GLP]
    if glp:  # NMPA certifies GLP per test item: the leaves, not the family
        wanted.append((Authority.NMPA_GLP, glp))
    animals = [o.family for o in offered if _under(o.capability, ANIMAL_WORK)]
    if animals and rng.random() < 0.6:
        wanted.append((Authority.AAALAC, animals))
    labs = [o.family for o in offered if _under(o.capability, LABORATORY)]
    if labs and rng.random() < 0.7:
        wanted.append((Authority.CNAS, labs))
    if labs and rng.random() < 0.25:
        wanted.append((Authority.CMA, labs))
    return [certificate(who, a, number(a), [site], caps, rng) for a, caps in wanted]


def licence(who: Identity, offered: list[Offered], rng: Random) -> dict[str, Any] | None:
    """The firm's 药品生产许可证, naming every site that makes drugs under GMP."""
    made = [o for o in offered if _under(o.capability, MANUFACTURING) and o.grade in GMP]
    if not made:
        return None
    return certificate(
        who,
        Authority.NMPA_LICENCE,
        f"{who.province}{who.tag}",
        [o.site for o in made],
        [o.family for o in made],
        rng,
    )


def certificate_rows(
    who: Identity, firm: Archetype, offered: list[Offered], rng: Random
) -> list[dict[str, Any]]:
    """Every certificate of a firm: its licence, then each site's own."""
    rows = [r for r in [licence(who, offered, rng)] if r is not None]
    for site in dict.fromkeys(o.site for o in offered):
        here = [o for o in offered if o.site == site]
        rows += _site_certificates(who, firm, site, here, rng)
    return rows
