"""The kinds of registry file: their columns, and how a row of each becomes an entity.

A row holds one entity under the raw field names that `hub.registry.rules` reads. What a
row needs of the graph (its parents, for capacity its owner's reservations) is checked
in the writing transaction by `graph_check`, with the parameters `check_row` gives; the
parents' checks are the registry's own (hub.registry.store.entities), line by line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, LiteralString

from hub import values
from hub.errors import InvalidInput, invalid
from hub.imports.readers import Raw
from hub.imports.store import OWNER_OR_BELOW_RESERVED
from hub.reference.model import Reference
from hub.registry import model, rules
from hub.registry.store import entities
from hub.registry.uscc import normalize_uscc

Entity = (
    model.Organization
    | model.Site
    | model.Offering
    | model.Equipment
    | model.Certificate
    | model.CapacityBucket
)
Lined = list[tuple[int, Entity]]


@dataclass(frozen=True)
class Context:
    """What rows are checked against: reference data and, for capacity, the owners' units."""

    reference: Reference
    units: Mapping[str, str]  # offering or equipment id -> capacity unit


@dataclass(frozen=True)
class FileKind:
    """One kind of registry file: its columns and how its rows become entities."""

    name: str
    columns: tuple[str, ...]  # in template order
    required: tuple[str, ...]
    key_field: str  # where a duplicate key is reported
    parse: Callable[[Raw, Context], Entity]
    # What must already hold in the graph: $rows [{line, ...}] -> line, field, value.
    graph_check: LiteralString | None = None
    check_row: Callable[[Any], dict[str, Any]] | None = None
    either: tuple[str, ...] = ()  # at least one of these columns
    needs_owner_units: bool = False


def owner_id(raw: Raw) -> str:
    """A capacity row's owner: `{uscc}/{site}/{offering}`, or an equipment's asset tag."""
    offering = values.text(raw, "offering", required=False, max_len=64)
    tag = values.text(raw, "equipment", required=False, max_len=64)
    _one_owner(offering, tag)
    uscc = normalize_uscc(values.required_text(raw, "uscc", 64))
    owner = "offering" if offering is not None else "equipment"
    return f"{uscc}/{values.code(raw, 'site')}/{values.code(raw, owner)}"


def _one_owner(offering: str | None, tag: str | None) -> None:
    if offering is not None and tag is not None:
        raise invalid(
            "equipment",
            "give an offering or an equipment tag, not both",
            "只填写 offering 或 equipment 之一",
        )
    if offering is None and tag is None:
        raise invalid(
            "offering",
            "is required (or equipment, an asset tag)",
            "必填（或填写 equipment 设备编号）",
        )


def _bucket(raw: Raw, context: Context) -> model.CapacityBucket:
    owner = owner_id(raw)
    unit = context.units.get(owner)
    if unit is None:
        field = "offering" if values.text(raw, "offering", required=False) else "equipment"
        raise invalid(field, f"no {field} {owner}", f"不存在 {owner}")
    return rules.bucket(raw, owner, unit)


# The parameters of each kind's graph check, in the shape of the registry's own rows.


def _of_uscc(entity: Any) -> dict[str, Any]:
    return {"props": {"uscc": entity.uscc}}


def _of_site(entity: Any) -> dict[str, Any]:
    return {"props": {"site_id": entity.site_id}}


def _of_offering(offering: model.Offering) -> dict[str, Any]:
    return {"props": {"site_id": offering.site_id}, "equipment": list(offering.equipment)}


def _of_certificate(certificate: model.Certificate) -> dict[str, Any]:
    return {"props": {"uscc": certificate.uscc}, "sites": list(certificate.sites)}


def _of_bucket(bucket: model.CapacityBucket) -> dict[str, Any]:
    owner = "equipment" if bucket.unit == model.INSTRUMENT_HOUR else "offering"
    return {"key": bucket.id, "total": bucket.total, "owner": bucket.owner_id, "field": owner}


def _names(names: str) -> tuple[str, ...]:
    return tuple(names.split())


FILE_KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind(
            name="organizations",
            columns=_names(
                "uscc name_zh name_en kind parks licence_numbers fda_fei website contact_name "
                "contact_email contact_phone internal_note active fictional"
            ),
            required=("uscc", "name_zh", "name_en", "kind"),
            key_field="uscc",
            parse=lambda raw, c: rules.organization(raw, c.reference),
        ),
        FileKind(
            name="sites",
            columns=_names("uscc site name_zh name_en address city district lat lon park active"),
            required=("uscc", "site", "name_zh", "name_en", "address", "city", "lat", "lon"),
            key_field="site",
            parse=lambda raw, c: rules.site(raw, c.reference),
            graph_check=entities.SITE.missing,
            check_row=_of_uscc,
        ),
        FileKind(
            name="equipment",
            columns=_names("uscc site tag type size size_unit model grade count shareable active"),
            required=("uscc", "site", "tag", "type"),
            key_field="tag",
            parse=lambda raw, c: rules.equipment(raw),
            graph_check=entities.EQUIPMENT.missing,
            check_row=_of_site,
        ),
        FileKind(
            name="offerings",
            columns=_names(
                "uscc site offering capability unit gmp_grade scale_min scale_max modality "
                "lead_time_days equipment description_zh description_en active"
            ),
            required=_names("uscc site offering capability gmp_grade scale_min scale_max"),
            key_field="offering",
            parse=lambda raw, c: rules.offering(raw, c.reference),
            graph_check=entities.OFFERING.missing,
            check_row=_of_offering,
        ),
        FileKind(
            name="certificates",
            columns=_names(
                "uscc authority number valid_from valid_to sites capabilities last_inspection "
                "outcome active"
            ),
            required=("uscc", "authority", "number", "valid_from", "sites", "capabilities"),
            key_field="number",
            parse=lambda raw, c: rules.certificate(raw, c.reference),
            graph_check=entities.CERTIFICATE.missing,
            check_row=_of_certificate,
        ),
        FileKind(
            name="capacity",
            columns=_names("uscc site offering equipment grain start total unit"),
            required=("uscc", "site", "grain", "start", "total"),
            either=("offering", "equipment"),
            key_field="start",
            parse=_bucket,
            needs_owner_units=True,
            graph_check=OWNER_OR_BELOW_RESERVED,
            check_row=_of_bucket,
        ),
    )
}


def kind_of(file_name: str, kind: str | None = None) -> FileKind:
    """The file's kind: `kind` if given, else the file name's stem (sites.csv: sites)."""
    name = (kind or PurePath(file_name).stem).strip().lower()
    found = FILE_KINDS.get(name)
    if found is None:
        known = ", ".join(FILE_KINDS)
        source = "" if kind else f" (from the file name {file_name})"
        raise InvalidInput(
            f"kind: unknown kind {name!r}{source}; use --kind with one of {known}",
            f"kind：未知类型 {name!r}；请用 --kind 指定以下之一：{known}",
            field="kind",
        )
    return found
