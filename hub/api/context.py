"""The typed context every resolver receives: who calls, the database, request-scoped
loaders, and the process-wide reference data (hub/reference/cache.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from strawberry.types import Info as StrawberryInfo

from hub.auth import bearer_secret, get_principal
from hub.errors import NotAuthenticated
from hub.graphql.context import RequestContext
from hub.identity import service
from hub.identity.model import Principal
from hub.reference import cache as reference_cache
from hub.reference.model import Park, Taxonomy
from hub.registry.loaders import RegistryLoaders
from hub.routing.loaders import RoutingLoaders


def visibility_of(principal: Principal) -> tuple[str, ...]:
    """Signed in or not, and the roles: all the registry's visibility rules read."""
    if principal.is_anonymous:
        return ("anonymous",)
    return ("signed-in", *sorted(str(r) for r in principal.roles))


async def caller_visibility(request: Request) -> tuple[str, ...]:
    """The caller's visibility, signed in as the dependencies sign in (for the cached
    answers sent before them: hub/graphql/cached_answers.py)."""
    return visibility_of(await get_principal(request, request.app.state.database))


@dataclass(kw_only=True)
class Context(RequestContext):
    principal: Principal
    registry: RegistryLoaders = field(init=False, repr=False)
    routing: RoutingLoaders = field(init=False, repr=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.registry = RegistryLoaders(self.db)
        self.routing = RoutingLoaders(self.db, self.principal)

    async def sign_in(self, authorization: str) -> None:
        self.principal = await service.authenticate(self.db, bearer_secret(authorization))
        self.routing = RoutingLoaders(self.db, self.principal)  # they read as the caller

    def visibility(self) -> tuple[str, ...]:
        return visibility_of(self.principal)

    @property
    def signed_in(self) -> bool:
        return not self.principal.is_anonymous

    def may_see_private(self, uscc: str) -> bool:
        """Contacts and internal notes: the organization's members and admins only."""
        return self.principal.may_act_for(uscc)

    def require_principal(self) -> Principal:
        """The signed-in principal; anonymous callers get 401."""
        if self.principal.is_anonymous:
            raise NotAuthenticated
        return self.principal

    async def taxonomy(self) -> Taxonomy:
        """The taxonomy, shared by the process: one read at a time, however many ask."""
        return await reference_cache.of(self.db).taxonomy.get()

    async def parks(self) -> dict[str, Park]:
        """All parks by code, shared by the process like the taxonomy."""
        return await reference_cache.of(self.db).parks.get()


Info = StrawberryInfo[Context, Any]
