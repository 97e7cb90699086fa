"""Text as the park network's exports write it: valid whatever is stored, and inert.

Stored names come from members and imports; the registry refuses control characters at
input, but older data, direct writes or a missed path may still hold them, and an
export must stay valid anyway. Every text value of every export (GraphML, JSON, CSV)
passes through `exported` once (hub.network.export), so there is one rule:

- characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage
  return, such as NUL and ESC; lone surrogates; U+FFFE and U+FFFF) are replaced by
  U+FFFD, the replacement character: the GraphML stays well-formed XML, and the JSON
  and CSV say the same as it;
- a CSV cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return, which Excel,
  WPS and LibreOffice would read as a formula, gets a single quote in front (OWASP's CSV
  injection advice), and the CSV writer quotes every text cell. Numbers the hub computed
  (a negative figure, say) are written as numbers, untouched.
"""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exported(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def exported_all(texts: list[str]) -> list[str]:
    """Each of `texts` as `exported` has it: one scan of them all for the usual case, where
    none holds a forbidden character (a large network's export has tens of thousands)."""
    if _NOT_XML.search("\n".join(texts)) is None:
        return texts
    return [exported(t) for t in texts]


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character is quoted."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
