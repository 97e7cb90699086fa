"""`POST /import`: a registry file uploaded over HTTP and imported as `hub import` imports
one, its progress streamed back while it is written.

    POST /import?filename=sites.csv[&kind=sites]    the body: the file, byte for byte
    Authorization: Bearer <token>                    an admin, or a provider's member

The answer is `application/x-ndjson`, one JSON object a line, as the import goes:

    {"done": 0, "total": 2500}        every row passed every check: the writing begins
    {"done": 1000, "total": 2500}     after each chunk of rows written (one transaction:
    ...                               were it retried, the count starts again)
    and last, exactly one of
    {"report": {"kind", "rows", "created", "updated", "unchanged", "seconds"}}
    {"problems": [{"line", "field", "message", "messageZh", "messageEn"}], "count": n}
    {"error": {"code", "message", "messageZh", "messageEn", "requestId"}}

Before the first line a request is refused as the rest of the API refuses one: 401 (a bad
token, or none), 403 (neither an admin nor a provider), 400 (no `filename`, not a .csv,
.xlsx or .json file, an unknown kind), 413 (a body over HUB_IMPORT_MAX_BODY_BYTES).

The body is the file itself, not a multipart form: the hub needs no multipart parser, and
a browser sends a File as a body as it is, reporting the upload's progress. A multipart
form (`curl -F file=@sites.csv`) is refused with 415, naming the way that works
(`curl --data-binary @sites.csv`). A provider imports rows of its own organizations only;
the audit log names the person and the file (`<handle> (import:<file name>)`).

An import can be stopped at any point: a client that goes away cancels it, and so does
the deadline (HUB_IMPORT_TIMEOUT_S, with a last line saying so); the file's reading and
checking stop too (hub.imports.workers), and nothing is written. One import runs
at a time per organization (an admin's: one at a time), across hub processes: a second is
refused with 409 while the first runs (hub.imports.lock).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import PurePath
from typing import Any

import anyio
import structlog
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from hub.audit.log import Actor
from hub.auth import CurrentPrincipal, DatabaseDep
from hub.errors import Forbidden, HubError, InvalidInput, NotAuthenticated
from hub.identity.model import Principal, RoleKind
from hub.imports import lock
from hub.imports.file_kinds import FILE_KINDS
from hub.imports.pipeline import ImportReport, Reporter, import_data
from hub.imports.readers import READERS, REPORTED, ImportFailed, suffix

PATH = "/import"
MEDIA = "application/x-ndjson"
MAX_NAME = 200  # characters of a file name
GRACE_S = 1.0  # the last line goes out this long before the request's deadline

router = APIRouter()
log = structlog.get_logger("hub.import")
Message = dict[str, Any]


class Speaker:
    """The lines of one import's answer, in the caller's language."""

    def __init__(self, english: bool, request_id: str) -> None:
        self.english = english
        self.request_id = request_id

    def texts(self, zh: str, en: str) -> dict[str, str]:
        return {"message": en if self.english else zh, "messageZh": zh, "messageEn": en}

    def problems(self, failed: ImportFailed) -> Message:
        listed = [
            {"line": p.line, "field": p.field, **self.texts(p.message_zh, p.message_en)}
            for p in failed.problems[:REPORTED]
        ]
        return {"problems": listed, "count": len(failed.problems)}

    def error(self, code: str, zh: str, en: str) -> Message:
        return {"error": {"code": code, **self.texts(zh, en), "requestId": self.request_id}}


def _owners(principal: Principal) -> frozenset[str] | None:
    """The organizations whose rows the caller may import; None for any (an admin)."""
    if principal.is_anonymous:
        raise NotAuthenticated
    if principal.is_admin:
        return None
    # A firm's administrators are its members too (they may act for it).
    owners = principal.scopes(RoleKind.PROVIDER) | principal.scopes(RoleKind.FIRM_ADMIN)
    if not owners:
        raise Forbidden(
            "Only admins and members of a provider import registry files",
            "只有平台管理员和服务方成员可以导入登记文件",
        )
    return owners


class NotAFile(InvalidInput):
    """A multipart form where the file itself was expected."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    http_status = 415

    def __init__(self) -> None:
        super().__init__(
            "POST /import takes the file itself as the body, not a multipart form: "
            'e.g. curl --data-binary @sites.csv "…/import?filename=sites.csv"',
            "POST /import 的请求体应为文件本身，而不是 multipart 表单："
            '例如 curl --data-binary @sites.csv "…/import?filename=sites.csv"',
            field="body",
        )


def _refuse_forms(request: Request) -> None:
    if request.headers.get("content-type", "").lower().lstrip().startswith("multipart/"):
        raise NotAFile


def _file_name(given: str | None) -> str:
    """The uploaded file's own name: no folders, no control or formatting characters."""
    name = (given or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > MAX_NAME or any(unicodedata.category(c)[0] == "C" for c in name):
        raise InvalidInput(
            "filename: give the file's name (at most 200 characters), e.g. filename=sites.csv",
            "filename：请提供文件名（最多 200 个字符），如 filename=sites.csv",
            field="filename",
        )
    if suffix(name) not in READERS:
        raise InvalidInput(
            f"filename: {name} is not a .csv, .xlsx or .json file",
            f"filename：{name} 不是 .csv、.xlsx 或 .json 文件",
            field="filename",
        )
    return name


def _kind(name: str, given: str | None) -> str:
    """The kind asked for, else the one the file's name says (sites.csv: sites)."""
    kind = (given or PurePath(name).stem).strip().lower()
    if kind not in FILE_KINDS:
        known = ", ".join(FILE_KINDS)
        raise InvalidInput(
            f"kind: unknown kind {kind!r}; give kind= one of {known}",
            f"kind：未知类型 {kind!r}；请以 kind= 指定以下之一：{known}",
            field="kind",
        )
    return kind


def _line(message: Message) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _report(report: ImportReport, speak: Speaker) -> Message:
    told = report.read_as()
    return {
        "report": {
            **dataclasses.asdict(report),
            "seconds": round(report.seconds, 2),
            "encodingNote": None if told is None else speak.texts(told[1], told[0]),
        }
    }


async def _outcome(
    work: Awaitable[ImportReport], queue: asyncio.Queue[Message], speak: Speaker
) -> None:
    """Runs the import; its last line goes to the queue, whatever happens."""
    try:
        queue.put_nowait(_report(await work, speak))
    except ImportFailed as failed:
        queue.put_nowait(speak.problems(failed))
    except HubError as error:  # the database went away, say
        queue.put_nowait(speak.error(error.code, error.message_zh, error.message_en))
    except Exception:
        log.exception("import failed")
        queue.put_nowait(
            speak.error(
                "INTERNAL",
                f"导入失败，未写入任何数据（请求编号 {speak.request_id}）",
                f"The import failed and nothing was written (request id {speak.request_id})",
            )
        )


def _timed_out(speak: Speaker, seconds: float) -> Message:
    return speak.error(
        "QUERY_TIMEOUT",
        f"导入超过 {seconds:.0f} 秒，已停止：其事务已回滚，除非当时已在提交（请查看审计日志）",
        f"The import took longer than {seconds:.0f} s and was stopped: its transaction was "
        "rolled back unless it was already committing (see the audit log)",
    )


def _last_word(queue: asyncio.Queue[Message]) -> Message | None:
    """The outcome, if the import ended after all as it was being stopped."""
    last = None
    while not queue.empty():
        last = queue.get_nowait()
    return None if last is None or "done" in last else last


async def _lines(
    start: Callable[[Reporter], Awaitable[ImportReport]],
    speak: Speaker,
    deadline: float,
    seconds: float,
    release: Callable[[], Awaitable[None]],
) -> AsyncIterator[bytes]:
    """Progress lines while the import runs, then its outcome. The import starts with the
    answer and is cancelled (rolled back) when the answer ends early."""
    queue: asyncio.Queue[Message] = asyncio.Queue()

    def progress(done: int, total: int) -> None:
        queue.put_nowait({"done": done, "total": total})

    task = asyncio.create_task(_outcome(start(progress), queue, speak))
    try:
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await queue.get()
            except TimeoutError:
                task.cancel()
                await asyncio.wait({task})
                message = _last_word(queue) or _timed_out(speak, seconds)
            yield _line(message)
            if "done" not in message:
                return
    finally:
        task.cancel()
        # A caller that hung up cancels this answer again at each await: shielded, the
        # answer ends only once the import (its reading and checking included) has.
        with anyio.CancelScope(shield=True):
            await asyncio.wait({task})
            await release()


@router.post(PATH)
async def upload(
    request: Request,
    principal: CurrentPrincipal,
    db: DatabaseDep,
    filename: str | None = None,
    kind: str | None = None,
) -> StreamingResponse:
    owners = _owners(principal)
    _refuse_forms(request)
    name = _file_name(filename)
    chosen = _kind(name, kind)
    data = await request.body()
    request_id: str = request.state.request_id
    actor = Actor.serving(f"{principal.handle} (import:{name})")
    speak = Speaker(request.headers.get("accept-language", "").lower().startswith("en"), request_id)
    seconds: float = request.app.state.settings.import_timeout_s
    deadline = getattr(request.state, "deadline", asyncio.get_running_loop().time() + seconds)

    def start(progress: Reporter) -> Awaitable[ImportReport]:
        return import_data(db, name, data, chosen, actor=actor, progress=progress, owners=owners)

    leases = lock.keys(owners)
    holder = await lock.take(db, leases, name, seconds)

    async def release() -> None:
        try:
            await lock.give_back(db, leases, holder)
        except Exception:  # the lease expires on its own (lock.MARGIN_S after the deadline)
            log.warning("import lease not given back", exc_info=True)

    return StreamingResponse(
        _lines(start, speak, deadline - GRACE_S, seconds, release),
        media_type=MEDIA,
        # Proxies must pass each line on as it comes, not the whole answer at the end.
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
