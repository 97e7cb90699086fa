// A forgotten password: ask for a link (#/forgot-password), then set a new one by the
// mailed link (#/reset-password?token=...). The answer never says whether the account exists.
import { useState } from "preact/hooks";
import { requestPasswordReset, resetPassword } from "../accounts";
import { AuthCard } from "../components/AuthCard";
import { type FieldSpec, Form, useForm } from "../components/Form";
import { t } from "../i18n";

const EMAIL: FieldSpec[] = [{ name: "email", label: "account.email", kind: "email", required: true, wide: true }];
const NEW_PASSWORD: FieldSpec[] = [
  { name: "newPassword", label: "account.newPassword", kind: "password", required: true, wide: true,
    hint: "account.passwordHint", autoComplete: "new-password" },
];

export function ForgotPassword() {
  const form = useForm(EMAIL);
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <AuthCard title="forgot.title">
      {sentTo ? <p class="lead" role="status">{t("forgot.sent", { email: sentTo })}</p> : (
        <>
          <p class="lead">{t("forgot.lead")}</p>
          <Form id="forgot" specs={EMAIL} values={form.values} errors={form.errors} formError={form.formError}
            busy={form.busy} submitLabel="forgot.submit" onChange={form.setValues}
            onSubmit={() => form.submit((input) => requestPasswordReset(String(input.email)),
              () => setSentTo(String(form.values.email).trim()))} />
        </>
      )}
      <p class="auth-links"><a href="#/sign-in">{t("account.toSignIn")}</a></p>
    </AuthCard>
  );
}

export function ResetPassword({ token }: { token: string }) {
  const form = useForm(NEW_PASSWORD);
  const [done, setDone] = useState(false);
  return (
    <AuthCard title="reset.title">
      {done ? <p class="lead" role="status">{t("reset.done")}</p> : (
        <Form id="reset" specs={NEW_PASSWORD} values={form.values} errors={form.errors} formError={form.formError}
          busy={form.busy} submitLabel="reset.submit" onChange={form.setValues}
          onSubmit={() => form.submit((input) => resetPassword(token, String(input.newPassword)), () => setDone(true))} />
      )}
      <p class="auth-links"><a href="#/sign-in">{t("account.toSignIn")}</a></p>
    </AuthCard>
  );
}
