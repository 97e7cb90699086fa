// Sign up: e-mail, password, name and the language of the hub's e-mails; then "check your mail".
import { useState } from "preact/hooks";
import { signUp } from "../accounts";
import { isProblem } from "../api";
import { AuthCard } from "../components/AuthCard";
import { type FieldSpec, Form, useForm } from "../components/Form";
import { lang, t } from "../i18n";

const SPECS: FieldSpec[] = [
  { name: "email", label: "account.email", kind: "email", required: true, wide: true },
  { name: "password", label: "account.password", kind: "password", required: true, wide: true,
    hint: "account.passwordHint", autoComplete: "new-password" },
  { name: "displayName", label: "account.displayName", kind: "text", wide: true },
  { name: "language", label: "account.language", kind: "select", required: true, wide: true,
    options: [{ value: "zh", label: "中文" }, { value: "en", label: "English" }] },
];

export function SignUp({ email = "", next }: { email?: string; next?: string }) {
  const form = useForm(SPECS, { email, language: lang() });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const after = next ? `?next=${encodeURIComponent(next)}` : "";

  if (sentTo) {
    return (
      <AuthCard title="signup.checkMail">
        <p class="lead" role="status">{t("signup.sent", { email: sentTo })}</p>
        <p class="auth-links"><a href={`#/sign-in${after}`}>{t("account.toSignIn")}</a></p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="signup.title">
      <Form id="signup" specs={SPECS} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="signup.submit" onChange={form.setValues}
        onSubmit={() => form.submit((input) => signUp({ ...input, displayName: input.displayName ?? "" }), (answer) => { if (!isProblem(answer)) setSentTo(answer.email); })} />
      <p class="auth-links"><a href={`#/sign-in${after}`}>{t("signup.haveAccount")}</a></p>
    </AuthCard>
  );
}
