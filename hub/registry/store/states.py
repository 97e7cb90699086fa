"""How the graph's state maps become registry models: one function per entity.

The reads (hub.registry.store.reads, .search) and the use cases that read a state for a
write (hub.registry.service) decode through these, so a property read one way in one place
is read the same way everywhere.
"""

from __future__ import annotations

from typing import Any

from hub.db.driver import python_value
from hub.registry import model


def organization(state: dict[str, Any]) -> model.Organization:
    return model.Organization(
        uscc=state["uscc"],
        name_zh=state["name_zh"],
        name_en=state["name_en"],
        kind=model.OrgKind(state["kind"]),
        parks=tuple(sorted(state.get("parks") or ())),
        licence_numbers=tuple(state.get("licence_numbers") or ()),
        fda_fei=state.get("fda_fei"),
        website=state.get("website"),
        contact=model.Contact(
            state.get("contact_name"), state.get("contact_email"), state.get("contact_phone")
        ),
        internal_note=state.get("internal_note"),
        active=state.get("active", True),
        fictional=state.get("fictional", False),
        status=state.get("status") or "verified",
    )


def site(state: dict[str, Any]) -> model.Site:
    return model.Site(
        uscc=state["uscc"],
        code=state["code"],
        name_zh=state["name_zh"],
        name_en=state["name_en"],
        address=state["address"],
        city=state["city"],
        district=state.get("district"),
        lat=state["lat"],
        lon=state["lon"],
        park=state.get("park"),
        active=state.get("active", True),
    )


def offering(state: dict[str, Any]) -> model.Offering:
    return model.Offering(
        site_id=state["site_id"],
        code=state["code"],
        capability=state["capability"],
        unit=state["unit"],
        gmp_grade=model.GmpGrade(state["gmp_grade"]),
        scale_min=state["scale_min"],
        scale_max=state["scale_max"],
        modality=state.get("modality"),
        lead_time_days=state.get("lead_time_days"),
        description_zh=state.get("description_zh"),
        description_en=state.get("description_en"),
        equipment=tuple(sorted(state.get("equipment") or ())),
        active=state.get("active", True),
    )


def equipment(state: dict[str, Any]) -> model.Equipment:
    return model.Equipment(
        site_id=state["site_id"],
        tag=state["tag"],
        type=state["type"],
        size=state.get("size"),
        size_unit=state.get("size_unit"),
        model=state.get("model"),
        grade=model.GmpGrade(state.get("grade", "non_gmp")),
        count=state.get("count", 1),
        shareable=state.get("shareable", False),
        active=state.get("active", True),
    )


def certificate(state: dict[str, Any]) -> model.Certificate:
    outcome = state.get("outcome")
    return model.Certificate(
        uscc=state["uscc"],
        authority=model.Authority(state["authority"]),
        number=state["number"],
        valid_from=python_value(state["valid_from"]),
        valid_to=python_value(state.get("valid_to")),
        sites=tuple(sorted(state.get("sites") or ())),
        capabilities=tuple(sorted(state.get("capabilities") or ())),
        last_inspection=python_value(state.get("last_inspection")),
        outcome=None if outcome is None else model.InspectionOutcome(outcome),
        active=state.get("active", True),
    )


def bucket(state: dict[str, Any]) -> model.CapacityBucket:
    return model.CapacityBucket(
        owner_id=state["owner_id"],
        grain=model.Grain(state["grain"]),
        start=python_value(state["start"]),
        end=python_value(state["end"]),
        total=state["total"],
        unit=state["unit"],
        reserved=state.get("reserved", 0.0),
        confirmed_at=python_value(state.get("confirmed_at")),
    )
