import { PROMPT_GLOSSARY } from "./_prompt_glossary.ts";
import { timeframeMs } from "../types/mod.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { Fact } from "./fact.ts";
import { LookAheadError } from "./look_ahead_error.ts";
import { rebase } from "./mask.ts";
import type { Persona } from "./persona.ts";

/** How a prompt is masked against the model's memory of markets. */
export interface PromptMasking {
  /** Times as `N bars ago` instead of ISO dates; default true. */
  relativeTimes?: boolean;
  /** A name shown instead of the symbol (`pseudonymFor(symbol)`); default null (the symbol is shown). */
  pseudonym?: string | null;
  /** Prices as `100 * price / base` (the first close shown, or `basePrice`); default true. */
  rebase?: boolean;
}

/** Options of {@link buildPrompt}. */
export interface BuildPromptOptions {
  persona: Persona;
  /** The facts (`computeFacts`); any fact available after `decisionTime` is refused. */
  facts: readonly Fact[];
  /** Epoch ms of the decision: the close time of the decision bar. */
  decisionTime: number;
  symbol: string;
  timeframe: string;
  masking?: PromptMasking;
  /** The 100 of rebased prices; default the oldest close shown (`close_lag_N`, else `close`). */
  basePrice?: number;
}

const STEPS = [
  "Work in these steps, each in its field of the answer:",
  "1. Situation analysis (situation): what the facts say about the market now.",
  "2. Signal generation (signals): the signal each of your factors gives, bullish, bearish or neutral.",
  "3. Synthesis (synthesis): how the signals combine; give each factor a weight, the weights sum to 1.",
  "4. Risk assessment (riskAssessment): what could go wrong, how far price could move against the view.",
  "5. Final recommendation (action, confidence, invalidationLevel): buy, sell, hold or close, with a confidence " +
  "from 0 to 1 and the price (as shown) at which the view is wrong, or null.",
].join("\n");

const ANSWER =
  "Answer with the JSON schema only. Cite every number you rely on in citations, with its fact id and the " +
  "value exactly as shown above; cite factors by their ids only.";

const FORMAT = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6, useGrouping: false });

/**
 * A number as prompts print it: at most 6 significant digits, no exponent, no thousands separator (`1234567.8` is
 * `1234570`, `0.000012345678` is `0.0000123457`). `Number(formatFactValue(x))` is the value the model sees and cites.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFactValue } from "./build_prompt.ts";
 * assert.equal(formatFactValue(1.23456789), "1.23457");
 * assert.equal(formatFactValue(-1234567.8), "-1234570");
 * assert.equal(formatFactValue(1e-7), "0.0000001");
 * assert.equal(formatFactValue(-0), "0");
 * ```
 */
export function formatFactValue(n: number): string {
  if (!Number.isFinite(n)) {
    throw new RangeError(`formatFactValue: a fact value must be a finite number, got ${n}; leave NaN facts out`);
  }
  if (n === 0) return "0";
  return FORMAT.format(n);
}

/**
 * The prompt of one persona at one decision time, built from facts only. It throws {@link LookAheadError} when any
 * fact became available after `decisionTime`.
 *
 * - `system`: the persona's template system prompt, its factor registry (`- id: description`) and the shared glossary
 *   of facts and answer rules (`_prompt_glossary.ts`, long enough for the API to cache the prefix), the stable prefix
 *   the API caches.
 * - `user`: a header (the asset or its pseudonym, the timeframe, "decision now"), one line per fact in the fixed form
 *   `- <id> = <value>[ <unit>] | <label> | known <N bars ago | ISO time>`, the five steps, the persona's
 *   instructions, and the answer rule.
 * - Masking (defaults: relative times, rebased prices): no absolute date appears with relative times, and facts with
 *   unit `price` (close, averages, bands, ATR, MACD, recent closes) print as `100 * value / base`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPrompt } from "./build_prompt.ts";
 * import { builtinPersonas } from "./builtin_personas.ts";
 * const persona = builtinPersonas().find((p) => p.name === "trend_follower")!;
 * const day = 86_400_000, now = Date.UTC(2024, 4, 2);
 * const prompt = buildPrompt({
 *   persona, decisionTime: now, symbol: "BTC/USDT", timeframe: "1d",
 *   masking: { pseudonym: "ASSET_Q" },
 *   facts: [
 *     { id: "close", label: "close of the latest bar", value: 63_000, unit: "price", availableAt: now },
 *     { id: "close_lag_1", label: "close 1 bar before the latest", value: 60_000, unit: "price", availableAt: now - day },
 *     { id: "ret_1", label: "return over 1 bars", value: 5, unit: "%", availableAt: now },
 *   ],
 * });
 * assert.match(prompt.user, /^- close = 105 price \| close of the latest bar \| known 0 bars ago$/m);
 * assert.match(prompt.user, /^- close_lag_1 = 100 price \| .* \| known 1 bar ago$/m);
 * assert.equal(prompt.shown.close, 105);
 * assert.ok(!/BTC|20\d\d/.test(prompt.user + prompt.system));
 * ```
 */
export function buildPrompt(options: BuildPromptOptions): DecisionPrompt {
  const { persona, facts, decisionTime, symbol, timeframe } = options;
  if (!Number.isFinite(decisionTime)) {
    throw new RangeError(`buildPrompt: decisionTime must be epoch ms, got ${decisionTime}`);
  }
  const relativeTimes = options.masking?.relativeTimes ?? true;
  const pseudonym = options.masking?.pseudonym ?? null;
  const rebased = options.masking?.rebase ?? true;
  const tf = timeframeMs(timeframe);
  const seen = new Set<string>();
  for (const f of facts) {
    if (f.availableAt > decisionTime) throw new LookAheadError(f.id, f.availableAt, decisionTime);
    if (seen.has(f.id)) {
      throw new RangeError(`buildPrompt: fact ${JSON.stringify(f.id)} is given twice; pass each once`);
    }
    seen.add(f.id);
  }
  let base = NaN;
  let baseNote = "";
  if (rebased) {
    if (options.basePrice !== undefined) {
      base = options.basePrice;
      baseNote = "Prices are rebased: 100 is the base price of the window, so levels are not real prices.";
    } else {
      let oldest: Fact | undefined;
      for (const f of facts) {
        if (f.id !== "close" && !f.id.startsWith("close_lag_")) continue;
        if (typeof f.value === "number" && (oldest === undefined || f.availableAt < oldest.availableAt)) oldest = f;
      }
      if (oldest === undefined) {
        throw new RangeError(
          `buildPrompt: rebase needs a base price and the facts hold no close; pass basePrice or masking.rebase false`,
        );
      }
      base = oldest.value as number;
      baseNote = `Prices are rebased: 100 is the first close shown (${oldest.id}), so levels are not real prices.`;
    }
    if (!(base > 0) || !Number.isFinite(base)) {
      throw new RangeError(`buildPrompt: the base price must be a finite number > 0, got ${base}; pass basePrice`);
    }
  }

  const shown: Record<string, number> = {};
  const lines: string[] = [];
  for (const f of facts) {
    let text: string;
    if (typeof f.value === "number") {
      const v = rebased && f.unit === "price" ? rebase(f.value, base) : f.value;
      text = formatFactValue(v);
      shown[f.id] = Number(text);
    } else {
      text = f.value;
    }
    const unit = f.unit === undefined || f.unit === "" ? "" : ` ${f.unit}`;
    lines.push(
      `- ${f.id} = ${text}${unit} | ${f.label} | known ${when(f.availableAt, decisionTime, tf, relativeTimes)}`,
    );
  }

  const asset = pseudonym ?? symbol;
  const header = [
    `Asset: ${asset}, ${timeframe} bars.`,
    relativeTimes
      ? "Decision now, at the close of the latest bar; times are counted in bars before it."
      : `Decision now, at the close of the latest bar (${new Date(decisionTime).toISOString()}).`,
  ];
  if (rebased) header.push(baseNote);
  const user = [
    header.join(" "),
    "",
    "Facts (id = value unit | meaning | when it became known):",
    ...lines,
    "",
    STEPS,
    ...(persona.template.instructions ? ["", persona.template.instructions] : []),
    "",
    ANSWER,
  ].join("\n");
  const system = systemOf(persona);
  return {
    persona: persona.name,
    templateVersion: persona.template.version,
    decisionTime,
    system,
    user,
    facts: [...facts],
    shown,
    masking: { relativeTimes, pseudonym, rebased },
  };
}

function when(availableAt: number, decisionTime: number, tf: number, relative: boolean): string {
  if (!relative) return new Date(availableAt).toISOString();
  const bars = Math.round((decisionTime - availableAt) / tf);
  return `${bars} bar${bars === 1 ? "" : "s"} ago`;
}

// One system text per persona object: the same string every call, so the request hash's memo of its JSON text (keyed
// by the string) finds it without rehashing 6 KB, and nothing rebuilds it per bar.
const systems = new WeakMap<Persona, string>();

function systemOf(persona: Persona): string {
  let system = systems.get(persona);
  if (system === undefined) {
    const registry = persona.factors.map((f) => `- ${f.id}: ${f.description}`).join("\n");
    system = `${persona.template.system}\n\nYour factors (cite them by id, from this list only):\n${registry}` +
      `\n\n${PROMPT_GLOSSARY}`;
    systems.set(persona, system);
  }
  return system;
}
