// A list of one kind of registry record with a create/edit form and a retire button.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError, gql, PROBLEM_FIELDS, type Problem, problemText } from "../api";
import { t } from "../i18n";
import type { MessageKey } from "../messages/zh";
import { Form, type FieldSpec, useForm, type Values } from "./Form";
import { Empty } from "./Status";

export interface Column<R> {
  label: MessageKey;
  cell: (row: R) => ComponentChildren;
  num?: boolean;
}

interface Props<R> {
  id: string;
  title: MessageKey;
  rows: R[];
  columns: Column<R>[];
  specs: (editing: R | null) => FieldSpec[];
  blank: () => Values;
  values: (row: R) => Values;
  rowKey: (row: R) => string;
  rowLabel: (row: R) => string;
  /** The save mutation, e.g. saveSite; its input type, e.g. SiteInput. */
  mutation: string;
  inputType: string;
  /** The retire mutation, e.g. retireSite; none when records cannot be retired. */
  retire?: string;
  /** Adds what the form does not show (e.g. the organization's USCC). */
  complete: (input: Record<string, unknown>) => Record<string, unknown>;
  onChanged: () => void;
  rowClass?: (row: R) => string;
  /** Shown under the heading, e.g. expiry warnings. */
  banner?: ComponentChildren;
}

export function Editor<R>(props: Props<R>) {
  const [editing, setEditing] = useState<R | null | "new">(null);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<Problem | ApiError | null>(null);
  const current = editing === "new" ? null : editing;
  const specs = props.specs(current);
  const form = useForm(specs);

  const open = (row: R | "new") => {
    form.reset(row === "new" ? props.blank() : props.values(row));
    setEditing(row);
    setSaved(false);
  };
  const save = () => form.submit(async (input) => {
    const query = `mutation($i: ${props.inputType}!) { ${props.mutation}(input: $i) { __typename ${PROBLEM_FIELDS} } }`;
    return (await gql<Record<string, { __typename: string }>>(query, { i: props.complete(input) }))[props.mutation];
  }, () => {
    setEditing(null);
    setSaved(true);
    props.onChanged();
  });
  const retire = async (row: R) => {
    if (!props.retire || !window.confirm(t("editor.confirmRetire", { name: props.rowLabel(row) }))) return;
    setProblem(null);
    try {
      const query = `mutation($id: ID!) { ${props.retire}(id: $id) { __typename ${PROBLEM_FIELDS} } }`;
      const result = (await gql<Record<string, Problem>>(query, { id: props.rowKey(row) }))[props.retire];
      if (result.__typename.endsWith("Problem")) setProblem(result);
      else props.onChanged();
    } catch (e) {
      setProblem(e instanceof ApiError ? e : new ApiError("CLIENT", String(e), String(e), 0));
    }
  };

  const problemMessage = problem instanceof ApiError ? problem.text() : problem ? problemText(problem) : null;
  return (
    <section class="editor" aria-label={t(props.title)}>
      <div class="page-head">
        <h1>{t(props.title)}</h1>
        <button type="button" class="primary" onClick={() => open("new")}>{t("editor.add")}</button>
      </div>
      {props.banner}
      {saved && <div class="alert ok" role="status">{t("editor.saved")}</div>}
      {problemMessage && <div class="alert error" role="alert">{problemMessage}</div>}
      {editing !== null && (
        <div class="card">
          <h2>{editing === "new" ? t("editor.new") : t("editor.editing", { name: props.rowLabel(editing) })}</h2>
          <Form id={props.id} specs={specs} values={form.values} errors={form.errors} formError={form.formError}
            busy={form.busy} submitLabel="editor.save" onChange={form.setValues} onSubmit={save}>
            <button type="button" onClick={() => setEditing(null)}>{t("editor.cancel")}</button>
          </Form>
        </div>
      )}
      {props.rows.length === 0 ? <Empty text={t("editor.none")} /> : (
        <table aria-label={t(props.title)}>
          <thead><tr>{props.columns.map((c) => <th>{t(c.label)}</th>)}<th>{t("editor.actions")}</th></tr></thead>
          <tbody>
            {props.rows.map((row) => (
              <tr class={props.rowClass?.(row) ?? ""}>
                {props.columns.map((c) => <td class={c.num ? "num" : ""}>{c.cell(row)}</td>)}
                <td class="row-actions">
                  <button type="button" class="small" onClick={() => open(row)}
                    aria-label={t("editor.editRow", { name: props.rowLabel(row) })}>{t("editor.edit")}</button>
                  {props.retire && (
                    <button type="button" class="small danger" onClick={() => retire(row)}
                      aria-label={t("editor.retireRow", { name: props.rowLabel(row) })}>{t("editor.retire")}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
