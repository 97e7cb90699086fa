"""Which money figures of the park network a caller sees: admins all, operators none.

The rule: a figure computed from prices (an awarded quote, a sum of quotes) is given to
admins only. A park operator gets counts (engagements, edge weights, sizes) and no money
figure at all, whatever the scope and filters; the value fields are null for operators in
GraphQL and in every export.

Why not a total with a threshold (the former "total only from 3 engagements on"): an
exact sum over a set of engagements the caller chooses by filters can be differenced.
The filters (parks, region, capability branch, organization kinds, any start and end day)
give many overlapping sets, and two of them that differ by one engagement, each above
any threshold, give that engagement's price as the difference of their totals (issue 13:
`start: 2019-01-01` minus `start: 2025-07-01`). No threshold on each side prevents it.
Totals over fixed, non-overlapping periods instead of free filters would still leak over
time: the total of a period moves by exactly one price when one award in it is made or
cancelled, and an operator may simply ask before and after. Coarse bands leak less but
not nothing (a band changing after one award bounds that price). The only figure safe
against differencing across filters and across time is none, so operators get none.
"""

from __future__ import annotations

from hub.network.model import Scope


def shown_money(scope: Scope, amount: float) -> float | None:
    """`amount` (CNY, rounded to the fen) for a caller with full access; None otherwise."""
    return round(amount, 2) if scope.full_access else None
