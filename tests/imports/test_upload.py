"""`POST /import`: a registry file uploaded to the live hub is imported all or nothing, its
progress streamed as NDJSON lines while the transaction is still open."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.app import create_app
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.imports import lock, pipeline, readers
from hub.imports.pipeline import CHUNK
from hub.imports.readers import ImportFailed
from tests import factories
from tests.imports.test_import import mistyped, organizations, totals, write_xlsx
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER

Rows = list[dict[str, Any]]
Lines = list[dict[str, Any]]
PROVIDER = sample.USCC


def csv_bytes(rows: Rows) -> bytes:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    text = io.StringIO()
    writer = csv.DictWriter(text, columns)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def headers(token: str | None, lang: str = "zh") -> dict[str, str]:
    bearer = {"authorization": f"Bearer {token}"} if token else {}
    return {"accept-language": lang, "content-type": "text/csv", **bearer}


async def upload(
    client: httpx.AsyncClient,
    token: str | None,
    filename: str,
    body: bytes,
    kind: str | None = None,
    lang: str = "zh",
) -> httpx.Response:
    params = {"filename": filename, **({"kind": kind} if kind else {})}
    return await client.post("/import", params=params, content=body, headers=headers(token, lang))


def lines(response: httpx.Response) -> Lines:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


async def _actors(tx: Tx) -> list[str]:
    """Who changed the registry, as the audit log says."""
    rows = await tx.records(
        "MATCH (a:AuditRecord) WHERE a.entity <> 'ApiToken' RETURN DISTINCT a.actor AS actor"
    )
    return sorted(r["actor"] for r in rows)


async def _organizations(tx: Tx) -> int:
    row = await tx.single("MATCH (o:Organization) RETURN count(o) AS n")
    assert row is not None
    return int(row["n"])


@pytest.fixture
async def admin(clean: Database) -> str:
    return await factories.token(clean, "root@hub.test", "admin")


async def test_an_admin_imports_a_file_and_gets_its_report(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    response = await upload(client, admin, "organizations.csv", csv_bytes(organizations(2)))
    *progress, last = lines(response)
    assert progress == [{"done": 0, "total": 2}, {"done": 2, "total": 2}]
    report = last["report"]
    assert {k: report[k] for k in ("kind", "rows", "created", "updated", "unchanged")} == {
        "kind": "organizations",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert report["seconds"] > 0
    assert await clean.read(_actors) == ["root@hub.test (import:organizations.csv)"]

    again = lines(await upload(client, admin, "organizations.csv", csv_bytes(organizations(2))))
    assert again[-1]["report"]["unchanged"] == 2


async def test_a_big_file_streams_its_progress_while_it_is_written(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    rows = 4 * CHUNK + 500
    body = csv_bytes(organizations(rows))
    received: Lines = []
    seen_while_writing: list[int] = []
    params = {"filename": "firms.csv", "kind": "organizations"}
    async with client.stream(
        "POST", "/import", params=params, content=body, headers=headers(admin)
    ) as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            received.append(json.loads(line))
            if not seen_while_writing and 0 < received[-1].get("done", 0) < rows:
                # A line that comes while the transaction is open: nothing committed yet.
                seen_while_writing.append(await clean.read(_organizations))
    *progress, last = received
    assert seen_while_writing == [0], "progress must arrive while the file is being written"
    assert progress[0] == {"done": 0, "total": rows}
    assert [p["done"] for p in progress][-5:] == [CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK, rows]
    assert all(p["total"] == rows for p in progress)
    assert last["report"]["created"] == rows
    assert await clean.read(_organizations) == rows


async def _open_for(tx: Tx, ms: int) -> int:
    """Transactions open for more than `ms` (an import's, while it runs), but this one."""
    rows = await tx.records(
        "SHOW TRANSACTIONS YIELD currentQuery, elapsedTime "
        "WHERE NOT currentQuery STARTS WITH 'SHOW' AND elapsedTime.milliseconds > $ms "
        "RETURN count(*) AS n",
        ms=ms,
    )
    return int(rows[0]["n"])


async def test_a_caller_that_goes_away_mid_import_leaves_nothing_written(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    body = csv_bytes(organizations(4 * CHUNK + 500))
    params = {"filename": "organizations.csv"}
    async with client.stream(
        "POST", "/import", params=params, content=body, headers=headers(admin)
    ) as response:
        async for line in response.aiter_lines():
            if json.loads(line).get("done", 0) > 0:
                break  # and hang up, one chunk written of five
    # An import still running would keep its transaction open a few seconds, then commit.
    await asyncio.sleep(1)
    for _ in range(120):
        if await clean.read(_open_for, 500) == 0:
            break
        await asyncio.sleep(0.25)
    assert await clean.read(_open_for, 500) == 0
    assert await clean.read(_organizations) == 0


async def test_bad_rows_are_listed_by_line_and_nothing_is_written(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    rows = organizations(3)
    rows[1]["uscc"] = mistyped(rows[1]["uscc"])
    rows[2]["contact_email"] = "not-an-address"
    before = await totals(clean)
    [outcome] = lines(await upload(client, admin, "organizations.csv", csv_bytes(rows), lang="en"))
    assert outcome["count"] == 2
    assert [(p["line"], p["field"]) for p in outcome["problems"]] == [
        (3, "uscc"),
        (4, "contact_email"),
    ]
    first = outcome["problems"][0]
    assert first["messageEn"].startswith("check digit is wrong")
    assert first["messageZh"].startswith("校验位")
    assert first["message"] == first["messageEn"], "in the language the caller accepts"
    assert await totals(clean) == before


async def test_a_provider_imports_rows_of_its_own_organization(
    network: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    [site] = sample.rows()["sites"]
    body = csv_bytes([{**site, "site": "yz-2", "name_en": "Yizhuang plant 2"}])
    *_, last = lines(await upload(client, token, "my-sites.csv", body, kind="sites"))
    assert last["report"]["created"] == 1
    assert "bd@provider.test (import:my-sites.csv)" in await network.read(_actors)


async def test_a_row_of_another_organization_is_a_problem_and_nothing_is_written(
    network: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    [own] = sample.rows()["sites"]
    [foreign] = sample.rows(OTHER_PROVIDER)["sites"]
    rows = [{**own, "site": "yz-2"}, {**foreign, "name_zh": "改名"}, {**own, "site": "yz-3"}]
    before = await totals(network)
    [outcome] = lines(await upload(client, token, "sites.csv", csv_bytes(rows)))
    assert [(p["line"], p["field"]) for p in outcome["problems"]] == [(3, "uscc")]
    assert OTHER_PROVIDER in outcome["problems"][0]["messageEn"]
    assert outcome["problems"][0]["message"] == outcome["problems"][0]["messageZh"]
    assert await totals(network) == before


async def test_a_provider_cannot_take_over_a_certificate_another_holds(
    network: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(network, "qa@provider.test", f"provider:{PROVIDER}")
    [own] = sample.rows()["certificates"]
    [theirs] = sample.rows(OTHER_PROVIDER)["certificates"]
    before = await totals(network)
    body = csv_bytes([{**own, "number": theirs["number"]}])
    [outcome] = lines(await upload(client, token, "certificates.csv", body))
    [problem] = outcome["problems"]
    assert (problem["line"], problem["field"]) == (2, "number")
    assert "held by another organization" in problem["messageEn"]
    assert await totals(network) == before


REFUSED = [
    (None, 401, "UNAUTHENTICATED"),
    ("hub_not-a-token", 401, "UNAUTHENTICATED"),
    (f"requester:{factories.uscc(8)}", 403, "FORBIDDEN"),
    ("operator:BJ-ETOWN", 403, "FORBIDDEN"),
]


@pytest.mark.parametrize(("role", "status", "code"), REFUSED)
async def test_only_admins_and_providers_may_import(
    clean: Database, client: httpx.AsyncClient, role: str | None, status: int, code: str
) -> None:
    await factories.organization(clean, 8)  # the requester's
    token = role
    if role is not None and ":" in role:
        token = await factories.token(clean, "someone@hub.test", role)
    before = await totals(clean)
    response = await upload(client, token, "organizations.csv", csv_bytes(organizations(1)))
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert await totals(clean) == before


@pytest.mark.parametrize(
    ("filename", "kind", "field"),
    [
        ("", None, "filename"),
        ("organizations.txt", None, "filename"),
        ("firms.csv", None, "kind"),
        ("organizations.csv", "people", "kind"),
    ],
)
async def test_a_request_without_a_usable_name_or_kind_is_refused(
    clean: Database, client: httpx.AsyncClient, admin: str, filename: str, kind: str, field: str
) -> None:
    response = await upload(client, admin, filename, csv_bytes(organizations(1)), kind)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["field"] == field


async def test_a_file_that_cannot_be_read_is_a_problem_without_internals(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    response = await upload(client, admin, "../../etc/organizations.xlsx", b"PK\x03\x04 not a zip")
    [outcome] = lines(response)
    [problem] = outcome["problems"]
    assert problem["line"] is None
    assert problem["messageEn"].startswith("cannot read organizations.xlsx: ")
    for internal in ("Traceback", "/etc", "/work", "site-packages", ".py"):
        assert internal not in response.text


async def test_an_import_may_be_bigger_than_a_graphql_request_but_not_unbounded(
    clean: Database, client: httpx.AsyncClient, admin: str, settings: Settings
) -> None:
    # Over GraphQL's 2 MB: read, and refused for its header, not for its size.
    padding = "x" * 1000
    big = "uscc,name_zh,bogus\n" + "".join(f"{n},{padding},x\n" for n in range(3000))
    assert len(big) > settings.graphql_max_body_bytes
    [outcome] = lines(await upload(client, admin, "organizations.csv", big.encode()))
    assert (outcome["problems"][0]["line"], outcome["problems"][0]["field"]) == (1, "bogus")

    too_big = b"x" * (settings.import_max_body_bytes + 1)
    response = await upload(client, admin, "organizations.csv", too_big)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_workbook_that_unpacks_too_big_is_refused_unopened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_xlsx(tmp_path / "organizations.xlsx", organizations(50)).read_bytes()
    assert len(readers.parse_rows("organizations.xlsx", data).rows) == 50
    monkeypatch.setattr(readers, "MAX_UNPACKED", len(data))  # its parts unpack to more
    with pytest.raises(ImportFailed, match="unpacks to more than"):
        readers.parse_rows("organizations.xlsx", data)


@pytest.fixture
async def impatient(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The app in this process, giving an import 3 s (2 s once the last line is kept)."""
    app = create_app(settings.model_copy(update={"import_timeout_s": 3.0}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def test_an_import_past_its_deadline_ends_with_a_line_and_writes_nothing(
    clean: Database,
    impatient: httpx.AsyncClient,
    admin: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The write step is held after its first chunk, for as long as the test runs: the
    # import is past its deadline however fast or slow the machine is.
    held = asyncio.Event()
    real_apply = pipeline.apply
    chunks = 0

    async def apply_then_wait(tx: Tx, entities: Any, actor: Any, **options: Any) -> Any:
        nonlocal chunks
        chunks += 1
        if chunks > 1:
            await held.wait()
        return await real_apply(tx, entities, actor, **options)

    monkeypatch.setattr(pipeline, "apply", apply_then_wait)
    before = await totals(clean)
    body = csv_bytes(organizations(2 * CHUNK))
    *_, last = lines(await upload(impatient, admin, "organizations.csv", body))
    assert last["error"]["code"] == "QUERY_TIMEOUT"
    assert last["error"]["requestId"]
    assert await totals(clean) == before


# Stopping, one import at a time -------------------------------------------------------


def _scope(token: str, body: bytes, filename: str) -> dict[str, Any]:
    headers = [
        (b"host", b"hub.test"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"text/csv"),
        (b"content-length", str(len(body)).encode()),
    ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/import",
        "raw_path": b"/import",
        "query_string": f"filename={filename}".encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("hub.test", 80),
    }


async def _locks(tx: Tx) -> int:
    row = await tx.single("MATCH (l:ImportLock) RETURN count(l) AS n")
    assert row is not None
    return int(row["n"])


async def test_a_client_that_hangs_up_while_its_file_is_read_stops_the_reader(
    clean: Database, settings: Settings, admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading, ended = threading.Event(), threading.Event()
    real_check = readers.Stop.check

    def held_check(stop: readers.Stop) -> None:
        """The reader, held at its first look at the Stop until it is asked to stop."""
        reading.set()
        try:
            for _ in range(3000):
                if stop.is_set():
                    break
                threading.Event().wait(0.01)
            real_check(stop)
        finally:
            ended.set()

    monkeypatch.setattr(readers.Stop, "check", held_check)
    body = csv_bytes(organizations(2 * CHUNK))
    hang_up = asyncio.Event()
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    before = await totals(clean)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        call = asyncio.create_task(app(_scope(admin, body, "organizations.csv"), receive, send))
        while not reading.is_set():
            assert not call.done(), sent
            await asyncio.sleep(0.01)
        assert not ended.is_set()
        hang_up.set()
        async with asyncio.timeout(30):
            await call
    assert ended.is_set(), "the answer ended only once the reader had stopped"
    assert not any(m.get("body") for m in sent if m["type"] == "http.response.body")
    assert await totals(clean) == before
    assert await clean.read(_locks) == 0, "the lease was given back"


async def test_a_second_import_for_the_same_organization_is_refused_while_one_runs(
    network: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    [site] = sample.rows()["sites"]
    body = csv_bytes([{**site, "site": "yz-2"}])
    holder = await lock.take(network, [PROVIDER], "big-sites.csv", 60)
    try:
        response = await upload(client, token, "sites.csv", body, lang="en")
        assert response.status_code == 409
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "CONFLICT"
        assert "already running" in error["message"] and "big-sites.csv" in error["message"]
        assert PROVIDER in error["message"]

        # An admin's import is not one of this organization's.
        admin = await factories.token(network, "root@hub.test", "admin")
        other = await upload(client, admin, "organizations.csv", csv_bytes(organizations(1)))
        assert "report" in lines(other)[-1]
    finally:
        await lock.give_back(network, [PROVIDER], holder)
    *_, last = lines(await upload(client, token, "sites.csv", body))
    assert last["report"]["created"] == 1


async def test_of_many_imports_taking_one_lease_at_once_exactly_one_gets_it(
    clean: Database,
) -> None:
    tries = await asyncio.gather(
        *(lock.take(clean, ["*"], f"f{n}.csv", 60) for n in range(8)),
        return_exceptions=True,
    )
    holders = [t for t in tries if isinstance(t, str)]
    refused = [t for t in tries if isinstance(t, lock.ImportRunning)]
    assert (len(holders), len(refused)) == (1, 7), tries
    await lock.give_back(clean, ["*"], holders[0])
    assert await clean.read(_locks) == 0


# Forms and encodings ------------------------------------------------------------------


async def test_a_multipart_form_is_refused_naming_the_raw_body_way(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    before = await totals(clean)
    response = await client.post(
        "/import",
        params={"filename": "organizations.csv"},
        files={"file": ("organizations.csv", csv_bytes(organizations(1)), "text/csv")},
        headers={"authorization": f"Bearer {admin}", "accept-language": "en"},
    )
    assert response.status_code == 415
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "--data-binary" in error["message"]
    assert await totals(clean) == before


async def test_a_csv_saved_by_chinese_excel_is_imported_and_the_report_names_its_encoding(
    clean: Database, client: httpx.AsyncClient, admin: str
) -> None:
    body = csv_bytes(organizations(2)).decode("utf-8-sig").encode("gb18030")
    *_, last = lines(await upload(client, admin, "organizations.csv", body))
    report = last["report"]
    assert (report["created"], report["encoding"]) == (2, "GB18030")
    note = report["encodingNote"]
    assert "GB18030" in note["messageZh"] and "GB18030" in note["messageEn"]
    assert note["message"] == note["messageZh"]
    *_, utf8 = lines(await upload(client, admin, "organizations.csv", csv_bytes(organizations(2))))
    assert (utf8["report"]["encoding"], utf8["report"]["encodingNote"]) == ("UTF-8", None)
