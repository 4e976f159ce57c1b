// The tools read consistently while another process writes: (a) the store's own writer appending bars to a series
// (what `deno task data download` does), (b) a paper runner appending to an account's audit log. Every answer is one
// snapshot (old or new, never torn, never an error) and the writer is never held up by the reads.
import assert from "node:assert/strict";
import { AuditLog } from "../../audit/mod.ts";
import { createAccount } from "../../accounts/mod.ts";
import { Frame } from "../../frame/mod.ts";
import { Store } from "../../store/mod.ts";
import { crashBar } from "../../store/_crash_data.ts";
import type { SeriesId } from "../../types/mod.ts";
import { describeDataset } from "./describe_dataset.ts";
import { getAccountTool } from "./get_account.ts";
import { getCandles } from "./get_candles.ts";
import { queryAuditLogTool } from "./query_audit_log.ts";
import { runBacktestTool } from "./run_backtest.ts";
import { call, fakeContext } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const ROOT = new URL("../../../", import.meta.url);
const mod = (path: string): string => JSON.stringify(new URL(path, ROOT).href);

/** Runs `code` as a module in a child Deno (all permissions, the repo's config) with `args`; stdout piped. */
function child(code: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code, ...args],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Collects a child's stdout lines as they come. */
function lines(stream: ReadableStream<Uint8Array>): { all: string[]; done: Promise<void> } {
  const all: string[] = [];
  const done = (async () => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      buf += dec.decode(chunk, { stream: true });
      const parts = buf.split("\n");
      buf = parts.pop()!;
      all.push(...parts.filter(Boolean));
    }
  })();
  return { all, done };
}

const ID: SeriesId = { exchange: "live", symbol: "BTC/USDT", timeframe: "1m" };
const SERIES = "live:BTC/USDT:1m";
const FIRST = 1_000; // bars stored before the writer starts
const BATCH = 40;
const BATCHES = 50;

// The store's real writer, in its own process: contiguous batches of deterministic bars (crashBar), each append
// timed. fanout 2 and small row groups make almost every append merge parts (rewrite and delete files), the case
// where a reader could see a half-replaced series.
const STORE_WRITER = `
import { Store } from ${mod("lib/store/mod.ts")};
import { Frame } from ${mod("lib/frame/mod.ts")};
import { crashBar } from ${mod("lib/store/_crash_data.ts")};
const [dir, first, batch, batches] = [Deno.args[0], ...Deno.args.slice(1).map(Number)];
const store = await Store.open({ dir, fanout: 2, rowGroupRows: 97 });
for (let k = 0; k < batches; k++) {
  const bars = Array.from({ length: batch }, (_, i) => crashBar(first + k * batch + i));
  const t0 = performance.now();
  const r = await store.append({ exchange: "live", symbol: "BTC/USDT", timeframe: "1m" }, Frame.fromBars(bars), { source: "concurrency-test" });
  console.log(r.total + " " + (performance.now() - t0).toFixed(1));
  await new Promise((res) => setTimeout(res, 5));
}
store.close();
`;

Deno.test("concurrency: get_candles, describe_dataset and run_backtest read whole snapshots while the store writer appends", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-conc-store-" });
  try {
    {
      using store = await Store.open({ dir: dataDir });
      await store.append(ID, Frame.fromBars(Array.from({ length: FIRST }, (_, i) => crashBar(i))));
    }
    const allowed = new Set(Array.from({ length: BATCHES + 1 }, (_, k) => FIRST + k * BATCH));
    const { ctx } = fakeContext(dataDir);
    // Open the server's cached read-only store before the writer starts, as a running server has it.
    await call(describeDataset, { series: SERIES }, ctx);

    const writer = child(STORE_WRITER, [dataDir, String(FIRST), String(BATCH), String(BATCHES)]);
    const out = lines(writer.stdout);
    const err = new Response(writer.stderr).text();
    const status = writer.status;
    let exited = false;
    status.then(() => (exited = true));

    const seen = { candles: [] as number[], describe: [] as number[], backtest: [] as number[] };
    const t0 = performance.now();
    while (!exited) {
      const c = await call<{ rows: (string | number | null)[][]; total: number }>(
        getCandles,
        { series: SERIES, limit: 5_000 },
        ctx,
      );
      const rows = c.structured.rows;
      assert.ok(allowed.has(rows.length), `get_candles: ${rows.length} bars is no appended state`);
      assert.equal(c.structured.total, rows.length);
      // Bar i is at minute i with crashBar(i)'s awkward values: a mixed, repeated or missing row fails here.
      for (let i = 0; i < rows.length; i++) {
        const b = crashBar(i);
        const row = rows[i]!;
        if (
          row[0] !== new Date(b.ts).toISOString() || row[1] !== b.open || row[2] !== b.high || row[3] !== b.low ||
          row[4] !== b.close || row[5] !== b.volume
        ) assert.fail(`get_candles: row ${i} of ${rows.length} is not bar ${i}: ${JSON.stringify(row)}`);
      }
      seen.candles.push(rows.length);

      const d = await call<{ bars: number; from: string; to: string; quality: { ok: boolean } }>(
        describeDataset,
        { series: SERIES },
        ctx,
      );
      const s = d.structured;
      assert.ok(allowed.has(s.bars), `describe_dataset: ${s.bars} bars is no appended state`);
      assert.equal(s.from, new Date(0).toISOString());
      assert.equal(s.to, new Date((s.bars - 1) * 60_000).toISOString(), "range and bar count of one snapshot");
      seen.describe.push(s.bars);

      const r = await call<{ stats: { key: string; value: number | null }[]; provenance: { bars?: number } }>(
        runBacktestTool,
        { strategy: "sma_cross", params: { fast: 5, slow: 20 }, series: SERIES },
        ctx,
      );
      assert.ok(allowed.has(r.structured.provenance.bars!), `run_backtest: ${r.structured.provenance.bars} bars`);
      assert.ok(r.structured.stats.some((x) => x.key === "total_return" && typeof x.value === "number"));
      seen.backtest.push(r.structured.provenance.bars!);
    }
    const elapsed = performance.now() - t0;
    const { code } = await status;
    await out.done;
    assert.equal(code, 0, `the writer failed: ${await err}`);

    // The writer finished every batch, none held up by the reads (a read takes no lock).
    assert.equal(out.all.length, BATCHES);
    const appendMs = out.all.map((l) => Number(l.split(" ")[1]));
    assert.deepEqual(out.all.map((l) => Number(l.split(" ")[0])), [...allowed].slice(1));
    const max = Math.max(...appendMs);
    assert.ok(max < 2_000, `an append took ${max} ms`);
    // Each tool saw the series grow and never go back to an older state.
    for (const [tool, counts] of Object.entries(seen)) {
      assert.ok(counts.length >= 3, `${tool} was called ${counts.length} times while the writer wrote`);
      for (let i = 1; i < counts.length; i++) assert.ok(counts[i]! >= counts[i - 1]!, `${tool} went back in time`);
    }
    assert.ok(seen.candles.some((n) => n > FIRST && n < FIRST + BATCHES * BATCH), "a read saw a middle state");
    // After the writer: the last state, read once more.
    const last = await call<{ bars: number }>(describeDataset, { series: SERIES }, ctx);
    assert.equal(last.structured.bars, FIRST + BATCHES * BATCH);
    const sum = appendMs.reduce((a, b) => a + b, 0);
    console.log(
      `store writer: ${BATCHES} appends, mean ${(sum / BATCHES).toFixed(1)} ms, max ${max.toFixed(1)} ms; ` +
        `${seen.candles.length} rounds of 3 reads in ${elapsed.toFixed(0)} ms`,
    );
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(dataDir, { recursive: true });
  }
});

// A paper runner in its own process: replays GOOG daily bars through sma_cross, 5 ms apart, into the account's
// audit log (one batch of events per bar), then closes.
const PAPER_RUNNER = `
import { readCsv } from ${mod("lib/data/read_csv.ts")};
import { noLimitsRiskConfig } from ${mod("lib/risk/mod.ts")};
import { smaCross } from ${mod("lib/strategies/mod.ts")};
import { PaperRunner, ReplayFeed } from ${mod("lib/runner/mod.ts")};
const [dataDir, account, n] = [Deno.args[0], Deno.args[1], Number(Deno.args[2])];
const goog = (await readCsv(new URL("data/samples/GOOG.raw.csv", ${mod("")}))).frame.slice(0, n);
const runner = await PaperRunner.open({
  account, dataDir, mode: "replay", timeframe: "1d", startingCash: 10_000, risk: noLimitsRiskConfig(),
  sleeves: [{ id: "s1", strategy: smaCross, params: { fast: 5, slow: 20 }, symbol: "GOOG", options: {} }],
});
const t0 = performance.now();
const summary = await runner.run(new ReplayFeed({ frames: { GOOG: goog }, timeframe: "1d", speed: 86_400_000 / 5 }));
console.log(JSON.stringify({ ms: performance.now() - t0, head: runner.log.head().seq, equity: summary.equity }));
runner.close();
`;

Deno.test("concurrency: query_audit_log and get_account read a contiguous chain while a paper runner appends", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-conc-audit-" });
  const account = "paper-1";
  try {
    createAccount({ dataDir, name: account, kind: "paper", cash: 10_000 });
    const { ctx } = fakeContext(dataDir);
    const runner = child(PAPER_RUNNER, [dataDir, account, "300"]);
    const out = lines(runner.stdout);
    const err = new Response(runner.stderr).text();
    const status = runner.status;
    let exited = false;
    status.then(() => (exited = true));

    type Page = { events: { seq: number; hash: string; kind: string }[]; nextAfterSeq: number | null };
    const hashes = new Map<number, string>();
    const heads: number[] = [];
    let rounds = 0, afterSeq = 0;
    while (!exited) {
      // Page on from the last seq seen: every page continues the one before, with no gap and no repeat.
      const page = await call<Page>(queryAuditLogTool, { account, afterSeq, limit: 500 }, ctx);
      for (const e of page.structured.events) {
        assert.equal(e.seq, afterSeq + 1, `seq ${e.seq} after ${afterSeq}: not contiguous`);
        hashes.set(e.seq, e.hash);
        afterSeq = e.seq;
      }
      // A fresh read from the start agrees with what was paged (same events, same hashes).
      const again = await call<Page>(queryAuditLogTool, { account, limit: 500 }, ctx);
      for (const e of again.structured.events) {
        if (hashes.has(e.seq)) assert.equal(hashes.get(e.seq), e.hash, `seq ${e.seq} changed`);
      }
      const acc = await call<{ lastBars: { seq: number }[]; equity: number }>(getAccountTool, { account }, ctx);
      assert.ok(Number.isFinite(acc.structured.equity));
      for (const b of acc.structured.lastBars) assert.ok(b.seq >= 1);
      // The chain read while the runner appends verifies (every link, the anchor within the chain).
      {
        using log = AuditLog.open({ dataDir, account, readOnly: true });
        const v = log.verify();
        assert.equal(v.ok, true, JSON.stringify(v));
        heads.push(v.events);
      }
      rounds++;
      // The reads above are synchronous SQLite under async functions: yield, or the child's exit is never seen.
      await new Promise((res) => setTimeout(res, 1));
    }
    const { code } = await status;
    await out.done;
    const stderr = await err;
    assert.equal(code, 0, `the runner failed: ${stderr}`);
    assert.doesNotMatch(stderr, /SQLITE_BUSY|database is locked/i);
    const done = JSON.parse(out.all.at(-1)!) as { ms: number; head: number };
    // The runner was not held up: 300 bars 5 ms apart take 1.5 s of waits; allow as much again for the work.
    assert.ok(done.ms < 6_000, `the runner took ${done.ms} ms`);
    assert.ok(rounds >= 3, `${rounds} rounds of reads while the runner ran`);
    assert.ok(heads.some((h) => h > 1 && h < done.head), "a read saw the log part-written");
    for (let i = 1; i < heads.length; i++) assert.ok(heads[i]! >= heads[i - 1]!, "the chain never shrank");
    // Read the rest: the pages end exactly at the runner's head.
    for (let next: number | null = afterSeq; next !== null;) {
      const page: { structured: Page } = await call<Page>(
        queryAuditLogTool,
        { account, afterSeq: next, limit: 500 },
        ctx,
      );
      for (const e of page.structured.events) {
        assert.equal(e.seq, afterSeq + 1);
        afterSeq = e.seq;
      }
      next = page.structured.nextAfterSeq;
    }
    assert.equal(afterSeq, done.head);
    console.log(
      `paper runner: ${done.head} events in ${done.ms.toFixed(0)} ms; ${rounds} rounds of reads (query_audit_log x2, ` +
        `get_account, verify) meanwhile`,
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
