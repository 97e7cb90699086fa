// Picks a taxonomy node: search by Chinese or English text, or browse the tree.
import { useEffect, useState } from "preact/hooks";
import { gql } from "../api";
import { pick, t } from "../i18n";
import { type Capability, capabilityName, loadTaxonomy } from "../reference";

interface Props {
  id: string;
  value: string;
  invalid?: boolean;
  describedBy?: string;
  onChange: (code: string) => void;
}

const SEARCH = "query($text: String!) { searchCapabilities(text: $text) { code level nameZh nameEn unitCode } }";

function Node({ node, onPick }: { node: Capability; onPick: (code: string) => void }) {
  const [open, setOpen] = useState(false);
  const name = pick(node.nameZh, node.nameEn);
  const children = node.children ?? [];
  return (
    <li>
      <div class="tree-row">
        {children.length ? (
          <button type="button" class="toggle" aria-expanded={open} aria-label={t(open ? "picker.collapse" : "picker.expand", { name })}
            onClick={() => setOpen(!open)}>{open ? "▾" : "▸"}</button>
        ) : <span class="toggle" aria-hidden="true" />}
        <button type="button" class="link" onClick={() => onPick(node.code)}>{name}</button>
        <code>{node.code}</code>
      </div>
      {open && <Tree nodes={children} onPick={onPick} />}
    </li>
  );
}

function Tree({ nodes, onPick }: { nodes: Capability[]; onPick: (code: string) => void }) {
  return <ul class="tree">{nodes.map((node) => <Node key={node.code} node={node} onPick={onPick} />)}</ul>;
}

export function CapabilityPicker({ id, value, invalid, describedBy, onChange }: Props) {
  const [text, setText] = useState("");
  const [found, setFound] = useState<Capability[]>([]);
  const [tree, setTree] = useState<Capability[] | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const [, setLoaded] = useState(0);

  useEffect(() => {
    loadTaxonomy().then((nodes) => { setTree(nodes); setLoaded((n) => n + 1); }).catch(() => undefined);
  }, []);

  useEffect(() => {
    const query = text.trim();
    if (!query) { setFound([]); return; }
    const timer = window.setTimeout(() => {
      gql<{ searchCapabilities: Capability[] }>(SEARCH, { text: query })
        .then((d) => setFound(d.searchCapabilities.slice(0, 12)))
        .catch(() => setFound([]));
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text]);

  const choose = (code: string) => {
    onChange(code);
    setText("");
    setFound([]);
    setBrowsing(false);
  };

  return (
    <div class="picker">
      {value && (
        <div class="chosen">
          <span class="chip" data-testid="chosen-capability">{capabilityName(value)}</span>
          <button type="button" class="link" onClick={() => onChange("")}>{t("picker.clear")}</button>
        </div>
      )}
      <div class="picker-row">
        <input id={id} type="search" value={text} placeholder={t("picker.placeholder")} autoComplete="off"
          aria-invalid={invalid || undefined} aria-describedby={describedBy} aria-controls={`${id}-options`}
          onInput={(e) => setText(e.currentTarget.value)} />
        <button type="button" onClick={() => setBrowsing(!browsing)} aria-expanded={browsing}>
          {browsing ? t("picker.hideTree") : t("picker.browse")}
        </button>
      </div>
      {found.length > 0 && (
        <ul class="options" role="listbox" id={`${id}-options`} aria-label={t("picker.results")}>
          {found.map((c) => (
            <li role="option" tabIndex={0} aria-selected={c.code === value}
              onClick={() => choose(c.code)} onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), choose(c.code))}>
              {pick(c.nameZh, c.nameEn)} <code>{c.code}</code>
            </li>
          ))}
        </ul>
      )}
      {browsing && tree && <div class="tree-box"><Tree nodes={tree} onPick={choose} /></div>}
    </div>
  );
}
