// Sign-in: with e-mail and password (a session cookie, the console's way), or with an API
// token pasted in (machines and admins; kept for this browser tab only, in sessionStorage).
import { useState } from "preact/hooks";
import { signIn } from "../accounts";
import { ApiError, isProblem } from "../api";
import { AuthCard } from "../components/AuthCard";
import { type FieldSpec, Form, useForm } from "../components/Form";
import { t } from "../i18n";
import { fetchMe, type Principal } from "../session";

const PASSWORD_SPECS: FieldSpec[] = [
  { name: "email", label: "account.email", kind: "email", required: true, wide: true },
  { name: "password", label: "account.password", kind: "password", required: true, wide: true },
];
const ALL_SPECS: FieldSpec[] = [
  ...PASSWORD_SPECS,
  { name: "totpCode", label: "account.totpCode", kind: "text", wide: true, hint: "account.totpHint" },
];

/** `next`: the route to open once signed in (an invitation, say). */
export function SignIn({ onSignedIn, next }: {
  onSignedIn: (token: string | null, principal: Principal) => void;
  next?: string;
}) {
  const [askCode, setAskCode] = useState(false);
  // The code's field is shown once the hub asks for it (an account with a second factor).
  const form = useForm(ALL_SPECS);
  const specs = askCode ? ALL_SPECS : PASSWORD_SPECS;
  const after = next ? `?next=${encodeURIComponent(next)}` : "";

  const submit = () => form.submit(
    async (input) => {
      const answer = await signIn(input);
      if (isProblem(answer) && answer.field === "totpCode") setAskCode(true);
      return answer;
    },
    (answer) => {
      if (isProblem(answer)) return;
      onSignedIn(null, answer.me);
    },
  );

  return (
    <AuthCard title="signin.title">
      <p class="lead">{t("signin.lead")}</p>
      <Form id="signin" specs={specs} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="signin.submit" busyLabel="signin.busy" onChange={form.setValues} onSubmit={submit} />
      <p class="auth-links">
        <a href={`#/forgot-password`}>{t("signin.forgot")}</a>
        {" · "}
        <a href={`#/sign-up${after}`}>{t("signin.signUp")}</a>
      </p>
      <details class="token-signin">
        <summary>{t("signin.withToken")}</summary>
        <TokenSignIn onSignedIn={onSignedIn} />
      </details>
    </AuthCard>
  );
}

function TokenSignIn({ onSignedIn }: { onSignedIn: (token: string, principal: Principal) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<ApiError | "empty" | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return setError("empty");
    setBusy(true);
    setError(null);
    try {
      onSignedIn(value, await fetchMe(value));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError("CLIENT", String(failure), String(failure), 0));
    } finally {
      setBusy(false);
    }
  };

  const message = error === "empty" ? t("form.required") : error?.text();
  return (
    <form onSubmit={submit} noValidate>
      <div class={`field wide${message ? " has-error" : ""}`}>
        <label for="token">{t("signin.token")}</label>
        <input id="token" type="password" autoComplete="off" value={token} aria-invalid={message ? true : undefined}
          aria-describedby={message ? "token-error" : "token-hint"} onInput={(e) => setToken(e.currentTarget.value)} />
        <p class="hint" id="token-hint">{t("signin.hint")}</p>
        {message && <p class="field-error" id="token-error">{message}</p>}
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>{busy ? t("signin.busy") : t("signin.tokenSubmit")}</button>
      </div>
    </form>
  );
}
