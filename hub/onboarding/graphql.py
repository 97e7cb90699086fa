"""GraphQL of onboarding: claim a firm, and the verifiers' queue with its decisions.

A registration is `registerOrganization` (hub/registry/graphql.py, with its `evidence`);
evidence files are uploaded and read over HTTP (hub/onboarding/http.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.api.context import Info
from hub.graphql.problems import Problems, attempt
from hub.onboarding import service
from hub.onboarding.http import PATH as EVIDENCE_PATH
from hub.onboarding.model import Asked, Evidence, State, Verification

strawberry.enum(Asked, name="VerificationAsked")
strawberry.enum(State, name="VerificationState")


@strawberry.type(name="Evidence", description="An uploaded business-licence scan or PDF.")
class EvidenceType:
    id: strawberry.ID
    media_type: str
    size: int
    sha256: str
    url: str = strawberry.field(
        description="GET it with the same credentials: its uploader, the firm's members, "
        "its verifiers and admins only."
    )

    @classmethod
    def of(cls, e: Evidence) -> EvidenceType:
        return cls(
            id=strawberry.ID(e.id),
            media_type=e.media_type,
            size=e.size,
            sha256=e.sha256,
            url=f"{EVIDENCE_PATH}/{e.id}",
        )


@strawberry.type(
    name="Verification",
    description="A firm's registration or a claim on a firm, awaiting (or given) a decision.",
)
class VerificationType:
    id: strawberry.ID
    uscc: str
    asked: Asked
    state: State
    asker: str = strawberry.field(description="The handle of who registered or claims it.")
    requested_at: datetime
    organization_name_zh: str
    organization_name_en: str
    organization_status: str
    evidence: EvidenceType | None
    decided_at: datetime | None
    decided_by: str | None
    reason_zh: str | None
    reason_en: str | None

    @classmethod
    def of(cls, v: Verification) -> VerificationType:
        return cls(
            id=strawberry.ID(v.id),
            uscc=v.uscc,
            asked=v.asked,
            state=v.state,
            asker=v.asker_handle,
            requested_at=v.requested_at,
            organization_name_zh=v.organization_name_zh,
            organization_name_en=v.organization_name_en,
            organization_status=v.organization_status,
            evidence=None if v.evidence is None else EvidenceType.of(v.evidence),
            decided_at=v.decided_at,
            decided_by=v.decided_by,
            reason_zh=v.reason_zh,
            reason_en=v.reason_en,
        )


@strawberry.type
class VerificationSaved:
    verification: VerificationType


VerificationResult = Annotated[VerificationSaved | Problems, strawberry.union("VerificationResult")]


@strawberry.type
class OnboardingQuery:
    @strawberry.field(
        description="Registrations and claims awaiting a decision you may take (admins: "
        "all; park operators: firms with a site in their parks), oldest first."
    )
    async def verification_queue(self, info: Info, first: int = 50) -> list[VerificationType]:
        ctx = info.context
        found = await service.queue(ctx.db, ctx.require_principal(), first)
        return [VerificationType.of(v) for v in found]


@strawberry.type
class OnboardingMutation:
    @strawberry.mutation(
        description="Claim a firm already in the hub (imported, loaded by a park) with "
        "your uploaded business licence: you become its member only once a verifier "
        "approves; its data stays as it is."
    )
    async def claim_organization(
        self, info: Info, uscc: str, evidence: strawberry.ID
    ) -> VerificationResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> VerificationSaved:
            v = await service.claim(ctx.db, principal, uscc, str(evidence))
            return VerificationSaved(verification=VerificationType.of(v))

        return await attempt(ctx.language, change)

    @strawberry.mutation(
        description="Approve a registration (the firm becomes public) or a claim (the "
        "claimant becomes a member); the asker is told by e-mail."
    )
    async def approve_verification(
        self,
        info: Info,
        id: strawberry.ID,
        reason_zh: str | None = None,
        reason_en: str | None = None,
    ) -> VerificationResult:
        return await _decide(info, str(id), True, reason_zh, reason_en)

    @strawberry.mutation(
        description="Reject a registration or a claim, with a reason (zh and/or en); the "
        "asker is told by e-mail. A rejected firm stays not public."
    )
    async def reject_verification(
        self,
        info: Info,
        id: strawberry.ID,
        reason_zh: str | None = None,
        reason_en: str | None = None,
    ) -> VerificationResult:
        return await _decide(info, str(id), False, reason_zh, reason_en)


async def _decide(
    info: Info, vid: str, approve: bool, reason_zh: str | None, reason_en: str | None
) -> VerificationSaved | Problems:
    ctx = info.context
    principal = ctx.require_principal()

    async def change() -> VerificationSaved:
        v = await service.decide(ctx.db, principal, vid, approve, reason_zh, reason_en)
        return VerificationSaved(verification=VerificationType.of(v))

    return await attempt(ctx.language, change)
