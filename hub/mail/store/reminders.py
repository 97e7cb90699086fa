"""Cypher for the reminder scans: what is due now, for whom, not yet queued.

Each query returns one row per reminder and person (a RECIPIENT from audience.py, with the
template's values and the outbox key), leaving out those whose key is already in the
outbox: the key makes each reminder go at most once, whichever process scans, however
often. Times come as parameters (`$now`, `$today` in China time), so a scan can be run
for any moment.
"""

from __future__ import annotations

from typing import LiteralString

from hub.mail.store.audience import MEMBERS, RECIPIENT

ORGANIZATION_NAME: LiteralString = "{zh: o.name_zh, en: coalesce(o.name_en, o.name_zh)}"

# A routed match whose deadline is within 24 hours; not when it was routed with less
# than that to answer (the first message named the deadline).
DEADLINE_SOON: LiteralString = (
    """
MATCH (m:Match {status: 'routed'})
WHERE $now < m.deadline <= $now + duration({hours: 24})
  AND m.routed_at <= m.deadline - duration({hours: 24})
MATCH (m)-[:FOR]->(r:Request)
MATCH (o:Organization {uscc: m.uscc})
"""
    + MEMBERS
    + """
  AND NOT 'deadline_soon' IN coalesce(p.muted_notifications, [])
WITH m, r, o, p, 'deadline_soon:' + m.id + ':' + p.id AS key
WHERE NOT EXISTS { MATCH (:MailMessage {key: key}) }
RETURN key, """
    + RECIPIENT
    + """ AS person,
       {organization_name: """
    + ORGANIZATION_NAME
    + """, request_title: r.title, match_id: m.id,
        deadline: toString(m.deadline)} AS values
ORDER BY m.deadline, key LIMIT $limit
"""
)

# An active certificate ending within 90 days: a reminder at 90 days, another at 30. A
# renewal (a new end) starts over.
CERTIFICATE_EXPIRING: LiteralString = (
    """
MATCH (c:Certificate)
WHERE $today <= c.valid_to <= $today + duration({days: 90}) AND coalesce(c.active, true)
MATCH (o:Organization)-[:HOLDS]->(c)
WITH c, o, duration.inDays($today, c.valid_to).days AS days
WITH c, o, days, CASE WHEN days <= 30 THEN 30 ELSE 90 END AS stage
"""
    + MEMBERS
    + """
  AND NOT 'certificate_expiring' IN coalesce(p.muted_notifications, [])
WITH c, o, p, days,
     'certificate_expiring:' + c.id + ':' + toString(c.valid_to) + ':' + toString(stage)
     + ':' + p.id AS key
WHERE NOT EXISTS { MATCH (:MailMessage {key: key}) }
RETURN key, """
    + RECIPIENT
    + """ AS person,
       {organization_name: """
    + ORGANIZATION_NAME
    + """, authority: c.authority, number: c.number,
        valid_to: toString(c.valid_to), days: days} AS values
ORDER BY c.valid_to, key LIMIT $limit
"""
)

# A firm with capacity published for now or later whose last confirmation of any of its
# capacity is 30 days old: one reminder per stretch (the key holds that confirmation).
CAPACITY_UNCONFIRMED: LiteralString = (
    """
MATCH (b:CapacityBucket) WHERE b.confirmed_at IS NOT NULL
WITH split(b.owner_id, '/')[0] AS uscc, max(b.confirmed_at) AS last, max(b.end) AS until
WHERE until > $now AND last < $now - duration({days: 30})
MATCH (o:Organization {uscc: uscc})
"""
    + MEMBERS
    + """
  AND NOT 'capacity_unconfirmed' IN coalesce(p.muted_notifications, [])
WITH o, p, last,
     'capacity_unconfirmed:' + o.uscc + ':' + toString(date(last)) + ':' + p.id AS key
WHERE NOT EXISTS { MATCH (:MailMessage {key: key}) }
RETURN key, """
    + RECIPIENT
    + """ AS person,
       {organization_name: """
    + ORGANIZATION_NAME
    + """, last_confirmed: toString(last)} AS values
ORDER BY key LIMIT $limit
"""
)
