import { z } from "zod";
import { AccountNameSchema, FillSchema, OrderIntentSchema } from "../types/mod.ts";

// Every string is length-capped and every object strict: there is no field a credential could ride in
// unnoticed, and a runaway value (a whole prompt, a stack dump) cannot bloat the log.
const id = (max = 64): z.ZodString => z.string().min(1).max(max);
const text = (max = 1_000): z.ZodString => z.string().max(max);
const num = z.number().finite();
const pos = z.number().finite().positive();
const int = z.number().int();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a sha256 hex digest: 64 characters of 0-9 and a-f");
/** Scalar parameter values (strategy params, config values). */
const scalar = z.union([z.number().finite(), z.string().max(1_000), z.boolean(), z.null()]);
const params = z.record(z.string().max(64), scalar);
/** Free-form JSON for config snapshots and diffs. */
const json = z.json();
const symbol = id(64);
const by = z.enum(["operator", "rule"]);

/** `run_started`: a runner began a run on the account. `startingCash` seeds the account's cash on its first run. */
export const RunStartedSchema = z.strictObject({
  mode: z.enum(["paper", "live", "replay"]),
  strategy: id(128).optional(),
  codeHash: hex64.optional(),
  params: params.optional(),
  symbols: z.array(symbol).max(1_000).optional(),
  startingCash: pos.optional(),
  currency: id(16).optional(),
  configHash: hex64.optional(),
});
/** `run_stopped`: the run ended (`reason`: end of data, Ctrl-C, error). */
export const RunStoppedSchema = z.strictObject({ reason: text(), error: text(4_000).optional() });
/** `bar`: a closed bar the strategy saw: enough to prove which data a decision was made on. */
export const BarSeenSchema = z.strictObject({
  symbol,
  timeframe: id(8),
  exchange: id(64).optional(),
  ts: int,
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num,
  /** sha256 of the data the decision saw (e.g. the window of bars, or the series' part hash). */
  dataHash: hex64,
});
/** One symbol's closed bar inside a `bars` event. */
export const BarInBatchSchema = z.strictObject({
  symbol,
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num,
  /** sha256 of every bar of this symbol the runner has seen, chained (`sha256(previous + "ts,o,h,l,c,v")`). */
  dataHash: hex64,
});
/**
 * `bars`: the closed bars of one open time that the runner decided on together, one per symbol (the runner's form
 * of `bar`: one event per batch keeps a 100-symbol replay at one row per minute, not a hundred).
 */
export const BarsSeenSchema = z.strictObject({
  timeframe: id(8),
  exchange: id(64).optional(),
  ts: int,
  bars: z.array(BarInBatchSchema).min(1).max(10_000),
});
/** `signal`: what the strategy said on a bar. */
export const SignalSchema = z.strictObject({
  strategy: id(128),
  symbol,
  barTs: int,
  action: z.enum(["enter_long", "exit_long", "enter_short", "exit_short", "target", "none"]),
  targetWeight: num.optional(),
  strength: num.optional(),
});
/**
 * One model call behind a decision: the audit chain's request and response hashes (keys of the LLM store). Whether
 * the answer came from the API or the store is deliberately not here: a replayed run must chain to the same head.
 */
export const DecisionCallSchema = z.strictObject({
  requestHash: hex64,
  responseHash: hex64,
  model: id(128),
  inputTokens: int.nonnegative(),
  outputTokens: int.nonnegative(),
  cacheReadTokens: int.nonnegative(),
  cacheWriteTokens: int.nonnegative(),
  costUsd: num.nonnegative(),
});
/**
 * `decision`: a decision with its factors: a rule's, an LLM persona's (`agent` is the persona's name), or a debate's
 * vote (`agent: "vote"`, with `vote`). For an LLM persona the audit chain is `calls` (request hash -> response hash,
 * the first answer and, after a failed validation, the repair) -> `validation` -> the `risk_verdict`, orders and
 * fills that share its `correlationId`. An abstention is `action: "abstain"` with `abstainReason` and `detail`:
 * recorded, never a silent hold.
 */
export const DecisionSchema = z.strictObject({
  agent: id(128),
  action: z.enum(["buy", "sell", "hold", "close", "abstain"]),
  confidence: z.number().min(0).max(1),
  reasoning: text(16_000),
  factors: z.array(z.strictObject({
    name: id(128),
    weight: num,
    value: num.optional(),
    note: text().optional(),
    direction: z.enum(["bullish", "bearish", "neutral"]).optional(),
  })).max(100),
  targetWeights: z.record(symbol, num),
  riskAssessment: text(4_000).optional(),
  symbol: symbol.optional(),
  /** Open time of the decision bar. */
  barTs: int.optional(),
  /** When the decision was made: the decision bar's close (facts later than this are refused). */
  decisionTime: int.optional(),
  /** Debate round (0: independent; 1..: rebuttals). */
  round: int.nonnegative().optional(),
  /** The persona's last round: the position the vote counted. */
  final: z.boolean().optional(),
  /**
   * sha256 of the prompt's text (system, two newlines, user) of a decision made without a model call (a rule
   * persona); an LLM persona's prompt is covered by its `requestHash`.
   */
  promptHash: hex64.optional(),
  /** The final answer's request and response hashes (= the last of `calls`). */
  requestHash: hex64.optional(),
  responseHash: hex64.optional(),
  calls: z.array(DecisionCallSchema).max(8).optional(),
  /** `ok`, `repaired` (the first answer failed and the repair passed), `rule` (no model), or the abstention's reason. */
  validation: z.enum(["ok", "repaired", "rule", "refusal", "max_tokens", "invalid", "api_error", "budget", "no_data"])
    .optional(),
  abstainReason: z.enum(["refusal", "max_tokens", "invalid", "api_error", "budget", "no_data"]).optional(),
  /** What failed (the zod issues, the stop reason, the API status). */
  detail: text(4_000).optional(),
  invalidationLevel: num.nullable().optional(),
  /** Dollars of the calls behind this decision (store hits priced as if called). */
  costUsd: num.nonnegative().optional(),
  /** A debate's vote: the rule, the weights used, the net score, the disagreement and who dissented. */
  vote: z.strictObject({
    rule: z.enum(["weighted_vote", "moderator"]),
    weights: z.record(id(128), num),
    net: num,
    disagreement: z.number().min(0).max(1),
    dissent: z.array(id(128)).max(100),
    abstained: z.array(id(128)).max(100),
    rounds: int.nonnegative(),
  }).optional(),
});
/** `risk_verdict`: the risk engine's verdict on an intent (`level` says what a denial does). */
export const RiskVerdictSchema = z.strictObject({
  clientOrderId: id(),
  ok: z.boolean(),
  code: id(64),
  level: z.enum(["warning", "pause", "kill"]).optional(),
  detail: text(),
});
/** `order_submitted`: the intent went to the broker. */
export const OrderSubmittedSchema = z.strictObject({ clientOrderId: id(), broker: id(64).optional() });
/** `order_acknowledged`: the broker accepted it under its own id. */
export const OrderAcknowledgedSchema = z.strictObject({ clientOrderId: id(), exchangeOrderId: id(128) });
/** `order_rejected`: the broker refused it. */
export const OrderRejectedSchema = z.strictObject({ clientOrderId: id(), reason: text() });
/** `order_cancelled`: cancelled before it filled completely. */
export const OrderCancelledSchema = z.strictObject({ clientOrderId: id(), reason: text() });
/**
 * `order_expired`: the exchange ended the order without filling the rest (an IOC/FOK remainder, a GTD order past
 * its time, an exchange-side expiry). Like `order_cancelled`, it ends the order; its fills stand.
 */
export const OrderExpiredSchema = z.strictObject({ clientOrderId: id(), reason: text() });
/**
 * `order_dry_run`: an approved order a dry run (an account that is not armed) would have sent, with what it would
 * have sent and why it did not. It ends the order intent: nothing reached the exchange, so no outcome is pending,
 * a reconciliation never looks it up and a restart never sends it. Not a rejection (no broker refused anything):
 * monitors and alerts keep it apart from `order_rejected`.
 */
export const OrderDryRunSchema = z.strictObject({
  clientOrderId: id(),
  symbol,
  side: z.enum(["buy", "sell"]),
  qty: pos,
  type: z.enum(["market", "limit"]),
  /** Reference price of the intent (the expected fill), when known. */
  price: pos.optional(),
  reason: text(),
});
const nonneg = z.number().finite().nonnegative();
/** One order a reconciliation looked up (lib/runner's `OrderResolution`). */
export const ReconciledOrderSchema = z.strictObject({
  clientOrderId: id(),
  /**
   * Where it stands at the exchange; `never_arrived`: not found after its window closed (it may be sent again under
   * the same id); `pending`: its window is still open; `missing`: the log held it as open, the exchange has none.
   */
  outcome: z.enum([
    "open",
    "partially_filled",
    "filled",
    "cancelled",
    "expired",
    "rejected",
    "never_arrived",
    "pending",
    "missing",
  ]),
  exchangeOrderId: id(128).optional(),
  /** Quantity filled at the exchange. */
  filled: nonneg.optional(),
  /** Executions the log did not hold yet (each is logged as its own fill event). */
  newFills: int.nonnegative().optional(),
  /** For `never_arrived` / `pending`: when (our clock, epoch ms) the order can no longer appear. */
  resolveAfter: int.optional(),
});
/** An open order at the exchange that the log does not know (lib/runner's `BrokerOrderStatus`, in part). */
export const UnknownOpenOrderSchema = z.strictObject({
  symbol,
  exchangeOrderId: id(128),
  /** The client id the exchange holds (another program's, or a stand-in). */
  exchangeClientId: id(128).optional(),
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit"]).optional(),
  qty: pos,
  filled: nonneg,
  price: pos.optional(),
});
/** An asset whose exchange balance (free + locked) differs from the holdings rebuilt from the log. */
export const BalanceMismatchSchema = z.strictObject({ asset: id(32), expected: num, actual: num, diff: num });
/**
 * `reconciliation`: the report of comparing the log with the exchange (on start, after a reconnect, or asked for):
 * the log's unresolved and open orders as resolved by their lookups, open orders the log does not know, balances
 * that differ. `needsAck` (true exactly when `ok` is false) puts the account in `reducing` until an `operator_ack`
 * names this event's seq: replay holds it there even through a `resume`. Nothing is fixed by the report itself.
 */
export const ReconciliationSchema = z.strictObject({
  trigger: z.enum(["start", "reconnect", "operator", "scheduled"]),
  broker: id(64).optional(),
  ok: z.boolean(),
  needsAck: z.boolean(),
  /** The trading state the report puts the account in (`reducing` when `needsAck`). */
  tradingState: z.enum(["active", "reducing"]),
  resolved: z.array(ReconciledOrderSchema).max(10_000),
  unknownOpenOrders: z.array(UnknownOpenOrderSchema).max(10_000),
  balanceMismatches: z.array(BalanceMismatchSchema).max(1_000),
  /** One line per finding, for the operator. */
  messages: z.array(text()).max(1_000).optional(),
}).refine((r) => r.needsAck === !r.ok && (r.tradingState === "reducing") === r.needsAck, {
  message: "needsAck must be !ok, and tradingState 'reducing' exactly when needsAck (as lib/runner's reconcile says)",
  path: ["needsAck"],
});
/**
 * `operator_ack`: an operator acknowledges a reconciliation that needed it (`reconciliationSeq`, that event's seq),
 * having looked at the report: it and every earlier one still waiting are acknowledged, and the account returns to
 * the state pause / resume / kill left it in. An ack naming a seq that is not a reconciliation waiting for one
 * changes nothing.
 */
export const OperatorAckSchema = z.strictObject({
  reconciliationSeq: int.positive(),
  /** Who acknowledged (a name or handle, never a credential). */
  operator: id(128).optional(),
  /** What was checked or done (e.g. "cancelled the stray order at the exchange"). */
  note: text(),
});
/** `pause`: the account goes to `reducing` (exits only). */
export const PauseSchema = z.strictObject({ by, reason: text(), rule: id(64).optional() });
/** `resume`: back to `active`. */
export const ResumeSchema = z.strictObject({ by, reason: text() });
/** `kill`: the account is `halted`; `flatten` says whether positions are closed. */
export const KillSchema = z.strictObject({ by, reason: text(), flatten: z.boolean(), rule: id(64).optional() });
/**
 * `config_change`: a config (`target`: `account`, `risk`, a strategy name) changed; `before`/`after` or `diff`, and
 * the hash of the config now in force. An `account` change whose `after.startingCash` is a number seeds the cash.
 */
export const ConfigChangeSchema = z.strictObject({
  target: id(128),
  before: json.optional(),
  after: json.optional(),
  diff: json.optional(),
  configHash: hex64,
});
/** Backtest options of a promoted sleeve (lib/backtest's `BacktestOptions`, every field optional, same names). */
const backtestOptions = z.strictObject({
  fill: z.enum(["next_open", "close"]).optional(),
  fee: num.min(0).optional(),
  fixedFee: num.min(0).optional(),
  spread: num.min(0).optional(),
  slippage: num.min(0).optional(),
  cash: pos.optional(),
  size: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("all") }),
    z.strictObject({ kind: z.enum(["fraction", "cash", "units"]), value: pos }),
  ]).optional(),
  lot: num.min(0).optional(),
  minNotional: num.min(0).optional(),
  direction: z.enum(["long", "short", "both"]).optional(),
  stopLoss: pos.nullable().optional(),
  takeProfit: pos.nullable().optional(),
  trailingStop: pos.nullable().optional(),
  finalize: z.enum(["close", "open"]).optional(),
  asset: id(64).optional(),
});
/**
 * `promotion`: a strategy version was promoted to the account, with the run ids of its evidence. It carries what the
 * runner needs to run the sleeve: the market (`exchange:SYMBOL:timeframe`, and `symbol`/`timeframe` apart), the
 * backtest `options` the evidence used (the simulated broker fills with them), an optional `cash` allocation, and
 * for a strategy saved from a notebook the `source` file (project-relative path) with its sha256. `gates` is the
 * checklist's summary.
 */
export const PromotionSchema = z.strictObject({
  strategy: id(128),
  codeHash: hex64,
  params,
  market: id(200).optional(),
  symbol: symbol.optional(),
  timeframe: id(8).optional(),
  options: backtestOptions.optional(),
  cash: pos.optional(),
  source: z.strictObject({ path: id(400), sha256: hex64 }).optional(),
  gates: z.array(z.strictObject({ name: id(32), ok: z.boolean() })).max(32).optional(),
  evidenceRunIds: z.array(id(128)).max(1_000),
});

/** Payload schema of every event kind. */
export const PAYLOAD_SCHEMAS = {
  run_started: RunStartedSchema,
  run_stopped: RunStoppedSchema,
  bar: BarSeenSchema,
  bars: BarsSeenSchema,
  signal: SignalSchema,
  decision: DecisionSchema,
  risk_verdict: RiskVerdictSchema,
  order_intent: OrderIntentSchema,
  order_submitted: OrderSubmittedSchema,
  order_acknowledged: OrderAcknowledgedSchema,
  order_filled: FillSchema,
  order_partially_filled: FillSchema,
  order_rejected: OrderRejectedSchema,
  order_cancelled: OrderCancelledSchema,
  order_expired: OrderExpiredSchema,
  order_dry_run: OrderDryRunSchema,
  pause: PauseSchema,
  resume: ResumeSchema,
  kill: KillSchema,
  config_change: ConfigChangeSchema,
  promotion: PromotionSchema,
  reconciliation: ReconciliationSchema,
  operator_ack: OperatorAckSchema,
} as const;

/** The event kinds, in the order of {@link PAYLOAD_SCHEMAS}. */
export type AuditKind = keyof typeof PAYLOAD_SCHEMAS;
/** Every kind name. */
export const AUDIT_KINDS: readonly AuditKind[] = Object.keys(PAYLOAD_SCHEMAS) as AuditKind[];

const common = {
  /** Event time, epoch ms UTC. Default at append: now. */
  ts: int.nonnegative().optional(),
  runId: id(128),
  /** Links a bar to its signal, decision, verdict, orders and fills. */
  correlationId: id(128).optional(),
};

type InputOf<K extends AuditKind> = {
  kind: K;
  payload: z.input<(typeof PAYLOAD_SCHEMAS)[K]>;
  ts?: number;
  runId: string;
  correlationId?: string;
};
type PayloadOf<K extends AuditKind> = z.output<(typeof PAYLOAD_SCHEMAS)[K]>;

/** What a writer appends: the kind, its payload, the run and optionally the time and correlation id. */
export type AuditEventInput = { [K in AuditKind]: InputOf<K> }[AuditKind];

/** A stored event: the input plus its place in the chain. `hash = sha256(prevHash + canonical(event without hash))`. */
export type AuditEvent = {
  [K in AuditKind]: {
    seq: number;
    ts: number;
    account: string;
    runId: string;
    kind: K;
    payload: PayloadOf<K>;
    correlationId?: string;
    prevHash: string;
    hash: string;
  };
}[AuditKind];

/** The stored event of one kind. */
export type AuditEventOf<K extends AuditKind> = Extract<AuditEvent, { kind: K }>;

/**
 * zod schema of an append's input: a discriminated union on `kind`, one strict payload schema per kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditEventInputSchema } from "./audit_event.ts";
 * const ok = AuditEventInputSchema.safeParse({ kind: "kill", runId: "r1", payload: { by: "operator", reason: "x", flatten: true } });
 * assert.equal(ok.success, true);
 * const bad = AuditEventInputSchema.safeParse({ kind: "kill", runId: "r1", payload: { by: "operator", reason: "x" } });
 * assert.deepEqual(bad.error?.issues[0]?.path, ["payload", "flatten"]);
 * ```
 */
export const AuditEventInputSchema = z.discriminatedUnion(
  "kind",
  AUDIT_KINDS.map((k) => z.strictObject({ kind: z.literal(k), payload: PAYLOAD_SCHEMAS[k], ...common })) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
);

/** zod schema of a stored event (what {@link AuditEvent} is). */
export const AuditEventSchema = z.discriminatedUnion(
  "kind",
  AUDIT_KINDS.map((k) =>
    z.strictObject({
      seq: int.positive(),
      ts: int,
      account: AccountNameSchema,
      runId: id(128),
      kind: z.literal(k),
      payload: PAYLOAD_SCHEMAS[k],
      correlationId: id(128).optional(),
      prevHash: hex64,
      hash: hex64,
    })
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
