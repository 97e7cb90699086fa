"""Evidence files: a PDF, PNG or JPEG (by its first bytes) of bounded size, stored under a
random id, read back only by its uploader, the firm's members, its verifiers and admins."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hub.app import create_app
from hub.config import Settings
from hub.db.driver import Database
from tests.onboarding.common import CLAIM, gql, person
from tests.registry import sample

MOST = 4096
PDF = b"%PDF-1.7\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 50
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 50


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="module")
async def http(settings: Settings, db: Database, folder: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its file store in a temporary folder and a small size limit."""
    app = create_app(
        settings.model_copy(update={"evidence_dir": folder, "evidence_max_bytes": MOST})
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


def _auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_a_scan_is_stored_under_a_random_id_with_its_hash(
    clean: Database, http: httpx.AsyncClient, folder: Path
) -> None:
    token = await person(clean, "ana@claims.example")
    for data, media in ((PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")):
        sent = await http.post(
            "/evidence?filename=../../etc/passwd", content=data, headers=_auth(token)
        )
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert (body["mediaType"], body["size"]) == (media, len(data))
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
        assert (folder / body["id"]).read_bytes() == data
        assert body["id"].isalnum() and len(body["id"]) == 32


@pytest.mark.parametrize(
    ("data", "status"),
    [(b"hello, I am a licence", 400), (b"", 400), (b"%PDF-" + b"x" * MOST, 413)],
)
async def test_a_file_of_another_type_or_too_large_is_refused_naming_the_file(
    clean: Database, http: httpx.AsyncClient, data: bytes, status: int
) -> None:
    token = await person(clean, "ana@claims.example")
    refused = await http.post("/evidence", content=data, headers=_auth(token))
    assert refused.status_code == status
    [error] = refused.json()["errors"]
    assert error["extensions"]["field"] == "file", error


async def test_an_anonymous_upload_is_refused(clean: Database, http: httpx.AsyncClient) -> None:
    assert (await http.post("/evidence", content=PDF)).status_code == 401


async def test_the_file_is_served_to_its_uploader_and_the_firms_verifiers_only(
    clean: Database, http: httpx.AsyncClient
) -> None:
    await sample.load(clean)  # its site is in BJ-ETOWN
    ana = await person(clean, "ana@claims.example")
    bo = await person(clean, "bo@claims.example")
    admin = await person(clean, "root@hub.example", "admin")
    etown = await person(clean, "ops@etown.example", "operator:BJ-ETOWN")
    teda = await person(clean, "ops@teda.example", "operator:TJ-TEDA")
    eid = (await http.post("/evidence", content=PDF, headers=_auth(ana))).json()["id"]

    async def status(token: str | None) -> int:
        headers = {} if token is None else _auth(token)
        answer = await http.get(f"/evidence/{eid}", headers=headers)
        if answer.status_code == 200:
            assert answer.content == PDF
            assert answer.headers["content-type"] == "application/pdf"
        return answer.status_code

    # Before it is given for a claim: its uploader (and admins) only.
    assert [await status(t) for t in (ana, admin, etown, bo)] == [200, 200, 404, 404]
    claimed = await gql(http, ana, CLAIM, u=sample.USCC, e=eid)
    assert claimed["verification"]["evidence"]["url"] == f"/evidence/{eid}"
    assert [await status(t) for t in (ana, admin, etown, teda, bo)] == [200, 200, 200, 404, 404]
    assert await status(None) == 401
    assert (await http.get("/evidence/..%2F..%2Fetc", headers=_auth(admin))).status_code == 404
