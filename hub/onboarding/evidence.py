"""The file store of verification evidence: business-licence scans and PDFs.

A file is accepted when it is a PDF, PNG or JPEG by its first bytes (whatever it is called
or says it is) and at most `HUB_EVIDENCE_MAX_BYTES`. It is stored under a random id in the
evidence folder (HUB_EVIDENCE_DIR, by default `evidence/` in the state dir), never under a
name the uploader chose; its SHA-256 is recorded with it. The file is written (to a
temporary name, then renamed) before its node is committed: a failed commit can leave an
unreferenced file, never a node without its file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from hub.errors import InvalidInput, invalid
from hub.onboarding.model import Evidence

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class TooLarge(InvalidInput):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


def too_large(most: int) -> TooLarge:
    return TooLarge(f"file: larger than {most} bytes", f"file：文件超过 {most} 字节", field="file")


def media_type(data: bytes, most: int) -> str:
    """The file's type by its first bytes; InvalidInput naming `file` otherwise."""
    if len(data) > most:
        raise too_large(most)
    if not data:
        raise invalid("file", "the file is empty", "文件为空")
    for magic, media in MAGIC:
        if data.startswith(magic):
            return media
    raise invalid(
        "file",
        "not a PDF, PNG or JPEG file (a business licence's scan or PDF)",
        "不是 PDF、PNG 或 JPEG 文件（营业执照的扫描件或 PDF）",
    )


def _path(folder: Path, evidence_id: str) -> Path:
    # Ids are made here (hex), but a path is never built from what a caller gave unchecked.
    if not evidence_id.isalnum():
        raise ValueError(evidence_id)
    return folder / evidence_id


def store(folder: Path, data: bytes, most: int) -> Evidence:
    """Check and write the file; its record is the caller's to commit."""
    media = media_type(data, most)
    evidence = Evidence(secrets.token_hex(16), media, len(data), hashlib.sha256(data).hexdigest())
    folder.mkdir(parents=True, exist_ok=True)
    target = _path(folder, evidence.id)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, target)
    return evidence


def load(folder: Path, evidence: Evidence) -> bytes:
    return _path(folder, evidence.id).read_bytes()
