// The page of an invitation's link (#/invitation?token=...): what it invites to, and
// accepting it; someone not signed in is sent to sign in or sign up first, and back.
import { useEffect, useState } from "preact/hooks";
import { acceptInvitation, type Invitation as Invite, invitation } from "../accounts";
import { isProblem, type Problem, problemText } from "../api";
import { Failure, Loading } from "../components/Status";
import { formatDateTime, label, pick, t } from "../i18n";
import type { Principal } from "../session";

/** `onAccepted`: the roles changed (the console asks for them again). */
export function Invitation({ token, principal, onAccepted }: {
  token: string; principal: Principal | null; onAccepted?: () => void;
}) {
  const [invite, setInvite] = useState<Invite | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { invitation(token).then(setInvite).catch(setError); }, [token]);

  if (error) return <Failure error={error} />;
  if (invite === undefined) return <Loading />;
  if (invite === null) return <div class="alert error" role="alert">{t("invitation.unknown")}</div>;

  const back = encodeURIComponent(`invitation?token=${token}`);
  const accept = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await acceptInvitation(token);
      if (isProblem(answer)) setProblem(answer);
      else {
        setAccepted(true);
        onAccepted?.();
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  // Accepting changes the roles: the console reloads them, and this page with them.
  const done = accepted || (invite.state === "ACCEPTED" && principal?.person?.email === invite.email);
  const what = invite.park ? t("invitation.park") : label("MemberRole", invite.role ?? "");
  return (
    <section aria-labelledby="invitation-title">
      <h1 id="invitation-title">{t("invitation.title", { name: pick(invite.nameZh, invite.nameEn) })}</h1>
      <dl class="facts">
        <dt>{t("invitation.role")}</dt><dd>{what}</dd>
        <dt>{t("account.email")}</dt><dd>{invite.email}</dd>
        <dt>{t("invitation.invitedBy")}</dt><dd>{invite.invitedBy}</dd>
        <dt>{t("invitation.expiresAt")}</dt><dd>{formatDateTime(invite.expiresAt)}</dd>
        <dt>{t("invitation.state")}</dt><dd>{label("InvitationState", invite.state)}</dd>
      </dl>
      {done && <div class="alert ok" role="status">{t("invitation.accepted")}</div>}
      {problem && <div class="alert error" role="alert">{problemText(problem)}</div>}
      {!done && invite.state === "PENDING" && (principal ? (
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={accept}>{t("invitation.accept")}</button>
        </div>
      ) : (
        <p class="auth-links">
          {t("invitation.signInFirst")}{" "}
          <a href={`#/sign-in?next=${back}`}>{t("signin.submit")}</a>
          {" · "}
          <a href={`#/sign-up?next=${back}&email=${encodeURIComponent(invite.email)}`}>{t("signin.signUp")}</a>
        </p>
      ))}
    </section>
  );
}
