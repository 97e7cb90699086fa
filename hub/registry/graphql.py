"""GraphQL for the registry: finding organizations and offerings, and changing them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import strawberry

from hub.api.context import Info
from hub.graphql.inputs import raw
from hub.graphql.pagination import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Edge,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from hub.graphql.problems import Problems, attempt
from hub.graphql.selection import Asked, asked
from hub.identity.model import Principal, RoleKind
from hub.reference.model import Region
from hub.registry import model, search_rules, service
from hub.registry.standing import is_public
from hub.registry.store import reads
from hub.registry.store.projection import Projection, Unplanned
from hub.registry.store.search import Near, OfferingFilter, search, search_trees
from hub.registry.types import (
    CertificateType,
    EquipmentType,
    OfferingType,
    OrganizationType,
    SiteType,
    capacity_window,
)
from hub.search import fulltext_query

N = TypeVar("N")
T = TypeVar("T")


@strawberry.type(name="OrganizationConnection")
class OrganizationConnection:
    edges: list[Edge[OrganizationType]]
    page_info: PageInfo


@strawberry.type
class OfferingEdge:
    cursor: str
    node: OfferingType
    distance_km: float | None = strawberry.field(description="From `near`, when given.")
    min_free: float | None = strawberry.field(
        description="Least free capacity in a bucket of the window, when `spare` is given."
    )


@strawberry.type(name="OfferingConnection")
class OfferingConnection:
    edges: list[OfferingEdge]
    page_info: PageInfo


@strawberry.input
class OrganizationFilterInput:
    text: str | None = strawberry.field(default=None, description="中文 or English words.")
    kinds: list[model.OrgKind] | None = None
    parks: list[str] | None = None
    city: str | None = None
    capability: str | None = strawberry.field(
        default=None, description="A taxonomy code: its whole branch."
    )
    authority: model.Authority | None = strawberry.field(
        default=None, description="Holds an active certificate of this authority, not expired."
    )
    include_inactive: bool = strawberry.field(
        default=False,
        description="Admins: deactivated organizations too. Others never see them.",
    )


def _organization_filter(
    f: OrganizationFilterInput | None, admin: bool
) -> reads.OrganizationFilter:
    if f is None:
        return reads.OrganizationFilter()
    text = None if f.text is None else fulltext_query(f.text)
    return reads.OrganizationFilter(
        kinds=None if not f.kinds else [k.value for k in f.kinds],
        parks=None if not f.parks else [p.upper() for p in f.parks],
        city=f.city,
        capability=None if f.capability is None else f.capability.strip().upper(),
        authority=None if f.authority is None else f.authority.value,
        text=text,
        include_retired=admin and f.include_inactive,
    )


@strawberry.input
class NearInput:
    lat: float
    lon: float
    km: float


@strawberry.input
class OfferingSearchInput:
    capability: str = strawberry.field(description="A taxonomy code: its whole branch matches.")
    parks: list[str] | None = None
    region: Region | None = None
    near: NearInput | None = None
    quantity: float | None = strawberry.field(default=None, description="Fits scaleMin..scaleMax.")
    gmp_grade: model.GmpGrade | None = None
    authorities: list[model.Authority] = strawberry.field(
        default_factory=list, description="Each held, covering the site, valid over the window."
    )
    start: date | None = strawberry.field(default=None, description="Window's first day.")
    end: date | None = strawberry.field(default=None, description="Window's last day.")
    spare: float | None = strawberry.field(
        default=None, description="Free capacity needed in every period of the window."
    )


async def _offering_filter(info: Info, f: OfferingSearchInput) -> OfferingFilter:
    where = OfferingFilter(
        capability=f.capability.strip().upper(),
        parks=None if not f.parks else [p.upper() for p in f.parks],
        region=None if f.region is None else f.region.value,
        near=None if f.near is None else Near(f.near.lat, f.near.lon, f.near.km),
        quantity=f.quantity,
        gmp_grade=f.gmp_grade,
        authorities=list(f.authorities),
        start=f.start,
        end=f.end,
        spare=f.spare,
    )
    return search_rules.checked(where, await info.context.taxonomy(), info.context.signed_in)


def _compiled(
    info: Info, what: Callable[[Projection, Asked], str], node: Asked | None
) -> tuple[str, dict[str, Any]] | None:
    """The map projection (and its parameters) of what was asked at `node`; None when
    something asked is not covered by hub/registry/store/projection.py (then: the loaders)."""
    projection = Projection(signed_in=info.context.signed_in, window_of=capacity_window)
    try:
        text = what(projection, node or Asked("node"))
    except Unplanned:
        return None
    return text, projection.params


def _or(row: dict[str, Any], key: str) -> bool:
    return row.get(key) is not False


def _visible(principal: Principal, uscc: str, active: bool, status: str | None) -> bool:
    """Public, or the caller's own firm (pending: its members prepare it), or an admin's.
    Its verifiers see a pending firm in their queue (hub/onboarding), not here."""
    if principal.is_admin:
        return True
    if not active:
        return False
    return is_public(active, status) or principal.may_act_for(uscc)


def _member_of(principal: Principal) -> frozenset[str]:
    return principal.scopes(RoleKind.PROVIDER) | principal.scopes(RoleKind.REQUESTER)


@strawberry.type
class RegistryQuery:
    @strawberry.field(
        description="One organization by its USCC (统一社会信用代码); a deactivated one "
        "to admins only (`active: false`)."
    )
    async def organization(self, info: Info, uscc: str) -> OrganizationType | None:
        key = uscc.strip().upper()
        principal = info.context.principal
        also = (".active", ".status")
        plan = _compiled(info, lambda p, a: p.organization("o", a, also), asked(info))
        if plan is None:
            org = await info.context.registry.organization.load(key)
            if org is None or not _visible(principal, key, org.active, org.status):
                return None
            return OrganizationType.of(org)
        row = await info.context.db.read(reads.organization_tree, key, *plan)
        if row is None or not _visible(principal, key, _or(row, "active"), row.get("status")):
            return None
        return OrganizationType.from_row(row)

    @strawberry.field(
        description="Organizations, filtered; ordered by USCC, or by relevance "
        "when `text` is given."
    )
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilterInput | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> OrganizationConnection:
        size = page_size(first)
        where = _organization_filter(filter, info.context.principal.is_admin)
        keyset = where.text is None
        position = decode_cursor(after, "k:" if keyset else "n:")
        skip = 0 if keyset or position is None else int(position)
        after_key = position if keyset else None
        plan = _compiled(
            info, lambda p, a: p.organization("o", a), asked(info).child("edges", "node")
        )
        found: list[OrganizationType]
        if plan is None:
            orgs = await info.context.db.read(
                reads.organizations_page, where, size + 1, after_key, skip
            )
            found = [OrganizationType.of(o) for o in orgs]
        else:
            rows = await info.context.db.read(
                reads.organization_trees, where, size + 1, after_key, skip, *plan
            )
            found = [OrganizationType.from_row(r) for r in rows]
        edges = [
            Edge(
                cursor=encode_cursor(f"k:{o.uscc}" if keyset else f"n:{skip + i + 1}"),
                node=o,
            )
            for i, o in enumerate(found[:size])
        ]
        return OrganizationConnection(
            edges=edges,
            page_info=PageInfo.of(edges, has_next_page=len(found) > size),
        )

    @strawberry.field(
        description="Offerings that fit: capability branch, place, scale, grade, "
        "certificates and spare capacity over a window. Ordered by id."
    )
    async def offerings(
        self,
        info: Info,
        filter: OfferingSearchInput,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> OfferingConnection:
        size, where = page_size(first), await _offering_filter(info, filter)
        key = decode_cursor(after, "o:")
        node = asked(info).child("edges", "node")
        plan = _compiled(info, lambda p, a: p.offering("f", a), node)
        if plan is None:  # something asked beneath is the loaders'
            found = await info.context.db.read(search, where, size + 1, key)
            rows = [(OfferingType.of(f.offering), f.distance_km, f.min_free) for f in found]
        else:
            trees = await info.context.db.read(search_trees, where, size + 1, key, *plan)
            rows = [(OfferingType.from_row(t.row), t.distance_km, t.min_free) for t in trees]
        edges = [
            OfferingEdge(
                cursor=encode_cursor(f"o:{offering.id}"),
                node=offering,
                distance_km=distance_km,
                min_free=min_free,
            )
            for offering, distance_km, min_free in rows[:size]
        ]
        return OfferingConnection(
            edges=edges,
            page_info=PageInfo.of(edges, has_next_page=len(rows) > size),
        )

    @strawberry.field(
        description="Certificates ending within `withinDays` (or already "
        "ended), soonest first; signed-in callers only."
    )
    async def expiring_certificates(
        self, info: Info, within_days: int = 90, uscc: str | None = None
    ) -> list[CertificateType]:
        principal = info.context.require_principal()
        until = search_rules.expiry_horizon(within_days)
        found = await info.context.db.read(
            reads.expiring_certificates,
            until,
            None if uscc is None else [uscc.strip().upper()],
            MAX_PAGE,
            None if principal.is_admin else sorted(_member_of(principal)),
        )
        return [CertificateType.of(c) for c in found]


# --- mutations -------------------------------------------------------------------------


@strawberry.input
class OrganizationInput:
    uscc: str
    name_zh: str
    name_en: str
    kind: model.OrgKind
    parks: list[str] = strawberry.field(default_factory=list)
    licence_numbers: list[str] = strawberry.field(default_factory=list)
    fda_fei: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    internal_note: str | None = None


@strawberry.input
class SiteInput:
    uscc: str
    site: str = strawberry.field(description="The site's code, unique in its organization.")
    name_zh: str
    name_en: str
    address: str
    city: str
    lat: float
    lon: float
    district: str | None = None
    park: str | None = None


@strawberry.input
class OfferingInput:
    uscc: str
    site: str
    offering: str = strawberry.field(description="The offering's code, unique at its site.")
    capability: str
    gmp_grade: model.GmpGrade
    scale_min: float
    scale_max: float
    unit: str | None = strawberry.field(
        default=None, description="If given, must be the capability's unit."
    )
    modality: str | None = None
    lead_time_days: int | None = None
    description_zh: str | None = None
    description_en: str | None = None
    equipment: list[str] = strawberry.field(
        default_factory=list, description="Asset tags at the same site."
    )


@strawberry.input
class EquipmentInput:
    uscc: str
    site: str
    tag: str = strawberry.field(description="The asset tag, unique at its site.")
    type: str
    size: float | None = None
    size_unit: str | None = None
    instrument_model: str | None = strawberry.field(default=None, name="model")
    grade: model.GmpGrade | None = None
    count: int = 1
    shareable: bool = False


@strawberry.input
class CertificateInput:
    uscc: str
    authority: model.Authority
    number: str
    valid_from: date
    sites: list[str]
    capabilities: list[str]
    valid_to: date | None = None
    last_inspection: date | None = None
    outcome: str | None = None


@strawberry.input
class BucketInput:
    start: datetime = strawberry.field(
        description="Start of the period (China time if no offset); aligned to the grain."
    )
    total: float


@strawberry.input
class CapacityInput:
    owner: strawberry.ID = strawberry.field(description="An offering's or equipment's id.")
    grain: model.Grain
    buckets: list[BucketInput]


@strawberry.type
class OrganizationSaved:
    organization: OrganizationType


@strawberry.type
class SiteSaved:
    site: SiteType


@strawberry.type
class OfferingSaved:
    offering: OfferingType


@strawberry.type
class EquipmentSaved:
    equipment: EquipmentType


@strawberry.type
class CertificateSaved:
    certificate: CertificateType


@strawberry.type
class Retired:
    id: strawberry.ID


@strawberry.type(description="An organization's `active` as it now is.")
class OrganizationActivity:
    organization: OrganizationType
    changed: bool = strawberry.field(
        description="False when it already was so: nothing written, nothing audited."
    )


@strawberry.type
class CapacityPublished:
    created: int
    updated: int
    unchanged: int


@strawberry.type
class CapacityAdjusted:
    id: strawberry.ID
    total: float


OrganizationResult = Annotated[OrganizationSaved | Problems, strawberry.union("OrganizationResult")]
SiteResult = Annotated[SiteSaved | Problems, strawberry.union("SiteResult")]
OfferingResult = Annotated[OfferingSaved | Problems, strawberry.union("OfferingResult")]
EquipmentResult = Annotated[EquipmentSaved | Problems, strawberry.union("EquipmentResult")]
CertificateResult = Annotated[CertificateSaved | Problems, strawberry.union("CertificateResult")]
ActivityResult = Annotated[
    OrganizationActivity | Problems, strawberry.union("OrganizationActivityResult")
]
RetireResult = Annotated[Retired | Problems, strawberry.union("RetireResult")]
PublishResult = Annotated[CapacityPublished | Problems, strawberry.union("PublishCapacityResult")]
AdjustResult = Annotated[CapacityAdjusted | Problems, strawberry.union("AdjustCapacityResult")]


@strawberry.type
class RegistryMutation:
    @strawberry.mutation(
        description="Register a new organization: you become its member and it is pending "
        "(seen by its members, its verifiers and admins only; not searched, routed or "
        "able to submit requests) until a verifier approves it; `evidence`: your uploaded "
        "business licence (POST /evidence). Registered by an admin, it is verified at "
        "once. A USCC already in the hub is claimed instead (claimOrganization)."
    )
    async def register_organization(
        self,
        info: Info,
        input: OrganizationInput,
        evidence: strawberry.ID | None = None,
    ) -> OrganizationResult:
        ctx = info.context
        principal = ctx.require_principal()
        given = None if evidence is None else str(evidence)

        async def change() -> OrganizationSaved:
            org, ctx.principal = await service.register_organization(
                ctx.db, principal, raw(input), given
            )
            return OrganizationSaved(organization=OrganizationType.of(org))

        return await attempt(info.context.language, change)

    @strawberry.mutation(description="Update an organization you are a member of.")
    async def update_organization(
        self,
        info: Info,
        input: OrganizationInput,
    ) -> OrganizationResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> OrganizationSaved:
            org = await service.update_organization(ctx.db, principal, raw(input))
            return OrganizationSaved(organization=OrganizationType.of(org))

        return await attempt(info.context.language, change)

    @strawberry.mutation(
        description="Deactivate an organization (admins only): shown to admins only, never "
        "searched or routed; the change is recorded with its reason."
    )
    async def deactivate_organization(
        self, info: Info, uscc: str, reason: str | None = None
    ) -> ActivityResult:
        return await _set_active(info, uscc, False, reason)

    @strawberry.mutation(description="Reactivate a deactivated organization (admins only).")
    async def reactivate_organization(
        self, info: Info, uscc: str, reason: str | None = None
    ) -> ActivityResult:
        return await _set_active(info, uscc, True, reason)

    @strawberry.mutation(description="Create or update a site (keyed by uscc + site code).")
    async def save_site(self, info: Info, input: SiteInput) -> SiteResult:
        return await _save(info, "site", input, lambda s: SiteSaved(site=SiteType.of(s)))

    @strawberry.mutation(description="Create or update an offering (site + offering code).")
    async def save_offering(self, info: Info, input: OfferingInput) -> OfferingResult:
        return await _save(
            info, "offering", input, lambda s: OfferingSaved(offering=OfferingType.of(s))
        )

    @strawberry.mutation(description="Create or update equipment (site + asset tag).")
    async def save_equipment(self, info: Info, input: EquipmentInput) -> EquipmentResult:
        return await _save(
            info, "equipment", input, lambda s: EquipmentSaved(equipment=EquipmentType.of(s))
        )

    @strawberry.mutation(description="Create or update a certificate (authority + number).")
    async def save_certificate(self, info: Info, input: CertificateInput) -> CertificateResult:
        return await _save(
            info,
            "certificate",
            input,
            lambda s: CertificateSaved(certificate=CertificateType.of(s)),
        )

    @strawberry.mutation(description="Retire a site: kept in history, no longer offered.")
    async def retire_site(self, info: Info, id: strawberry.ID) -> RetireResult:
        return await _retire(info, "site", str(id))

    @strawberry.mutation
    async def retire_offering(self, info: Info, id: strawberry.ID) -> RetireResult:
        return await _retire(info, "offering", str(id))

    @strawberry.mutation
    async def retire_equipment(self, info: Info, id: strawberry.ID) -> RetireResult:
        return await _retire(info, "equipment", str(id))

    @strawberry.mutation
    async def retire_certificate(self, info: Info, id: strawberry.ID) -> RetireResult:
        return await _retire(info, "certificate", str(id))

    @strawberry.mutation(
        description="Publish many capacity buckets at once (e.g. a year of "
        "weeks); a bucket that exists is updated."
    )
    async def publish_capacity(self, info: Info, input: CapacityInput) -> PublishResult:
        ctx = info.context
        principal = ctx.require_principal()
        buckets = [
            {"grain": input.grain.value, "start": b.start, "total": b.total} for b in input.buckets
        ]

        async def change() -> CapacityPublished:
            done = await service.publish_capacity(ctx.db, principal, str(input.owner), buckets)
            return CapacityPublished(
                created=done.created, updated=done.updated, unchanged=done.unchanged
            )

        return await attempt(info.context.language, change)

    @strawberry.mutation(description="Change one bucket's total; never below its reserved.")
    async def adjust_capacity(
        self,
        info: Info,
        id: strawberry.ID,
        total: float,
    ) -> AdjustResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> CapacityAdjusted:
            state = await service.adjust_capacity(ctx.db, principal, str(id), total)
            return CapacityAdjusted(id=id, total=state["total"])

        return await attempt(info.context.language, change)


async def _save(info: Info, what: str, input: Any, payload: Callable[[Any], T]) -> T | Problems:
    """Save a site, offering, equipment or certificate; `payload` wraps what was saved."""
    ctx = info.context
    principal = ctx.require_principal()

    async def change() -> T:
        return payload(await service.save(ctx.db, principal, what, raw(input)))

    return await attempt(info.context.language, change)


async def _set_active(
    info: Info, uscc: str, active: bool, reason: str | None
) -> OrganizationActivity | Problems:
    ctx = info.context
    principal = ctx.require_principal()

    async def change() -> OrganizationActivity:
        org, changed = await service.set_organization_active(
            ctx.db, principal, uscc, active, reason
        )
        return OrganizationActivity(organization=OrganizationType.of(org), changed=changed)

    return await attempt(info.context.language, change)


async def _retire(info: Info, what: str, key: str) -> Retired | Problems:
    ctx = info.context
    principal = ctx.require_principal()

    async def change() -> Retired:
        await service.retire(ctx.db, principal, what, key)
        return Retired(id=strawberry.ID(key))

    return await attempt(info.context.language, change)
