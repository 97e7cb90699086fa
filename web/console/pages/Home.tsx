// The landing page after sign-in: who you are and where to start.
import { NAV } from "../components/Shell";
import { label, t } from "../i18n";
import { hasRole, type Principal } from "../session";

export function Home({ principal }: { principal: Principal }) {
  const sections = NAV.filter((s) => hasRole(principal, s.role));
  return (
    <section>
      <h1>{t("home.title", { handle: principal.handle })}</h1>
      <p class="lead">{t("home.lead")}</p>
      <h2>{t("home.roles")}</h2>
      <ul class="roles" aria-label={t("home.roles")}>
        {principal.roles.map((r) => (
          <li><span class="badge info">{label("RoleKind", r.kind)}</span> {r.scope && <code>{r.scope}</code>}</li>
        ))}
      </ul>
      <div class="cards">
        {sections.map((s) => (
          <div class="card">
            <h3>{t(s.title)}</h3>
            <ul>{s.items.map((i) => <li><a href={"#/" + i.path}>{t(i.label)}</a></li>)}</ul>
          </div>
        ))}
      </div>
    </section>
  );
}
