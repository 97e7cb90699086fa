// The frame of every page: title bar with language switch and sign-out, navigation by role
// with the organization acted for in each role.
import type { ComponentChildren } from "preact";
import { lang, setLang, t } from "../i18n";
import type { MessageKey } from "../messages/zh";
import { href } from "../router";
import { hasRole, type Principal, type RoleKind } from "../session";
import { OrgSwitcher } from "./OrgSwitcher";

export interface NavItem {
  path: string;
  label: MessageKey;
}

export const NAV: { role: RoleKind; title: MessageKey; items: NavItem[] }[] = [
  {
    role: "REQUESTER",
    title: "nav.requester",
    items: [
      { path: "search", label: "nav.search" },
      { path: "requests/new", label: "nav.newRequest" },
      { path: "requests", label: "nav.requests" },
    ],
  },
  {
    role: "PROVIDER",
    title: "nav.provider",
    items: [
      { path: "inbox", label: "nav.inbox" },
      { path: "profile", label: "nav.profile" },
      { path: "sites", label: "nav.sites" },
      { path: "offerings", label: "nav.offerings" },
      { path: "equipment", label: "nav.equipment" },
      { path: "certificates", label: "nav.certificates" },
      { path: "capacity", label: "nav.capacity" },
      { path: "import", label: "nav.import" },
    ],
  },
  { role: "OPERATOR", title: "nav.operator", items: [{ path: "parks", label: "nav.parks" }] },
  { role: "ADMIN", title: "nav.admin", items: [{ path: "audit", label: "nav.audit" }] },
];

export function LanguageSwitch() {
  const next = lang() === "zh" ? "en" : "zh";
  return (
    <button type="button" class="lang" onClick={() => setLang(next)} lang={next === "zh" ? "zh-CN" : "en"}>
      {next === "zh" ? "中文" : "English"}
    </button>
  );
}

interface Props {
  principal: Principal;
  current: string;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Shell({ principal, current, onSignOut, children }: Props) {
  const sections = NAV.filter((s) => hasRole(principal, s.role));
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={href("")}>{t("app.title")}</a>
        <div class="who">
          <a class="handle" href="#/account" aria-current={current === "account" ? "page" : undefined}
            title={t("account.title")}>{principal.handle}</a>
          <LanguageSwitch />
          <button type="button" onClick={onSignOut}>{t("nav.signOut")}</button>
        </div>
      </header>
      <div class="body">
        <nav class="sidebar" aria-label={t("nav.main")}>
          {sections.map((section) => (
            <div class="nav-section">
              <h2>{t(section.title)}</h2>
              {(section.role === "PROVIDER" || section.role === "REQUESTER") && (
                <OrgSwitcher principal={principal} kind={section.role} />
              )}
              <ul>
                {section.items.map((item) => (
                  <li>
                    <a href={"#/" + item.path} aria-current={current === item.path ? "page" : undefined}>{t(item.label)}</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main class="content">{children}</main>
      </div>
    </div>
  );
}
