// Sign-in with an API token; the token is kept for this browser tab only (sessionStorage).
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { LanguageSwitch } from "../components/Shell";
import { t } from "../i18n";
import { fetchMe, type Principal } from "../session";

export function SignIn({ onSignedIn }: { onSignedIn: (token: string, principal: Principal) => void }) {
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
    <div class="signin">
      <div class="signin-card">
        <div class="signin-head">
          <h1>{t("app.title")}</h1>
          <LanguageSwitch />
        </div>
        <p class="lead">{t("signin.lead")}</p>
        <form onSubmit={submit} noValidate>
          <div class={`field wide${message ? " has-error" : ""}`}>
            <label for="token">{t("signin.token")}</label>
            <input id="token" type="password" autoComplete="off" value={token} aria-invalid={message ? true : undefined}
              aria-describedby={message ? "token-error" : "token-hint"} onInput={(e) => setToken(e.currentTarget.value)} />
            <p class="hint" id="token-hint">{t("signin.hint")}</p>
            {message && <p class="field-error" id="token-error">{message}</p>}
          </div>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{busy ? t("signin.busy") : t("signin.submit")}</button>
          </div>
        </form>
      </div>
    </div>
  );
}
