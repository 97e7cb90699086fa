// Labelled form fields, and the server's field errors placed next to their fields.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError, isProblem, type Problem, problemText } from "../api";
import { t } from "../i18n";
import type { MessageKey } from "../messages/zh";
import { CapabilityPicker } from "./CapabilityPicker";

export type FieldKind =
  | "text" | "textarea" | "number" | "int" | "date" | "select" | "checkbox" | "list" | "multi" | "capability"
  | "email" | "password";

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: MessageKey;
  kind: FieldKind;
  /** Non-null in the API: an empty value is refused before sending. */
  required?: boolean;
  options?: Option[];
  hint?: MessageKey;
  readOnly?: boolean;
  wide?: boolean;
  /** A password field: "new-password" where one is chosen. */
  autoComplete?: string;
}

export type Value = string | string[] | boolean;
export type Values = Record<string, Value>;
export type Errors = Record<string, string>;

const EMPTY: Record<FieldKind, Value> = {
  text: "", textarea: "", email: "", password: "", number: "", int: "", date: "", select: "", checkbox: false, list: "", multi: [], capability: "",
};

export function emptyValues(specs: FieldSpec[], given: Values = {}): Values {
  return Object.fromEntries(specs.map((s) => [s.name, given[s.name] ?? EMPTY[s.kind]]));
}

/** Kinds whose value is a string as typed (an empty required one is sent as ""). */
const TEXTUAL: FieldKind[] = ["text", "textarea", "email", "password"];

/** Form values as a GraphQL input object; empty optional values become null. */
export function toInput(specs: FieldSpec[], values: Values): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (spec.kind === "checkbox" || spec.kind === "multi") input[spec.name] = value;
    else if (spec.kind === "list") {
      input[spec.name] = String(value).split(/[;,，；\n]/).map((s) => s.trim()).filter(Boolean);
    } else {
      const text = String(value).trim();
      if (text === "") input[spec.name] = TEXTUAL.includes(spec.kind) ? (spec.required ? "" : null) : null;
      else if (spec.kind === "number" || spec.kind === "int") input[spec.name] = Number(text);
      else input[spec.name] = spec.kind === "password" ? String(value) : text; // a password as typed
    }
  }
  return input;
}

/** Errors for empty non-null numbers, dates and choices (GraphQL would refuse the whole call). */
export function missing(specs: FieldSpec[], values: Values): Record<string, MessageKey> {
  const errors: Record<string, MessageKey> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    const typed = ![...TEXTUAL, "checkbox", "list", "multi"].includes(spec.kind);
    if (spec.required && typed && String(value).trim() === "") errors[spec.name] = "form.required";
    else if ((spec.kind === "number" || spec.kind === "int") && String(value).trim() !== "" && !Number.isFinite(Number(value))) {
      errors[spec.name] = "form.notNumber";
    }
  }
  return errors;
}

/** A problem's text for its field, without the "field:" prefix the API puts in front. */
export function fieldText(problem: Problem): string {
  const text = problemText(problem);
  if (!problem.field) return text;
  const prefix = new RegExp(`^${problem.field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*[:：]\\s*`);
  return text.replace(prefix, "");
}

/**
 * Places a problem next to its field when the form has it, else above the form. The API
 * names fields as its inputs (`needBy`, `quote.price`): the form field is the last part.
 */
export function placeProblem(problem: Problem, specs: FieldSpec[]): { errors: Errors; formError: string | null } {
  const name = problem.field?.split(".").pop() ?? null;
  if (name && specs.some((s) => s.name === name)) return { errors: { [name]: fieldText(problem) }, formError: null };
  return { errors: {}, formError: problemText(problem) };
}

interface FieldProps {
  spec: FieldSpec;
  value: Value;
  error?: string;
  idPrefix: string;
  onChange: (value: Value) => void;
}

export function Field({ spec, value, error, idPrefix, onChange }: FieldProps) {
  const id = `${idPrefix}-${spec.name}`;
  const described = [error ? `${id}-error` : "", spec.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-invalid": error ? true : undefined, "aria-describedby": described, disabled: spec.readOnly };
  const text = (e: Event) => onChange((e.currentTarget as HTMLInputElement).value);
  let control: ComponentChildren;
  switch (spec.kind) {
    case "textarea":
      control = <textarea {...common} rows={3} value={String(value)} onInput={text} />;
      break;
    case "select":
      control = (
        <select {...common} value={String(value)} onChange={text}>
          {!spec.required && <option value="">{t("form.none")}</option>}
          {spec.required && String(value) === "" && <option value="">{t("form.choose")}</option>}
          {spec.options?.map((o) => <option value={o.value}>{o.label}</option>)}
        </select>
      );
      break;
    case "checkbox":
      return (
        <div class={`field field-check${spec.wide ? " wide" : ""}`}>
          <label>
            <input type="checkbox" {...common} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />{" "}
            {t(spec.label)}
          </label>
          {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
        </div>
      );
    case "multi": {
      const chosen = value as string[];
      const toggle = (v: string, on: boolean) => onChange(on ? [...chosen, v] : chosen.filter((x) => x !== v));
      return (
        <fieldset class={`field wide${error ? " has-error" : ""}`} aria-describedby={described}>
          <legend>{t(spec.label)}</legend>
          <div class="choices">
            {spec.options?.map((o) => (
              <label class="choice">
                <input type="checkbox" checked={chosen.includes(o.value)} disabled={spec.readOnly}
                  onChange={(e) => toggle(o.value, e.currentTarget.checked)} /> {o.label}
              </label>
            ))}
          </div>
          {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
        </fieldset>
      );
    }
    case "capability":
      control = <CapabilityPicker id={id} value={String(value)} onChange={onChange} invalid={Boolean(error)} describedBy={described} />;
      break;
    default: {
      const type = spec.kind === "number" || spec.kind === "int" ? "number"
        : spec.kind === "date" || spec.kind === "email" || spec.kind === "password" ? spec.kind : "text";
      const step = spec.kind === "int" ? "1" : spec.kind === "number" ? "any" : undefined;
      const complete = spec.kind === "email" ? "email" : spec.kind === "password" ? spec.autoComplete ?? "current-password" : undefined;
      control = <input {...common} type={type as "text"} step={step} autoComplete={complete} value={String(value)} onInput={text} />;
    }
  }
  return (
    <div class={`field${spec.wide || spec.kind === "textarea" || spec.kind === "capability" ? " wide" : ""}${error ? " has-error" : ""}`}>
      <div class="label-row">
        <label for={id}>{t(spec.label)}</label>
        {spec.required && <span class="req" aria-hidden="true">*</span>}
      </div>
      {control}
      {spec.hint && <p class="hint" id={`${id}-hint`}>{t(spec.hint)}</p>}
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

interface FormProps {
  id: string;
  specs: FieldSpec[];
  values: Values;
  errors: Errors;
  formError?: string | null;
  busy?: boolean;
  submitLabel: MessageKey;
  busyLabel?: MessageKey;
  onChange: (values: Values) => void;
  onSubmit: () => void;
  children?: ComponentChildren;
}

export function Form(props: FormProps) {
  const { id, specs, values, errors } = props;
  return (
    <form class="form" id={id} aria-busy={props.busy} noValidate
      onSubmit={(e) => { e.preventDefault(); if (!props.busy) props.onSubmit(); }}>
      {props.formError && <div class="alert error" role="alert">{props.formError}</div>}
      <div class="grid">
        {specs.map((spec) => (
          <Field spec={spec} value={values[spec.name]} error={errors[spec.name]} idPrefix={id}
            onChange={(v) => props.onChange({ ...values, [spec.name]: v })} />
        ))}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          {props.busy ? t(props.busyLabel ?? "form.saving") : t(props.submitLabel)}
        </button>
        {props.busy && <span class="spinner" role="status" aria-label={t(props.busyLabel ?? "form.saving")} />}
        {props.children}
      </div>
    </form>
  );
}

/**
 * A form's state. Problems are kept as the API returned them (both languages), so that
 * switching the language re-renders them in the new one.
 */
export function useForm(specs: FieldSpec[], initial: Values = {}) {
  const [values, setValues] = useState(() => emptyValues(specs, initial));
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const placed = problem ? placeProblem(problem, specs) : { errors: {}, formError: null };
  const errors: Errors = { ...Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(v)])), ...placed.errors };
  const formError = placed.formError ?? failure?.text() ?? null;

  async function submit<R extends { __typename: string }>(
    send: (input: Record<string, unknown>) => Promise<R>,
    done: (result: R) => void,
  ): Promise<void> {
    const empty = missing(specs, values);
    setLocal(empty);
    setProblem(null);
    setFailure(null);
    if (Object.keys(empty).length) return;
    setBusy(true);
    try {
      const result = await send(toInput(specs, values));
      if (isProblem(result)) setProblem(result);
      else done(result);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError("CLIENT", String(error), String(error), 0));
    } finally {
      setBusy(false);
    }
  }

  const reset = (next: Values) => {
    setValues(emptyValues(specs, next));
    setLocal({});
    setProblem(null);
    setFailure(null);
  };
  return { values, setValues, reset, errors, formError, busy, submit };
}
