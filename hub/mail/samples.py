"""The values each kind of message is rendered with, by example: what a caller of
`enqueue` or `notify` must give (the tests render every template with them).

A value in both languages is a `{"zh": ..., "en": ...}` map; instants and days are ISO
text (any offset: they are shown in China time)."""

from __future__ import annotations

from typing import Any

from hub.mail.kinds import Kind

FIRM = {"zh": "示例生物制药（北京）有限公司", "en": "Example Biopharma (Beijing) Co., Ltd."}
REQUESTER = {"zh": "示例初创生物（虚构）", "en": "Example Startup Bio (fictional)"}
CONSOLE = "http://127.0.0.1:8000/console/"
TOKEN = "sample-one-time-token"  # noqa: S105 - shown in previews
EXPIRES = "2027-03-02T10:00:00+08:00"
MATCH = "6f1c9a52-1111-4c2e-9d7a-000000000001"
REQUEST = "6f1c9a52-2222-4c2e-9d7a-000000000002"
TITLE = "2,000 L fed-batch, clinical GMP"

SAMPLES: dict[Kind, dict[str, Any]] = {
    # The account kinds' links carry a one-time token: the accounts area makes them.
    Kind.CONFIRM_EMAIL: {
        "display_name": "Li Lei",
        "link": f"{CONSOLE}#/confirm-email?token={TOKEN}",
        "expires_at": EXPIRES,
    },
    Kind.RESET_PASSWORD: {
        "display_name": "Li Lei",
        "link": f"{CONSOLE}#/reset-password?token={TOKEN}",
        "expires_at": EXPIRES,
    },
    Kind.ACCOUNT_EXISTS: {
        "display_name": "Li Lei",
        "sign_in_link": f"{CONSOLE}#/sign-in",
        "reset_link": f"{CONSOLE}#/forgot-password",
    },
    Kind.INVITATION: {
        "inviter_name": "Han Meimei",
        "organization_name": FIRM,
        "role": {"zh": "服务方成员", "en": "a provider member"},
        "link": f"{CONSOLE}#/invitation?token={TOKEN}",
        "expires_at": EXPIRES,
    },
    Kind.REQUEST_ROUTED: {
        "organization_name": FIRM,
        "request_title": TITLE,
        "match_id": MATCH,
        "deadline": "2027-03-03T06:00:00+00:00",
    },
    Kind.DEADLINE_SOON: {
        "organization_name": FIRM,
        "request_title": TITLE,
        "match_id": MATCH,
        "deadline": "2027-03-03T06:00:00+00:00",
    },
    Kind.QUOTE_RECEIVED: {
        "provider_name": FIRM,
        "request_title": TITLE,
        "request_id": REQUEST,
        "price": 1250000,
        "currency": "CNY",
        "lead_time_days": 45,
        "valid_until": "2027-04-01T00:00:00+08:00",
    },
    Kind.AWARDED: {"organization_name": FIRM, "request_title": TITLE, "match_id": MATCH},
    Kind.NOT_AWARDED: {"organization_name": FIRM, "request_title": TITLE, "match_id": MATCH},
    Kind.REQUEST_CANCELLED: {"organization_name": FIRM, "request_title": TITLE, "match_id": MATCH},
    Kind.CERTIFICATE_EXPIRING: {
        "organization_name": FIRM,
        "authority": "nmpa_licence",
        "number": "京20230001",
        "valid_to": "2027-06-30",
        "days": 30,
    },
    Kind.CAPACITY_UNCONFIRMED: {
        "organization_name": FIRM,
        "last_confirmed": "2027-01-15T09:30:00+08:00",
    },
    Kind.VERIFICATION_PENDING: {"organization_name": REQUESTER, "uscc": "91110108MA00000000"},
    Kind.VERIFICATION_DECIDED: {
        "organization_name": REQUESTER,
        "uscc": "91110108MA00000000",
        "asked": "claim",
        "approved": False,
        "reason": {"zh": "营业执照与名称不符", "en": "The licence does not match the name"},
    },
}
