// The accounts API as the console uses it: sign-in by session, sign-up, links from e-mails.
import { gql, PROBLEM_FIELDS, type Problem } from "./api";
import { PRINCIPAL_FIELDS, type Principal } from "./session";

export type Answer<T> = T | Problem;

const RATE = "... on RateLimitedProblem { retryAfterSeconds }";

export interface SignedIn { __typename: "SignedIn"; csrfToken: string; me: Principal }

export async function signIn(input: Record<string, unknown>): Promise<Answer<SignedIn>> {
  const data = await gql<{ signIn: Answer<SignedIn> }>(
    `mutation($i: SignInInput!) { signIn(input: $i) { __typename
      ... on SignedIn { csrfToken me { ${PRINCIPAL_FIELDS} } } ${PROBLEM_FIELDS} ${RATE} } }`,
    { i: input }, null,
  );
  return data.signIn;
}

export async function signUp(input: Record<string, unknown>): Promise<Answer<{ __typename: "SignUpAccepted"; email: string }>> {
  const data = await gql<{ signUp: Answer<{ __typename: "SignUpAccepted"; email: string }> }>(
    `mutation($i: SignUpInput!) { signUp(input: $i) { __typename ... on SignUpAccepted { email } ${PROBLEM_FIELDS} ${RATE} } }`,
    { i: input }, null,
  );
  return data.signUp;
}

export async function confirmEmail(token: string): Promise<Answer<{ __typename: "EmailConfirmed" }>> {
  const data = await gql<{ confirmEmail: Answer<{ __typename: "EmailConfirmed" }> }>(
    `mutation($t: String!) { confirmEmail(token: $t) { __typename ${PROBLEM_FIELDS} } }`, { t: token }, null,
  );
  return data.confirmEmail;
}

export async function requestPasswordReset(email: string): Promise<Answer<{ __typename: "PasswordResetRequested" }>> {
  const data = await gql<{ requestPasswordReset: Answer<{ __typename: "PasswordResetRequested" }> }>(
    `mutation($e: String!) { requestPasswordReset(email: $e) { __typename ${PROBLEM_FIELDS} ${RATE} } }`, { e: email }, null,
  );
  return data.requestPasswordReset;
}

export async function resetPassword(token: string, newPassword: string): Promise<Answer<{ __typename: "PasswordReset" }>> {
  const data = await gql<{ resetPassword: Answer<{ __typename: "PasswordReset" }> }>(
    `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { __typename ${PROBLEM_FIELDS} } }`,
    { t: token, p: newPassword }, null,
  );
  return data.resetPassword;
}

export async function changePassword(
  currentPassword: string, newPassword: string,
): Promise<Answer<{ __typename: "PasswordChanged"; otherSessionsSignedOut: number }>> {
  const data = await gql<{ changePassword: Answer<{ __typename: "PasswordChanged"; otherSessionsSignedOut: number }> }>(
    `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { __typename
      ... on PasswordChanged { otherSessionsSignedOut } ${PROBLEM_FIELDS} ${RATE} } }`,
    { c: currentPassword, n: newPassword },
  );
  return data.changePassword;
}

/** Ends this session (its cookies are cleared by the answer). */
export async function signOut(): Promise<void> {
  await gql("mutation { signOut { signedOut } }", {}, null);
}

export async function signOutEverywhere(): Promise<number> {
  const data = await gql<{ signOutEverywhere: { sessions: number } }>("mutation { signOutEverywhere { sessions } }", {}, null);
  return data.signOutEverywhere.sessions;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  roles: { kind: string; scope: string | null }[] | null;
}

const TOKEN_FIELDS = "id name createdAt expiresAt revokedAt roles { kind scope }";

export async function apiTokens(): Promise<ApiToken[]> {
  const data = await gql<{ me: { apiTokens: ApiToken[] } }>(`{ me { apiTokens { ${TOKEN_FIELDS} } } }`);
  return data.me.apiTokens;
}

export async function createPersonalToken(
  input: Record<string, unknown>,
): Promise<Answer<{ __typename: "PersonalTokenCreated"; secret: string; token: ApiToken }>> {
  const data = await gql<{ createPersonalToken: Answer<{ __typename: "PersonalTokenCreated"; secret: string; token: ApiToken }> }>(
    `mutation($i: PersonalTokenInput!) { createPersonalToken(input: $i) { __typename
      ... on PersonalTokenCreated { secret token { ${TOKEN_FIELDS} } } ${PROBLEM_FIELDS} } }`,
    { i: input },
  );
  return data.createPersonalToken;
}

export async function revokePersonalToken(id: string): Promise<Answer<{ __typename: "ApiTokenRevoked" }>> {
  const data = await gql<{ revokePersonalToken: Answer<{ __typename: "ApiTokenRevoked" }> }>(
    `mutation($id: ID!) { revokePersonalToken(id: $id) { __typename ${PROBLEM_FIELDS} } }`, { id },
  );
  return data.revokePersonalToken;
}

export interface Invitation {
  id: string;
  email: string;
  uscc: string | null;
  park: string | null;
  role: string | null;
  nameZh: string;
  nameEn: string;
  invitedBy: string;
  expiresAt: string;
  state: string;
}

export async function invitation(token: string): Promise<Invitation | null> {
  const data = await gql<{ invitation: Invitation | null }>(
    `query($t: String!) { invitation(token: $t) { id email uscc park role nameZh nameEn invitedBy expiresAt state } }`,
    { t: token },
  );
  return data.invitation;
}

export async function acceptInvitation(token: string): Promise<Answer<{ __typename: "InvitationAccepted" }>> {
  const data = await gql<{ acceptInvitation: Answer<{ __typename: "InvitationAccepted" }> }>(
    `mutation($t: String!) { acceptInvitation(token: $t) { __typename ${PROBLEM_FIELDS} } }`, { t: token },
  );
  return data.acceptInvitation;
}

export async function enrolTotp(): Promise<Answer<{ __typename: "TotpEnrolment"; secret: string; uri: string }>> {
  const data = await gql<{ enrolTotp: Answer<{ __typename: "TotpEnrolment"; secret: string; uri: string }> }>(
    `mutation { enrolTotp { __typename ... on TotpEnrolment { secret uri } ${PROBLEM_FIELDS} } }`,
  );
  return data.enrolTotp;
}

export async function confirmTotp(code: string): Promise<Answer<{ __typename: "TotpChanged"; enabled: boolean }>> {
  const data = await gql<{ confirmTotp: Answer<{ __typename: "TotpChanged"; enabled: boolean }> }>(
    `mutation($c: String!) { confirmTotp(code: $c) { __typename ... on TotpChanged { enabled } ${PROBLEM_FIELDS} ${RATE} } }`,
    { c: code },
  );
  return data.confirmTotp;
}

export interface NotificationSetting {
  kind: string;
  on: boolean;
}

/** The signed-in person's notification settings (null for a principal that is not a person). */
export async function notificationSettings(): Promise<NotificationSetting[] | null> {
  const data = await gql<{ notificationSettings: NotificationSetting[] | null }>("{ notificationSettings { kind on } }");
  return data.notificationSettings;
}

export async function switchNotification(
  kind: string, on: boolean,
): Promise<Answer<{ __typename: "NotificationsChanged"; settings: NotificationSetting[] }>> {
  const data = await gql<{ switchNotification: Answer<{ __typename: "NotificationsChanged"; settings: NotificationSetting[] }> }>(
    `mutation($k: NotificationKind!, $on: Boolean!) { switchNotification(kind: $k, on: $on) {
      __typename ... on NotificationsChanged { settings { kind on } } ${PROBLEM_FIELDS} } }`,
    { k: kind, on },
  );
  return data.switchNotification;
}
