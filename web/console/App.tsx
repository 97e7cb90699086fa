// The console: sign-in, then the pages the principal's roles allow, by hash route.
import { useEffect, useState } from "preact/hooks";
import { onUnauthorized, setToken, token } from "./api";
import { Shell } from "./components/Shell";
import { Failure, Loading } from "./components/Status";
import { onLangChange, t } from "./i18n";
import { Audit } from "./pages/Audit";
import { Capacity } from "./pages/Capacity";
import { Certificates } from "./pages/Certificates";
import { Equipment } from "./pages/Equipment";
import { Home } from "./pages/Home";
import { Inbox } from "./pages/Inbox";
import { Offerings } from "./pages/Offerings";
import { OfferingSearch } from "./pages/OfferingSearch";
import { ParkNetwork } from "./pages/ParkNetwork";
import { Parks } from "./pages/Parks";
import { Profile } from "./pages/Profile";
import { RequestDetail } from "./pages/RequestDetail";
import { RequestList } from "./pages/RequestList";
import { RequestNew } from "./pages/RequestNew";
import { Sites } from "./pages/Sites";
import { SignIn } from "./pages/SignIn";
import { type Route, useRoute } from "./router";
import { fetchMe, hasRole, type Principal, type RoleKind, scopes } from "./session";

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
  offerings: "PROVIDER", equipment: "PROVIDER", certificates: "PROVIDER", capacity: "PROVIDER",
  parks: "OPERATOR", audit: "ADMIN",
};

function Page({ route, principal, chosen, choose }: {
  route: Route; principal: Principal; chosen: string; choose: (uscc: string) => void;
}) {
  const [head, second] = route.path;
  const role = PAGE_ROLE[head ?? ""];
  if (role && !hasRole(principal, role)) return <Failure error={t("common.forbidden")} />;
  const org = (kind: RoleKind) => scopes(principal, kind)[0] ?? chosen;
  const needsOrg = role === "PROVIDER" || (head === "requests" && second === "new");
  if (needsOrg && !org(role === "PROVIDER" ? "PROVIDER" : "REQUESTER")) return <OrgChooser onChoose={choose} />;
  switch (head) {
    case "search": return <OfferingSearch />;
    case "requests":
      if (second === "new") return <RequestNew requester={org("REQUESTER")} initialCapability={route.query.get("capability") ?? ""} />;
      return second ? <RequestDetail id={second} /> : <RequestList />;
    case "inbox": return <Inbox />;
    case "profile": return <Profile uscc={org("PROVIDER")} />;
    case "sites": return <Sites uscc={org("PROVIDER")} />;
    case "offerings": return <Offerings uscc={org("PROVIDER")} />;
    case "equipment": return <Equipment uscc={org("PROVIDER")} />;
    case "certificates": return <Certificates uscc={org("PROVIDER")} />;
    case "capacity": return <Capacity uscc={org("PROVIDER")} />;
    case "parks": return second ? <ParkNetwork code={second} /> : <Parks principal={principal} />;
    case "audit": return <Audit />;
    default: return <Home principal={principal} />;
  }
}

export function App() {
  const [principal, setPrincipal] = useState<Principal | null | undefined>(token() ? undefined : null);
  const [, setLangVersion] = useState(0);
  const [chosen, setChosen] = useState("");
  const route = useRoute();

  useEffect(() => onLangChange(() => setLangVersion((v) => v + 1)), []);
  useEffect(() => onUnauthorized(() => { setToken(null); setPrincipal(null); }), []);
  useEffect(() => {
    if (principal === undefined) fetchMe().then(setPrincipal).catch(() => { setToken(null); setPrincipal(null); });
  }, []);

  if (principal === undefined) return <Loading />;
  if (principal === null) {
    return <SignIn onSignedIn={(value, me) => { setToken(value); setPrincipal(me); }} />;
  }
  const signOut = () => { setToken(null); setPrincipal(null); setChosen(""); window.location.hash = ""; };
  const current = route.path.join("/");
  return (
    <Shell principal={principal} current={current} onSignOut={signOut}>
      <Page key={current} route={route} principal={principal} chosen={chosen} choose={setChosen} />
    </Shell>
  );
}
