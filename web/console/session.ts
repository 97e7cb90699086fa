// Who is signed in: the principal from `me`, and what its roles let it see.
import { gql } from "./api";

export type RoleKind = "PROVIDER" | "REQUESTER" | "OPERATOR" | "ADMIN";

export interface Role {
  kind: RoleKind;
  scope: string | null;
}

export interface Person {
  email: string;
  displayName: string;
  language: string;
  totpEnabled: boolean;
}

export interface Principal {
  handle: string;
  roles: Role[];
  /** SESSION (signed in with e-mail and password) or TOKEN. */
  signedInBy?: string;
  person?: Person | null;
  /** Firms that require a second factor the person has not turned on: their roles wait. */
  secondFactorNeededFor?: string[];
}

export const PRINCIPAL_FIELDS =
  "handle signedInBy roles { kind scope } person { email displayName language totpEnabled } secondFactorNeededFor";
export const ME = `{ me { ${PRINCIPAL_FIELDS} } }`;

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
