// Form building (from paramFields and the backtest options) and form -> JSON request conversion.
import { parseRiskConfig, type RiskConfig } from "../risk/mod.ts";
import type { AnyStrategy, ParamField } from "../strategies/mod.ts";
import { ConfigError } from "../types/mod.ts";
import { paramFields } from "../strategies/mod.ts";
import type { Issue } from "./_errors.ts";
import { type Html, html } from "./_html.ts";

/** A submitted form as hono/validator parses it (repeated names become arrays). */
export type FormFields = Record<string, string | File | (string | File)[]>;

/** The last text value of a form field (a hidden `false` before a checkbox makes two values). */
export function field(form: FormFields, name: string): string | undefined {
  const v = form[name];
  const last = Array.isArray(v) ? v.at(-1) : v;
  return typeof last === "string" ? last : undefined;
}

/** A number when the text is one, else the trimmed text (so zod reports the bad value). */
function num(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === "") return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

const OPTION_NUMBERS = ["fee", "fixedFee", "spread", "slippage", "cash", "lot", "minNotional"] as const;
const OPTION_STOPS = ["stopLoss", "takeProfit", "trailingStop"] as const;
const OPTION_ENUMS = ["fill", "direction", "finalize"] as const;

/** Backtest options from form fields; empty fields are left out so their defaults apply. */
export function optionsFromForm(form: FormFields): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of OPTION_ENUMS) {
    const v = field(form, k);
    if (v) o[k] = v;
  }
  for (const k of [...OPTION_NUMBERS, ...OPTION_STOPS]) {
    const v = num(field(form, k));
    if (v !== undefined) o[k] = v;
  }
  const size = field(form, "size");
  if (size && size !== "all") o.size = { kind: size, value: num(field(form, "sizeValue")) };
  else if (size === "all") o.size = { kind: "all" };
  return o;
}

/**
 * Strategy params from `p.<name>` form fields, as text (the route converts them to the fields'
 * types). Built with `Object.fromEntries` so a `p.__proto__` field stays an own key and is
 * refused like any unknown one, rather than being dropped by an assignment.
 */
export function paramsFromForm(form: FormFields): Record<string, string> {
  const out: [string, string][] = [];
  for (const k of Object.keys(form)) {
    if (!k.startsWith("p.")) continue;
    const v = field(form, k);
    if (v !== undefined && v.trim() !== "") out.push([k.slice(2), v.trim()]);
  }
  return Object.fromEntries(out);
}

function rangeText(f: ParamField): string {
  const lo = f.min === undefined ? "" : `${f.minExclusive ? ">" : "≥"} ${f.min}`;
  const hi = f.max === undefined ? "" : `${f.maxExclusive ? "<" : "≤"} ${f.max}`;
  return [lo, hi].filter(Boolean).join(", ");
}

/**
 * A JSON Schema pattern (matched anywhere in the value, as zod matches it) as an HTML `pattern` attribute (which must
 * match the whole value): padded on both sides, so `b$` still means "ends with b" and `^[a-z]+$` is unchanged in
 * effect (its anchors still hold). Browsers compile the attribute with the `v` flag and ignore one that does not
 * compile there; the server checks the value either way.
 */
function htmlPattern(pattern: string): string {
  return `[\\s\\S]*(?:${pattern})[\\s\\S]*`;
}

/** Words for a string param's rule, beside its name: `text, 1–200 chars, pattern ^[a-z]+$`. */
function textRule(f: ParamField): string {
  const parts = ["text"];
  if (f.minLength !== undefined || f.maxLength !== undefined) {
    parts.push(`${f.minLength ?? 0}–${f.maxLength ?? "∞"} chars`);
  }
  if (f.pattern !== undefined) parts.push(`pattern ${f.pattern}`);
  return parts.join(", ");
}

/** Inputs for a strategy's params, with their defaults, ranges and step hints. */
export function paramInputs(strategy: AnyStrategy, values: Record<string, unknown> = {}): Html {
  const fields = paramFields(strategy);
  if (fields.length === 0) return html`<p class="muted">This strategy has no parameters.</p>`;
  return html`${
    fields.map((f) => {
      const v = values[f.name] ?? f.default;
      const title = f.description || f.name;
      if (f.type === "bool") {
        return html`<input type="hidden" name="p.${f.name}" value="false"><label class="check" title="${title}">
<input type="checkbox" name="p.${f.name}" value="true" ${
          v === true || v === "true" ? "checked" : ""
        }>${f.name}</label>`;
      }
      if (f.type === "enum") {
        return html`<label title="${title}">${f.name}<select name="p.${f.name}">${
          (f.options ?? []).map((o) => html`<option ${o === v ? "selected" : ""}>${o}</option>`)
        }</select></label>`;
      }
      if (f.type === "string") {
        const pattern = f.pattern === undefined ? "" : html`
          pattern="${htmlPattern(f.pattern)}"
        `;
        const minLength = f.minLength === undefined ? "" : html`
          minlength="${f.minLength}"
        `;
        const maxLength = f.maxLength === undefined ? "" : html`
          maxlength="${f.maxLength}"
        `;
        return html`
          <label
            title="${title}">${f.name} <span class="muted">${textRule(f)}</span><input type="text" name="p.${f
              .name}" value="${String(v)}"${pattern}${minLength}${maxLength}></label>
        `;
      }
      const min = f.min !== undefined && !f.minExclusive
        ? html`
          min="${f.min}"
        `
        : "";
      const max = f.max !== undefined && !f.maxExclusive
        ? html`
          max="${f.max}"
        `
        : "";
      const step = f.type === "int" ? String(f.step ?? 1) : "any";
      return html`
        <label
          title="${title}">${f.name} <span class="muted">${f.type}${rangeText(f)
            ? html`, ${rangeText(f)}`
            : ""}</span><input type="number" name="p.${f.name}" value="${String(v)}" step="${step}"${min}${max}></label>
      `;
    })
  }`;
}

function select(name: string, label: string, options: string[], value: unknown): Html {
  return html`<label>${label}<select name="${name}">${
    options.map((o) => html`<option ${o === value ? "selected" : ""}>${o}</option>`)
  }</select></label>`;
}

function number(name: string, label: string, value: unknown, hint: string): Html {
  return html`
    <label
      title="${hint}">${label}<input type="number" step="any" min="0" name="${name}" value="${value === undefined ||
          value === null
        ? ""
        : String(value)}" placeholder="${hint}"></label>
  `;
}

/** The backtest options inputs (every option of lib/backtest's BacktestOptions). */
export function optionInputs(values: Record<string, unknown> = {}): Html {
  const size = values.size as { kind?: string; value?: number } | undefined;
  return html`
    <fieldset><legend>Fills and costs</legend>
    ${select("fill", "fill", ["next_open", "close"], values.fill ?? "next_open")}
    ${number("fee", "fee (fraction)", values.fee ?? 0.001, "0.001 = 0.1% of notional")}
    ${number("fixedFee", "fixed fee per order", values.fixedFee, "0")}
    ${number("spread", "spread (fraction)", values.spread, "0")}
    ${number("slippage", "slippage (fraction)", values.slippage, "0")}
    </fieldset>
    <fieldset><legend>Sizing and risk</legend>
    ${number("cash", "starting cash", values.cash ?? 10_000, "10000")}
    ${select("size", "size", ["all", "fraction", "cash", "units"], size?.kind ?? "all")}
    ${number("sizeValue", "size value", size?.value, "for fraction/cash/units")}
    ${number("lot", "lot", values.lot, "0 = fractional")}
    ${number("minNotional", "min notional", values.minNotional, "0")}
    ${select("direction", "direction", ["long", "short", "both"], values.direction ?? "long")}
    ${number("stopLoss", "stop-loss (fraction)", values.stopLoss, "off")}
    ${number("takeProfit", "take-profit (fraction)", values.takeProfit, "off")}
    ${number("trailingStop", "trailing stop (fraction)", values.trailingStop, "off")}
    ${select("finalize", "at the end", ["close", "open"], values.finalize ?? "close")}
    </fieldset>
  `;
}

/** The optional "Risk limits (JSON)" textarea: a risk config (lib/risk); empty runs without limits. */
export function riskInput(text = ""): Html {
  return html`
    <fieldset>
      <legend>Risk limits</legend>
      <label class="wide">Risk limits (JSON)<textarea name="risk" id="risk" rows="6" spellcheck="false"
      placeholder="optional: a risk config, as in an account's risk.json">${text}</textarea></label>
      <p class="muted">Every order is first decided by the risk engine, as in paper trading; denied orders do not
    happen and are listed on the run's page.</p>
    </fieldset>
  `;
}

/**
 * The risk config of the form's `risk` textarea (`parseRiskConfig`): undefined when empty; an issue on `risk`
 * naming the field and the reason when it is not a valid config.
 */
export function riskFromForm(form: FormFields): { text: string; config?: RiskConfig; issue?: Issue } {
  const text = field(form, "risk") ?? "";
  if (text.trim() === "") return { text };
  try {
    return { text, config: parseRiskConfig(text, { source: "risk limits" }) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { text, issue: { path: ["risk"], message: (e as Error).message, code: "invalid_risk" } };
  }
}

/** The issues of a failed submission as a list. */
export function issueList(issues: readonly Issue[]): Html {
  if (issues.length === 0) return html``;
  return html`<div class="errors" role="alert"><strong>Please fix:</strong><ul>${
    issues.map((i) => html`<li><code>${i.path.join(".") || "form"}</code>: ${i.message}</li>`)
  }</ul></div>`;
}
