"""GraphQL output types of the registry, with who may see what.

- anyone: public profiles (names, parks, sites, offerings and their capabilities);
- signed-in callers: also certificates and capacity (spare, reserved);
- the organization's members and admins: also contacts and internal notes.
Hidden fields are null, so a forbidden value looks like a missing one.

Objects come from the model (`of`) or from a compiled read's lean row (`from_row`,
hub/registry/store/projection.py), which holds only the properties the asked fields need and
attaches the nested lists it read (`prefetched`); nested resolvers use those when
present and the per-request loaders otherwise. Those resolvers are plain functions that
answer a prefetched value at once and the loader's coroutine otherwise (`later`:
graphql-core awaits an awaitable result), so a compiled answer of 100 offerings does not
create and gather hundreds of coroutines that would only return what is already there.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, TypeVar, cast

import strawberry

from hub.api.context import Info
from hub.db.temporal import to_day, to_instant
from hub.reference.graphql import CapabilityType, ParkType
from hub.registry import model
from hub.registry.enums import Authority, GmpGrade, Grain, InspectionOutcome, OrgKind
from hub.registry.model import owner_of
from hub.registry.store.projection import window_label
from hub.time import CHINA, day_window

STALE_AFTER = timedelta(days=30)
EXPIRY_WARNING = timedelta(days=90)
DEFAULT_WINDOW = timedelta(days=91)
Row = dict[str, Any]
E = TypeVar("E")
T = TypeVar("T")


def _or(row: Row, key: str, default: Any) -> Any:
    """A lean row's value; a property the node lacks reads as the model's default."""
    value = row.get(key)
    return default if value is None else value


def _enum(kind: type[E], value: Any) -> E | None:
    return None if value is None else kind(value)  # type: ignore[call-arg]


@strawberry.enum(name="CertificateStatus")
class CertificateStatus(StrEnum):
    NOT_YET_VALID = "not_yet_valid"
    VALID = "valid"
    EXPIRING = "expiring"  # ends within 90 days
    EXPIRED = "expired"


def capacity_window(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """Whole days in China time; by default the next 13 weeks."""
    first = start or datetime.now(CHINA).date()
    return day_window(first, end or first + DEFAULT_WINDOW)


@strawberry.type(name="CapacityBucket", description="Capacity of one period, in one unit.")
class CapacityBucketType:
    id: strawberry.ID
    grain: Grain
    start: datetime
    end: datetime
    total: float
    reserved: float
    unit: str
    confirmed_at: datetime | None

    @strawberry.field(description="total − reserved")
    def free(self) -> float:
        return self.total - self.reserved

    @strawberry.field(description="Not confirmed for 30 days: the figure may be out of date.")
    def stale(self) -> bool:
        return self.confirmed_at is None or datetime.now(UTC) - self.confirmed_at > STALE_AFTER

    @classmethod
    def from_row(cls, row: Row) -> CapacityBucketType:
        start = to_instant(row.get("start"))
        grain = _enum(Grain, row.get("grain"))
        id_ = (
            ""
            if grain is None or start is None
            else f"{row['owner_id']}@{grain.value}/{start.isoformat()}"
        )
        return cls(
            id=strawberry.ID(id_),
            grain=grain,  # type: ignore[arg-type]
            start=start,  # type: ignore[arg-type]
            end=to_instant(row.get("end")),  # type: ignore[arg-type]
            total=row.get("total"),  # type: ignore[arg-type]
            reserved=_or(row, "reserved", 0.0),
            unit=row.get("unit"),  # type: ignore[arg-type]
            confirmed_at=to_instant(row.get("confirmed_at")),
        )

    @classmethod
    def of(cls, b: model.CapacityBucket) -> CapacityBucketType:
        return cls(
            id=strawberry.ID(b.id),
            grain=b.grain,
            start=b.start,
            end=b.end,
            total=b.total,
            reserved=b.reserved,
            unit=b.unit,
            confirmed_at=b.confirmed_at,
        )


def later(answer: Awaitable[T]) -> T:
    """A resolver's answer still to come: graphql-core awaits an awaitable result. Typed
    as the value, which is what the schema declares for the field."""
    return cast(T, answer)


def _capacity(
    info: Info,
    owner: str,
    start: date | None,
    end: date | None,
    prefetched: dict[str, Any],
) -> list[CapacityBucketType] | None:
    if not info.context.signed_in:
        return None
    window_start, window_end = capacity_window(start, end)
    if prefetched.get("capacity_window") == window_label((window_start, window_end)):
        rows: list[Row] = prefetched["capacity"]
        return [CapacityBucketType.from_row(b) for b in rows]
    return later(_loaded_capacity(info, owner, window_start, window_end))


async def _loaded_capacity(
    info: Info, owner: str, start: datetime, end: datetime
) -> list[CapacityBucketType]:
    buckets = await info.context.registry.capacity.load((owner, start, end))
    return [CapacityBucketType.of(b) for b in buckets]


@strawberry.interface(description="Publishes capacity: an offering, or equipment by the hour.")
class CapacityOwner:
    id: strawberry.ID

    @strawberry.field(description="Capacity buckets overlapping [from, to] (signed-in only).")
    def capacity(
        self,
        info: Info,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[CapacityBucketType] | None:
        prefetched: dict[str, Any] = getattr(self, "prefetched", {})
        return _capacity(info, str(self.id), from_, to, prefetched)


@strawberry.type(
    name="Equipment", description="Equipment at a site; shareable ones are booked by the hour."
)
class EquipmentType(CapacityOwner):
    id: strawberry.ID
    tag: str
    type: str
    size: float | None
    size_unit: str | None
    instrument_model: str | None = strawberry.field(name="model")
    grade: GmpGrade
    count: int
    shareable: bool
    active: bool

    @classmethod
    def of(cls, e: model.Equipment) -> EquipmentType:
        return cls(
            id=strawberry.ID(e.id),
            tag=e.tag,
            type=e.type,
            size=e.size,
            size_unit=e.size_unit,
            instrument_model=e.model,
            grade=e.grade,
            count=e.count,
            shareable=e.shareable,
            active=e.active,
        )


@strawberry.type(name="Offering", description="A service a site offers: capability, scale, grade.")
class OfferingType(CapacityOwner):
    id: strawberry.ID
    code: str
    capability_code: str
    unit: str
    gmp_grade: GmpGrade
    scale_min: float
    scale_max: float
    modality: str | None
    lead_time_days: int | None
    description_zh: str | None
    description_en: str | None
    equipment_tags: list[str]
    active: bool
    site_id: strawberry.Private[str]
    prefetched: strawberry.Private[dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Row) -> OfferingType:
        return cls(
            id=strawberry.ID(row["id"]),
            code=row["code"],
            capability_code=row.get("capability"),  # type: ignore[arg-type]
            unit=row.get("unit"),  # type: ignore[arg-type]
            gmp_grade=_enum(GmpGrade, row.get("gmp_grade")),  # type: ignore[arg-type]
            scale_min=row.get("scale_min"),  # type: ignore[arg-type]
            scale_max=row.get("scale_max"),  # type: ignore[arg-type]
            modality=row.get("modality"),
            lead_time_days=row.get("lead_time_days"),
            description_zh=row.get("description_zh"),
            description_en=row.get("description_en"),
            equipment_tags=sorted(row.get("equipment") or ()),
            active=_or(row, "active", True),
            site_id=row["site_id"],
        ).attach(row)

    def attach(self, row: Row) -> OfferingType:
        """Keep the nested parts a compiled read brought along."""
        if "site" in row:
            site = row["site"]
            self.prefetched["site"] = None if site is None else SiteType.from_row(site)
        if "organization" in row:
            org = row["organization"]
            self.prefetched["organization"] = (
                None if org is None else OrganizationType.from_row(org)
            )
        if "capacity" in row:
            self.prefetched["capacity"] = row["capacity"]
            self.prefetched["capacity_window"] = row["capacity_window"]
        return self

    @classmethod
    def of(cls, o: model.Offering) -> OfferingType:
        return cls(
            id=strawberry.ID(o.id),
            code=o.code,
            capability_code=o.capability,
            unit=o.unit,
            gmp_grade=o.gmp_grade,
            scale_min=o.scale_min,
            scale_max=o.scale_max,
            modality=o.modality,
            lead_time_days=o.lead_time_days,
            description_zh=o.description_zh,
            description_en=o.description_en,
            equipment_tags=list(o.equipment),
            active=o.active,
            site_id=o.site_id,
        )

    @strawberry.field
    async def capability(self, info: Info) -> CapabilityType | None:
        node = (await info.context.taxonomy()).nodes.get(self.capability_code)
        return None if node is None else CapabilityType.of(node)

    @strawberry.field
    def site(self, info: Info) -> SiteType | None:
        if "site" in self.prefetched:
            found: SiteType | None = self.prefetched["site"]
            return found
        return later(self._site(info))

    async def _site(self, info: Info) -> SiteType | None:
        site = await info.context.registry.site.load(self.site_id)
        return None if site is None else SiteType.of(site)

    @strawberry.field
    def organization(self, info: Info) -> OrganizationType | None:
        if "organization" in self.prefetched:
            found: OrganizationType | None = self.prefetched["organization"]
            return found
        return later(self._organization(info))

    async def _organization(self, info: Info) -> OrganizationType | None:
        org = await info.context.registry.organization.load(owner_of(self.site_id))
        return None if org is None else OrganizationType.of(org)


@strawberry.type(name="Site", description="A place where an organization works.")
class SiteType:
    id: strawberry.ID
    code: str
    name_zh: str
    name_en: str
    address: str
    city: str
    district: str | None
    lat: float
    lon: float
    active: bool
    park_code: str | None
    prefetched: strawberry.Private[dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Row) -> SiteType:
        site = cls(
            id=strawberry.ID(row["id"]),
            code=row["code"],
            name_zh=row.get("name_zh"),  # type: ignore[arg-type]
            name_en=row.get("name_en"),  # type: ignore[arg-type]
            address=row.get("address"),  # type: ignore[arg-type]
            city=row.get("city"),  # type: ignore[arg-type]
            district=row.get("district"),
            lat=row.get("lat"),  # type: ignore[arg-type]
            lon=row.get("lon"),  # type: ignore[arg-type]
            active=_or(row, "active", True),
            park_code=row.get("park"),
        )
        if "offerings" in row:
            site.prefetched["offerings"] = [OfferingType.from_row(o) for o in row["offerings"]]
        return site

    @classmethod
    def of(cls, s: model.Site) -> SiteType:
        return cls(
            id=strawberry.ID(s.id),
            code=s.code,
            name_zh=s.name_zh,
            name_en=s.name_en,
            address=s.address,
            city=s.city,
            district=s.district,
            lat=s.lat,
            lon=s.lon,
            active=s.active,
            park_code=s.park,
        )

    @strawberry.field
    async def park(self, info: Info) -> ParkType | None:
        park = (await info.context.parks()).get(self.park_code or "")
        return None if park is None else ParkType.of(park)

    @strawberry.field
    def offerings(self, info: Info) -> list[OfferingType]:
        if "offerings" in self.prefetched:
            found: list[OfferingType] = self.prefetched["offerings"]
            return found
        return later(self._offerings(info))

    async def _offerings(self, info: Info) -> list[OfferingType]:
        return [
            OfferingType.of(o) for o in await info.context.registry.offerings.load(str(self.id))
        ]

    @strawberry.field
    async def equipment(self, info: Info) -> list[EquipmentType]:
        return [
            EquipmentType.of(e) for e in await info.context.registry.equipment.load(str(self.id))
        ]


@strawberry.type(
    name="Certificate",
    description="A certificate or inspection outcome, scoped to sites and capabilities.",
)
class CertificateType:
    id: strawberry.ID
    authority: Authority
    number: str
    valid_from: date
    valid_to: date | None
    last_inspection: date | None
    outcome: InspectionOutcome | None
    site_codes: list[str]
    capability_codes: list[str]
    active: bool

    @classmethod
    def from_row(cls, row: Row) -> CertificateType:
        authority = Authority(row["authority"])
        return cls(
            id=strawberry.ID(f"{authority.value}/{row['number']}"),
            authority=authority,
            number=row["number"],
            valid_from=to_day(row.get("valid_from")),  # type: ignore[arg-type]
            valid_to=to_day(row.get("valid_to")),
            last_inspection=to_day(row.get("last_inspection")),
            outcome=_enum(InspectionOutcome, row.get("outcome")),
            site_codes=sorted(row.get("sites") or ()),
            capability_codes=sorted(row.get("capabilities") or ()),
            active=_or(row, "active", True),
        )

    @classmethod
    def of(cls, c: model.Certificate) -> CertificateType:
        return cls(
            id=strawberry.ID(c.id),
            authority=c.authority,
            number=c.number,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            last_inspection=c.last_inspection,
            outcome=c.outcome,
            site_codes=list(c.sites),
            capability_codes=list(c.capabilities),
            active=c.active,
        )

    @strawberry.field(description="As of today (China time); expiring = ends within 90 days.")
    def status(self) -> CertificateStatus:
        today = datetime.now(CHINA).date()
        if self.valid_from > today:
            return CertificateStatus.NOT_YET_VALID
        if self.valid_to is None or self.valid_to > today + EXPIRY_WARNING:
            return CertificateStatus.VALID
        return CertificateStatus.EXPIRED if self.valid_to < today else CertificateStatus.EXPIRING


@strawberry.type(name="Contact")
class ContactType:
    name: str | None
    email: str | None
    phone: str | None


@strawberry.type(
    name="Organization", description="A firm, identified by its 统一社会信用代码 (USCC)."
)
class OrganizationType:
    uscc: str
    name_zh: str
    name_en: str
    kind: OrgKind
    licence_numbers: list[str]
    fda_fei: str | None
    website: str | None
    active: bool
    fictional: bool
    status: str = strawberry.field(
        description="verified, pending (registered, awaiting verification: seen by its "
        "members, its verifiers and admins only) or rejected."
    )
    park_codes: list[str]
    contact_private: strawberry.Private[model.Contact]
    note_private: strawberry.Private[str | None]
    prefetched: strawberry.Private[dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Row) -> OrganizationType:
        org = cls(
            uscc=row["uscc"],
            name_zh=row.get("name_zh"),  # type: ignore[arg-type]
            name_en=row.get("name_en"),  # type: ignore[arg-type]
            kind=_enum(OrgKind, row.get("kind")),  # type: ignore[arg-type]
            licence_numbers=list(row.get("licence_numbers") or ()),
            fda_fei=row.get("fda_fei"),
            website=row.get("website"),
            active=_or(row, "active", True),
            fictional=_or(row, "fictional", False),
            status=row.get("status") or "verified",
            park_codes=sorted(row.get("parks") or ()),
            contact_private=model.Contact(
                row.get("contact_name"), row.get("contact_email"), row.get("contact_phone")
            ),
            note_private=row.get("internal_note"),
        )
        if "sites" in row:
            org.prefetched["sites"] = [SiteType.from_row(s) for s in row["sites"]]
        if "certificates" in row:
            org.prefetched["certificates"] = [
                CertificateType.from_row(c) for c in row["certificates"]
            ]
        return org

    @classmethod
    def of(cls, o: model.Organization) -> OrganizationType:
        return cls(
            uscc=o.uscc,
            name_zh=o.name_zh,
            name_en=o.name_en,
            kind=o.kind,
            licence_numbers=list(o.licence_numbers),
            fda_fei=o.fda_fei,
            website=o.website,
            active=o.active,
            fictional=o.fictional,
            status=o.status,
            park_codes=list(o.parks),
            contact_private=o.contact,
            note_private=o.internal_note,
        )

    @strawberry.field
    async def parks(self, info: Info) -> list[ParkType]:
        parks = await info.context.parks()
        return [ParkType.of(parks[c]) for c in self.park_codes if c in parks]

    @strawberry.field(description="Members of the organization and admins only.")
    def contact(self, info: Info) -> ContactType | None:
        if not info.context.may_see_private(self.uscc):
            return None
        c = self.contact_private
        return ContactType(name=c.name, email=c.email, phone=c.phone)

    @strawberry.field(description="Members of the organization and admins only.")
    def internal_note(self, info: Info) -> str | None:
        return self.note_private if info.context.may_see_private(self.uscc) else None

    @strawberry.field
    def sites(self, info: Info) -> list[SiteType]:
        if "sites" in self.prefetched:
            found: list[SiteType] = self.prefetched["sites"]
            return found
        return later(self._sites(info))

    async def _sites(self, info: Info) -> list[SiteType]:
        return [SiteType.of(s) for s in await info.context.registry.sites.load(self.uscc)]

    @strawberry.field(description="Signed-in callers only (null for anonymous).")
    def certificates(self, info: Info) -> list[CertificateType] | None:
        if not info.context.signed_in:
            return None
        if "certificates" in self.prefetched:
            found: list[CertificateType] = self.prefetched["certificates"]
            return found
        return later(self._certificates(info))

    async def _certificates(self, info: Info) -> list[CertificateType]:
        return [
            CertificateType.of(c) for c in await info.context.registry.certificates.load(self.uscc)
        ]
