// The console: sign-in, then the pages the principal's roles allow, by hash route.
import { useEffect, useState } from "preact/hooks";
import { acting, onActingChange } from "./acting";
import { signOut as endSession } from "./accounts";
import { onUnauthorized, setToken } from "./api";
import { AuthCard } from "./components/AuthCard";
import { Shell } from "./components/Shell";
import { Failure, Loading } from "./components/Status";
import { onLangChange, t } from "./i18n";
import { Account } from "./pages/Account";
import { Audit } from "./pages/Audit";
import { Capacity } from "./pages/Capacity";
import { Certificates } from "./pages/Certificates";
import { ConfirmEmail } from "./pages/ConfirmEmail";
import { Equipment } from "./pages/Equipment";
import { Home } from "./pages/Home";
import { Import } from "./pages/Import";
import { Inbox } from "./pages/Inbox";
import { Invitation } from "./pages/Invitation";
import { Offerings } from "./pages/Offerings";
import { OfferingSearch } from "./pages/OfferingSearch";
import { ParkNetwork } from "./pages/ParkNetwork";
import { Parks } from "./pages/Parks";
import { ForgotPassword, ResetPassword } from "./pages/PasswordReset";
import { Profile } from "./pages/Profile";
import { RequestDetail } from "./pages/RequestDetail";
import { RequestList } from "./pages/RequestList";
import { RequestNew } from "./pages/RequestNew";
import { Sites } from "./pages/Sites";
import { SignIn } from "./pages/SignIn";
import { SignUp } from "./pages/SignUp";
import { type Route, useRoute } from "./router";
import { fetchMe, hasRole, type Principal, type RoleKind } from "./session";

/** An admin acts for no organization of its own: it names one. */
function OrgChooser({ onChoose }: { onChoose: (uscc: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); if (value.trim()) onChoose(value.trim()); }}>
      <p class="lead">{t("org.chooseLead")}</p>
      <div class="field">
        <label for="org-uscc">{t("field.uscc")}</label>
        <input id="org-uscc" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </div>
      <div class="actions"><button type="submit" class="primary">{t("org.choose")}</button></div>
    </form>
  );
}

const PAGE_ROLE: Record<string, RoleKind> = {
  search: "REQUESTER", requests: "REQUESTER", inbox: "PROVIDER", profile: "PROVIDER", sites: "PROVIDER",
  offerings: "PROVIDER", equipment: "PROVIDER", certificates: "PROVIDER", capacity: "PROVIDER", import: "PROVIDER",
  parks: "OPERATOR", audit: "ADMIN",
};

function Page({ route, principal, chosen, choose, signedOut, refresh }: {
  route: Route; principal: Principal; chosen: string; choose: (uscc: string) => void; signedOut: () => void;
  refresh: () => void;
}) {
  const [head, second] = route.path;
  const role = PAGE_ROLE[head ?? ""];
  if (role && !hasRole(principal, role)) return <Failure error={t("common.forbidden")} />;
  // The organization chosen in the shell's switcher; admins name one (OrgChooser).
  const org = (kind: "PROVIDER" | "REQUESTER") => acting(principal, kind) ?? chosen;
  // An import names its organizations in its rows (the hub checks them): no org to choose.
  const needsOrg = (role === "PROVIDER" && head !== "import") || (head === "requests" && second === "new");
  if (needsOrg && !org(role === "PROVIDER" ? "PROVIDER" : "REQUESTER")) return <OrgChooser onChoose={choose} />;
  switch (head) {
    case "search": return <OfferingSearch />;
    case "requests":
      if (second === "new") return <RequestNew requester={org("REQUESTER")} initialCapability={route.query.get("capability") ?? ""} />;
      return second ? <RequestDetail id={second} /> : <RequestList requester={org("REQUESTER") || null} />;
    case "inbox": return <Inbox provider={org("PROVIDER")} />;
    case "profile": return <Profile uscc={org("PROVIDER")} />;
    case "sites": return <Sites uscc={org("PROVIDER")} />;
    case "offerings": return <Offerings uscc={org("PROVIDER")} />;
    case "equipment": return <Equipment uscc={org("PROVIDER")} />;
    case "certificates": return <Certificates uscc={org("PROVIDER")} />;
    case "capacity": return <Capacity uscc={org("PROVIDER")} />;
    case "import": return <Import principal={principal} />;
    case "parks": return second ? <ParkNetwork code={second} /> : <Parks principal={principal} />;
    case "audit": return <Audit />;
    case "account": case "notifications": return <Account principal={principal} onSignedOut={signedOut} />;
    case "invitation":
      return <Invitation token={route.query.get("token") ?? ""} principal={principal} onAccepted={refresh} />;
    default: return <Home principal={principal} />;
  }
}

/**
 * The pages of e-mail links and of signing up, which need no sign-in (the routes are the
 * hub's contract with its e-mails: hub/accounts/links.py, hub/members/service.py).
 */
function AccountPage({ route, principal }: { route: Route; principal: Principal | null }) {
  const token = route.query.get("token") ?? "";
  const next = route.query.get("next") ?? undefined;
  switch (route.path[0]) {
    case "sign-up": return <SignUp email={route.query.get("email") ?? ""} next={next} />;
    case "confirm-email": return <ConfirmEmail token={token} />;
    case "forgot-password": return <ForgotPassword />;
    case "reset-password": return <ResetPassword token={token} />;
    case "invitation": return <AuthCard><Invitation token={token} principal={principal} /></AuthCard>;
    default: return null;
  }
}

const SIGNED_IN_TOO = new Set(["confirm-email", "reset-password"]);
const PUBLIC = new Set([...SIGNED_IN_TOO, "sign-up", "forgot-password", "invitation"]);

export function App() {
  // Unknown until `me` answers: a token of this tab, or the session cookie, or nobody.
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const [, setLangVersion] = useState(0);
  const [chosen, setChosen] = useState("");
  const [, setActingVersion] = useState(0);
  const route = useRoute();

  useEffect(() => onLangChange(() => setLangVersion((v) => v + 1)), []);
  useEffect(() => onActingChange(() => setActingVersion((v) => v + 1)), []);
  useEffect(() => onUnauthorized(() => { setToken(null); setPrincipal(null); }), []);
  useEffect(() => {
    fetchMe().then(setPrincipal).catch(() => { setToken(null); setPrincipal(null); });
  }, []);

  if (principal === undefined) return <Loading />;
  const head = route.path[0] ?? "";
  if (principal === null || SIGNED_IN_TOO.has(head)) {
    if (PUBLIC.has(head)) return <AccountPage route={route} principal={principal} />;
  }
  if (principal === null) {
    return <SignIn next={route.query.get("next") ?? undefined} onSignedIn={(value, me) => {
      setToken(value);
      setPrincipal(me);
    }} />;
  }
  const signedOut = () => { setToken(null); setPrincipal(null); setChosen(""); window.location.hash = ""; };
  const signOut = () => {
    if (principal.signedInBy === "SESSION") void endSession().catch(() => undefined).finally(signedOut);
    else signedOut();
  };
  if (head === "sign-in" || head === "sign-up" || head === "forgot-password") {
    // Signed in: on to the page the sign-in was asked for (`next`, e.g. an invitation), or home.
    const next = route.query.get("next");
    window.location.hash = next && !next.startsWith("/") ? `#/${next}` : "";
    return <Loading />;
  }
  const current = route.path.join("/");
  // A page acts for one organization per role: switching it opens the page afresh.
  const actingFor = [acting(principal, "PROVIDER"), acting(principal, "REQUESTER")].join("|");
  return (
    <Shell principal={principal} current={current} onSignOut={signOut}>
      <Page key={`${current}|${actingFor}`} route={route} principal={principal} chosen={chosen} choose={setChosen}
        signedOut={signedOut} refresh={() => { fetchMe().then(setPrincipal).catch(() => undefined); }} />
    </Shell>
  );
}
