"""Fictional identities for generated firms, marked so that nobody takes them for real ones.

Names end in （虚构） / (fictional) and are built from invented trade names (字号), never a
real firm's. Registry numbers are valid in form (GB 32100 check character) but come from a
recognisable range: the organization code part starts with MAHU.

    USCC     91 + division of the park + MAHU + serial + check character
             demo:      serial B + D + three digits        91110115MAHUBD001 + check
             synthetic: serial seed character + 4 drawn    91130900MAHU30A1K + check
    FDA FEI  999xxxxxxx (demo), 998xxxxxxx (synthetic)

A synthetic serial starts with a character standing for the seed (seed mod 30, never B),
so networks of two seeds (1 to 30, say) never share a firm; the other four characters
are drawn without replacement, so firms of one network never share one either.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from hub.reference.model import Park, Region
from hub.registry.uscc import ALPHABET, check_character

# First and second characters of invented 字号, with their pinyin. Chosen to avoid the
# trade names of the region's well-known pharmaceutical firms.
FIRST = (
    ("澄", "Cheng"), ("汀", "Ting"), ("砚", "Yan"), ("朔", "Shuo"), ("霁", "Ji"),
    ("栖", "Qi"), ("曜", "Yao"), ("沐", "Mu"), ("樾", "Yue"), ("渚", "Zhu"),
    ("棠", "Tang"), ("岑", "Cen"), ("溯", "Su"), ("珩", "Heng"), ("篁", "Huang"),
)  # fmt: skip
SECOND = (
    ("川", "chuan"), ("岫", "xiu"), ("芷", "zhi"), ("岚", "lan"), ("禾", "he"),
    ("麓", "lu"), ("澈", "che"), ("峤", "qiao"), ("棣", "di"), ("翎", "ling"),
    ("蘅", "heng"), ("砾", "li"),
)  # fmt: skip

# Registration divisions (GB/T 2260) of the district each park lies in.
DIVISION = {
    "BJ-ETOWN": "110115",
    "BJ-BIOPARK": "110115",
    "BJ-DAXING": "110115",
    "BJ-DAXING-AIRPORT": "110115",
    "BJ-ZGC-LIFE": "110114",
    "BJ-FUTURE": "110114",
    "BJ-HAIDIAN": "110108",
    "TJ-TEDA": "120116",
    "TJ-BINHAI-HITECH": "120116",
    "TJ-ECOCITY": "120116",
    "HE-SJZ": "130100",
    "HE-CANGZHOU": "130900",
}
PROVINCE = {Region.BEIJING: "京", Region.TIANJIN: "津", Region.HEBEI: "冀"}
PLACE = {Region.BEIJING: ("北京", "Beijing"), Region.TIANJIN: ("天津", "Tianjin")}
SYNTHETIC_SERIALS = len(ALPHABET) ** 4  # 923,521 per seed, for up to 50,000 firms
SEED_CHARACTERS = ALPHABET.replace("B", "")  # B starts the demo's serials


@dataclass(frozen=True)
class Identity:
    """Who a generated firm is: its registry numbers and names (without the trade)."""

    uscc: str
    fei: str
    brand_zh: str
    brand_en: str
    province: str  # 京, 津 or 冀: the prefix of its licence numbers

    @property
    def tag(self) -> str:
        """Division and serial: unique per firm, used in its certificate numbers."""
        return self.uscc[2:8] + self.uscc[10:17]


def stream(name: str) -> Random:
    """A reproducible random stream: the same name, the same draws, on any machine."""
    return Random(name)  # noqa: S311 - fictional test data, not secrets


def uscc(division: str, serial: str) -> str:
    first17 = f"91{division}MAHU{serial}"
    return first17 + check_character(first17)


def demo_serial(n: int) -> str:
    return f"BD{n:03d}"


def synthetic_serials(seed: int, count: int) -> list[int]:
    """`count` distinct serials drawn by `seed`: another seed, other firms."""
    return stream(f"synthetic-serials/{seed}").sample(range(SYNTHETIC_SERIALS), count)


def synthetic_serial(seed: int, number: int) -> str:
    digits = []
    for _ in range(4):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return SEED_CHARACTERS[seed % len(SEED_CHARACTERS)] + "".join(reversed(digits))


def brand(rng: Random) -> tuple[str, str]:
    (zh1, en1), (zh2, en2) = rng.choice(FIRST), rng.choice(SECOND)
    return zh1 + zh2, en1 + en2


def brands() -> list[tuple[str, str]]:
    """Every invented 字号, in a fixed order (180, enough for a demo of 120 firms)."""
    return [(a + b, pa + pb) for a, pa in FIRST for b, pb in SECOND]


def place(park: Park) -> tuple[str, str]:
    """The place in a firm's name: the city for Hebei, the municipality otherwise."""
    if park.region is Region.HEBEI:
        return park.city_zh.removesuffix("市"), park.city_en
    return PLACE[park.region]


def identity(park: Park, serial: str, fei: str, brand_pair: tuple[str, str]) -> Identity:
    return Identity(
        uscc=uscc(DIVISION[park.code], serial),
        fei=fei,
        brand_zh=brand_pair[0],
        brand_en=brand_pair[1],
        province=PROVINCE[park.region],
    )
