// `deno task paper` with an agent strategy, as a user runs it: llm_persona (an LLM persona) promoted to a paper
// account, replayed over a bundled sample with --llm-cache record against the fake Anthropic API (the real SDK over
// HTTP, through ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY): decision events in the account's audit log, chained to
// the orders; a restart asks the API nothing again; a reached --llm-budget stops the run cleanly; the planted key is
// in no file of the data dir nor in the output.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { createAgentRuntime } from "../lib/agents/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { strategyCodeHash } from "../lib/strategies/mod.ts";
import { filesContaining } from "../lib/runner/_testing.ts";
import { FakeAnthropic } from "../lib/testing/mod.ts";
import { ROOT, withTempDir } from "./_cli.ts";

const CSV = `${ROOT}data/samples/BTCUSD.ohlcv.csv`;
const MAIN = `${ROOT}paper/main.ts`;
const KEY = "sk-ant-PLANTED-cli-paper-agents-987654321";
const NEEDLES = [KEY, "PLANTED-cli-paper"];

async function promoteAgent(dataDir: string, name: string, params: Record<string, string | number>): Promise<void> {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000 });
  const rt = await createAgentRuntime({ storePath: ":memory:" });
  const strategy = rt.strategies.find((s) => s.name === "llm_persona")!;
  const codeHash = await strategyCodeHash(strategy);
  rt.close();
  // The promotion gates have their own tests (lib/promotion); here the event they write is the fixture.
  using log = AuditLog.open({ dataDir, account: name });
  log.append({
    kind: "promotion",
    runId: "test",
    payload: {
      strategy: "llm_persona",
      codeHash,
      params,
      market: "bitstamp:BTC/USD:1M",
      symbol: "BTC/USD",
      timeframe: "1M",
      options: { fee: 0.001 },
      evidenceRunIds: [],
    },
  });
}

async function paper(dataDir: string, baseURL: string, args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--feed", "replay", "--data", CSV, "--quiet", ...args],
    cwd: ROOT,
    env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1", ANTHROPIC_BASE_URL: baseURL, ANTHROPIC_API_KEY: KEY },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test("deno task paper runs a promoted llm_persona with --llm-cache record: decisions in the audit log, a restart asks nothing again", async () => {
  const fake = await FakeAnthropic.start({ apiKey: KEY });
  try {
    await withTempDir("paper-agents-", async (dataDir) => {
      await promoteAgent(dataDir, "ag1", { persona: "trend_follower", every: 3 });
      const run = await paper(dataDir, fake.url, ["--account", "ag1", "--llm-cache", "record"]);
      assert.equal(run.code, 0, run.out);
      assert.match(run.out, /end of data: \d+ batches/);
      assert.match(run.out, /agents \(record\): \d+ decisions, [1-9]\d* API calls/);
      const calls = fake.calls("/v1/messages");
      assert.ok(calls > 0, "the persona asked the API");
      {
        using log = AuditLog.open({ dataDir, account: "ag1", readOnly: true });
        assert.equal(log.verify().ok, true);
        const decisions = log.query({ kind: "decision", limit: 100_000 });
        assert.ok(decisions.length > 10, `decisions logged (${decisions.length})`);
        const d = decisions[0]!;
        assert.ok(d.kind === "decision" && d.payload.agent === "trend_follower");
        assert.ok((d.payload.calls?.length ?? 0) > 0, "the call chain (request and response hashes) is kept");
        const bars = new Set(log.query({ kind: "bars", limit: 100_000 }).map((e) => e.correlationId));
        assert.ok(decisions.every((e) => bars.has(e.correlationId)), "each decision carries its bar batch's id");
        const withDecision = new Set(decisions.map((e) => e.correlationId));
        const intents = log.query({ kind: "order_intent", limit: 100_000 });
        assert.ok(intents.length > 0, "the decisions led to orders");
        assert.ok(intents.every((e) => withDecision.has(e.correlationId)), "every intent follows a decision");
      }

      // Started again with the data: recovered from the log with answers from the store, nothing asked or sent.
      const again = await paper(dataDir, fake.url, ["--account", "ag1", "--llm-cache", "record"]);
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, /end of data: 0 batches, 0 bars, 0 orders sent/);
      assert.match(again.out, /0 API calls/);
      assert.equal(fake.calls("/v1/messages"), calls, "the restart made no request");

      // Replay (the default) works from the store alone.
      const replayed = await paper(dataDir, fake.url, ["--account", "ag1"]);
      assert.equal(replayed.code, 0, replayed.out);
      assert.equal(fake.calls("/v1/messages"), calls);

      for (const out of [run.out, again.out, replayed.out]) {
        assert.deepEqual(NEEDLES.filter((n) => out.includes(n)), [], "the key is not in the output");
      }
      assert.deepEqual(await filesContaining(dataDir, NEEDLES), [], "the API key leaked");
    });
  } finally {
    await fake.close();
  }
});

Deno.test("deno task paper with a reached --llm-budget stops cleanly: run_stopped names the budget, exit 0", async () => {
  const fake = await FakeAnthropic.start({ apiKey: KEY });
  try {
    await withTempDir("paper-agents-", async (dataDir) => {
      await promoteAgent(dataDir, "ag2", { persona: "trend_follower", every: 1 });
      const run = await paper(dataDir, fake.url, ["--account", "ag2", "--llm-cache", "record", "--llm-budget", "0.03"]);
      assert.equal(run.code, 0, run.out);
      assert.match(run.out, /llm budget reached: /);
      assert.match(run.out, /higher --llm-budget/);
      using log = AuditLog.open({ dataDir, account: "ag2", readOnly: true });
      const stopped = log.query({ kind: "run_stopped", limit: 10 });
      assert.equal(stopped.length, 1);
      assert.ok(stopped[0]!.kind === "run_stopped" && stopped[0]!.payload.reason === "llm budget reached");
      const budget = log.query({ kind: "decision", limit: 100_000 }).filter((e) =>
        e.kind === "decision" && e.payload.abstainReason === "budget"
      );
      assert.ok(budget.length > 0, "the decision that found the budget spent is logged");
    });
  } finally {
    await fake.close();
  }
});
