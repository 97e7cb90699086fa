// The frame of the pages seen before signing in: the hub's name, the language switch, a card.
import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import type { MessageKey } from "../messages/zh";
import { LanguageSwitch } from "./Shell";

export function AuthCard({ title, children }: { title?: MessageKey; children: ComponentChildren }) {
  return (
    <div class="signin">
      <div class="signin-card">
        <div class="signin-head">
          <p class="brand">{t("app.title")}</p>
          <LanguageSwitch />
        </div>
        {title && <h1>{t(title)}</h1>}
        {children}
      </div>
    </div>
  );
}
