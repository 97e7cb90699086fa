// The organization the person acts for in one role, by name: a choice when the token
// carries several, a plain line when one. The provider and requester pages follow it.
import { useEffect, useState } from "preact/hooks";
import { acting, type ActingKind, setActing } from "../acting";
import { t } from "../i18n";
import { loadOrgNames, orgName } from "../reference";
import { type Principal, scopes } from "../session";

export function OrgSwitcher({ principal, kind }: { principal: Principal; kind: ActingKind }) {
  const usccs = scopes(principal, kind);
  const [, setNamesLoaded] = useState(0);
  useEffect(() => {
    loadOrgNames(usccs).then(() => setNamesLoaded((v) => v + 1)).catch(() => undefined);
  }, [principal]);
  if (!usccs.length) return null;
  const current = acting(principal, kind) ?? usccs[0];
  const id = `acting-${kind.toLowerCase()}`;
  const label = t(kind === "PROVIDER" ? "acting.provider" : "acting.requester");
  return (
    <div class="acting">
      {usccs.length === 1 ? (
        <>
          <span class="acting-label" id={`${id}-label`}>{label}</span>
          <p class="acting-name" aria-labelledby={`${id}-label`}>{orgName(current)}</p>
        </>
      ) : (
        <>
          <label for={id} class="acting-label">{label}</label>
          <select id={id} value={current} title={orgName(current)} aria-describedby={`${id}-uscc`}
            onChange={(e) => setActing(principal, kind, e.currentTarget.value)}>
            {usccs.map((uscc) => <option value={uscc}>{orgName(uscc)}</option>)}
          </select>
        </>
      )}
      <code id={`${id}-uscc`}>{current}</code>
    </div>
  );
}
