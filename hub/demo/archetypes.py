"""Kinds of firm and where they sit: the demo network's make-up and the synthetic one's odds.

    ARCHETYPES  a kind of firm (API CDMO, GLP tox CRO, CAR-T maker, startup...) -> what
                each of its sites offers, at which tier, and how export-facing it is
    PARK_MIX    park -> how many firms of each archetype it holds in the demo (84 in all);
                the synthetic network draws parks and archetypes with these weights

The mix follows ../shared/DOMAIN.md §3: Beijing parks lean to discovery, preclinical, CMC,
biologics R&D and clinical work; Beijing has pushed chemical API manufacturing out since
2017 (R&D and pilot excepted), so API plants sit in Cangzhou, Shijiazhuang and Tianjin,
and a Beijing CMC firm's plant is in Hebei; Tianjin Binhai Hi-Tech holds cell therapy,
Daxing vaccines and biologics, the Eco-City laboratories.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.registry.model import OrgKind


class Tier(StrEnum):
    """How far a site's work goes: drives GMP grade and equipment size."""

    RD = "rd"  # research: non-GMP, smallest equipment
    PILOT = "pilot"  # clinical supply: GMP clinical, the smaller half of sizes
    COMMERCIAL = "commercial"  # GMP commercial, the larger half of sizes


@dataclass(frozen=True)
class SiteRole:
    """What one site of a firm does. `parks` empty: the firm's home park."""

    core: tuple[str, ...]  # always offered
    extra: tuple[str, ...]  # drawn from to reach the number of offerings
    offerings: tuple[int, int]
    tier: Tier = Tier.RD
    parks: tuple[str, ...] = ()
    chance: float = 1.0  # a further site exists with this probability


@dataclass(frozen=True)
class Archetype:
    trade_zh: str  # 行业 in the firm name: 北京澄川{生物制药}有限公司
    trade_en: str
    slug: str  # for the fictional web domain
    kind: OrgKind
    sites: tuple[SiteRole, ...]
    export: float = 0.0  # chance of EU GMP / FDA (/ WHO PQ) inspection per GMP site
    modality: str | None = None  # overrides the profiles' (vaccines)
    who_pq: bool = False


def _a(
    trade_zh: str,
    trade_en: str,
    slug: str,
    *sites: SiteRole,
    kind: OrgKind = OrgKind.PROVIDER,
    export: float = 0.0,
    modality: str | None = None,
    who_pq: bool = False,
) -> Archetype:
    return Archetype(trade_zh, trade_en, slug, kind, sites, export, modality, who_pq)


R, P, C = Tier.RD, Tier.PILOT, Tier.COMMERCIAL
API_PARKS = ("HE-CANGZHOU", "HE-SJZ", "TJ-TEDA")

# fmt: off
ARCHETYPES: dict[str, Archetype] = {
    "discovery": _a("医药科技", "Pharmaceutical Technology", "pharmatech",
        SiteRole(("DIS.CHM.MED",), ("DIS.CHM.CUS", "DIS.CHM.LIB", "DIS.BIO.TGT", "DIS.BIO.HTS",
                 "DIS.DMK.IVA", "DIS.DMK.IVP", "DIS.STR.CADD", "CMC.PRD.RTE"), (3, 6))),
    "structure": _a("结构生物科技", "Structural Biology", "structure",
        SiteRole(("DIS.STR.XRC",), ("DIS.STR.CADD", "SHR.INS", "DIS.BIO.TGT"), (2, 4))),
    "biologics_rd": _a("生物技术", "Biotechnology", "biotech",
        SiteRole(("DIS.BIO.ABD",), ("BIO.CLD.CHO", "BIO.CLD.POL", "DIS.BIO.TGT", "QC.REL.BCH",
                 "BIO.USP.FB"), (2, 5))),
    "preclinical": _a("新药研究", "Drug Research", "drugresearch",
        SiteRole(("PRE.TOX.RDT",), ("PRE.TOX.GEN", "PRE.TOX.DRT", "PRE.TOX.TK", "PRE.TOX.LOC",
                 "PRE.PHA.EFF", "PRE.PHA.SPH", "PRE.BAN.SML", "PRE.BAN.LBA", "DIS.DMK.IVP"),
                 (3, 5)),
        # Animal facilities outside central Beijing.
        SiteRole(("PRE.TOX.RDT",), ("SHR.ANI", "PRE.TOX.CAR"), (1, 2),
                 parks=("HE-SJZ", "TJ-TEDA", "BJ-DAXING"), chance=0.3)),
    "pharmacology": _a("生物医药科技", "Biomedical Technology", "biomed",
        SiteRole(("PRE.PHA.EFF",), ("DIS.DMK.IVP", "PRE.PHA.SPH", "SHR.ANI", "PRE.BAN.SML"),
                 (2, 4))),
    "bioanalysis": _a("检测技术", "Testing Technology", "testing",
        SiteRole(("PRE.BAN.SML",), ("PRE.BAN.LBA", "CLN.LAB", "QC.REL.CHM", "DIS.DMK.IVA"),
                 (2, 4))),
    "clinical_cro": _a("临床研究", "Clinical Research", "clinical",
        SiteRole(("CLN.OPS.P23",), ("CLN.OPS.PH1", "CLN.OPS.P4", "CLN.DMS.DM", "CLN.DMS.BST",
                 "CLN.DMS.MW", "CLN.PV", "REG.NMP", "CLN.SMO.CRC"), (3, 5)),
        SiteRole(("CLN.OPS.PH1",), (), (1, 1), parks=("BJ-BIOPARK", "TJ-TEDA"), chance=0.25)),
    "smo": _a("医药信息咨询", "Clinical Services", "smo",
        SiteRole(("CLN.SMO.CRC",), ("CLN.OPS.P4", "CLN.DMS.DM", "CLN.PV"), (2, 3))),
    "regulatory": _a("医药咨询", "Pharmaceutical Consulting", "consulting",
        SiteRole(("REG.NMP",), ("REG.FDA", "REG.EMA", "REG.AUD", "REG.MAH", "CLN.DMS.MW",
                 "CLN.PV"), (2, 5))),
    "cmc": _a("药物研发", "Pharmaceutical R&D", "pharmard",
        SiteRole(("CMC.PRD.RTE",), ("CMC.PRD.SCL", "CMC.PRD.SSF", "CMC.FRM.PRF", "CMC.FRM.ENB",
                 "CMC.FRM.FIH", "CMC.ANA.MDV", "CMC.ANA.IMP", "CMC.ANA.RS", "QC.STB.LT"),
                 (3, 6), P)),
    # R&D and pilot work in Beijing, the plant in Hebei ("production in Hebei").
    "cmc_to_api": _a("医药科技", "Pharmaceutical Technology", "pharmatech",
        SiteRole(("CMC.PRD.RTE",), ("CMC.PRD.SCL", "CMC.ANA.MDV", "CMC.ANA.IMP"), (2, 3), P),
        SiteRole(("API.SML.GMP",), ("API.SML.INT", "QC.REL.CHM"), (1, 3), C,
                 parks=("HE-CANGZHOU", "HE-SJZ"))),
    "api_cdmo": _a("药业", "Pharmaceutical", "pharma",
        SiteRole(("API.SML.GMP",), ("API.SML.INT", "API.SML.FLW", "API.HPA.CYT", "CMC.PRD.SCL",
                 "CMC.ANA.IMP", "QC.REL.CHM", "QC.STB.LT"), (3, 5), C),
        SiteRole(("API.SML.INT",), ("API.SML.GMP", "QC.REL.CHM"), (1, 2), C, parks=API_PARKS,
                 chance=0.3),
        export=0.5),
    "intermediates": _a("医药化工", "Pharmaceutical Chemicals", "chem",
        SiteRole(("API.SML.INT",), ("API.SML.GMP", "API.SML.FLW", "CMC.PRD.SCL"), (2, 4), C),
        export=0.2),
    "hpapi": _a("药业", "Pharmaceutical", "pharma",
        SiteRole(("API.HPA.CYT",), ("API.SML.GMP", "BIO.CPX.ADC", "CMC.ANA.IMP", "QC.REL.CHM"),
                 (2, 4), C),
        export=0.4),
    "peptide_oligo": _a("生物医药", "Biopharma", "biopharma",
        SiteRole(("API.PEP.SPS",), ("API.PEP.LPS", "API.OLI.ASO", "API.OLI.SIR", "CMC.ANA.MDV",
                 "QC.REL.CHM"), (2, 5), C),
        export=0.4),
    "biologics_cdmo": _a("生物制药", "Biopharmaceutical", "biologics",
        SiteRole(("BIO.USP.FB", "BIO.DSP.CAP"), ("BIO.CLD.CHO", "BIO.USP.PRF", "BIO.DSP.POL",
                 "BIO.CPX.BSP", "BIO.CPX.FUS", "BIO.CPX.ADC", "DP.STE.VIA", "QC.REL.BCH",
                 "QC.BSF.VCL"), (3, 5), C),
        SiteRole(("BIO.USP.FB",), ("BIO.DSP.POL", "DP.STE.VIA"), (1, 2), C, chance=0.3),
        export=0.4),
    "biologics_clinical": _a("生物科技", "Bioscience", "bio",
        SiteRole(("BIO.USP.FB",), ("BIO.CLD.CHO", "BIO.CLD.POL", "BIO.DSP.CAP", "BIO.DSP.POL",
                 "QC.REL.BCH", "DP.STE.VIA"), (3, 5), P),
        export=0.1),
    # Vaccine makers (MAHs of their own products) sell what their lines leave free.
    "vaccine": _a("生物制品", "Biological Products", "vaccines",
        SiteRole(("BIO.USP.FB",), ("BIO.USP.FER", "BIO.DSP.POL", "DP.STE.VIA", "DP.STE.LYO",
                 "QC.REL.MIC", "QC.BSF.ADV"), (3, 5), C),
        kind=OrgKind.BOTH, export=0.2, modality="vaccine", who_pq=True),
    "cell_therapy": _a("细胞科技", "Cell Technology", "cells",
        SiteRole(("CGT.CEL.CAR",), ("CGT.CEL.ALO", "CGT.CEL.STM", "CGT.VEC.LV", "QC.REL.MIC",
                 "QC.BSF.ADV"), (2, 4), P)),
    "gene_therapy": _a("基因科技", "Gene Technology", "genetech",
        SiteRole(("CGT.VEC.AAV",), ("CGT.VEC.LV", "CGT.VEC.PDN", "CGT.RNA.IVT", "CGT.RNA.LNP",
                 "QC.BSF.ADV"), (2, 4), P)),
    "osd": _a("制药", "Pharmaceutical Manufacturing", "pharmamfg",
        SiteRole(("DP.OSD.TAB",), ("DP.OSD.CAP", "DP.OSD.HPO", "PKG.PRI", "PKG.SEC", "PKG.SER",
                 "QC.STB.LT", "QC.STB.ACC", "QC.REL.CHM", "DP.CTM.PKL"), (3, 5), C),
        SiteRole(("DP.OSD.CAP",), ("PKG.SEC",), (1, 2), C, chance=0.2),
        export=0.3),
    "sterile": _a("制药", "Pharmaceutical Manufacturing", "pharmamfg",
        SiteRole(("DP.STE.VIA",), ("DP.STE.LYO", "DP.STE.PFS", "DP.SPC.CIJ", "QC.REL.MIC",
                 "PKG.SER"), (2, 5), C),
        export=0.3),
    "specialty_dp": _a("药业", "Pharmaceutical", "pharma",
        SiteRole((), ("DP.SPC.INH", "DP.SPC.TOP", "DP.SPC.CIJ", "CMC.FRM.ENB", "QC.REL.CHM"),
                 (2, 4), C)),
    "clinical_supplies": _a("医药供应链", "Clinical Supply", "supply",
        SiteRole(("DP.CTM.PKL",), ("DP.CTM.CMP", "DP.CTM.DST", "PKG.SEC", "PKG.SER"), (2, 4),
                 P)),
    "testing": _a("药品检测", "Pharmaceutical Testing", "qc",
        SiteRole(("QC.REL.CHM",), ("QC.REL.MIC", "QC.REL.BCH", "QC.STB.LT", "QC.STB.ACC",
                 "QC.STB.PHO", "QC.BSF.VCL", "CMC.ANA.MDV", "CMC.ANA.RS"), (3, 6), C)),
    "central_lab": _a("医学检验", "Medical Laboratory", "lab",
        SiteRole(("CLN.LAB",), ("PRE.BAN.LBA", "PRE.BAN.SML", "QC.REL.BCH"), (2, 3))),
    "shared_platform": _a("科技服务", "Technology Services", "platform",
        SiteRole(("SHR.INS",), ("SHR.PLT", "SHR.ANI", "DIS.STR.XRC", "CMC.ANA.MDV"), (2, 4), P)),
    "startup": _a("生物科技", "Biotech", "bio", SiteRole((), (), (0, 0)),
                  kind=OrgKind.REQUESTER),
    # A startup that rents out what its own pipeline leaves idle.
    "startup_sharing": _a("生物科技", "Biotech", "bio",
        SiteRole(("SHR.INS",), ("DIS.BIO.TGT", "DIS.CHM.CUS", "BIO.CLD.POL"), (2, 3)),
        kind=OrgKind.BOTH),
}

PARK_MIX: dict[str, dict[str, int]] = {
    "BJ-ZGC-LIFE": {"discovery": 3, "biologics_rd": 2, "structure": 1, "preclinical": 1,
                    "cmc_to_api": 1, "startup": 1, "startup_sharing": 1},
    "BJ-HAIDIAN": {"discovery": 1, "structure": 1, "clinical_cro": 2, "regulatory": 1,
                   "startup": 2},
    "BJ-FUTURE": {"discovery": 1, "cmc": 1, "shared_platform": 1, "biologics_rd": 1,
                  "startup": 1},
    "BJ-ETOWN": {"biologics_clinical": 2, "biologics_cdmo": 1, "cmc": 1, "cmc_to_api": 1,
                 "clinical_cro": 1, "sterile": 1, "testing": 1, "gene_therapy": 1,
                 "pharmacology": 1, "startup": 1, "startup_sharing": 1},
    "BJ-BIOPARK": {"clinical_cro": 1, "regulatory": 1, "smo": 1, "bioanalysis": 1, "startup": 1},
    "BJ-DAXING": {"vaccine": 3, "biologics_cdmo": 1, "preclinical": 1, "osd": 1,
                  "pharmacology": 1, "startup_sharing": 1},
    "BJ-DAXING-AIRPORT": {"clinical_supplies": 1, "testing": 1, "specialty_dp": 1},
    "TJ-TEDA": {"api_cdmo": 2, "peptide_oligo": 1, "biologics_cdmo": 1, "osd": 1, "hpapi": 1,
                "sterile": 1, "clinical_supplies": 1, "testing": 1},
    "TJ-BINHAI-HITECH": {"cell_therapy": 3, "gene_therapy": 1, "bioanalysis": 1, "startup": 1},
    "TJ-ECOCITY": {"central_lab": 1, "testing": 1, "bioanalysis": 1},
    "HE-SJZ": {"api_cdmo": 2, "osd": 2, "biologics_cdmo": 1, "sterile": 1, "intermediates": 1,
               "preclinical": 1},
    "HE-CANGZHOU": {"api_cdmo": 3, "intermediates": 2, "hpapi": 1, "peptide_oligo": 1,
                    "testing": 1},
}
# fmt: on
