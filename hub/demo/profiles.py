"""What a plausible offering of each capability looks like, as data, for generated firms.

`PROFILES` maps a capability to a plausible offering of it: engagement scale, capacity per
period, GMP grades, lead time, and the equipment it runs on (`hub.demo.archetypes`
says which firms offer what). Figures follow ../shared/DOMAIN.md §1 and §4 where it gives
them (2,000 L single-use bioreactors, 15-16-day fed-batch, HPAPI reactors up to 3,000 L,
400 vials/min lines, oligo synthesisers up to thousands of mmol); the rest are
industry-practice estimates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from hub.registry.model import GmpGrade

NON_GMP, GLP = GmpGrade.NON_GMP, GmpGrade.GLP
CLINICAL, COMMERCIAL = GmpGrade.GMP_CLINICAL, GmpGrade.GMP_COMMERCIAL


@dataclass(frozen=True)
class EquipmentSpec:
    """A kind of asset; a site holds one group of it (`count` alike units of one size)."""

    prefix: str  # asset tag prefix: SUB-2000-01
    type_en: str
    type_zh: str
    sizes: tuple[float, ...] = ()  # smallest first; empty when size means nothing
    size_unit: str | None = None
    count: tuple[int, int] = (1, 1)
    shareable: bool = False  # others may book it by the hour (大型仪器共享)


class Basis(StrEnum):
    """Where an offering's full capacity per period comes from."""

    RANGE = "range"  # drawn from Profile.capacity (people, samples, studies...)
    VOLUME = "volume"  # first equipment's size x count x cycles (litres, m³, mmol)
    UNITS = "units"  # first equipment's count x cycles (instrument hours, suites)


@dataclass(frozen=True)
class Profile:
    """A plausible offering of one capability, in the capability's taxonomy unit.

    `capacity` (RANGE basis) is the full capacity of one period (a week for weekly units,
    else a month); a published bucket is only its spare share.
    """

    scale_min: tuple[float, float]
    scale_max: tuple[float, float]
    grades: tuple[GmpGrade, ...]
    lead_days: tuple[int, int]
    equipment: tuple[EquipmentSpec, ...] = ()
    capacity: tuple[float, float] = (0.0, 0.0)
    basis: Basis = Basis.RANGE
    cycles: float = 1.0  # batches (or hours) per equipment unit per period
    modality: tuple[str, ...] = ()
    leaf_equipment: Mapping[str, tuple[EquipmentSpec, ...]] = field(default_factory=dict)


def _eq(
    prefix: str,
    en: str,
    zh: str,
    sizes: tuple[float, ...] = (),
    unit: str | None = None,
    count: tuple[int, int] = (1, 1),
    shareable: bool = False,
) -> EquipmentSpec:
    return EquipmentSpec(prefix, en, zh, sizes, unit, count, shareable)


# Equipment, by what it is (sizes per DOMAIN.md §1/§4 where given).
FUME_HOOD = _eq("FH", "fume hood", "通风橱", count=(20, 120))
LCMS = _eq("LCMS", "LC-MS", "液质联用仪", count=(2, 8))
QQQ = _eq("QQQ", "LC-MS/MS (triple quadrupole)", "三重四极杆液质联用仪", count=(2, 12))
HRMS = _eq("HRMS", "high-resolution mass spectrometer", "高分辨质谱仪", shareable=True)
NMR = _eq("NMR", "NMR spectrometer", "核磁共振波谱仪", (400, 600, 800), "MHz", shareable=True)
CRYO_EM = _eq("CEM", "cryo-electron microscope", "冷冻电镜", (200, 300), "kV", shareable=True)
XRAY = _eq("XRD", "single-crystal X-ray diffractometer", "单晶X射线衍射仪", shareable=True)
GPU = _eq("GPU", "GPU compute cluster", "GPU 计算集群", (32, 64, 128, 256), "GPU")
HTS = _eq("HTS", "automated HTS workcell", "自动化高通量筛选工作站", count=(1, 3))
READER = _eq("PR", "multimode plate reader", "多功能酶标仪", count=(2, 8))
SPR = _eq("SPR", "surface plasmon resonance system", "表面等离子共振仪", count=(1, 2))
LIQUID = _eq("LH", "liquid-handling robot", "自动移液工作站", count=(1, 4))
RODENT = _eq("AR-R", "animal room (rodent, barrier)", "啮齿类屏障动物房", (60, 120), "m²", (4, 24))
DOG = _eq("AR-D", "animal room (dog)", "犬动物房", (80, 150), "m²", (2, 8))
NHP = _eq("AR-P", "animal room (non-human primate)", "非人灵长类动物房", (80, 150), "m²", (2, 10))
TELEMETRY = _eq("TEL", "implantable telemetry system", "植入式遥测系统", count=(1, 2))
HISTO = _eq("HIS", "histopathology laboratory", "组织病理实验室")
ECL = _eq("ECL", "ligand-binding assay platform (ECL)", "电化学发光免疫分析平台", count=(1, 4))
BEDS = _eq("BED", "phase I unit bed", "I期病房床位", count=(20, 80))
CHEM_AN = _eq("CHEM", "clinical chemistry analyser", "生化分析仪", count=(2, 6))
HEM_AN = _eq("HEM", "haematology analyser", "血液分析仪", count=(2, 6))
FREEZER = _eq("ULT", "-80 °C freezer", "-80 °C 超低温冰箱", count=(10, 60))
LAB_REACTOR = _eq("LR", "jacketed lab reactor", "夹套玻璃反应釜", (5, 20, 50, 100), "L", (2, 8))
XRPD = _eq("XRPD", "X-ray powder diffractometer", "X射线粉末衍射仪")
DSC = _eq("DSC", "differential scanning calorimeter", "差示扫描量热仪")
SPRAY = _eq("SD", "spray dryer", "喷雾干燥机", (1, 5, 20), "kg/h")
HME = _eq("HME", "hot-melt extruder", "热熔挤出机", (12, 18, 27), "mm")
HPLC = _eq("HPLC", "HPLC", "高效液相色谱仪", count=(5, 40))
GC = _eq("GC", "gas chromatograph", "气相色谱仪", count=(2, 6))
ICPMS = _eq("ICPMS", "ICP-MS", "电感耦合等离子体质谱仪")
GLASS = _eq("GLR", "glass-lined reactor", "搪玻璃反应釜", (1, 2, 3, 5, 6.3, 8, 10), "m³", (4, 16))
STEEL = _eq("SSR", "stainless-steel reactor", "不锈钢反应釜", (1, 2, 3, 5), "m³", (2, 6))
HASTELLOY = _eq("HCR", "Hastelloy reactor", "哈氏合金反应釜", (0.5, 1, 2), "m³", (1, 3))
FLOW = _eq("FLW", "continuous-flow reactor", "连续流反应器", (0.5, 2, 10), "L", (1, 4))
CONTAINED = _eq(
    "CRX",
    "contained reactor (OEB5 isolator)",
    "隔离器密闭反应釜（OEB5）",
    (50, 100, 250, 500, 1000, 2000, 3000),
    "L",
    (1, 4),
)
ISOLATOR = _eq("ISO", "OEB5 isolator", "OEB5 隔离器", count=(1, 4))
SPPS = _eq(
    "SPPS", "SPPS reactor", "固相多肽合成反应釜", (10, 50, 200, 500, 1000, 3000), "L", (1, 6)
)
PREP_HPLC = _eq(
    "PHPLC", "preparative HPLC column", "制备液相色谱柱", (15, 30, 45, 60), "cm", (1, 4)
)
LYO = _eq("LYO", "lyophiliser", "冻干机", (5, 10, 20, 30, 40), "m²", (1, 4))
OLIGO = _eq(
    "OLS",
    "oligonucleotide synthesiser",
    "寡核苷酸合成仪",
    (10, 100, 600, 1200, 2400),
    "mmol",
    (1, 4),
)
SUB = _eq("SUB", "single-use bioreactor", "一次性生物反应器", (200, 500, 1000, 2000), "L", (1, 6))
VECTOR_SUB = _eq(
    "SUB", "single-use bioreactor", "一次性生物反应器", (50, 200, 500, 2000), "L", (1, 4)
)
FERMENTER = _eq(
    "FER", "microbial fermenter", "微生物发酵罐", (100, 500, 1000, 3000, 5000), "L", (1, 4)
)
MICRO_BR = _eq("MBR", "micro-bioreactor array", "微型生物反应器阵列", (24, 48), "vessels")
CLONING = _eq("CLI", "single-cell cloning imager", "单克隆成像系统")
CHROM = _eq("CHR", "chromatography skid", "层析系统", count=(1, 4))
TFF = _eq("TFF", "tangential-flow filtration system", "切向流过滤系统", count=(1, 3))
CONJ = _eq("CONJ", "conjugation vessel", "偶联反应罐", (10, 50, 100, 200), "L", (1, 3))
SUITE = _eq("CRS", "grade B cleanroom suite", "B级洁净车间", count=(2, 12))
CELL_PROC = _eq("CPS", "closed cell-processing system", "全封闭细胞制备系统", count=(2, 10))
LN2 = _eq("LN2", "liquid-nitrogen storage", "液氮储存系统", count=(2, 8))
IVT = _eq("IVT", "IVT reactor", "体外转录反应器", (1, 5, 20, 50), "L", (1, 3))
LNP_MIXER = _eq("LNP", "microfluidic LNP mixer", "微流控脂质纳米粒制备系统", count=(1, 3))
PRESS = _eq("TAB", "rotary tablet press", "旋转式压片机", count=(2, 8))
GRANULATOR = _eq("HSG", "high-shear granulator", "高剪切湿法制粒机", (150, 300, 600), "L", (1, 4))
COATER = _eq("COAT", "tablet coater", "包衣机", count=(1, 4))
ENCAPSULATOR = _eq("CAPF", "capsule filler", "胶囊填充机", count=(1, 4))
VIAL_LINE = _eq(
    "VFL", "vial filling line", "西林瓶灌装线", (3000, 6000, 12000, 24000), "vials/h", (1, 3)
)
PFS_LINE = _eq(
    "PFSL", "prefilled-syringe filling line", "预灌封注射器灌装线", (3000, 6000), "units/h"
)
INHALER = _eq("INH", "inhaler filling line", "吸入制剂灌装线")
EMULSIFIER = _eq("TOPM", "vacuum emulsifying mixer", "真空均质乳化机", (100, 500, 1000), "L")
LIPOSOME = _eq("LIPO", "liposome/microsphere process train", "脂质体/微球制备线")
BLISTER = _eq("BLS", "blister packaging line", "泡罩包装线", count=(1, 4))
CARTONER = _eq("CTN", "cartoner", "装盒机", count=(1, 4))
SERIALISER = _eq("SER", "serialisation line", "药品追溯赋码线", count=(1, 3))
COLD = _eq("COLD", "2-8 °C GMP store", "2-8 °C GMP 冷库", (200, 500, 1000), "m³")
LABELLER = _eq("LBL", "clinical label printer", "临床标签打印系统")
CHAMBER = _eq(
    "STB", "walk-in stability chamber", "步入式稳定性试验箱", (8, 12, 20, 30), "m³", (2, 10)
)
PHOTO = _eq("PHO", "photostability cabinet", "光照稳定性试验箱", count=(1, 3))
STERILITY = _eq("STI", "sterility-test isolator", "无菌检查隔离器", count=(1, 3))
CE = _eq("CE", "capillary electrophoresis system", "毛细管电泳仪", count=(1, 3))
BSL2 = _eq("VCL", "BSL-2 viral clearance laboratory", "BSL-2 病毒清除验证实验室")
QPCR = _eq("QPCR", "qPCR system", "荧光定量PCR仪", count=(2, 6))
PILOT = _eq("PLT", "pilot plant suite", "中试车间", (100, 500, 1000), "L", (1, 3), shareable=True)

SMALL_MOLECULE = ("small molecule",)
ANTIBODY = ("monoclonal antibody", "bispecific antibody", "fusion protein")

# One line per capability family: scale_min and scale_max of an engagement, GMP grades
# (the first is the usual one), lead time in days, equipment (the first sizes capacity
# on the VOLUME and UNITS bases), full capacity per period on the RANGE basis.
# fmt: off
PROFILES: dict[str, Profile] = {
    "DIS.CHM": Profile((1, 3), (10, 40), (NON_GMP,), (14, 42), (FUME_HOOD, LCMS, NMR),
                       (20, 200), modality=SMALL_MOLECULE),
    "DIS.BIO": Profile((200, 1000), (10_000, 100_000), (NON_GMP,), (10, 35),
                       (HTS, READER, SPR), (20_000, 300_000),
                       modality=("small molecule", "monoclonal antibody")),
    "DIS.STR": Profile((4, 16), (200, 800), (NON_GMP,), (7, 30), (CRYO_EM, XRAY, GPU),
                       basis=Basis.UNITS, cycles=600,
                       leaf_equipment={"DIS.STR.CADD": (GPU,)}),
    "DIS.DMK": Profile((5, 10), (50, 200), (NON_GMP,), (7, 21), (QQQ, LIQUID), (40, 400),
                       modality=SMALL_MOLECULE, leaf_equipment={"DIS.DMK.IVP": (QQQ, RODENT)}),
    "PRE.PHA": Profile((1, 1), (3, 10), (NON_GMP, GLP), (21, 60), (RODENT, TELEMETRY), (4, 20)),
    "PRE.TOX": Profile((1, 1), (2, 8), (GLP,), (30, 90), (RODENT, DOG, NHP, HISTO), (2, 12)),
    "PRE.BAN": Profile((50, 200), (5_000, 30_000), (GLP, NON_GMP), (14, 30), (QQQ, ECL),
                       (3_000, 60_000)),
    "CLN.OPS": Profile((2, 4), (20, 60), (NON_GMP,), (21, 60), (), (30, 300),
                       leaf_equipment={"CLN.OPS.PH1": (BEDS,)}),
    "CLN.SMO": Profile((1, 2), (10, 40), (NON_GMP,), (14, 30), (), (50, 500)),
    "CLN.DMS": Profile((1, 2), (6, 20), (NON_GMP,), (14, 30), (), (10, 120)),
    "CLN.LAB": Profile((100, 500), (5_000, 20_000), (NON_GMP,), (14, 30),
                       (CHEM_AN, HEM_AN, FREEZER), (10_000, 80_000)),
    "CLN.PV": Profile((20, 100), (500, 3_000), (NON_GMP,), (7, 21), (), (500, 10_000)),
    "CMC.PRD": Profile((1, 3), (8, 30), (NON_GMP,), (14, 45), (LAB_REACTOR, HPLC), (10, 120),
                       modality=SMALL_MOLECULE, leaf_equipment={"CMC.PRD.SSF": (XRPD, DSC)}),
    "CMC.FRM": Profile((1, 3), (6, 24), (NON_GMP, CLINICAL), (14, 45), (SPRAY, HME, HPLC),
                       (10, 80)),
    "CMC.ANA": Profile((1, 2), (6, 20), (NON_GMP, CLINICAL), (14, 45), (HPLC, GC, LCMS, ICPMS),
                       (3, 30)),
    # Plants: capacity is the reactors' volume times batches a month; an engagement up to
    # a month of the whole plant.
    "API.SML": Profile((0.5, 2), (0, 0), (COMMERCIAL, CLINICAL), (45, 120),
                       (GLASS, STEEL, HASTELLOY), basis=Basis.VOLUME, cycles=3,
                       modality=SMALL_MOLECULE, leaf_equipment={"API.SML.FLW": (GLASS, FLOW)}),
    "API.HPA": Profile((20, 100), (0, 0), (CLINICAL, COMMERCIAL), (60, 150),
                       (CONTAINED, ISOLATOR), basis=Basis.VOLUME, cycles=2, modality=("HPAPI",)),
    "API.PEP": Profile((10, 50), (0, 0), (CLINICAL, COMMERCIAL, NON_GMP), (45, 120),
                       (SPPS, PREP_HPLC, LYO), basis=Basis.VOLUME, cycles=1.5,
                       modality=("peptide",)),
    "API.OLI": Profile((1, 10), (0, 0), (CLINICAL, COMMERCIAL, NON_GMP), (45, 120),
                       (OLIGO, PREP_HPLC), basis=Basis.VOLUME, cycles=8),
    "BIO.CLD": Profile((1, 1), (2, 6), (NON_GMP, CLINICAL), (14, 45), (MICRO_BR, CLONING),
                       (1, 6), modality=ANTIBODY),
    # Fed-batch runs 15-16 days: two batches a month per bioreactor.
    "BIO.USP": Profile((50, 200), (0, 0), (CLINICAL, COMMERCIAL, NON_GMP), (60, 180),
                       (SUB, MICRO_BR), basis=Basis.VOLUME, cycles=2, modality=ANTIBODY,
                       leaf_equipment={"BIO.USP.FER": (FERMENTER,)}),
    "BIO.DSP": Profile((0.05, 0.2), (2, 8), (CLINICAL, COMMERCIAL), (60, 150), (CHROM, TFF),
                       (2, 40), modality=ANTIBODY),
    "BIO.CPX": Profile((0.01, 0.1), (0.5, 2), (CLINICAL, COMMERCIAL), (60, 150),
                       (CONJ, ISOLATOR, TFF), (0.5, 5)),
    "CGT.VEC": Profile((50, 200), (0, 0), (CLINICAL, NON_GMP, COMMERCIAL), (60, 360),
                       (VECTOR_SUB, TFF), basis=Basis.VOLUME, cycles=1.5,
                       leaf_equipment={"CGT.VEC.PDN": (FERMENTER, CHROM)}),
    "CGT.CEL": Profile((1, 2), (5, 20), (CLINICAL, COMMERCIAL), (30, 120),
                       (SUITE, CELL_PROC, LN2), basis=Basis.UNITS, cycles=4),
    "CGT.RNA": Profile((0.5, 5), (50, 500), (CLINICAL, NON_GMP), (30, 90),
                       (IVT, LNP_MIXER, TFF), (20, 2000)),
    "DP.OSD": Profile((50_000, 500_000), (20e6, 500e6), (COMMERCIAL, CLINICAL), (45, 120),
                      (PRESS, GRANULATOR, COATER), (20e6, 400e6), modality=SMALL_MOLECULE,
                      leaf_equipment={"DP.OSD.CAP": (ENCAPSULATOR, GRANULATOR),
                                      "DP.OSD.HPO": (PRESS, ISOLATOR)}),
    # A filling line's capacity is its free speed (vials per hour).
    "DP.STE": Profile((500, 2000), (0, 0), (COMMERCIAL, CLINICAL), (60, 150),
                      (VIAL_LINE, ISOLATOR), basis=Basis.VOLUME, cycles=1,
                      leaf_equipment={"DP.STE.LYO": (VIAL_LINE, LYO),
                                      "DP.STE.PFS": (PFS_LINE, ISOLATOR)}),
    "DP.SPC": Profile((10_000, 100_000), (5e6, 50e6), (COMMERCIAL, CLINICAL), (60, 150),
                      (LIPOSOME,), (0.5e6, 10e6),
                      leaf_equipment={"DP.SPC.INH": (INHALER,), "DP.SPC.TOP": (EMULSIFIER,)}),
    "DP.CTM": Profile((50, 200), (2_000, 10_000), (CLINICAL,), (14, 45),
                      (BLISTER, LABELLER, COLD), (2_000, 30_000),
                      leaf_equipment={"DP.CTM.DST": (COLD,)}),
    "QC.REL": Profile((1, 10), (200, 2_000), (COMMERCIAL, CLINICAL), (7, 30), (HPLC, GC),
                      (300, 5_000), leaf_equipment={"QC.REL.MIC": (STERILITY,),
                                                    "QC.REL.BCH": (CE, HPLC, LCMS)}),
    # Chambers are booked in year-long blocks (ICH Q1A): capacity is free chamber volume.
    "QC.STB": Profile((0.05, 0.5), (0, 0), (COMMERCIAL,), (7, 30), (CHAMBER, PHOTO),
                      basis=Basis.VOLUME, cycles=1),
    "QC.BSF": Profile((1, 1), (2, 6), (CLINICAL, COMMERCIAL), (30, 90), (BSL2, QPCR), (1, 6)),
    "PKG": Profile((50_000, 200_000), (5e6, 50e6), (COMMERCIAL,), (21, 60),
                   (BLISTER, CARTONER), (1e6, 30e6),
                   leaf_equipment={"PKG.SER": (SERIALISER, CARTONER)}),
    "REG": Profile((0.5, 1), (3, 12), (NON_GMP,), (7, 30), (), (5, 60)),
    "SHR.INS": Profile((1, 4), (100, 400), (NON_GMP,), (2, 14), (NMR, CRYO_EM, HRMS),
                       basis=Basis.UNITS, cycles=400),
    "SHR.PLT": Profile((24, 72), (300, 720), (NON_GMP, CLINICAL), (14, 45), (PILOT,),
                       basis=Basis.UNITS, cycles=500),
    "SHR.ANI": Profile((24, 100), (500, 2_000), (NON_GMP,), (7, 30), (RODENT,),
                       basis=Basis.UNITS, cycles=500),
}
# fmt: on

# Leaves whose modality is the leaf itself, whatever the profile says.
LEAF_MODALITY: dict[str, str] = {
    "API.HPA.CYT": "cytotoxic/ADC payload",
    "API.OLI.ASO": "antisense oligonucleotide",
    "API.OLI.SIR": "siRNA",
    "BIO.CPX.ADC": "antibody-drug conjugate",
    "BIO.CPX.BSP": "bispecific antibody",
    "BIO.CPX.FUS": "fusion protein",
    "BIO.USP.FER": "recombinant protein (microbial)",
    "CGT.VEC.AAV": "AAV",
    "CGT.VEC.LV": "lentivirus",
    "CGT.VEC.PDN": "plasmid DNA",
    "CGT.CEL.CAR": "autologous CAR-T",
    "CGT.CEL.ALO": "allogeneic NK/T cells",
    "CGT.CEL.STM": "stem cells",
    "CGT.RNA.IVT": "mRNA",
    "CGT.RNA.LNP": "mRNA-LNP",
}
