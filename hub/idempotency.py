"""Idempotency keys: a retried mutation has exactly one effect and gets the first answer.

Inside the mutation's transaction, `(:IdempotencyKey {scope})` is MERGEd first. The
uniqueness constraint makes a concurrent retry wait for the first attempt's commit and
then read its answer; the same key with another payload is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from hub.db.driver import Tx
from hub.errors import Conflict, InvalidInput
from hub.values import plain

T = TypeVar("T")
MAX_KEY = 200

CLAIM = """
MERGE (k:IdempotencyKey {scope: $scope})
ON CREATE SET k.operation = $operation, k.fingerprint = $fingerprint, k.at = datetime()
RETURN k.operation AS operation, k.fingerprint AS fingerprint, k.response AS response
"""
ANSWER = "MATCH (k:IdempotencyKey {scope: $scope}) SET k.response = $response"


def fingerprint(operation: str, payload: Any) -> str:
    text = json.dumps([operation, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def idempotent(
    tx: Tx,
    principal_id: str,
    key: str | None,
    operation: str,
    payload: Any,
    run: Callable[[], Awaitable[T]],
) -> T:
    """`run()` unless this principal used `key` before: then the answer it gave then."""
    if key is None:
        return await run()
    if not 1 <= len(key) <= MAX_KEY:
        raise InvalidInput(
            "idempotencyKey: must have 1 to 200 characters",
            "idempotencyKey：须为 1 到 200 个字符",
            field="idempotencyKey",
        )
    plain("idempotencyKey", key)
    scope, print_ = f"{principal_id}:{key}", fingerprint(operation, payload)
    row = await tx.single(CLAIM, scope=scope, operation=operation, fingerprint=print_)
    assert row is not None
    if row["fingerprint"] != print_:
        raise Conflict(
            "idempotencyKey: was used before for a different request",
            "idempotencyKey：此前已用于不同的请求",
            field="idempotencyKey",
        )
    if row["response"] is not None:
        answer: T = json.loads(row["response"])
        return answer
    result = await run()
    await tx.run(ANSWER, scope=scope, response=json.dumps(result, default=str))
    return result
