"""GraphQL answers as the hub writes them on the wire: compact JSON, UTF-8 text kept as
text, a client's lone surrogate (sent as the escape \\ud800, quoted back in a message)
written back escaped, as it came, since it cannot be UTF-8."""

from __future__ import annotations

import json
import re

LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # pairs were joined by json.loads


def encode(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
