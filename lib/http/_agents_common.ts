// What the agents pages and the agents API share: loading an agent run (its `agents.json` and `decisions.jsonl`),
// folding its decision events into bars, reading a call back from the LLM store (read-only), an account's decision
// chain, and the learning report of a run or an account. The lab never calls a model: everything here is a read.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type AuditEvent, type AuditEventOf, AuditLog, barsOf } from "../audit/mod.ts";
import {
  type AgentsFile,
  type BarCloses,
  decisionRowsFromAudit,
  type LearningReport,
  learningReport,
  LlmStore,
  type LlmStoreEntry,
  parseAgentsFile,
} from "../agents/mod.ts";
import type { Trade } from "../types/mod.ts";
import { accountsDataDir, knownAccount } from "./_accounts_common.ts";
import { HttpError } from "./_errors.ts";
import { parseDecisionsFile } from "../agents/parse_decisions_file.ts";
import type { Lab, RunView } from "./_lab.ts";
import { runIdParam } from "./_runs_common.ts";
import { seriesText } from "./_series.ts";

/** A stored `decision` audit event. */
export type DecisionEvent = AuditEventOf<"decision">;

/** One decision bar of a run: its events in journal order, the vote and each persona's final position. */
export interface BarFold {
  barTs: number;
  decisionTime: number;
  symbol: string;
  events: DecisionEvent[];
  /** The debate's vote (`agent: "vote"`), absent for a single persona. */
  vote: DecisionEvent | undefined;
  /** Each persona's final round (the position the vote counted), by persona name. */
  finals: DecisionEvent[];
  /** Rounds asked (0 independent, 1.. rebuttals). */
  rounds: number;
  /** Personas that abstained in their final round, with the reason. */
  abstained: { persona: string; reason: string }[];
}

/** A loaded agent run. */
export interface AgentRun {
  view: RunView;
  agents: AgentsFile;
  events: DecisionEvent[];
  bars: BarFold[];
}

/** An agent run by id (memoised with the run: runs never change); 404 when the run is not an agent run. */
export async function agentRun(lab: Lab, idText: string | undefined): Promise<AgentRun> {
  const id = runIdParam(idText);
  const view = await lab.runView(id);
  const files = view.record.files;
  if (!files.includes("agents.json") || !files.includes("decisions.jsonl")) {
    throw new HttpError(
      404,
      `run ${id} is not an agent run (it has no agents.json and decisions.jsonl); see /runs for runs of llm_persona or llm_debate`,
    );
  }
  view.memo ??= new Map();
  let p = view.memo.get("agents:run") as Promise<AgentRun> | undefined;
  if (p === undefined) {
    p = loadAgentRun(lab, view);
    view.memo.set("agents:run", p);
    p.catch(() => view.memo?.delete("agents:run"));
  }
  return p;
}

async function loadAgentRun(lab: Lab, view: RunView): Promise<AgentRun> {
  const id = view.record.id;
  const json: unknown = JSON.parse(await Deno.readTextFile(lab.runs.path(id, "agents.json")));
  let agents: AgentsFile;
  try {
    agents = parseAgentsFile(json, id);
  } catch (e) {
    throw new HttpError(500, (e as Error).message);
  }
  const events = parseDecisions(await Deno.readTextFile(lab.runs.path(id, "decisions.jsonl")), id);
  return { view, agents, events, bars: foldBars(events) };
}

/** The decision events of a `decisions.jsonl`; a damaged file is a 500 naming the run and the line. */
export function parseDecisions(text: string, runId: string): DecisionEvent[] {
  try {
    return parseDecisionsFile(text, runId);
  } catch (e) {
    throw new HttpError(500, (e as Error).message);
  }
}

/** Decision events grouped by their bar (`payload.barTs`, else the event time), in time order. */
export function foldBars(events: readonly DecisionEvent[]): BarFold[] {
  const byBar = new Map<number, DecisionEvent[]>();
  for (const e of events) {
    const key = e.payload.barTs ?? e.ts;
    let list = byBar.get(key);
    if (list === undefined) byBar.set(key, list = []);
    list.push(e);
  }
  const out: BarFold[] = [];
  for (const [barTs, list] of byBar) {
    const vote = list.findLast((e) => e.payload.agent === "vote");
    const last = new Map<string, DecisionEvent>();
    let rounds = 0;
    for (const e of list) {
      if (e.payload.agent === "vote") continue;
      const round = e.payload.round ?? 0;
      rounds = Math.max(rounds, round + 1);
      const prev = last.get(e.payload.agent);
      if (
        prev === undefined || e.payload.final === true ||
        (prev.payload.final !== true && round >= (prev.payload.round ?? 0))
      ) {
        last.set(e.payload.agent, e);
      }
    }
    const finals = [...last.values()].sort((a, b) => a.payload.agent.localeCompare(b.payload.agent));
    const first = list[0]!;
    out.push({
      barTs,
      decisionTime: first.payload.decisionTime ?? first.ts,
      symbol: first.payload.symbol ?? Object.keys(first.payload.targetWeights)[0] ?? "",
      events: list,
      vote,
      finals,
      rounds,
      abstained: finals
        .filter((e) => e.payload.action === "abstain")
        .map((e) => ({ persona: e.payload.agent, reason: e.payload.abstainReason ?? "unknown" })),
    });
  }
  return out.sort((a, b) => a.barTs - b.barTs);
}

/** The bar's time from the path (epoch ms), or a 400 naming the rule. */
export function barTsParam(text: string | undefined): number {
  const r = z.string().regex(/^\d{1,16}$/, "a bar time is epoch ms (digits), as linked from the run's page")
    .safeParse(text ?? "");
  if (!r.success) {
    throw new HttpError(400, "invalid bar time", r.error.issues.map((i) => ({ path: ["barTs"], message: i.message })));
  }
  return Number(r.data);
}

/** The bar at `barTs` of a run, or a 404 naming the run's first bars. */
export function barOf(run: AgentRun, barTs: number): { bar: BarFold; index: number } {
  const index = run.bars.findIndex((b) => b.barTs === barTs);
  if (index < 0) {
    const some = run.bars.slice(0, 3).map((b) => b.barTs).join(", ");
    throw new HttpError(
      404,
      `run ${run.view.record.id} has no decision at bar ${barTs}; its decision bars are listed on /agents/runs/${run.view.record.id}` +
        (some ? ` (the first: ${some})` : ""),
    );
  }
  return { bar: run.bars[index]!, index };
}

/** The round trips a decision led to: entries or exits after its bar and up to the next decision bar. */
export function tradesAfter(trades: readonly Trade[], barTs: number, nextBarTs: number): Trade[] {
  const inside = (t: number) => Number.isFinite(t) && t > barTs && t <= nextBarTs;
  return trades.filter((t) => inside(t.entryTs) || inside(t.exitTs));
}

/** A stored model call, read back for display. */
export interface StoredCall {
  requestHash: string;
  model: string;
  templateVersion: string;
  system: string;
  messages: { role: string; content: string }[];
  /** The answer's text blocks, joined (the structured JSON). */
  answerText: string;
  response: unknown;
  responseHash: string;
  stopReason: string;
  usage: LlmStoreEntry["usage"];
  costUsd: number;
}

/** The default store of the lab's data dir: `<data dir>/agents/llm_store.sqlite`. */
export function llmStorePath(lab: Lab): string {
  return join(lab.store.dir, "agents", "llm_store.sqlite");
}

/**
 * Reads calls back from the LLM store by request hash. Only `get`: the lab never records or calls. A store that does
 * not exist is not created (every hash is then missing).
 */
export function readCalls(lab: Lab, hashes: readonly string[]): Map<string, StoredCall> {
  const out = new Map<string, StoredCall>();
  const path = llmStorePath(lab);
  if (hashes.length === 0 || !existsSync(path)) return out;
  using store = LlmStore.open({ path });
  for (const h of hashes) {
    if (out.has(h)) continue;
    const entry = store.get(h);
    if (entry !== undefined) out.set(h, storedCall(entry));
  }
  return out;
}

function storedCall(entry: LlmStoreEntry): StoredCall {
  const req = (JSON.parse(entry.requestJson) as { request?: Record<string, unknown> }).request ?? {};
  const messages = Array.isArray(req.messages)
    ? (req.messages as { role?: unknown; content?: unknown }[]).map((m) => ({
      role: String(m.role ?? ""),
      content: typeof m.content === "string" ? m.content : JSON.stringify(m.content),
    }))
    : [];
  const content = Array.isArray(entry.response.content) ? entry.response.content : [];
  const answerText = content
    .map((b) => (b as { type?: unknown; text?: unknown }).type === "text" ? String((b as { text: unknown }).text) : "")
    .join("");
  return {
    requestHash: entry.requestHash,
    model: entry.model,
    templateVersion: String(req.templateVersion ?? ""),
    system: String(req.system ?? ""),
    messages,
    answerText,
    response: entry.response,
    responseHash: entry.responseHash,
    stopReason: entry.stopReason,
    usage: entry.usage,
    costUsd: entry.costUsd,
  };
}

/** The fact lines of a prompt's user message (the list under its `Facts` heading). */
export function factLines(user: string): string[] {
  const lines = user.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Facts"));
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && lines[i]!.startsWith("- "); i++) out.push(lines[i]!.slice(2));
  return out;
}

/** Bars from a decision to its outcome for the learning pages: a query value or 1. */
export const LearningQuerySchema = z.strictObject({
  horizon: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** The closes of a run's series from the lab's store, or undefined when the store does not hold it. */
export async function runCloses(lab: Lab, series: readonly string[]): Promise<BarCloses | undefined> {
  const wanted = series[0];
  if (wanted === undefined) return undefined;
  const info = (await lab.store.list()).find((s) => seriesText(s) === wanted);
  if (info === undefined) return undefined;
  const frame = await lab.store.read(info);
  return { ts: frame.ts, close: frame.col("close") };
}

/** The learning report of an agent run, over the closes of its series in the lab's store. */
export async function runLearning(lab: Lab, run: AgentRun, horizonBars: number): Promise<LearningReport> {
  const closes = await runCloses(lab, run.view.record.series);
  if (closes === undefined) {
    throw new HttpError(
      404,
      `run ${run.view.record.id}: its series ${
        run.view.record.series.join(", ") || "(none)"
      } is not in the lab's store, so no outcome can be measured; import it with deno task data`,
    );
  }
  const rows = decisionRowsFromAudit(run.events, { source: "backtest" });
  return learningReport(rows, closes, {
    horizonBars,
    ...(run.agents.memory ? { note: run.agents.memory.label } : {}),
  });
}

/** Every event of an account's log (read-only), oldest first. */
export function accountEvents(lab: Lab, name: string): AuditEvent[] {
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: knownAccount(lab, name), readOnly: true });
  const out: AuditEvent[] = [];
  let after = 0;
  for (;;) {
    const page = log.query({ afterSeq: after, limit: 5_000 });
    out.push(...page);
    if (page.length < 5_000) return out;
    after = page.at(-1)!.seq;
  }
}

/** The learning report of an account: its decision events against the closes its runner logged. */
export function accountLearning(lab: Lab, name: string, horizonBars: number): LearningReport {
  const events = accountEvents(lab, name);
  const bySymbol = new Map<string, { ts: number[]; close: number[] }>();
  for (const e of events) {
    for (const b of barsOf(e)) {
      let s = bySymbol.get(b.symbol);
      if (s === undefined) bySymbol.set(b.symbol, s = { ts: [], close: [] });
      // A runner logs each bar once; a restart may log it again: keep the first.
      if (s.ts.length > 0 && b.ts <= s.ts.at(-1)!) continue;
      s.ts.push(b.ts);
      s.close.push(b.close);
    }
  }
  const closes: Record<string, BarCloses> = {};
  for (const [sym, s] of bySymbol) closes[sym] = { ts: Float64Array.from(s.ts), close: Float64Array.from(s.close) };
  const source = events.some((e) => e.kind === "run_started" && (e.payload as { mode?: string }).mode === "live")
    ? "live"
    : "paper";
  const rows = decisionRowsFromAudit(events, { source }).filter((r) => closes[r.symbol] !== undefined);
  if (rows.length === 0) {
    throw new HttpError(
      404,
      `account ${name} has no decision with logged bars of its symbol; run an llm_persona or llm_debate strategy on it first`,
    );
  }
  return learningReport(rows, closes, { horizonBars });
}

/** An account's decision and the events that share its correlation id (verdicts, intents, orders, fills). */
export interface DecisionChain {
  account: string;
  decision: DecisionEvent;
  /** Events with the decision's `correlationId`, in log order (the decision itself left out). */
  chain: AuditEvent[];
}

/** The decision at `seq` of an account's log with its chain; 404 when that event is not a decision. */
export function decisionChain(lab: Lab, name: string, seqText: string | undefined): DecisionChain {
  const seq = z.coerce.number().int().min(1).safeParse(seqText ?? "");
  if (!seq.success || !/^\d+$/.test(seqText ?? "")) {
    throw new HttpError(400, "invalid event seq", [{ path: ["seq"], message: "an event seq is a whole number >= 1" }]);
  }
  const account = knownAccount(lab, name);
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account, readOnly: true });
  const event = log.query({ afterSeq: seq.data - 1, limit: 1 })[0];
  if (event === undefined || event.seq !== seq.data || event.kind !== "decision") {
    throw new HttpError(
      404,
      `account ${account} has no decision event at seq ${seq.data}` +
        (event && event.seq === seq.data ? ` (it is a ${event.kind} event)` : "") +
        `; its decisions are listed on /agents/accounts/${account}`,
    );
  }
  const chain = event.correlationId === undefined
    ? []
    : log.query({ correlationId: event.correlationId, limit: 10_000 }).filter((e) => e.seq !== event.seq);
  return { account, decision: event, chain };
}

/** An account's decision events, newest first (at most `limit`). */
export function accountDecisions(lab: Lab, name: string, limit: number): DecisionEvent[] {
  const account = knownAccount(lab, name);
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account, readOnly: true });
  const out: DecisionEvent[] = [];
  let after = 0;
  for (;;) {
    const page = log.query({ kind: "decision", afterSeq: after, limit: 5_000 });
    for (const e of page) out.push(e as DecisionEvent);
    if (page.length < 5_000) break;
    after = page.at(-1)!.seq;
  }
  return out.slice(-limit).reverse();
}

/** One persona decision of a bar with its whole chain: the prompt and answer of each call, validation and facts. */
export interface DecisionDetail {
  event: DecisionEvent;
  /** Each call behind the decision (a repair makes two), read back from the store; `stored: false` when missing. */
  calls: { requestHash: string; responseHash: string; stored: StoredCall | undefined }[];
  /** The fact lines of the first call's user message. */
  facts: string[];
}

/** The calls behind a decision: its `calls`, else its final `requestHash` alone (a writer that keeps only that). */
export function callsOf(e: DecisionEvent): { requestHash: string; responseHash: string }[] {
  const calls = e.payload.calls ?? [];
  if (calls.length > 0) return calls;
  const { requestHash, responseHash } = e.payload;
  return requestHash === undefined ? [] : [{ requestHash, responseHash: responseHash ?? "" }];
}

/** A decision with its calls read back from `stored` and the facts of its first prompt. */
export function decisionDetail(event: DecisionEvent, stored: ReadonlyMap<string, StoredCall>): DecisionDetail {
  const calls = callsOf(event).map((c) => ({ ...c, stored: stored.get(c.requestHash) }));
  const user = calls[0]?.stored?.messages.find((m) => m.role === "user")?.content ?? "";
  return { event, calls, facts: factLines(user) };
}

/** A bar of a run, with every persona decision's chain and the round trips it led to. */
export interface BarDetail {
  run: AgentRun;
  bar: BarFold;
  /** The next decision bar's time (the bar after the last one: Infinity). */
  nextBarTs: number;
  decisions: DecisionDetail[];
  trades: Trade[];
}

/** Everything the bar page and its API mirror show. */
export function barDetail(lab: Lab, run: AgentRun, barTs: number): BarDetail {
  const { bar, index } = barOf(run, barTs);
  const nextBarTs = run.bars[index + 1]?.barTs ?? Infinity;
  const hashes = bar.events.flatMap((e) => callsOf(e).map((c) => c.requestHash));
  const stored = readCalls(lab, hashes);
  const decisions = bar.events.filter((e) => e.payload.agent !== "vote").map((event) => decisionDetail(event, stored));
  return { run, bar, nextBarTs, decisions, trades: tradesAfter(run.view.trades, bar.barTs, nextBarTs) };
}
