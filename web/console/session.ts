// Who is signed in: the principal from `me`, and what its roles let it see.
import { gql } from "./api";

export type RoleKind = "PROVIDER" | "REQUESTER" | "OPERATOR" | "ADMIN";

export interface Role {
  kind: RoleKind;
  scope: string | null;
}

export interface Principal {
  handle: string;
  roles: Role[];
}

export const ME = "{ me { handle roles { kind scope } } }";

export async function fetchMe(withToken?: string): Promise<Principal> {
  const data = await gql<{ me: Principal }>(ME, {}, withToken);
  return data.me;
}

export function hasRole(principal: Principal, kind: RoleKind): boolean {
  return principal.roles.some((role) => role.kind === kind || role.kind === "ADMIN");
}

/** The organizations (USCCs) the principal acts for in this role, in the order given. */
export function scopes(principal: Principal, kind: RoleKind): string[] {
  return principal.roles.filter((r) => r.kind === kind && r.scope).map((r) => r.scope as string);
}
