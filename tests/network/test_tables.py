"""Coverage and gaps, unmet demand and recruitment, utilisation and sharing: by hand."""

from __future__ import annotations

import csv
import io
import math

import httpx
import pytest

from tests.network import sample
from tests.network.conftest import Callers, park_network

U = sample.USCC
COVERAGE = "coverage { capability level firms certifiedFirms status singleFirm }"


async def test_coverage_counts_firms_and_certified_firms_by_subsumption(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.operator, COVERAGE)
    rows = {r["capability"]: r for r in data["coverage"]}
    assert len(rows) == 139  # every taxonomy node
    assert rows["BIO"] | {} == {
        "capability": "BIO", "level": 1, "firms": 2, "certifiedFirms": 2,
        "status": "COVERED", "singleFirm": None,
    }  # fmt: skip
    # a3's certificate for BIO.USP.FB expired in 2020: only a2 is certified there
    assert (rows["BIO.USP"]["firms"], rows["BIO.USP"]["certifiedFirms"]) == (2, 1)
    assert (rows["BIO.USP.FB"]["firms"], rows["BIO.USP.FB"]["certifiedFirms"]) == (2, 1)
    assert rows["BIO.DSP"]["status"] == "SINGLE" and rows["BIO.DSP"]["singleFirm"] == U["a3"]
    assert rows["BIO.DSP.CAP"]["certifiedFirms"] == 1  # its certificate covers BIO.DSP
    assert rows["DIS.CHM.MED"]["status"] == "SINGLE" and rows["DIS.CHM.MED"]["certifiedFirms"] == 0
    # b1 offers perfusion, but in park B
    assert rows["BIO.USP.PRF"]["status"] == "MISSING" and rows["BIO.USP.PRF"]["firms"] == 0
    missing = [r for r in rows.values() if r["status"] == "MISSING"]
    assert len(missing) == 139 - 8  # all but BIO, BIO.USP, .FB, BIO.DSP, .CAP, DIS, DIS.CHM, .MED


async def test_coverage_of_a_branch_lists_only_the_branch(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client,
        callers.operator,
        "coverage(status: SINGLE) { capability singleFirm }",
        filter={"branch": "BIO"},
    )
    assert {r["capability"]: r["singleFirm"] for r in data["coverage"]} == {
        "BIO.DSP": U["a3"],
        "BIO.DSP.CAP": U["a3"],
    }


UNMET = """unmetRequests { requestId capability status requester provider providerParks
  distanceKm inScopeFirms }
recruit { rank capability unmetRequests requesters servedOutside unserved inScopeFirms
  meanDistanceKm outsideParks }"""


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on Neo4j's sphere (radius 6,378,140 m)."""
    (la1, lo1), (la2, lo2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6378.140 * math.asin(math.sqrt(h))


ETOWN, ZGC, TEDA = (39.79, 116.51), (40.09, 116.28), (39.03, 117.71)


async def test_unmet_demand_and_who_served_it_from_outside(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.operator, UNMET)
    rows = {r["requestId"]: r for r in data["unmetRequests"]}
    # E1-E5 and R1 went to members; E6, E7, U1, U2, U3 did not
    assert set(rows) == {"E6", "E7", "U1", "U2", "U3"}
    assert rows["E6"]["provider"] == U["b1"] and rows["E6"]["providerParks"] == [sample.B]
    assert rows["E6"]["distanceKm"] == pytest.approx(km(ETOWN, ZGC), abs=0.2)
    assert rows["E7"]["providerParks"] == [sample.C]
    assert rows["E7"]["distanceKm"] == pytest.approx(km(ETOWN, TEDA), abs=0.2)
    assert rows["U1"]["provider"] is None and rows["U1"]["distanceKm"] is None
    # U3 is confidential: counted, but its requester is hidden from the operator
    assert rows["U3"]["requester"] is None and rows["U3"]["status"] == "ROUTED"
    # statuses as the RequestStatus enum, like Request.status
    assert {rows[r]["status"] for r in ("E6", "E7", "U1")} == {"AWARDED", "COMPLETED", "UNFILLED"}
    assert rows["E6"]["requester"] == U["a4"]
    recruit = data["recruit"]
    assert [(r["rank"], r["capability"]) for r in recruit] == [
        (1, "CGT.VEC.AAV"),
        (2, "BIO.USP.PRF"),
    ]
    aav, prf = recruit
    assert (aav["unmetRequests"], aav["requesters"], aav["servedOutside"], aav["unserved"]) == (
        3, 3, 1, 2,
    )  # fmt: skip
    assert aav["outsideParks"] == [sample.C] and aav["inScopeFirms"] == 0
    assert aav["meanDistanceKm"] == pytest.approx(km(ETOWN, TEDA), abs=0.2)
    assert (prf["unmetRequests"], prf["requesters"], prf["servedOutside"]) == (2, 2, 1)


async def test_admins_see_the_confidential_requester(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client, callers.admin, "unmetRequests { requestId requester }",
        scope={"parks": [sample.A]},
    )  # fmt: skip
    rows = {r["requestId"]: r["requester"] for r in data["unmetRequests"]}
    assert rows["U3"] == U["a5"]


UTILISATION = """utilisationPeriod
utilisation { branch month unit total reserved shared utilisation sharingRate }"""


async def test_utilisation_and_sharing_rate_by_branch_and_month(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client,
        callers.operator,
        UTILISATION,
        filter={"start": "2027-03-01", "end": "2027-04-30"},
    )
    assert data["utilisationPeriod"] == ["2027-03-01", "2027-04-30"]
    rows = {(r["branch"], r["month"], r["unit"]): r for r in data["utilisation"]}
    assert set(rows) == {
        ("BIO.DSP", "2027-03", "kg"),
        ("BIO.USP", "2027-03", "l_batch"),
        ("BIO.USP", "2027-04", "l_batch"),
    }
    march = rows[("BIO.USP", "2027-03", "l_batch")]
    # 10 + 10 total, 4 reserved, 3 of them by a1 (E1): 1 is a2's own use
    assert (march["total"], march["reserved"], march["shared"]) == (20, 4, 3)
    assert (march["utilisation"], march["sharingRate"]) == (0.2, 0.75)
    april = rows[("BIO.USP", "2027-04", "l_batch")]
    assert (april["utilisation"], april["sharingRate"]) == (0.6, 1.0)
    dsp = rows[("BIO.DSP", "2027-03", "kg")]
    assert (dsp["utilisation"], dsp["sharingRate"]) == (1.0, 0.0)
    only_march = await park_network(
        app_client,
        callers.operator,
        UTILISATION,
        filter={"start": "2027-03-01", "end": "2027-03-31", "branch": "BIO.USP"},
    )
    assert [(r["branch"], r["month"]) for r in only_march["utilisation"]] == [
        ("BIO.USP", "2027-03")
    ]


async def test_every_table_exports_as_csv_for_excel(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    tables = ["NODES", "EDGES", "FIGURES", "COVERAGE", "UNMET_REQUESTS", "RECRUIT", "UTILISATION"]
    fields = " ".join(f"{t.lower()}: csv(table: {t})" for t in tables)
    data = await park_network(
        app_client, callers.operator, fields, filter={"start": "2027-03-01", "end": "2027-04-30"}
    )
    for table in tables:
        text = data[table.lower()]
        assert text.startswith("\ufeff"), table  # the BOM Excel needs for Chinese
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows, table
    recruit = list(csv.DictReader(io.StringIO(data["recruit"].lstrip("\ufeff"))))
    # in 2027 E7 (2025) is out: AAV and PRF tie on requests and requesters, and PRF was
    # served outside once (E6), so it ranks first
    assert recruit[0]["capability"] == "BIO.USP.PRF" and recruit[0]["outside_parks"] == sample.B
    utilisation = list(csv.DictReader(io.StringIO(data["utilisation"].lstrip("\ufeff"))))
    assert {"utilisation", "sharing_rate"} <= set(utilisation[0])
