import { z } from "zod";
import { listAccounts } from "../../audit/mod.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";

const input = toolInput({
  account: z.string().min(1).describe("A paper or live account name"),
});

const iso = z.string().nullable();
const output = z.strictObject({
  account: z.string(),
  kind: z.string().nullable().describe("paper or live"),
  quote: z.string().nullable().describe("the currency money is in"),
  tradingState: z.string().describe("active, reducing (paused: only closing orders) or halted (killed)"),
  reason: z.string().describe("why it is not active; empty when active"),
  startingCash: z.number(),
  cash: z.number(),
  equity: z.number(),
  realizedPnl: z.number(),
  unrealizedPnl: z.number(),
  fees: z.number(),
  positions: z.array(z.strictObject({ symbol: z.string(), qty: z.number(), avgPrice: z.number() })),
  openOrders: z.array(z.record(z.string(), z.unknown())),
  lastBars: z.array(z.strictObject({
    symbol: z.string(),
    timeframe: z.string(),
    time: z.string(),
    close: z.number(),
    seq: z.number().int(),
  })).describe("the last bar the account saw per symbol (equity is marked at these closes)"),
  counters: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).describe("risk counters of the day"),
  risk: z.strictObject({
    configHash: z.string(),
    flattenOnKill: z.boolean(),
    rules: z.record(z.string(), z.unknown()),
    strategies: z.record(z.string(), z.unknown()),
  }).nullable().describe("risk limits in force (account.json); null when it cannot be loaded"),
  configError: z.string().nullable(),
  audit: z.record(z.string(), z.unknown()).describe("the audit chain: ok with its head, or the first bad seq"),
  runner: z.strictObject({
    state: z.enum(["running", "crashed", "stopped", "never"]),
    runId: z.string().nullable(),
    mode: z.string().nullable(),
    pid: z.number().int().nullable(),
    startedAt: iso,
    stoppedAt: iso,
    reason: z.string().nullable(),
    error: z.string().nullable(),
  }),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

const isoOf = (ms: number | null): string | null => ms === null ? null : new Date(ms).toISOString();

/**
 * `get_account`: a paper or live account's positions, cash, equity, trading state, risk limits and runner state,
 * rebuilt read-only from its audit log and account.json. Never a secret: webhook URLs and headers are not part of the
 * answer (the notify config is left out; risk config is redacted).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getAccountTool } from "./get_account.ts";
 * assert.equal(getAccountTool.name, "get_account");
 * assert.equal(getAccountTool.input.safeParse({}).success, false);
 * ```
 */
export const getAccountTool: McpTool<Input, Output> = defineTool({
  name: "get_account",
  title: "Get an account's state",
  description: "A paper or live account's state from a read-only look at its audit log and config: positions, cash, " +
    "equity, P&L, open orders, trading state (active, reducing, halted) and why, the risk limits in force with " +
    "their hash and the day's counters, the audit chain's check, and the runner's state. No secret is returned.",
  input,
  output,
  async run(args, ctx) {
    const known = (): string => {
      try {
        const names = listAccounts(ctx.dataDir);
        return names.length ? names.join(", ") : "(none)";
      } catch {
        return "(none)";
      }
    };
    let s;
    try {
      s = (await accounts()).accountStatus({ dataDir: ctx.dataDir, name: args.account });
    } catch (e) {
      throw new RangeError(`account: ${(e as Error).message.split(" in /")[0]}; accounts here: ${known()}`, {
        cause: e,
      });
    }
    const r = (await runner()).runnerState({ dataDir: ctx.dataDir, account: args.account });
    const structured = {
      account: s.account,
      kind: s.kind,
      quote: s.quote,
      tradingState: s.tradingState,
      reason: s.reason,
      startingCash: s.startingCash,
      cash: s.cash,
      equity: s.equity,
      realizedPnl: s.realizedPnl,
      unrealizedPnl: s.unrealizedPnl,
      fees: s.fees,
      positions: s.positions.map((p) => ({ symbol: p.symbol, qty: p.qty, avgPrice: p.avgPrice })),
      openOrders: s.openOrders.map((o) => ({ ...o })),
      lastBars: s.lastBars.map((b) => ({
        symbol: b.symbol,
        timeframe: b.timeframe,
        time: new Date(b.ts).toISOString(),
        close: b.close,
        seq: b.seq,
      })),
      counters: { ...s.counters },
      risk: s.risk === null ? null : {
        configHash: s.risk.configHash,
        flattenOnKill: s.risk.flattenOnKill,
        rules: { ...s.risk.rules },
        strategies: s.risk.strategies,
      },
      configError: s.configError,
      audit: { ...s.audit },
      runner: {
        state: r.state,
        runId: r.runId,
        mode: r.mode,
        pid: r.process?.pid ?? null,
        startedAt: isoOf(r.startedAt),
        stoppedAt: isoOf(r.stoppedAt),
        reason: r.reason,
        error: r.error,
      },
      provenance: {
        note: `rebuilt from the audit log (replay of ${s.lastSeq} events, chain ${
          s.audit.ok ? "verified" : `broken at seq ${s.audit.firstBadSeq}`
        }) and account.json, read-only; equity is marked at the last bar seen per symbol`,
        ...(s.lastTs ? { to: new Date(s.lastTs).toISOString() } : {}),
      },
    };
    const pos = s.positions.length
      ? s.positions.map((p) => `${p.qty} ${p.symbol} @ ${p.avgPrice}`).join(", ")
      : "no positions";
    return {
      structured,
      text: `Account ${s.account} (${s.kind ?? "?"}, ${s.quote ?? "?"}): ${s.tradingState}${
        s.reason ? ` (${s.reason})` : ""
      }, equity ${s.equity.toFixed(2)}, cash ${s.cash.toFixed(2)}, ${pos}; runner ${r.state}.`,
    };
  },
});

// The accounts (with the vault's scrypt) and the runner (with ccxt, tens of megabytes of exchange code) load on the
// first get_account, not when the server starts.
let accountsModule: Promise<typeof import("../../accounts/mod.ts")> | undefined;
let runnerModule: Promise<typeof import("../../runner/mod.ts")> | undefined;
const accounts = () => accountsModule ??= import("../../accounts/mod.ts");
const runner = () => runnerModule ??= import("../../runner/mod.ts");
