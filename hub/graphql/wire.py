"""GraphQL answers as the hub writes them on the wire: compact JSON in UTF-8, text kept
as text, a client's lone surrogate (sent as the escape \\ud800, quoted back in a message)
written back escaped, as it came, since it cannot be UTF-8.

orjson writes the answer (about ten times faster than the standard library for the wide
answers of the registry's reads); what it refuses, a lone surrogate or an integer beyond
64 bits, is written by the standard library as before. The two write the same text but
for a float's exponent (`1e16` against `1e+16`), the same number to any JSON reader.
"""

from __future__ import annotations

import json
import re

import orjson

LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # pairs were joined by json.loads


def encode(data: object) -> bytes:
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode()
