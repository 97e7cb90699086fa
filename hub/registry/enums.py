"""The registry's enums as GraphQL names them (OrgKind is `OrganizationKind`, Authority is
`CertificateAuthority`).

Strawberry names an enum when the first type using it is declared (unnamed, it takes the
Python name), so other areas' GraphQL modules take these from here, not from
hub.registry.model; the registry's own import hub.registry.types, which does too.
"""

from __future__ import annotations

import strawberry

from hub.registry.model import Authority, GmpGrade, Grain, InspectionOutcome, OrgKind

__all__ = ["Authority", "GmpGrade", "Grain", "InspectionOutcome", "OrgKind"]

strawberry.enum(OrgKind, name="OrganizationKind")
strawberry.enum(GmpGrade, name="GmpGrade")
strawberry.enum(Authority, name="CertificateAuthority")
strawberry.enum(InspectionOutcome, name="InspectionOutcome")
strawberry.enum(Grain, name="Grain")
