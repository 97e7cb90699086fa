"""The registry's values: organizations and what they can do, where, certified, and when free.

Every entity has a natural key, so that imports are idempotent and ids are readable:

    Organization  uscc                          91110000MA0000001X
    Site          {uscc}/{site code}            91110000MA0000001X/yz-1
    Offering      {site id}/{offering code}     91110000MA0000001X/yz-1/mab-usp
    Equipment     {site id}/{asset tag}         91110000MA0000001X/yz-1/SUB-2000-01
    Certificate   {authority}/{number}          NMPA_LICENCE/京20200001
    CapacityBucket {owner id}@{grain}/{start}   ...mab-usp@week/2027-01-04
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class OrgKind(StrEnum):
    PROVIDER = "provider"
    REQUESTER = "requester"
    BOTH = "both"


class GmpGrade(StrEnum):
    NON_GMP = "non_gmp"
    GLP = "glp"
    GMP_CLINICAL = "gmp_clinical"
    GMP_COMMERCIAL = "gmp_commercial"

    def serves(self, requested: GmpGrade) -> bool:
        """Whether work at this grade satisfies a request for `requested`.

        Non-GMP requests take any grade; GLP (nonclinical safety) is its own track;
        commercial GMP also serves clinical GMP.
        """
        if requested is GmpGrade.NON_GMP:
            return True
        if requested is GmpGrade.GMP_CLINICAL:
            return self in (GmpGrade.GMP_CLINICAL, GmpGrade.GMP_COMMERCIAL)
        return self is requested


GRADES_SERVING: dict[GmpGrade, list[str]] = {
    wanted: [g.value for g in GmpGrade if g.serves(wanted)] for wanted in GmpGrade
}


class Authority(StrEnum):
    NMPA_LICENCE = "nmpa_licence"  # 药品生产许可证, 5 years
    NMPA_GMP = "nmpa_gmp"  # 药品GMP符合性检查 outcome (no certificate since 2019)
    FDA = "fda"  # FDA cGMP inspection classification (NAI/VAI/OAI)
    EU_GMP = "eu_gmp"  # EU GMP certificate (EudraGMDP), ~3 years
    WHO_PQ = "who_pq"  # WHO prequalification
    NMPA_GLP = "nmpa_glp"  # NMPA GLP, per test item
    OECD_GLP = "oecd_glp"
    AAALAC = "aaalac"  # animal care accreditation
    CNAS = "cnas"  # ISO/IEC 17025 laboratory accreditation
    CMA = "cma"  # 检验检测机构资质认定


class InspectionOutcome(StrEnum):
    COMPLIANT = "compliant"
    NAI = "nai"  # FDA: no action indicated
    VAI = "vai"  # FDA: voluntary action indicated
    OAI = "oai"  # FDA: official action indicated
    NON_COMPLIANT = "non_compliant"


class Grain(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Organization:
    uscc: str
    name_zh: str
    name_en: str
    kind: OrgKind
    parks: tuple[str, ...] = ()
    licence_numbers: tuple[str, ...] = ()
    fda_fei: str | None = None
    website: str | None = None
    contact: Contact = field(default_factory=Contact)
    internal_note: str | None = None
    active: bool = True
    fictional: bool = False
    # Verified, pending or rejected (hub.registry.standing): set by verification only.
    status: str = "verified"


@dataclass(frozen=True)
class Site:
    uscc: str
    code: str
    name_zh: str
    name_en: str
    address: str
    city: str
    district: str | None
    lat: float
    lon: float
    park: str | None = None
    active: bool = True

    @property
    def id(self) -> str:
        return f"{self.uscc}/{self.code}"


@dataclass(frozen=True)
class Offering:
    site_id: str
    code: str
    capability: str
    unit: str
    gmp_grade: GmpGrade
    scale_min: float
    scale_max: float
    modality: str | None = None
    lead_time_days: int | None = None
    description_zh: str | None = None
    description_en: str | None = None
    equipment: tuple[str, ...] = ()  # asset tags at the same site
    active: bool = True

    @property
    def id(self) -> str:
        return f"{self.site_id}/{self.code}"


@dataclass(frozen=True)
class Equipment:
    site_id: str
    tag: str
    type: str
    size: float | None = None
    size_unit: str | None = None
    model: str | None = None
    grade: GmpGrade = GmpGrade.NON_GMP
    count: int = 1
    shareable: bool = False  # an instrument others may book by the hour
    active: bool = True

    @property
    def id(self) -> str:
        return f"{self.site_id}/{self.tag}"


@dataclass(frozen=True)
class Certificate:
    uscc: str
    authority: Authority
    number: str
    valid_from: date
    valid_to: date | None
    sites: tuple[str, ...]  # site codes of the holder
    capabilities: tuple[str, ...]  # taxonomy codes (anything beneath is covered)
    last_inspection: date | None = None
    outcome: InspectionOutcome | None = None
    active: bool = True

    @property
    def id(self) -> str:
        return f"{self.authority.value}/{self.number}"


@dataclass(frozen=True)
class CapacityBucket:
    owner_id: str  # an offering's or an equipment's id
    grain: Grain
    start: datetime
    end: datetime
    total: float
    unit: str
    reserved: float = 0.0
    confirmed_at: datetime | None = None

    @property
    def id(self) -> str:
        return f"{self.owner_id}@{self.grain.value}/{self.start.isoformat()}"

    @property
    def free(self) -> float:
        return self.total - self.reserved


INSTRUMENT_HOUR = "instrument_hour"  # the unit of capacity published on equipment


def owner_of(key: str) -> str:
    """The USCC at the start of a site, offering, equipment or capacity id (the keys above)."""
    return key.split("/", 1)[0]
