"""Why an offering fails a hard constraint, said with the value that failed (zh/en)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from hub.db.driver import python_value
from hub.fit.summary import NO_EXPIRY
from hub.registry.model import Authority
from hub.routing.model import Constraint, Failure, Need
from hub.time import CHINA

AUTHORITY_NAMES = {
    Authority.NMPA_LICENCE: ("NMPA manufacturing licence", "药品生产许可证"),
    Authority.NMPA_GMP: ("NMPA GMP inspection", "NMPA 药品GMP符合性检查"),
    Authority.FDA: ("FDA cGMP inspection", "FDA cGMP 检查"),
    Authority.EU_GMP: ("EU GMP certificate", "欧盟 GMP 证书"),
    Authority.WHO_PQ: ("WHO prequalification", "WHO 预认证"),
    Authority.NMPA_GLP: ("NMPA GLP certification", "NMPA GLP 认证"),
    Authority.OECD_GLP: ("OECD GLP", "OECD GLP"),
    Authority.AAALAC: ("AAALAC accreditation", "AAALAC 认证"),
    Authority.CNAS: ("CNAS accreditation", "CNAS 认可"),
    Authority.CMA: ("CMA qualification", "CMA 资质认定"),
}


def _day_of(epoch_s: int) -> date:
    return datetime.fromtimestamp(epoch_s, CHINA).date()


def unit(units: dict[str, Any], offering: dict[str, Any], need: Need) -> Failure:
    """Both units by name (hub.fit.rules.UNITS); a unit missing from the reference data is
    named by its code."""
    offered = units.get("offered") or {"name_en": offering["unit"], "name_zh": offering["unit"]}
    asked = units.get("asked") or {"name_en": need.unit, "name_zh": need.unit}
    return Failure(
        Constraint.UNIT,
        f"offered in {offered['name_en']}, asked in {asked['name_en']}",
        f"按 {offered['name_zh']} 提供，需求按 {asked['name_zh']} 计量",
    )


def scale(offering: dict[str, Any], need: Need) -> Failure:
    low, high = offering["scale_min"], offering["scale_max"]
    return Failure(
        Constraint.SCALE,
        f"takes {low:g}–{high:g} {need.unit} a period, not {need.quantity:g}",
        f"每期承接 {low:g}–{high:g} {need.unit}，不能承接 {need.quantity:g}",
    )


def grade(offering: dict[str, Any], need: Need) -> Failure:
    have, want = offering["gmp_grade"], need.gmp_grade.value
    return Failure(
        Constraint.GMP_GRADE,
        f"works at {have}, which does not serve {want}",
        f"质量等级为 {have}，不满足 {want}",
    )


def distance(distance_km: float, need: Need) -> Failure:
    return Failure(
        Constraint.DISTANCE,
        f"{distance_km:.0f} km away, more than the {need.max_distance_km:g} km allowed",
        f"距离 {distance_km:.0f} 公里，超过允许的 {need.max_distance_km:g} 公里",
    )


def certificate(authority: Authority, held: list[dict[str, Any]], need: Need) -> Failure:
    """The closest certificate of that authority and what it lacks, or that none exists."""
    en, zh = AUTHORITY_NAMES[authority]
    if not held:
        return Failure(
            Constraint.CERTIFICATE,
            f"no {en} covers this site and capability",
            f"没有覆盖该场地与能力的{zh}",
        )
    best = held[0]
    valid_from, valid_to = python_value(best["valid_from"]), python_value(best.get("valid_to"))
    if valid_to is not None and valid_to.isoformat() == NO_EXPIRY:
        valid_to = None
    if valid_to is not None and valid_to < need.need_by:
        return Failure(
            Constraint.CERTIFICATE,
            f"{en} {best['id']} ends {valid_to}, before the need-by date {need.need_by}",
            f"{zh} {best['id']} 于 {valid_to} 到期，早于需求截止日 {need.need_by}",
        )
    return Failure(
        Constraint.CERTIFICATE,
        f"{en} {best['id']} is valid only from {valid_from}, after the earliest start "
        f"{need.earliest_start}",
        f"{zh} {best['id']} 自 {valid_from} 起才有效，晚于最早开始日 {need.earliest_start}",
    )


def capacity(short: dict[str, Any] | None, published: bool, need: Need) -> Failure:
    """The first period short of the quantity, or the part of the window not published."""
    if short is not None:
        start, free = _day_of(short["start"]), short["free"]
        return Failure(
            Constraint.CAPACITY,
            f"the period from {start} has {free:g} {need.unit} free, {need.quantity:g} needed",
            f"自 {start} 起的时段仅余 {free:g} {need.unit}，需要 {need.quantity:g}",
        )
    window = f"{need.earliest_start} – {need.need_by}"
    if not published:
        return Failure(
            Constraint.CAPACITY, f"no capacity published for {window}", f"{window} 没有发布产能"
        )
    return Failure(
        Constraint.CAPACITY,
        f"capacity is published for only part of {window}",
        f"{window} 仅部分时段发布了产能",
    )


def failures(row: dict[str, Any], need: Need) -> Iterator[Failure]:
    """Every hard constraint the assessed row (hub.fit.rules.ASSESS and the details
    matching returns with it) fails; a rule that is not true counts as failed. In another
    unit, scale and capacity are not compared (as hub.fit.rules.FAILED counts them)."""
    comparable = bool(row["unit_ok"])
    if not comparable:
        yield unit(row["units"] or {}, row["offering"], need)
    if comparable and not row["scale_ok"]:
        yield scale(row["offering"], need)
    if not row["grade_ok"]:
        yield grade(row["offering"], need)
    if not row["distance_ok"]:
        yield distance(row["distance_km"], need)
    for entry in row["certificates"]:
        yield certificate(Authority(entry["authority"]), entry["held"], need)
    if comparable and not row["capacity_ok"]:
        yield capacity(row["short"], row["published"], need)
