"""A small fictional provider with one of everything, as raw rows (as an import reads them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests import factories

USCC = factories.uscc(1001)


def rows(uscc: str = USCC) -> dict[str, list[dict[str, Any]]]:
    return {
        "organizations": [
            {
                "uscc": uscc,
                "name_zh": "亦庄示例生物制剂有限公司（虚构）",
                "name_en": "E-Town Example Biologics Co. (fictional)",
                "kind": "provider",
                "parks": "BJ-ETOWN",
                "contact_email": "bd@example.test",
                "fictional": "true",
                "internal_note": "key account",
            }
        ],
        "sites": [
            {
                "uscc": uscc,
                "site": "yz-1",
                "name_zh": "亦庄一厂",
                "name_en": "Yizhuang plant 1",
                "address": "北京经济技术开发区示例路1号",
                "city": "北京",
                "district": "大兴区",
                "lat": 39.79,
                "lon": 116.51,
                "park": "BJ-ETOWN",
            }
        ],
        "equipment": [
            {
                "uscc": uscc,
                "site": "yz-1",
                "tag": "SUB-2000-01",
                "type": "single-use bioreactor",
                "size": 2000,
                "size_unit": "L",
                "grade": "gmp_commercial",
                "count": 2,
            }
        ],
        "offerings": [
            {
                "uscc": uscc,
                "site": "yz-1",
                "offering": "mab-usp",
                "capability": "BIO.USP.FB",
                "gmp_grade": "gmp_clinical",
                "scale_min": 200,
                "scale_max": 4000,
                "modality": "monoclonal antibody",
                "lead_time_days": 90,
                "equipment": "SUB-2000-01",
                "description_zh": "抗体流加培养",
            }
        ],
        "certificates": [
            {
                "uscc": uscc,
                "authority": "nmpa_licence",
                "number": "京2025" + uscc[-6:],
                "valid_from": "2025-01-01",
                "valid_to": "2029-12-31",
                "sites": "yz-1",
                "capabilities": "BIO.USP",
            }
        ],
    }


async def load(db: Any, uscc: str = USCC, capacity_weeks: int = 0) -> None:
    """Write the sample provider (and weekly capacity from 2027-01-04) to the graph."""
    from hub.audit.log import Actor
    from hub.db.driver import Tx
    from hub.reference.store import reference
    from hub.registry import rules
    from hub.registry.store.writes import apply

    data = rows(uscc)

    async def work(tx: Tx) -> None:
        ref = await reference(tx)
        actor = Actor("test:sample")
        await apply(tx, [rules.organization(r, ref) for r in data["organizations"]], actor)
        await apply(tx, [rules.site(r, ref) for r in data["sites"]], actor)
        await apply(tx, [rules.equipment(r) for r in data["equipment"]], actor)
        await apply(tx, [rules.offering(r, ref) for r in data["offerings"]], actor)
        await apply(tx, [rules.certificate(r, ref) for r in data["certificates"]], actor)
        owner = f"{uscc}/yz-1/mab-usp"
        buckets = [
            rules.bucket(
                {"grain": "week", "start": date(2027, 1, 4) + timedelta(weeks=i), "total": 4000},
                owner,
                "bioreactor_l_batch",
            )
            for i in range(capacity_weeks)
        ]
        await apply(tx, buckets, actor)

    await db.write(work)
