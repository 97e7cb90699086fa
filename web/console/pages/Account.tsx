// The signed-in person's account: password, second factor, notifications, personal API
// tokens, signing out everywhere.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  type ApiToken, apiTokens, changePassword, confirmTotp, createPersonalToken, enrolTotp, type NotificationSetting,
  notificationSettings, revokePersonalToken, signOutEverywhere, switchNotification,
} from "../accounts";
import { ApiError, isProblem, problemText } from "../api";
import { type FieldSpec, Form, useForm } from "../components/Form";
import { Empty, Failure, Loading } from "../components/Status";
import { formatDateTime, label, t } from "../i18n";
import type { Principal } from "../session";

const PASSWORD_SPECS: FieldSpec[] = [
  { name: "currentPassword", label: "account.currentPassword", kind: "password", required: true },
  { name: "newPassword", label: "account.newPassword", kind: "password", required: true,
    hint: "account.passwordHint", autoComplete: "new-password" },
];

export function Account({ principal, onSignedOut }: { principal: Principal; onSignedOut: () => void }) {
  const bySession = principal.signedInBy === "SESSION";
  return (
    <section>
      <h1>{t("account.title")}</h1>
      {principal.person && <p class="lead">{principal.person.displayName || principal.person.email} · {principal.person.email}</p>}
      {principal.person && <ChangePassword />}
      {(principal.secondFactorNeededFor ?? []).length > 0 && (
        <div class="alert error" role="alert">
          {t("totp.neededFor", { firms: (principal.secondFactorNeededFor ?? []).join(", ") })}
        </div>
      )}
      {principal.person && <SecondFactor enabled={principal.person.totpEnabled} />}
      {principal.person && <Notifications />}
      <Tokens principal={principal} />
      {bySession && <SignOutEverywhere onSignedOut={onSignedOut} />}
    </section>
  );
}

function ChangePassword() {
  const form = useForm(PASSWORD_SPECS);
  const [done, setDone] = useState<number | null>(null);
  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t("account.changePassword")}</h2>
      {done !== null && <div class="alert ok" role="status">{t("account.passwordChanged", { n: done })}</div>}
      <Form id="password" specs={PASSWORD_SPECS} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="account.changePassword" onChange={form.setValues}
        onSubmit={() => form.submit(
          (input) => changePassword(String(input.currentPassword), String(input.newPassword)),
          (answer) => { if (!isProblem(answer)) setDone(answer.otherSessionsSignedOut); form.reset({}); },
        )} />
    </section>
  );
}

function roleValue(kind: string, scope: string | null): string {
  return scope ? `${kind}:${scope}` : kind;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function Tokens({ principal }: { principal: Principal }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const specs: FieldSpec[] = [
    { name: "name", label: "tokens.name", kind: "text", required: true },
    { name: "expiresAt", label: "tokens.expiresAt", kind: "date", required: true, hint: "tokens.expiresHint" },
    { name: "roles", label: "tokens.roles", kind: "multi",
      options: principal.roles.map((r) => ({ value: roleValue(r.kind, r.scope), label: roleLabel(r.kind, r.scope) })) },
  ];
  const form = useForm(specs, { expiresAt: inDays(90) });
  const load = () => apiTokens().then(setTokens).catch(setError);
  useEffect(() => { void load(); }, []);

  const create = () => form.submit(
    (input) => createPersonalToken({
      name: input.name,
      expiresAt: new Date(`${String(input.expiresAt)}T23:59:59`).toISOString(), // the end of that day, here
      roles: (input.roles as string[]).map((value) => {
        const [kind, ...scope] = value.split(":");
        return { kind, scope: scope.length ? scope.join(":") : null };
      }),
    }),
    (answer) => {
      if (isProblem(answer)) return;
      setSecret(answer.secret);
      form.reset({ expiresAt: inDays(90) });
      void load();
    },
  );

  return (
    <section class="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t("tokens.title")}</h2>
      <p class="hint">{t("tokens.lead")}</p>
      {error ? <Failure error={error} /> : !tokens ? <Loading /> : tokens.length === 0 ? <Empty text={t("tokens.none")} /> : (
        <table aria-label={t("tokens.title")}>
          <thead><tr>
            <th>{t("tokens.name")}</th><th>{t("tokens.roles")}</th><th>{t("tokens.createdAt")}</th>
            <th>{t("tokens.expiresAt")}</th><th>{t("tokens.state")}</th><th />
          </tr></thead>
          <tbody>
            {tokens.map((token) => <TokenRow token={token} onRevoked={load} />)}
          </tbody>
        </table>
      )}
      {secret && (
        <div class="alert ok" role="status">
          <p>{t("tokens.secretOnce")}</p>
          <code class="secret" aria-label={t("tokens.secret")}>{secret}</code>
          <button type="button" onClick={() => setSecret(null)}>{t("tokens.hideSecret")}</button>
        </div>
      )}
      <h3>{t("tokens.create")}</h3>
      <Form id="token" specs={specs} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="tokens.create" onChange={form.setValues} onSubmit={create} />
    </section>
  );
}

function roleLabel(kind: string, scope: string | null): string {
  return scope ? `${label("RoleKind", kind)} · ${scope}` : label("RoleKind", kind);
}

function TokenRow({ token, onRevoked }: { token: ApiToken; onRevoked: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const revoke = async () => {
    if (!confirm(t("tokens.revokeConfirm", { name: token.name }))) return;
    try {
      const answer = await revokePersonalToken(token.id);
      if (isProblem(answer)) setProblem(problemText(answer));
      else onRevoked();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.text() : String(error));
    }
  };
  const roles = token.roles === null ? t("tokens.allRoles")
    : token.roles.map((r) => roleLabel(r.kind, r.scope)).join(", ") || "—";
  return (
    <tr>
      <td>{token.name}</td>
      <td>{roles}</td>
      <td>{formatDateTime(token.createdAt)}</td>
      <td>{token.expiresAt ? formatDateTime(token.expiresAt) : "—"}</td>
      <td>{token.revokedAt ? t("tokens.revoked") : t("tokens.active")}</td>
      <td>
        {!token.revokedAt && (
          <button type="button" onClick={revoke} aria-label={t("tokens.revokeNamed", { name: token.name })}>{t("tokens.revoke")}</button>
        )}
        {problem && <span class="field-error" role="alert">{problem}</span>}
      </td>
    </tr>
  );
}

function SignOutEverywhere({ onSignedOut }: { onSignedOut: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    try {
      await signOutEverywhere();
      onSignedOut();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.text() : String(failure));
    }
  };
  return (
    <section class="panel" aria-labelledby="everywhere-title">
      <h2 id="everywhere-title">{t("account.everywhereTitle")}</h2>
      <p class="hint">{t("account.everywhereLead")}</p>
      {error && <div class="alert error" role="alert">{error}</div>}
      <button type="button" onClick={run}>{t("account.signOutEverywhere")}</button>
    </section>
  );
}

const CODE: FieldSpec[] = [{ name: "code", label: "account.totpCode", kind: "text", required: true }];

/** Turning the second factor on: the app's secret (typed into the app), then one of its codes. */
function SecondFactor({ enabled }: { enabled: boolean }) {
  const [on, setOn] = useState(enabled);
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm(CODE);
  const enrol = async () => {
    setError(null);
    try {
      const answer = await enrolTotp();
      if (isProblem(answer)) setError(problemText(answer));
      else setEnrolment(answer);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.text() : String(failure));
    }
  };
  return (
    <section class="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">{t("totp.title")}</h2>
      {on ? <p role="status">{t("totp.on")}</p> : !enrolment ? (
        <>
          <p class="hint">{t("totp.lead")}</p>
          {error && <div class="alert error" role="alert">{error}</div>}
          <button type="button" onClick={enrol}>{t("totp.enrol")}</button>
        </>
      ) : (
        <>
          <p>{t("totp.secretLead")}</p>
          <code class="secret" aria-label={t("totp.secret")}>{enrolment.secret}</code>
          <p class="hint"><code>{enrolment.uri}</code></p>
          <Form id="totp" specs={CODE} values={form.values} errors={form.errors} formError={form.formError}
            busy={form.busy} submitLabel="totp.confirm" onChange={form.setValues}
            onSubmit={() => form.submit((input) => confirmTotp(String(input.code)), (answer) => {
              if (!isProblem(answer)) setOn(answer.enabled);
            })} />
        </>
      )}
    </section>
  );
}

/** Which notifications reach the person by e-mail: one switch per kind, saved at once. */
function Notifications() {
  const [settings, setSettings] = useState<NotificationSetting[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const switched = useRef(false);  // once switched, a switch's answer is newer than the first read
  useEffect(() => {
    notificationSettings().then((found) => { if (!switched.current) setSettings(found); },
      (failure) => setError(String(failure)));
  }, []);
  const toggle = async (kind: string, on: boolean) => {
    setError(null);
    switched.current = true;
    try {
      const answer = await switchNotification(kind, on);
      if (isProblem(answer)) setError(problemText(answer));
      else setSettings(answer.settings);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.text() : String(failure));
    }
  };
  return (
    <section class="panel" aria-labelledby="notifications-title" id="notifications">
      <h2 id="notifications-title">{t("notifications.title")}</h2>
      <p class="hint">{t("notifications.lead")}</p>
      {error && <div class="alert error" role="alert">{error}</div>}
      {!settings ? (error ? null : <Loading />) : (
        <ul class="switches">
          {settings.map((setting) => (
            <li key={setting.kind}>
              <label>
                <input type="checkbox" checked={setting.on}
                  onChange={(event) => toggle(setting.kind, (event.target as HTMLInputElement).checked)} />
                {" "}{label("notificationKind", setting.kind)}
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
