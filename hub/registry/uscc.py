"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): format and check digit.

18 characters from 0-9 and A-Z without I, O, S, V, Z. The 18th is a check character:
31 - (Σ value(cᵢ)·wᵢ mod 31), with 31 written as 0. An organization's identity in the hub
is this number, never its name.
"""

from __future__ import annotations

from functools import lru_cache

from hub.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUE = {char: value for value, char in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


# An import names the same few organizations on thousands of rows: each valid code is
# checked once (a refused one is not cached, and is refused again with the same words).
@lru_cache(maxsize=1 << 16)
def normalize_uscc(text: str, field: str = "uscc") -> str:
    """The code upper-cased and checked; InvalidInput naming `field` when it is not valid."""
    code = text.strip().upper()
    if len(code) != 18:
        raise InvalidInput(
            f"{field}: a USCC has 18 characters, not {len(code)}",
            f"{field}：统一社会信用代码应为 18 位，而不是 {len(code)} 位",
            field=field,
        )
    wrong = sorted({c for c in code if c not in VALUE})
    if wrong:
        raise InvalidInput(
            f"{field}: characters {''.join(wrong)} cannot appear in a USCC",
            f"{field}：统一社会信用代码不能包含字符 {''.join(wrong)}",
            field=field,
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidInput(
            f"{field}: check digit is wrong ({code[17]}), the code has a typo",
            f"{field}：校验位 {code[17]} 不正确，代码有误",
            field=field,
        )
    return code
