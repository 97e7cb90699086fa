"""Turning what a person typed into a Lucene query for the `cjk` full-text indexes.

The cjk analyzer indexes Chinese as overlapping bigrams: 冻干灌装 → 冻干, 干灌, 灌装. A
two-character query is one bigram and matches well; a single character is no bigram and
matches nothing, so a lone character becomes a prefix query (冻 → 冻*), which matches every
bigram that starts with it. Lucene's operators are escaped: the text is data, not syntax.
"""

from __future__ import annotations

import re

LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
MAX_QUERY_LENGTH = 200


def fulltext_query(text: str) -> str | None:
    """The Lucene query for `text`, or None when nothing searchable is left."""
    words = text.strip()[:MAX_QUERY_LENGTH].split()
    terms = [LUCENE_SPECIAL.sub(r"\\\1", word) for word in words]
    terms = [t + "*" if len(t) == 1 or _is_short_latin(t) else t for t in terms if t]
    return " AND ".join(terms) or None


def _is_short_latin(term: str) -> bool:
    """Short Latin words are searched as prefixes too (`lyo` finds `Lyophilisation`)."""
    return term.isascii() and term.isalnum() and len(term) <= 4
