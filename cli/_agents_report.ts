// `deno task agents report`: the learning report of a decision history, from an account's audit log or from a
// backtest run's decisions.jsonl, with the closes that decide each decision's outcome.

import {
  type BarCloses,
  type DecisionEventLike,
  decisionRowsFromAudit,
  type LearningReport,
  learningReport,
} from "../lib/agents/mod.ts";
import { AuditLog, barsOf } from "../lib/audit/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { DataError, parseSeries } from "../lib/types/mod.ts";
import { UsageError } from "./_cli.ts";
import { loadData } from "./_backtest_data.ts";
import { writeReportFiles } from "./_write_report_files.ts";

/** A decision history and the closes its outcomes need. */
export interface DecisionHistory {
  /** `account NAME` or `run ID`. */
  source: string;
  events: DecisionEventLike[];
  closes: BarCloses | Record<string, BarCloses>;
  /** A model-knowledge line (the run's memory overlap), shown on the report. */
  note?: string;
  /** How the closes were found. */
  closesFrom: string;
}

/** The decisions and bars of an account's audit log (read-only; a running runner is never blocked). */
export function accountHistory(account: string, dataDir?: string): DecisionHistory {
  let log: AuditLog;
  try {
    log = AuditLog.open({ ...(dataDir === undefined ? {} : { dataDir }), account, readOnly: true });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(`--account: ${e.message}`);
    throw e;
  }
  using _ = log;
  const events: DecisionEventLike[] = [];
  const bars = new Map<string, Map<number, number>>();
  let afterSeq = 0;
  for (;;) {
    const page = log.query({ kinds: ["decision", "bar", "bars"], afterSeq, limit: 10_000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.kind === "decision") events.push(e);
      for (const b of barsOf(e)) {
        let m = bars.get(b.symbol);
        if (m === undefined) bars.set(b.symbol, m = new Map());
        m.set(b.ts, b.close);
      }
    }
    afterSeq = page.at(-1)!.seq;
  }
  const closes: Record<string, BarCloses> = {};
  for (const [symbol, m] of bars) {
    const ts = Float64Array.from([...m.keys()].sort((a, b) => a - b));
    closes[symbol] = { ts, close: Float64Array.from(ts, (t) => m.get(t)!) };
  }
  return { source: `account ${account}`, events, closes, closesFrom: "the account's bar events" };
}

/**
 * The decisions of a backtest run (`decisions.jsonl`, one stored audit event per line) and its closes: `data` when
 * given, else the run's stored series over the run's window, else (a CSV run) its buy-and-hold benchmark, which is
 * the close scaled by a constant and so gives the same forward returns.
 */
export async function runHistory(id: string, data?: string): Promise<DecisionHistory> {
  await using runs = await RunRegistry.open({ readOnly: true });
  const rec = await runs.get(id).catch((e: Error) => {
    throw new UsageError(`--run ${JSON.stringify(id)}: ${e.message}`);
  });
  if (!rec.files.includes("decisions.jsonl")) {
    throw new UsageError(
      `run ${id} has no decisions.jsonl (strategy ${rec.strategy}): only backtests of llm_persona or llm_debate ` +
        "record their decisions; pick such a run (deno task backtest --strategy llm_persona ...)",
    );
  }
  const text = await Deno.readTextFile(runs.path(id, "decisions.jsonl"));
  const events: DecisionEventLike[] = text.split("\n").filter((l) => l.trim() !== "").map((l, i) => {
    try {
      return JSON.parse(l) as DecisionEventLike;
    } catch (e) {
      throw new DataError(`run ${id}: decisions.jsonl line ${i + 1} is not JSON (${(e as Error).message})`);
    }
  });
  let note: string | undefined;
  if (rec.files.includes("agents.json")) {
    const agents = JSON.parse(await Deno.readTextFile(runs.path(id, "agents.json"))) as { memory?: { label?: string } };
    note = agents.memory?.label;
  }
  const d0 = (rec.manifest.data as { series?: string | null; first?: number | null; last?: number | null }[])?.[0];
  const window = {
    ...(d0?.first == null ? {} : { from: d0.first }),
    ...(d0?.last == null ? {} : { to: d0.last + 1 }),
  };
  const series = data ?? rec.series[0] ?? d0?.series ?? undefined;
  const stored = series !== undefined && (data !== undefined || isStoredSeries(series));
  if (stored) {
    const loaded = await loadData(series, window);
    return {
      source: `run ${id}`,
      events,
      closes: { ts: loaded.frame.ts, close: loaded.frame.close },
      ...(note === undefined ? {} : { note }),
      closesFrom: loaded.label,
    };
  }
  if (rec.manifest.benchmark !== "buy_and_hold" || !rec.files.includes("equity.parquet")) {
    throw new UsageError(
      `run ${id} used ${series ?? "unnamed data"}, which is not a stored series: pass --data FILE with its bars`,
    );
  }
  const eq = await runs.equity(id);
  return {
    source: `run ${id}`,
    events,
    closes: { ts: eq.ts, close: eq.col("benchmark") },
    ...(note === undefined ? {} : { note }),
    closesFrom: `the run's buy-and-hold benchmark (${series}; pass --data to use the bars)`,
  };
}

function isStoredSeries(s: string): boolean {
  try {
    return parseSeries(s).exchange !== "csv";
  } catch {
    return false;
  }
}

/** The learning report of a history; a history with no decisions is a UsageError naming the source. */
export function historyReport(h: DecisionHistory, horizonBars: number): LearningReport {
  const rows = decisionRowsFromAudit(h.events, { source: h.source.startsWith("run") ? "backtest" : "paper" });
  if (rows.length === 0) {
    throw new UsageError(
      `${h.source} holds no decision events: run an agent strategy (llm_persona, llm_debate) first`,
    );
  }
  return learningReport(rows, h.closes, { horizonBars, ...(h.note === undefined ? {} : { note: h.note }) });
}

/** Writes report.md, report.json and reliability.svg into `dir`; returns the paths. */
export function writeReport(report: LearningReport, dir: string): Promise<string[]> {
  return writeReportFiles(report, dir, { markdown: "report.md", json: "report.json", svg: "reliability.svg" });
}
