"""A registry selection compiled into one Cypher map projection: lean rows, one round-trip.

`Projection.organization("o", asked)` turns what the caller asked beneath an organization
(hub/graphql/selection.py) into `o { .name_zh, sites: COLLECT { ... } }`: only the
properties the asked fields need (no `{.*}`, no date-time nobody returns), nested levels
as `COLLECT {}` subqueries ordered as the loaders order them. Rows become GraphQL objects
in hub/registry/types.py (`from_row`), nested lists attached to them (`prefetched`), so
nested resolvers need no database.

Visibility is unchanged: certificates and capacity are not even read for anonymous
callers, contacts and notes are read but the resolvers still hide them (as today).
A field this module does not know makes `compile` answer None: the caller then takes the
loaders' path, which answers everything.
The text is built only from the constants below and generated variable names; values
are parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, LiteralString

from hub.db.temporal import day, instant
from hub.graphql.selection import Asked

# Dates and date-times as plain values (hub/db/temporal.py): decoding the driver's own
# is the largest cost of wide answers.
VALID_FROM = "valid_from: " + day("{v}.valid_from")
VALID_TO = "valid_to: " + day("{v}.valid_to")
START = "start: " + instant("{v}.start")
CONFIRMED_AT = "confirmed_at: " + instant("{v}.confirmed_at")

# GraphQL field -> the map projection items it needs ({v}: the node's variable).
ORGANIZATION: dict[str, tuple[str, ...]] = {
    "uscc": (),
    "nameZh": (".name_zh",),
    "nameEn": (".name_en",),
    "kind": (".kind",),
    "licenceNumbers": (".licence_numbers",),
    "fdaFei": (".fda_fei",),
    "website": (".website",),
    "active": (".active",),
    "fictional": (".fictional",),
    "status": (".status",),
    "parkCodes": ("parks: [({v})-[:IN_PARK]->(park:Park) | park.code]",),
    "parks": ("parks: [({v})-[:IN_PARK]->(park:Park) | park.code]",),
    "contact": (".contact_name", ".contact_email", ".contact_phone"),
    "internalNote": (".internal_note",),
}
SITE: dict[str, tuple[str, ...]] = {
    "id": (),
    "code": (),
    "nameZh": (".name_zh",),
    "nameEn": (".name_en",),
    "address": (".address",),
    "city": (".city",),
    "district": (".district",),
    "lat": (".lat",),
    "lon": (".lon",),
    "active": (".active",),
    "parkCode": ("park: [({v})-[:LOCATED_IN]->(park:Park) | park.code][0]",),
    "park": ("park: [({v})-[:LOCATED_IN]->(park:Park) | park.code][0]",),
    "equipment": (),  # the loader's, by the site's id
}
OFFERING: dict[str, tuple[str, ...]] = {
    "id": (),
    "code": (),
    "capabilityCode": (".capability",),
    "capability": (".capability",),
    "unit": (".unit",),
    "gmpGrade": (".gmp_grade",),
    "scaleMin": (".scale_min",),
    "scaleMax": (".scale_max",),
    "modality": (".modality",),
    "leadTimeDays": (".lead_time_days",),
    "descriptionZh": (".description_zh",),
    "descriptionEn": (".description_en",),
    "equipmentTags": ("equipment: [({v})-[:RUNS_ON]->(tagged:Equipment) | tagged.tag]",),
    "active": (".active",),
}
CERTIFICATE: dict[str, tuple[str, ...]] = {
    "id": (),
    "authority": (),
    "number": (),
    "validFrom": (VALID_FROM,),
    "validTo": (VALID_TO,),
    "lastInspection": ("last_inspection: " + day("{v}.last_inspection"),),
    "outcome": (".outcome",),
    "siteCodes": ("sites: [({v})-[:COVERS_SITE]->(covered:Site) | covered.code]",),
    "capabilityCodes": ("capabilities: [({v})-[:COVERS]->(cap:Capability) | cap.code]",),
    "active": (".active",),
    "status": (VALID_FROM, VALID_TO),
}
BUCKET: dict[str, tuple[str, ...]] = {
    "id": (".grain", START),
    "grain": (".grain",),
    "start": (START,),
    "end": ("end: " + instant("{v}.end"),),
    "total": (".total",),
    "reserved": (".reserved",),
    "unit": (".unit",),
    "confirmedAt": (CONFIRMED_AT,),
    "free": (".total", ".reserved"),
    "stale": (CONFIRMED_AT,),
}
KEYS = {
    "organization": (".uscc",),
    "site": (".id", ".uscc", ".code"),
    "offering": (".id", ".site_id", ".code"),
    "certificate": (".uscc", ".authority", ".number"),
    "bucket": (".owner_id",),
}

SITES = (
    "sites: COLLECT {{ MATCH ({v})-[:HAS_SITE]->({n}:Site) WHERE {n}.active "
    "WITH {n} ORDER BY {n}.id RETURN {n} {{{p}}} AS row }}"
)
CERTIFICATES = (
    "certificates: COLLECT {{ MATCH ({v})-[:HOLDS]->({n}:Certificate) WHERE {n}.active "
    "WITH {n} ORDER BY {n}.valid_to, {n}.id RETURN {n} {{{p}}} AS row }}"
)
OFFERINGS = (
    "offerings: COLLECT {{ MATCH ({v})-[:OFFERS]->({n}:Offering) WHERE {n}.active "
    "WITH {n} ORDER BY {n}.id RETURN {n} {{{p}}} AS row }}"
)
OFFERING_SITE = (
    "site: COLLECT {{ MATCH ({n}:Site {{id: {v}.site_id}}) RETURN {n} {{{p}}} AS row }}[0]"
)
OFFERING_ORGANIZATION = (
    "organization: COLLECT {{ MATCH ({n}:Organization {{uscc: split({v}.site_id, '/')[0]}}) "
    "RETURN {n} {{{p}}} AS row }}[0]"
)
CAPACITY = (
    "capacity: COLLECT {{ MATCH ({n}:CapacityBucket {{owner_id: {v}.id}}) "
    "WHERE {n}.end > ${w}_from AND {n}.start < ${w}_to "
    "WITH {n} ORDER BY {n}.start RETURN {n} {{{p}}} AS row }}, capacity_window: ${w}_label"
)

Window = tuple[datetime, datetime]


class Unplanned(Exception):
    """A field this module does not know: the caller takes the loaders' path."""


@dataclass
class Projection:
    """Compiles map projections; collects the parameters they need (capacity windows)."""

    signed_in: bool
    window_of: Callable[[date | None, date | None], Window]  # as the capacity resolver does
    params: dict[str, Any] = field(default_factory=dict)
    _names: int = 0

    def _var(self, stem: str) -> str:
        self._names += 1
        return f"{stem}_{self._names}"

    @staticmethod
    def _items(v: str, spec: dict[str, tuple[str, ...]], key: str, asked: Asked) -> list[str]:
        items = list(KEYS[key])
        for name in asked.names():
            if name not in spec:
                raise Unplanned(name)
            items.extend(item.format(v=v) for item in spec[name])
        return list(dict.fromkeys(items))

    def organization(self, v: str, asked: Asked, also: tuple[str, ...] = ()) -> str:
        """`also`: properties read whatever was asked (`.active` at the root)."""
        names = asked.names()
        nested = _without(asked, "sites", "certificates")
        items = self._items(v, ORGANIZATION, "organization", nested)
        items += [item for item in also if item not in items]
        if "sites" in names:
            n = self._var("s")
            items.append(SITES.format(v=v, n=n, p=self.site(n, _at(asked, "sites"))))
        if "certificates" in names and self.signed_in:
            n = self._var("c")
            items.append(
                CERTIFICATES.format(v=v, n=n, p=self.certificate(n, _at(asked, "certificates")))
            )
        return ", ".join(items)

    def site(self, v: str, asked: Asked) -> str:
        items = self._items(v, SITE, "site", _without(asked, "offerings"))
        if "offerings" in asked.names():
            n = self._var("f")
            items.append(OFFERINGS.format(v=v, n=n, p=self.offering(n, _at(asked, "offerings"))))
        return ", ".join(items)

    def offering(self, v: str, asked: Asked, scalars: bool = True) -> str:
        nested = ("site", "organization", "capacity")
        items = self._items(v, OFFERING, "offering", _without(asked, *nested))
        if not scalars:
            items = []
        names = asked.names()
        if "site" in names:
            n = self._var("s")
            items.append(OFFERING_SITE.format(v=v, n=n, p=self.site(n, _at(asked, "site"))))
        if "organization" in names:
            n = self._var("o")
            p = self.organization(n, _at(asked, "organization"))
            items.append(OFFERING_ORGANIZATION.format(v=v, n=n, p=p))
        window = self._window(_at(asked, "capacity")) if "capacity" in names else None
        if window is not None:
            n, w = self._var("b"), self._var("w")
            self.params[f"{w}_from"], self.params[f"{w}_to"] = window
            self.params[f"{w}_label"] = window_label(window)
            p = self.bucket(n, _at(asked, "capacity"))
            items.append(CAPACITY.format(v=v, n=n, w=w, p=p))
        return ", ".join(items)

    def certificate(self, v: str, asked: Asked) -> str:
        return ", ".join(self._items(v, CERTIFICATE, "certificate", asked))

    def bucket(self, v: str, asked: Asked) -> str:
        return ", ".join(self._items(v, BUCKET, "bucket", asked))

    def _window(self, asked: Asked) -> Window | None:
        """The one window all occurrences of `capacity` ask for (None: several, or
        anonymous: the resolver answers those itself)."""
        windows = {(a.get("from"), a.get("to")) for a in asked.arguments}
        if not self.signed_in or len(windows) != 1:
            return None
        start, end = windows.pop()
        return self.window_of(_day(start), _day(end))


def _at(asked: Asked, name: str) -> Asked:
    return asked.fields[name]


def _without(asked: Asked, *names: str) -> Asked:
    return Asked(
        asked.name, asked.arguments, {k: v for k, v in asked.fields.items() if k not in names}
    )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def window_label(window: Window) -> str:
    """How a row names the capacity window it was read for (the resolver compares)."""
    return f"{window[0].isoformat()}/{window[1].isoformat()}"


def cypher(text: str) -> LiteralString:
    """Compiled text: only this module's constants and generated names, never a value
    (mypy treats LiteralString as str, so this only says so)."""
    return text
