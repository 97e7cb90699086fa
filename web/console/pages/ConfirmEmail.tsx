// The page of the link mailed at sign-up (#/confirm-email?token=...): confirms the address.
import { useEffect, useState } from "preact/hooks";
import { confirmEmail } from "../accounts";
import { ApiError, isProblem, type Problem, problemText } from "../api";
import { AuthCard } from "../components/AuthCard";
import { t } from "../i18n";

export function ConfirmEmail({ token }: { token: string }) {
  const [outcome, setOutcome] = useState<"done" | Problem | ApiError | null>(null);
  useEffect(() => {
    confirmEmail(token)
      .then((answer) => setOutcome(isProblem(answer) ? answer : "done"))
      .catch((error: unknown) => setOutcome(error instanceof ApiError ? error : new ApiError("CLIENT", String(error), String(error), 0)));
  }, [token]);

  return (
    <AuthCard title="confirm.title">
      {outcome === null && <p class="lead" role="status">{t("confirm.busy")}</p>}
      {outcome === "done" && <p class="lead" role="status">{t("confirm.done")}</p>}
      {outcome instanceof ApiError && <div class="alert error" role="alert">{outcome.text()}</div>}
      {outcome !== null && outcome !== "done" && !(outcome instanceof ApiError) && (
        <div class="alert error" role="alert">{problemText(outcome)}</div>
      )}
      <p class="auth-links"><a href="#/sign-in">{t("account.toSignIn")}</a></p>
    </AuthCard>
  );
}
