// Planted secrets never leave their place: a webhook URL holding a token (in account.json, where it belongs) and an
// exchange key handed to the runner, which an exchange error quotes back. A paper account runs in-process (the
// error mid-replay) and then through `deno task paper`; every file and every answer about the account is scanned:
// the audit log and its WAL, the broker store, account.json (the webhook URL only), the CLI's output, `paper status
// --json`, `audit show --json`, the Parquet export (read back through DuckDB: its pages are compressed), the events
// the bus and the notifier saw, and the lab's pages and API.
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { createAccount, loadAccount } from "../lib/accounts/mod.ts";
import { type AuditEvent, AuditLog } from "../lib/audit/mod.ts";
import { readCsv } from "../lib/data/read_csv.ts";
import { createNotifier } from "../lib/notify/mod.ts";
import { loadPromotedSleeves } from "../lib/promotion/mod.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import {
  EventBus,
  type Feed,
  type FeedStart,
  PaperRunner,
  ReplayFeed,
  type RunnerEventType,
} from "../lib/runner/mod.ts";
import { smaCross, strategyCodeHash } from "../lib/strategies/mod.ts";
import { type CliRun, ROOT, runCli } from "./_cli.ts";
import { openLab } from "./_http_fixture.ts";

const HOOK = "https://hooks.example.invalid/T0KEN-SECRET-PLANTED-123456";
const KEY = "sk-live-PLANTED-abcdef123456";
/** Parts of the secrets that must not show either (a URL cut at its origin keeps the token out; a key cut is not). */
const NEEDLES = [HOOK, "T0KEN-SECRET-PLANTED", KEY, "PLANTED-abcdef"];
const ACCOUNT = "sec-1";
const CSV = `${ROOT}data/samples/BTCUSD.ohlcv.csv`;
const BUS_TYPES: RunnerEventType[] = [
  "bar",
  "signal",
  "order_placed",
  "order_filled",
  "order_cancelled",
  "risk_limit_exceeded",
  "agent_state_change",
  "agent_error",
  "backtest_complete",
];

/** Names each secret (or part) found in `text`. */
function leaks(text: string): string[] {
  return NEEDLES.filter((s) => text.includes(s));
}

/** The bytes as text both ways (UTF-8 and one char per byte), so no encoding hides a match. */
function bytesText(bytes: Uint8Array): string {
  let latin = "";
  for (let i = 0; i < bytes.length; i += 8192) latin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return new TextDecoder().decode(bytes) + "\n" + latin;
}

const bigintJson = (x: unknown): string => JSON.stringify(x, (_k, v) => typeof v === "bigint" ? String(v) : v);

/** A replay of the sample's first `n` batches that then fails the way an exchange refusing a key does. */
function failingFeed(inner: ReplayFeed, n: number): Feed {
  return {
    symbols: inner.symbols,
    timeframe: inner.timeframe,
    async *batches(start: FeedStart) {
      let k = 0;
      for await (const b of inner.batches(start)) {
        yield b;
        if (++k === n) throw new Error(`binance 401 Unauthorized: {"code":-2015,"msg":"Invalid API-key ${KEY}"}`);
      }
    },
  };
}

/** Text of the Parquet file as DuckDB reads it back (every column of every row). */
async function parquetText(path: string): Promise<{ rows: number; text: string }> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}') ORDER BY seq`);
    const rows = r.getRowObjectsJS();
    return { rows: rows.length, text: bigintJson(rows) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

Deno.test("secrets: a webhook token and an exchange key planted in a paper run show up in no file and no answer", async () => {
  const lab = await openLab();
  const dir = lab.dir;
  const outputs: { what: string; text: string }[] = [];
  const cli = async (name: string, args: string[], what: string): Promise<CliRun> => {
    const r = await runCli(name, args, { dataDir: dir });
    outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr });
    return r;
  };
  try {
    // --- the account: a webhook whose URL is a token, sent every level (so posts are tried, and fail: no network)
    createAccount({ dataDir: dir, name: ACCOUNT, kind: "paper", cash: 10_000 });
    const cfgPath = `${dir}/_accounts/${ACCOUNT}/account.json`;
    const cfg = JSON.parse(Deno.readTextFileSync(cfgPath));
    cfg.notify = { console: true, webhooks: [{ url: HOOK, minLevel: "info" }] };
    // The default limits deny every entry on a monthly BTC series (volatility, position share): let it trade.
    cfg.risk = noLimitsRiskConfig();
    Deno.writeTextFileSync(cfgPath, JSON.stringify(cfg, null, 2));
    {
      // The promotion gates have their own tests; here the event they write is the fixture.
      using log = AuditLog.open({ dataDir: dir, account: ACCOUNT });
      log.append({
        kind: "promotion",
        runId: "test",
        payload: {
          strategy: "sma_cross",
          codeHash: await strategyCodeHash(smaCross),
          params: { fast: 3, slow: 8 },
          market: "bitstamp:BTC/USD:1M",
          symbol: "BTC/USD",
          timeframe: "1M",
          options: { fee: 0.001 },
          evidenceRunIds: [],
        },
      });
    }

    // --- in process: the runner is given the key; an exchange error quotes it; the bus and the notifier listen
    const account = loadAccount({ name: ACCOUNT, dataDir: dir });
    const sleeves = await loadPromotedSleeves({ dataDir: dir, account: ACCOUNT });
    assert.ok(sleeves.every((s) => !JSON.stringify(s.params).includes(KEY) && !s.symbol.includes(KEY)));
    const heard: AuditEvent[] = [];
    const lines: string[] = [];
    const sinkErrors: string[] = [];
    const notifier = createNotifier(account.config.notify, {
      write: (l) => lines.push(l),
      onError: (m) => sinkErrors.push(m),
    });
    const bus = new EventBus();
    for (const type of BUS_TYPES) {
      bus.on(type, (e) => {
        heard.push(e);
        notifier.notify({
          ts: e.ts,
          account: ACCOUNT,
          level: type === "agent_error" ? "error" : type === "risk_limit_exceeded" ? "warning" : "info",
          kind: e.kind,
          title: e.kind,
          detail: JSON.stringify(e.payload).slice(0, 4_000),
        });
      });
    }
    const frame = (await readCsv(CSV)).frame;
    const runner = await PaperRunner.open({
      account: ACCOUNT,
      dataDir: dir,
      sleeves,
      risk: account.config.risk,
      startingCash: account.config.startingCash,
      mode: "replay",
      timeframe: "1M",
      bus,
      secrets: [KEY],
    });
    try {
      await assert.rejects(
        runner.run(failingFeed(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1M" }), 80)),
        /401 Unauthorized/,
      );
    } finally {
      runner.close();
    }
    // Notifications must never hold up the runner: closing gives up on the unreachable webhook by its deadline.
    const closing = performance.now();
    await notifier.close({ timeoutMs: 2_000 });
    assert.ok(performance.now() - closing < 4_000, `notifier close took ${performance.now() - closing} ms`);
    const stored = heard.find((e) => e.kind === "run_stopped");
    assert.ok(stored && stored.kind === "run_stopped" && stored.payload.reason === "error");
    assert.match(String(stored.payload.error), /Invalid API-key \[redacted\]/, "the error is kept, the key is not");
    assert.ok(heard.some((e) => e.kind === "order_filled"), "the strategy traded before the error");
    outputs.push(
      { what: "bus events", text: bigintJson(heard) },
      { what: "console notifications", text: lines.join("\n") },
      { what: "notifier errors", text: sinkErrors.join("\n") },
    );
    assert.ok(lines.some((l) => l.includes("[redacted]")));

    // --- `deno task paper`: resumes the account over the whole sample, posting to the webhook as it goes
    const t = performance.now();
    const run = await cli(
      "../paper/main",
      ["--account", ACCOUNT, "--feed", "replay", "--data", CSV, "--quiet"],
      "paper",
    );
    const runMs = performance.now() - t;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /end of data: \d+ batches/);
    // The unreachable webhook costs at most the notifier's close deadline (5 s) at exit, never the run.
    assert.ok(runMs < 30_000, `paper took ${Math.round(runMs)} ms`);
    const st = await cli("../paper/main", ["status", "--account", ACCOUNT, "--json"], "paper status");
    assert.equal(st.code, 0, st.stderr);
    assert.equal(JSON.parse(st.stdout).audit.ok, true);
    const show = await cli("audit", ["show", "--account", ACCOUNT, "--limit", "100000", "--json"], "audit show");
    assert.equal(show.code, 0, show.stderr);
    const shown = JSON.parse(show.stdout) as AuditEvent[];
    assert.ok(shown.some((e) => e.kind === "run_stopped" && String(e.payload.error).includes("[redacted]")));
    assert.equal(shown.filter((e) => e.kind === "run_started").length, 2);
    const pq = `${dir}/export.parquet`;
    const exp = await cli("audit", ["export", "--account", ACCOUNT, "--out", pq], "audit export");
    assert.equal(exp.code, 0, exp.stderr);
    const pqRead = await parquetText(pq);
    assert.equal(pqRead.rows, shown.length);
    outputs.push({ what: "parquet rows", text: pqRead.text });

    // --- the lab's answers about the account
    using log = AuditLog.open({ dataDir: dir, account: ACCOUNT, readOnly: true });
    assert.equal(log.verify().ok, true);
    const promotionSeq = log.query({ kind: "promotion", limit: 1 })[0]!.seq;
    const routes = [
      "/accounts",
      "/api/accounts",
      `/accounts/${ACCOUNT}`,
      `/api/accounts/${ACCOUNT}`,
      `/api/accounts/${ACCOUNT}/events?limit=1000`,
      `/api/accounts/${ACCOUNT}/equity`,
      `/api/accounts/${ACCOUNT}/runner`,
      `/api/accounts/${ACCOUNT}/promotions`,
      `/api/accounts/${ACCOUNT}/promotions/${promotionSeq}`,
      `/accounts/${ACCOUNT}/promotions/${promotionSeq}`,
    ];
    for (const path of routes) {
      const res = await lab.app.request(path);
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text.slice(0, 300)}`);
      outputs.push({ what: `lab ${path}`, text });
    }
    // The scan reads what it must: the redacted error shows in the lab's events as in every other copy of the log.
    for (const what of [`lab /api/accounts/${ACCOUNT}/events?limit=1000`, "audit show stdout", "parquet rows"]) {
      assert.ok(outputs.find((o) => o.what === what)?.text.includes("[redacted]"), what);
    }

    // --- the scan
    for (const o of outputs) {
      assert.deepEqual(leaks(o.text), [], `${o.what} holds a secret:\n${o.text.slice(0, 2_000)}`);
    }
    const files = [...Deno.readDirSync(`${dir}/_accounts/${ACCOUNT}`)].filter((e) => e.isFile).map((e) => e.name);
    for (const f of ["audit.sqlite", "paper_broker.sqlite", "account.json"]) assert.ok(files.includes(f), f);
    files.push("../../export.parquet");
    for (const f of files) {
      const text = bytesText(Deno.readFileSync(`${dir}/_accounts/${ACCOUNT}/${f}`));
      // account.json is the config: the webhook URL is its to hold, and nothing else secret.
      const allowed = f === "account.json" ? [HOOK, "T0KEN-SECRET-PLANTED"] : [];
      assert.deepEqual(leaks(text).filter((s) => !allowed.includes(s)), [], `${f} holds a secret`);
      if (f === "account.json") assert.ok(text.includes(HOOK));
    }
    console.log(
      `paper run ${
        Math.round(runMs)
      } ms (webhook unreachable); scanned ${outputs.length} outputs and ${files.length} files: ${files.join(", ")}`,
    );
  } finally {
    await lab.close();
  }
});
