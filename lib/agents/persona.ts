import { z } from "zod";

const slug = z.string().regex(
  /^[a-z][a-z0-9_]{0,63}$/,
  "snake_case, 1-64 characters: a-z, 0-9 and _, starting with a letter",
);

/**
 * One factor a persona weighs: the model cites factors by `id` (from this registry only), each with a direction and a
 * weight. For a rule persona, `fact` and `pivot` make the factor computable: its direction is
 * `sign(fact - pivot)` (times -1 when `invert`), so `trend` over `close_vs_sma_50` with pivot 0 is bullish above the
 * average.
 */
export const PersonaFactorSchema = z.strictObject({
  id: slug,
  /** What the factor means, in trader words (shown to the model). */
  description: z.string().min(1).max(400),
  /** Rule personas: the fact id the factor reads (see `FACT_KINDS`). */
  fact: z.string().max(64).optional(),
  /** Rule personas: the level separating bullish from bearish. Default 0. */
  pivot: z.number().finite().optional(),
  /** Rule personas: bullish below the pivot instead of above (a mean reverter's RSI). */
  invert: z.boolean().optional(),
  /** Rule personas: the factor's weight in the score (weights are normalised to sum to 1). */
  weight: z.number().finite().positive().optional(),
});
/** A factor of a persona's registry. */
export type PersonaFactor = z.infer<typeof PersonaFactorSchema>;

/**
 * What data a persona sees. Each entry becomes facts computed at the decision bar from bars `0..t` only:
 * - `indicators`: `lib/indicators` requests by key, `sma:close:20`, `ema:close:50`, `rsi:close:14`, `atr:14`,
 *   `z_score:close:20` (the fact id is the key with `:` replaced by `_`, e.g. `sma_close_20`);
 * - `returns`: lookbacks in bars for simple returns (`ret_5` = close[t] / close[t-5] - 1);
 * - `volatility`: the lookback of the annualised close-to-close volatility (`vol_20`);
 * - `regime`: a trend/volatility regime label (`regime`: `uptrend`, `downtrend`, `range`; `high_vol` flag);
 * - `position`: the account's current position in the symbol (`position`: -1, 0 or 1);
 * - `recentCloses`: how many recent closes to list (rebased when masked).
 */
export const PersonaSeesSchema = z.strictObject({
  indicators: z.array(z.string().min(1).max(64)).max(32).default([]),
  returns: z.array(z.number().int().positive().max(10_000)).max(16).default([]),
  volatility: z.number().int().min(2).max(10_000).optional(),
  regime: z.boolean().default(false),
  position: z.boolean().default(true),
  recentCloses: z.number().int().min(0).max(200).default(0),
});
/** The data a persona sees. */
export type PersonaSees = z.infer<typeof PersonaSeesSchema>;

/**
 * A persona is data: who it is, what it weighs, what it sees and how it is asked. Built-in personas are JSON files
 * in `lib/agents/personas/`; users add theirs as JSON files in the project's `personas/` folder (validated by this
 * schema; a bad file is an error naming the file, the field and the fix).
 *
 * `kind: "rule"` personas need no model: their decision is the sign of the weighted factor score (the baseline, and
 * what the free tests use). `kind: "llm"` personas are asked through `template` and answer with an
 * {@link AgentDecision}.
 */
export const PersonaSchema = z.strictObject({
  name: slug,
  kind: z.enum(["llm", "rule"]),
  title: z.string().min(1).max(80),
  /** The persona's job in the desk (`trend follower`, `risk officer`). */
  role: z.string().min(1).max(200),
  /** How it reasons and writes. */
  style: z.string().min(1).max(1_000),
  riskAppetite: z.enum(["low", "medium", "high"]),
  factors: z.array(PersonaFactorSchema).min(1).max(32),
  sees: PersonaSeesSchema,
  /**
   * The prompt template. `system` is the stable prefix (persona and instructions, cached by the API); `version` is
   * part of every request hash, so changing the wording never replays an old answer.
   */
  template: z.strictObject({
    version: z.string().min(1).max(32),
    system: z.string().min(1).max(20_000),
    /** Extra instructions appended to the user message, after the facts. */
    instructions: z.string().max(4_000).default(""),
  }),
  /** Rule personas: the score above which it buys (below minus which it sells). Default 0.2. */
  threshold: z.number().finite().min(0).max(1).optional(),
  /** LLM personas: the model and its sampling (defaults from the agents config). */
  model: z.strictObject({
    id: z.string().min(1).max(128).optional(),
    maxTokens: z.number().int().min(64).max(64_000).optional(),
    temperature: z.number().min(0).max(1).optional(),
  }).optional(),
});
/** A validated persona. */
export type Persona = z.infer<typeof PersonaSchema>;
