// The console: sign-in, then the pages the principal's roles allow, by hash route.
import { useEffect, useState } from "preact/hooks";
import { acting, onActingChange } from "./acting";
import { onUnauthorized, setToken, token } from "./api";
import { Shell } from "./components/Shell";
import { Failure, Loading } from "./components/Status";
import { onLangChange, t } from "./i18n";
import { Audit } from "./pages/Audit";
import { Capacity } from "./pages/Capacity";
import { Certificates } from "./pages/Certificates";
import { Equipment } from "./pages/Equipment";
import { Home } from "./pages/Home";
import { Import } from "./pages/Import";
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

function Page({ route, principal, chosen, choose }: {
  route: Route; principal: Principal; chosen: string; choose: (uscc: string) => void;
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
    default: return <Home principal={principal} />;
  }
}

export function App() {
  const [principal, setPrincipal] = useState<Principal | null | undefined>(token() ? undefined : null);
  const [, setLangVersion] = useState(0);
  const [chosen, setChosen] = useState("");
  const [, setActingVersion] = useState(0);
  const route = useRoute();

  useEffect(() => onLangChange(() => setLangVersion((v) => v + 1)), []);
  useEffect(() => onActingChange(() => setActingVersion((v) => v + 1)), []);
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
  // A page acts for one organization per role: switching it opens the page afresh.
  const actingFor = [acting(principal, "PROVIDER"), acting(principal, "REQUESTER")].join("|");
  return (
    <Shell principal={principal} current={current} onSignOut={signOut}>
      <Page key={`${current}|${actingFor}`} route={route} principal={principal} chosen={chosen} choose={setChosen} />
    </Shell>
  );
}
