"""A small fictional provider with one of everything, as raw rows (as an import reads them)."""

from __future__ import annotations

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
                "number": "京20250001",
                "valid_from": "2025-01-01",
                "valid_to": "2029-12-31",
                "sites": "yz-1",
                "capabilities": "BIO.USP",
            }
        ],
    }
