// `deno task agents` end to end: the real CLI in a subprocess over a temp data dir, LLM personas against the fake
// Anthropic API (the real SDK over HTTP), recorded then replayed with zero requests.
import assert from "node:assert/strict";
import { createAgentRuntime } from "../lib/agents/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { runBacktest } from "../lib/backtest/mod.ts";
import { readCsv } from "../lib/data/mod.ts";
import { runInputFromBacktest, RunRegistry } from "../lib/runs/mod.ts";
import { prepareStrategy } from "../lib/strategies/mod.ts";
import { FakeAnthropic } from "../lib/testing/mod.ts";
import { cliPath, type CliRun, errorLine, ROOT, withoutDenoLockNotice, withTempDir } from "./_cli.ts";

const GOOG = `${ROOT}data/samples/GOOG.ohlcv.csv`;
const KEY = "sk-ant-test-cli-agents-0123456789";

/** Runs `cli/agents.ts`; `env` adds to the parent's (the fake's URL and key). */
async function agents(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath("agents"), ...args],
    cwd: ROOT,
    env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: withoutDenoLockNotice(dec.decode(out.stderr)) };
}

function noKey(r: CliRun): void {
  assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), "the key never appears in an output");
}

async function withFake(fn: (fake: FakeAnthropic, env: Record<string, string>) => Promise<void>): Promise<void> {
  const fake = await FakeAnthropic.start({ apiKey: KEY });
  try {
    await fn(fake, { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY });
  } finally {
    await fake.close();
  }
}

Deno.test("agents list: built-ins and a user persona folder, as a table and as JSON; a bad file is exit 2", () =>
  withTempDir("cli-agents-list-", async (dir) => {
    const mine = JSON.parse(await Deno.readTextFile(`${ROOT}lib/agents/personas/rule_trend.json`));
    await Deno.mkdir(`${dir}/personas`);
    await Deno.writeTextFile(
      `${dir}/personas/my_trend.json`,
      JSON.stringify({ ...mine, name: "my_trend", title: "My trend" }),
    );
    const table = await agents(dir, ["list", "--personas", `${dir}/personas`]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^name\s+kind\s+title\s+risk\s+factors\s+sees\s+template\s+model$/m);
    assert.match(table.stdout, /^my_trend\s+rule\s+My trend\s+medium\s+trend,momentum,rsi\s+sma:close:50/m);
    assert.match(table.stdout, /^trend_follower\s+llm\s+Trend follower/m);

    const json = JSON.parse((await agents(dir, ["list", "--personas", `${dir}/personas`, "--json"])).stdout);
    const names = json.map((p: { name: string }) => p.name);
    for (const n of ["macro_skeptic", "mean_reverter", "my_trend", "risk_officer", "rule_trend", "trend_follower"]) {
      assert.ok(names.includes(n), n);
    }
    const my = json.find((p: { name: string }) => p.name === "my_trend");
    assert.deepEqual(my.factors, ["trend", "momentum", "rsi"]);
    assert.equal(my.templateVersion, mine.template.version);

    await Deno.writeTextFile(
      `${dir}/personas/bad.json`,
      JSON.stringify({ ...mine, name: "bad", riskAppetite: "wild" }),
    );
    const bad = await agents(dir, ["list", "--personas", `${dir}/personas`]);
    assert.equal(bad.code, 2);
    assert.match(errorLine(bad), /^error: .*bad\.json: invalid persona: .*riskAppetite/);
  }));

Deno.test("agents decide: a rule persona needs no key; facts, prompt, answer, validation and cost", () =>
  withTempDir("cli-agents-rule-", async (dir) => {
    const r = await agents(dir, ["decide", "--persona", "rule_trend", "--data", GOOG, "--at", "2010-06-01"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rule_trend \(rule, template rule_trend\.v1\) on csv:GOOG\.ohlcv:1d$/m);
    assert.match(r.stdout, /bar \d+ opened 2010-06-01T00:00:00Z, decision at its close 2010-06-02T00:00:00Z/);
    assert.match(r.stdout, /^sma_close_50\s+SMA\(50\) of close\s+[\d.]+\s+price\s+2010-06-02T00:00:00Z$/m);
    assert.match(r.stdout, /--- system ---/);
    assert.match(r.stdout, /Asset: ASSET_[A-Z]+, 1d bars/);
    assert.match(r.stdout, /^Answer: (BUY|SELL|HOLD|CLOSE) with confidence/m);
    assert.match(r.stdout, /^Validation: rule \(no model call\)$/m);
    assert.match(r.stdout, /^Cost: \$0\.000000/m);

    const j = JSON.parse((await agents(dir, ["decide", "--persona", "rule_trend", "--data", GOOG, "--json"])).stdout);
    assert.equal(j.persona.kind, "rule");
    assert.ok(j.facts.every((f: { availableAt: number }) => f.availableAt <= j.bar.decisionTime));
    assert.equal(j.cost.apiCalls, 0);
  }));

Deno.test("agents decide: an LLM persona recorded against the fake, then replayed with zero requests", () =>
  withTempDir("cli-agents-llm-", (dir) =>
    withFake(async (fake, env) => {
      const store = `${dir}/llm_store.sqlite`;
      const args = ["decide", "--persona", "trend_follower", "--data", GOOG, "--llm-store", store, "--json"];
      const rec = await agents(dir, [...args, "--llm-cache", "record"], env);
      assert.equal(rec.code, 0, rec.stderr);
      noKey(rec);
      const calls = fake.calls("/v1/messages");
      assert.ok(calls >= 1);
      const a = JSON.parse(rec.stdout);
      assert.equal(a.outcome.kind, "decision");
      assert.equal(a.validation, "ok");
      assert.equal(a.cost.apiCalls, calls);
      assert.ok(a.cost.inputTokens > 0 && a.cost.usd > 0);
      assert.match(a.outcome.calls[0].requestHash, /^[0-9a-f]{64}$/);

      const rep = await agents(dir, args, env);
      assert.equal(rep.code, 0, rep.stderr);
      assert.equal(fake.calls("/v1/messages"), calls, "replay made no request");
      const b = JSON.parse(rep.stdout);
      assert.equal(b.cache, "replay");
      assert.equal(b.cost.storeHits, calls);
      assert.equal(b.outcome.calls[0].requestHash, a.outcome.calls[0].requestHash);
      assert.equal(b.outcome.calls[0].responseHash, a.outcome.calls[0].responseHash);
      assert.deepEqual(b.outcome.decision, a.outcome.decision);

      const text = await agents(dir, args.filter((x) => x !== "--json"), env);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^request hash\s+response hash\s+model/m);
      assert.match(text.stdout, new RegExp(a.outcome.calls[0].requestHash));
      noKey(text);
    })));

Deno.test("agents decide: a replay miss is exit 2 and says to record", () =>
  withTempDir("cli-agents-miss-", async (dir) => {
    const r = await agents(dir, [
      "decide",
      "--persona",
      "macro_skeptic",
      "--data",
      GOOG,
      "--llm-store",
      `${dir}/empty.sqlite`,
    ]);
    assert.equal(r.code, 2);
    assert.match(errorLine(r), /^error: replay: the LLM store holds no answer .*--llm-cache record/);
  }));

/** A rule_trend llm_persona backtest over GOOG's last bars, recorded in the registry with W1's run folder files. */
async function recordAgentRun(dataDir: string): Promise<string> {
  const all = (await readCsv(GOOG, { sort: true, volume: "optional" })).frame;
  const frame = all.slice(all.length - 300, all.length);
  const rt = await createAgentRuntime({ storePath: ":memory:", personaDirs: [], runId: "bt" });
  const strategy = rt.strategies.find((s) => s.name === "llm_persona")!;
  if (strategy.kind === "portfolio") throw new Error("unreachable");
  const p = strategy.params.parse({ persona: "rule_trend", every: 3 });
  await prepareStrategy(strategy, frame, p, { symbol: "GOOG.ohlcv", timeframe: "1d" });
  const series = { exchange: "csv", symbol: "GOOG.ohlcv", timeframe: "1d" };
  const result = await runBacktest({ frame, strategy, params: p, timeframe: "1d", series });
  const summary = rt.summary();
  const memory = rt.memory(frame.ts[0]!, frame.ts[frame.length - 1]!);
  rt.close();
  await using runs = await RunRegistry.open({ dir: `${dataDir}/_runs` });
  const input = runInputFromBacktest(result);
  const rec = await runs.record({
    ...input,
    detail: { ...input.detail, agents: summary },
    files: {
      "agents.json": JSON.stringify({ ...summary, memory, strategy: "llm_persona", params: p }),
      "decisions.jsonl": rt.journal.events.map((e) => JSON.stringify(e)).join("\n") + "\n",
    },
  });
  return rec.id;
}

Deno.test("agents report --run: the learning report of a backtest run's decisions.jsonl, and --out files", () =>
  withTempDir("cli-agents-run-", async (dir) => {
    const id = await recordAgentRun(dir);
    const r = await agents(dir, ["report", "--run", id, "--horizon", "3"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`# Learning report: run ${id} \\(closes from the run's buy-and-hold benchmark`));
    assert.match(r.stdout, /\| rule_trend \|/);
    // The run's agents.json memory label is carried onto the report (a rule-only run: no model was asked).
    assert.match(r.stdout, /no model was asked \(rule personas only: rule_trend\)/);

    const out = `${dir}/report`;
    const j = await agents(dir, ["report", "--run", id, "--horizon", "3", "--data", GOOG, "--json", "--out", out]);
    assert.equal(j.code, 0, j.stderr);
    const json = JSON.parse(j.stdout);
    assert.equal(json.closesFrom, "csv:GOOG.ohlcv:1d");
    assert.equal(json.report.horizonBars, 3);
    assert.ok(json.report.rows.withOutcome > 50);
    assert.equal(json.report.personas[0].persona, "rule_trend");
    // The benchmark is the close times a constant: the same forward returns, so the same scores.
    const viaBenchmark = JSON.parse((await agents(dir, ["report", "--run", id, "--horizon", "3", "--json"])).stdout);
    assert.ok(Math.abs(viaBenchmark.report.personas[0].hitRate - json.report.personas[0].hitRate) < 1e-12);
    assert.match(await Deno.readTextFile(`${out}/report.md`), /\| rule_trend \|/);
    assert.equal(JSON.parse(await Deno.readTextFile(`${out}/report.json`)).horizonBars, 3);
    assert.match(await Deno.readTextFile(`${out}/reliability.svg`), /^<svg/);

    const none = await agents(dir, ["report", "--run", "20990101-000000-deadbeef"]);
    assert.equal(none.code, 2);
    const both = await agents(dir, ["report", "--run", id, "--account", "x"]);
    assert.equal(both.code, 2);
    assert.match(errorLine(both), /exactly one of --account NAME or --run ID/);
  }));

Deno.test("agents report --account: decisions and bars from an account's audit log", () =>
  withTempDir("cli-agents-acct-", async (dir) => {
    const all = (await readCsv(GOOG, { sort: true, volume: "optional" })).frame;
    const frame = all.slice(all.length - 200, all.length);
    {
      using log = AuditLog.open({ dataDir: dir, account: "paper-agents" });
      const rt = await createAgentRuntime({
        storePath: ":memory:",
        personaDirs: [],
        runId: "paper-run",
        record: (e) => log.append(e),
      });
      const day = 86_400_000;
      for (let t = 0; t < frame.length; t++) {
        const ts = frame.ts[t]!, c = frame.close[t]!;
        log.append({
          kind: "bar",
          runId: "paper-run",
          ts: ts + day,
          payload: {
            symbol: "GOOG",
            timeframe: "1d",
            ts,
            open: c,
            high: c,
            low: c,
            close: c,
            volume: 0,
            dataHash: "a".repeat(64),
          },
        });
        if (t >= 60) {
          await rt.desk.debate({ personas: ["rule_trend"], rounds: 0 }, {
            frame,
            t,
            timeframe: "1d",
            symbol: "GOOG",
            position: 0,
          });
        }
      }
      rt.close();
    }
    const r = await agents(dir, ["report", "--account", "paper-agents", "--horizon", "5", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.source, "account paper-agents");
    assert.equal(j.report.rows.total, frame.length - 60);
    assert.equal(j.report.rows.withOutcome, frame.length - 60 - 5);
    assert.deepEqual(j.report.personas.map((p: { persona: string }) => p.persona), ["rule_trend"]);

    const text = await agents(dir, ["report", "--account", "paper-agents"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /# Learning report: account paper-agents/);
    const missing = await agents(dir, ["report", "--account", "nobody"]);
    assert.equal(missing.code, 2);
  }));

Deno.test("agents memory: masked and unmasked both recorded against the fake, replayed, agreement computed", () =>
  withTempDir("cli-agents-memory-", (dir) =>
    withFake(async (fake, env) => {
      const store = `${dir}/llm_store.sqlite`;
      const args = [
        "memory",
        "--data",
        GOOG,
        "--from",
        "2012-01-01",
        "--strategy",
        "llm_persona",
        "--param",
        "persona=trend_follower",
        "--param",
        "every=20",
        "--llm-store",
        store,
        "--json",
      ];
      const rec = await agents(dir, [...args, "--llm-cache", "record", "--out", `${dir}/mem`], env);
      assert.equal(rec.code, 0, rec.stderr);
      noKey(rec);
      const calls = fake.calls("/v1/messages");
      const a = JSON.parse(rec.stdout);
      assert.ok(a.masked.summary.gateway.apiCalls > 0 && a.unmasked.summary.gateway.apiCalls > 0);
      assert.equal(a.masked.summary.gateway.apiCalls + a.unmasked.summary.gateway.apiCalls, calls);
      assert.deepEqual(a.unmasked.masking, { relativeTimes: false, pseudonym: false, rebase: false });
      assert.ok(a.agreement.bars > 5 && a.agreement.bars === a.masked.decisions);
      assert.ok(a.agreement.rate >= 0 && a.agreement.rate <= 1);
      assert.equal(a.agreement.rate, a.agreement.same / a.agreement.bars);
      assert.equal(a.memory.insideMemory, true);
      for (const k of ["total_return", "sharpe", "max_drawdown"]) {
        assert.ok(Math.abs(a.difference[k] - (a.unmasked.stats[k] - a.masked.stats[k])) < 1e-12, k);
      }
      assert.match(await Deno.readTextFile(`${dir}/mem/comparison.md`), /Agreement: \d+ of \d+ decision bars/);
      assert.match(await Deno.readTextFile(`${dir}/mem/equity.svg`), /^<svg[\s\S]*Unmasked/);

      const rep = await agents(dir, args, env);
      assert.equal(rep.code, 0, rep.stderr);
      assert.equal(fake.calls("/v1/messages"), calls, "replay made no request");
      const b = JSON.parse(rep.stdout);
      assert.deepEqual(b.agreement, a.agreement);
      assert.deepEqual(b.masked.stats, a.masked.stats);
      assert.equal(b.unmasked.summary.journal.headHash, a.unmasked.summary.journal.headHash);

      const text = await agents(dir, args.filter((x) => x !== "--json"), env);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^# Masked vs unmasked: llm_persona on GOOG\.ohlcv 1d$/m);
      assert.match(text.stdout, /^\| total_return \|/m);
    })));
