"""Plausible firms of 京津冀 as raw registry rows, validated and written like any import.

The one generator behind `hub seed demo` and `hub seed synthetic`. A firm is a fictional
identity (fictional.py), an archetype placed in a real park (profiles.py) and a random
stream of its own; from them come its organization, sites near the park's centroid,
offerings on taxonomy nodes with the equipment they run on, and (dated_rows.py) its
certificates and twelve months of capacity. The rows pass through `hub.registry.rules`,
the same checks as an import, and `write` hands them to `hub.registry.store.writes.apply`
parents first, so a second run with the same inputs writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.demo.archetypes import Archetype, SiteRole, Tier
from hub.demo.dated_rows import COUNTED_UNITS, Offered, capacity_rows, certificate_rows, nice
from hub.demo.fictional import Identity, place
from hub.demo.profiles import LEAF_MODALITY, PROFILES, Basis, EquipmentSpec, Profile
from hub.reference import store as reference_store
from hub.reference.model import Park, Reference, Taxonomy
from hub.registry import model, rules
from hub.registry.model import GmpGrade, OrgKind
from hub.registry.store import writes

KINDS = ("organizations", "sites", "equipment", "offerings", "certificates", "capacity")
Rows = dict[str, list[dict[str, Any]]]

MAX_OFFERINGS = 6  # per firm, over all its sites
JITTER = 0.02  # degrees (about 2 km) around a park's centroid
HOURS_PER_MONTH = 600  # bookable hours of a shared instrument in a month
SITE_NAMES = {  # site code prefix, short place names
    "BJ-ETOWN": ("yz", "亦庄", "Yizhuang"),
    "BJ-BIOPARK": ("bp", "国际医药创新公园", "BioPark"),
    "BJ-ZGC-LIFE": ("smg", "生命科学园", "Life Science Park"),
    "BJ-FUTURE": ("wl", "未来科学城", "Future Science City"),
    "BJ-HAIDIAN": ("hd", "海淀", "Haidian"),
    "BJ-DAXING": ("dx", "大兴", "Daxing"),
    "BJ-DAXING-AIRPORT": ("lk", "临空区", "Airport Zone"),
    "TJ-TEDA": ("td", "泰达", "TEDA"),
    "TJ-BINHAI-HITECH": ("gx", "滨海高新区", "Binhai Hi-Tech"),
    "TJ-ECOCITY": ("st", "生态城", "Eco-City"),
    "HE-SJZ": ("sjz", "石家庄", "Shijiazhuang"),
    "HE-CANGZHOU": ("cz", "沧州", "Cangzhou"),
}
SITE_KIND = {
    Tier.RD: ("研发中心", "R&D centre"),
    Tier.PILOT: ("中试基地", "pilot facility"),
    Tier.COMMERCIAL: ("生产基地", "manufacturing site"),
}
GRADE_TEXT = {
    GmpGrade.NON_GMP: ("非GMP", "non-GMP"),
    GmpGrade.GLP: ("GLP", "GLP"),
    GmpGrade.GMP_CLINICAL: ("GMP（临床）", "clinical GMP"),
    GmpGrade.GMP_COMMERCIAL: ("GMP（商业化）", "commercial GMP"),
}
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADE_TEXT)}
PREFERRED_GRADE = {
    Tier.RD: GmpGrade.NON_GMP,
    Tier.PILOT: GmpGrade.GMP_CLINICAL,
    Tier.COMMERCIAL: GmpGrade.GMP_COMMERCIAL,
}
CHINESE_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class Context:
    """What generation reads from the graph: validation's reference data and the parks."""

    reference: Reference
    parks: dict[str, Park]


async def context(tx: Tx) -> Context:
    parks = await reference_store.parks(tx, None)
    return Context(await reference_store.reference(tx), {p.code: p for p in parks})


@dataclass(frozen=True)
class Firm:
    who: Identity
    archetype: Archetype
    home: Park


@dataclass
class Asset:
    """A group of alike equipment at a site, shared by the offerings that run on it."""

    spec: EquipmentSpec
    size: float | None
    count: int
    grade: GmpGrade

    @property
    def tag(self) -> str:
        size = "" if self.size is None else f"-{self.size:g}"
        return f"{self.spec.prefix}{size}-01"


@dataclass
class SitePlan:
    code: str
    park: Park
    role: SiteRole
    assets: dict[str, Asset] = field(default_factory=dict)


@dataclass
class Network:
    """Validated entities, one list per kind."""

    organizations: list[model.Organization]
    sites: list[model.Site]
    equipment: list[model.Equipment]
    offerings: list[model.Offering]
    certificates: list[model.Certificate]
    capacity: list[model.CapacityBucket]

    def counts(self) -> dict[str, int]:
        return {
            "organizations": len(self.organizations),
            "sites": len(self.sites),
            "offerings": len(self.offerings),
            "equipment": len(self.equipment),
            "certificates": len(self.certificates),
            "capacity buckets": len(self.capacity),
        }

    def in_write_order(self) -> list[Sequence[Any]]:
        """Parents before children: offerings link equipment, buckets link offerings."""
        return [
            self.organizations,
            self.sites,
            self.equipment,
            self.offerings,
            self.certificates,
            self.capacity,
        ]


def empty_rows() -> Rows:
    return {kind: [] for kind in KINDS}


def validate(rows: Rows, ref: Reference) -> Network:
    """The rows through the registry's rules, as an import would take them."""
    return Network(
        organizations=[rules.organization(r, ref) for r in rows["organizations"]],
        sites=[rules.site(r, ref) for r in rows["sites"]],
        equipment=[rules.equipment(r) for r in rows["equipment"]],
        offerings=[rules.offering(r, ref) for r in rows["offerings"]],
        certificates=[rules.certificate(r, ref) for r in rows["certificates"]],
        capacity=[rules.bucket(r, r["owner"], r["unit"]) for r in rows["capacity"]],
    )


async def write(db: Database, network: Network, actor: Actor) -> writes.Summary:
    """One transaction: every kind in order, each change audited. A generated network's
    parents are its own rows, written before their children in this transaction (or
    reference data), so their existence is not checked again."""

    async def work(tx: Tx) -> writes.Summary:
        total, stale = writes.Summary(), set[str]()
        for entities in network.in_write_order():
            total = total + await writes.apply(
                tx, entities, actor, parents_checked=True, stale=stale
            )
        await writes.refresh_stale(tx, stale)  # once, after offerings, certificates, capacity
        return total

    return await writes.bulk(db, work)


def add_firm(rows: Rows, firm: Firm, rng: Random, ctx: Context) -> None:
    """Append one firm's rows of every kind."""
    sites = _plan_sites(firm, rng, ctx)
    offered: list[Offered] = []
    for site in sites:
        rows["sites"].append(_site_row(firm, site, rng))
        budget = max(1, MAX_OFFERINGS - len(offered))
        for capability in _capabilities(site.role, rng, budget):
            row, item = _offering(firm, site, capability, rng, ctx.reference.taxonomy)
            rows["offerings"].append(row)
            offered.append(item)
        rows["equipment"] += [_equipment_row(firm, site, a) for a in site.assets.values()]
        rows["capacity"] += _instrument_capacity(firm, site, rng)
    for o in offered:
        rows["capacity"] += capacity_rows(o.owner_id, o.unit, o.full, rng)
    certificates = certificate_rows(firm.who, firm.archetype, offered, rng)
    rows["certificates"] += certificates
    rows["organizations"].append(_organization_row(firm, sites, certificates))


def _plan_sites(firm: Firm, rng: Random, ctx: Context) -> list[SitePlan]:
    """The home site, then any further site its archetype may have (1-2 in all)."""
    plans: list[SitePlan] = []
    for n, role in enumerate(firm.archetype.sites):
        if n and rng.random() >= role.chance:
            continue
        park = ctx.parks[rng.choice(role.parks)] if role.parks else firm.home
        plans.append(SitePlan(f"{SITE_NAMES[park.code][0]}-{len(plans) + 1}", park, role))
    return plans


def _capabilities(role: SiteRole, rng: Random, budget: int) -> list[str]:
    wanted = min(rng.randint(*role.offerings), budget)
    chosen = list(role.core[:wanted])
    extra = [c for c in role.extra if c not in chosen]
    return chosen + rng.sample(extra, min(len(extra), wanted - len(chosen)))


def _site_row(firm: Firm, site: SitePlan, rng: Random) -> dict[str, Any]:
    park = site.park
    _, short_zh, short_en = SITE_NAMES[park.code]
    requester = firm.archetype.kind is OrgKind.REQUESTER
    kind_zh, kind_en = ("实验室", "laboratory") if requester else SITE_KIND[site.role.tier]
    district = park.district_zh.split("/")[0]
    road = CHINESE_DIGITS[rng.randrange(len(CHINESE_DIGITS))]
    return {
        "uscc": firm.who.uscc,
        "site": site.code,
        "name_zh": f"{firm.who.brand_zh}{short_zh}{kind_zh}",
        "name_en": f"{firm.who.brand_en} {short_en} {kind_en}",
        "address": f"{park.city_zh}{district}示例{road}路{rng.randint(1, 199)}号",
        "city": park.city_zh,
        "district": district,
        "lat": round(park.lat + rng.uniform(-JITTER, JITTER), 5),
        "lon": round(park.lon + rng.uniform(-JITTER, JITTER), 5),
        "park": park.code,
    }


def profile_of(capability: str, taxonomy: Taxonomy) -> tuple[str, Profile]:
    """The profiled node at or above a capability (BIO.USP for BIO.USP.FB, PKG for PKG.SER)."""
    node: str | None = capability
    while node is not None and node not in PROFILES:
        node = taxonomy.nodes[node].parent
    if node is None:
        raise KeyError(f"no offering profile covers {capability}")
    return node, PROFILES[node]


def _grade(profile: Profile, tier: Tier, rng: Random) -> GmpGrade:
    """The tier's grade where the capability has it; now and then another it allows.

    GLP is its own track (nonclinical safety), not a tier: where it is a capability's usual
    grade it stays so.
    """
    if rng.random() < 0.2:
        return rng.choice(profile.grades)
    preferred, usual = PREFERRED_GRADE[tier], profile.grades[0]
    return preferred if preferred in profile.grades and usual is not GmpGrade.GLP else usual


def _size(spec: EquipmentSpec, tier: Tier, rng: Random) -> float | None:
    """Research takes the smallest sizes, pilot the lower half, commercial the upper half."""
    n = len(spec.sizes)
    if n == 0:
        return None
    span = {
        Tier.RD: spec.sizes[: max(1, n // 3)],
        Tier.PILOT: spec.sizes[: max(1, (n + 1) // 2)],
        Tier.COMMERCIAL: spec.sizes[n // 2 :],
    }[tier]
    return rng.choice(span)


def _asset(site: SitePlan, spec: EquipmentSpec, grade: GmpGrade, rng: Random) -> Asset:
    """The site's group of this equipment, made on first use; it takes the highest grade."""
    asset = site.assets.get(spec.prefix)
    if asset is None:
        asset = Asset(spec, _size(spec, site.role.tier, rng), rng.randint(*spec.count), grade)
        site.assets[spec.prefix] = asset
    elif GRADE_RANK[grade] > GRADE_RANK[asset.grade]:
        asset.grade = grade
    return asset


def _full_capacity(profile: Profile, primary: Asset | None, rng: Random) -> float:
    if profile.basis is Basis.RANGE or primary is None:
        return rng.uniform(*profile.capacity)
    if profile.basis is Basis.VOLUME:
        return (primary.size or 1.0) * primary.count * profile.cycles
    return primary.count * profile.cycles


def _offering(
    firm: Firm, site: SitePlan, capability: str, rng: Random, taxonomy: Taxonomy
) -> tuple[dict[str, Any], Offered]:
    family, profile = profile_of(capability, taxonomy)
    unit = taxonomy.nodes[capability].unit
    if unit is None:
        raise KeyError(f"{capability} has no capacity unit")
    grade = _grade(profile, site.role.tier, rng)
    specs = profile.leaf_equipment.get(capability, profile.equipment)
    assets = [_asset(site, spec, grade, rng) for spec in specs]
    full = _full_capacity(profile, assets[0] if assets else None, rng)
    counted = unit in COUNTED_UNITS
    low = nice(rng.uniform(*profile.scale_min), counted)
    high = nice(rng.uniform(*profile.scale_max), counted) if profile.scale_max[1] else nice(full)
    high, lead = max(low, high), rng.randint(*profile.lead_days)
    code = capability.lower().replace(".", "-")
    zh, en = _describe(capability, grade, (low, high), lead, assets, taxonomy)
    row = {
        "uscc": firm.who.uscc,
        "site": site.code,
        "offering": code,
        "capability": capability,
        "gmp_grade": grade.value,
        "scale_min": low,
        "scale_max": high,
        "modality": _modality(firm.archetype, capability, profile, rng),
        "lead_time_days": lead,
        "description_zh": zh,
        "description_en": en,
        "equipment": [a.tag for a in assets],
    }
    owner = f"{firm.who.uscc}/{site.code}/{code}"
    return row, Offered(owner, site.code, capability, family, grade, unit, full)


def _modality(archetype: Archetype, capability: str, profile: Profile, rng: Random) -> str | None:
    if archetype.modality is not None:
        return archetype.modality
    if capability in LEAF_MODALITY:
        return LEAF_MODALITY[capability]
    return rng.choice(profile.modality) if profile.modality else None


def _figure(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:g}"


def _describe(
    capability: str,
    grade: GmpGrade,
    scale: tuple[float, float],
    lead: int,
    assets: list[Asset],
    taxonomy: Taxonomy,
) -> tuple[str, str]:
    """A one-line description in Chinese and in English."""
    node = taxonomy.nodes[capability]
    unit = taxonomy.units[node.unit or ""]
    grade_zh, grade_en = GRADE_TEXT[grade]
    low, high = (_figure(v) for v in scale)
    zh = f"{node.name_zh}，{grade_zh}，规模 {low}–{high} {unit.name_zh}，交期约 {lead} 天。"
    en = f"{node.name_en}, {grade_en}, {low}–{high} {unit.name_en}, about {lead} days lead time."
    if assets:
        zh += "主要设备：" + "、".join(_kit(a, chinese=True) for a in assets) + "。"
        en += " Equipment: " + ", ".join(_kit(a, chinese=False) for a in assets) + "."
    return zh, en


def _kit(asset: Asset, chinese: bool) -> str:
    spec = asset.spec
    size = "" if asset.size is None else f"{asset.size:g} {spec.size_unit} "
    if chinese:
        return f"{size}{spec.type_zh} ×{asset.count}"
    return f"{asset.count} × {size}{spec.type_en}"


def _equipment_row(firm: Firm, site: SitePlan, asset: Asset) -> dict[str, Any]:
    return {
        "uscc": firm.who.uscc,
        "site": site.code,
        "tag": asset.tag,
        "type": asset.spec.type_en,
        "size": asset.size,
        "size_unit": asset.spec.size_unit if asset.size is not None else None,
        "grade": asset.grade.value,
        "count": asset.count,
        "shareable": asset.spec.shareable,
    }


def _instrument_capacity(firm: Firm, site: SitePlan, rng: Random) -> list[dict[str, Any]]:
    """Hours others may book on the site's shareable instruments (NMR, cryo-EM, pilot plant)."""
    rows = []
    for asset in site.assets.values():
        if asset.spec.shareable:
            owner = f"{firm.who.uscc}/{site.code}/{asset.tag}"
            full = asset.count * HOURS_PER_MONTH
            rows += capacity_rows(owner, model.INSTRUMENT_HOUR, full, rng)
    return rows


def _organization_row(
    firm: Firm, sites: list[SitePlan], certificates: list[dict[str, Any]]
) -> dict[str, Any]:
    who, archetype = firm.who, firm.archetype
    place_zh, place_en = place(firm.home)
    domain = f"{who.brand_en.lower()}-{archetype.slug}.example.com"
    authorities = {c["authority"] for c in certificates}
    return {
        "uscc": who.uscc,
        "name_zh": f"{place_zh}{who.brand_zh}{archetype.trade_zh}有限公司（虚构）",
        "name_en": f"{place_en} {who.brand_en} {archetype.trade_en} Co., Ltd. (fictional)",
        "kind": archetype.kind.value,
        "parks": sorted({s.park.code for s in sites}),
        "licence_numbers": [
            c["number"]
            for c in certificates
            if c["authority"] == model.Authority.NMPA_LICENCE.value
        ],
        "fda_fei": who.fei if model.Authority.FDA.value in authorities else None,
        "website": f"https://{domain}",
        "contact_name": "商务拓展部 Business development",
        "contact_email": f"bd@{domain}",
        "fictional": True,
    }
