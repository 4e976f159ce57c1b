// End-to-end tests of the agent strategies in `deno task backtest` (cli/backtest.ts, cli/_backtest_agents.ts): a rule
// persona with no key and no network, an llm_debate recorded against the fake Anthropic API then replayed, a replay
// miss, a budget stop, and a planted key that must never leak. Subprocesses get a clean environment so a developer's
// own ANTHROPIC_API_KEY can neither be used nor leak.

import assert from "node:assert/strict";
import { join } from "node:path";
import { RunRegistry } from "../lib/runs/mod.ts";
import { FakeAnthropic } from "../lib/testing/mod.ts";
import { cliPath, type CliRun, errorLine, ROOT, withoutDenoLockNotice, withTempDir } from "./_cli.ts";

const BTC = new URL("../data/samples/BTCUSD.raw.csv", import.meta.url).pathname;
const KEY = `sk-ant-PLANTED-${crypto.randomUUID()}`;
const DEBATE = ["--strategy", "llm_debate", "--param", "personas=trend_follower,risk_officer", "--param", "every=12"];

/** `deno task backtest args...` with only the env a Deno process needs, plus `env`. */
async function backtest(dataDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const keep = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR", "DENO_TLS_CA_STORE"];
  const base = Object.fromEntries(keep.flatMap((k) => {
    const v = Deno.env.get(k);
    return v === undefined ? [] : [[k, v]];
  }));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath("backtest"), "--data", BTC, "--timeframe", "1M", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: { ...base, SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: withoutDenoLockNotice(dec.decode(out.stderr)) };
}

async function runsOf(dataDir: string): Promise<RunRegistry> {
  return await RunRegistry.open({ dir: `${dataDir}/_runs` });
}

/** Every file under `dir`, as text (binary bytes decoded loosely: a key would still show). */
async function allText(dir: string): Promise<string> {
  let text = "";
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) text += await allText(p);
    else if (e.isFile) text += new TextDecoder().decode(await Deno.readFile(p));
  }
  return text;
}

Deno.test("llm_persona with a rule persona: no key, no network; agents block, JSON, registry files and memory label", async () => {
  await withTempDir("sentinel-agents-", async (dir) => {
    const args = ["--strategy", "llm_persona", "--param", "persona=rule_trend", "--param", "every=3"];
    const [human, json] = await Promise.all([
      backtest(dir, [...args, "--out", `${dir}/out`]),
      backtest(dir, [...args, "--json"]),
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /agents \(replay, claude-sonnet-4-5\): \d+ decisions/);
    assert.match(human.stdout, /journal: \d+ decision events, head [0-9a-f]{64}/);
    // A rule persona asks no model, so the label says the result cannot be model memory (an LLM run's names the
    // window and the model's cutoff: the record/replay test below).
    assert.match(human.stdout, /^memory: no model was asked \(rule personas only: rule_trend\)/m);
    assert.doesNotMatch(human.stderr, /estimate:/, "replay makes no preflight");
    assert.equal(json.code, 0, json.stderr);
    const j = JSON.parse(json.stdout);
    assert.ok(j.agents.desk.decisions > 0);
    assert.equal(j.agents.desk.calls, 0);
    assert.equal(j.agents.strategy, "llm_persona");
    assert.match(j.agents.memory.label, /no model was asked/);
    const rec = await (await runsOf(dir)).get(j.run_id);
    const detail = rec.detail as { agents: { journal: { headHash: string } } };
    assert.equal(detail.agents.journal.headHash, j.agents.journal.headHash);
    const runDir = `${dir}/_runs/${j.run_id}`;
    const agentsJson = JSON.parse(await Deno.readTextFile(join(runDir, "agents.json")));
    assert.equal(agentsJson.journal.headHash, j.agents.journal.headHash);
    const lines = (await Deno.readTextFile(join(runDir, "decisions.jsonl"))).trim().split("\n");
    assert.equal(lines.length, j.agents.journal.events);
    assert.equal(JSON.parse(lines.at(-1)!).hash, j.agents.journal.headHash);
    for (const f of ["agents.json", "decisions.jsonl"]) await Deno.stat(`${dir}/out/${f}`);
    assert.match(await Deno.readTextFile(`${dir}/out/report.html`), /memory: no model was asked/);
  });
});

Deno.test("llm_debate recorded against the fake API, then replayed: same stats and head hash, no request; the key never leaks", async () => {
  await withTempDir("sentinel-agents-", async (dir) => {
    const fake = await FakeAnthropic.start({ apiKey: KEY });
    try {
      const env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY };
      const store = ["--llm-store", `${dir}/llm_store.sqlite`];
      const rec = await backtest(
        dir,
        [...DEBATE, ...store, "--llm-cache", "record", "--llm-budget", "5", "--json"],
        env,
      );
      assert.equal(rec.code, 0, rec.stderr);
      assert.match(rec.stderr, /^estimate: \d+ decisions, ~\d+ input tokens, ~\$[\d.e-]+ \(budget \$5\)/m);
      assert.ok(fake.calls("/v1/messages/count_tokens") > 0, "the preflight counted tokens");
      const calls = fake.calls("/v1/messages");
      const r = JSON.parse(rec.stdout);
      assert.ok(calls > 0 && r.agents.gateway.apiCalls === calls, `${calls} calls, ${r.agents.gateway.apiCalls} API`);

      const [rep, human] = await Promise.all([
        backtest(dir, [...DEBATE, ...store, "--llm-cache", "replay", "--json"], env),
        backtest(dir, [...DEBATE, ...store], env),
      ]);
      assert.equal(rep.code, 0, rep.stderr);
      const p = JSON.parse(rep.stdout);
      assert.equal(fake.calls("/v1/messages"), calls, "replay made no request");
      assert.deepEqual(p.stats, r.stats);
      assert.equal(p.agents.journal.headHash, r.agents.journal.headHash);
      assert.deepEqual({ ...p.agents.desk, storeHits: 0 }, r.agents.desk, "same decisions, abstentions, tokens, cost");
      assert.equal(p.agents.desk.storeHits, p.agents.desk.calls);
      assert.equal(p.agents.gateway.apiCalls, 0);
      assert.equal(p.agents.gateway.storeHits, r.agents.gateway.calls);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /store hits \d+, API calls 0/);
      assert.match(human.stdout, new RegExp(`head ${r.agents.journal.headHash}`));
      assert.match(human.stdout, /^memory: window \d{4}-\d\d\.\.\d{4}-\d\d is inside claude-sonnet-4-5 training data/m);

      for (
        const [what, text] of [["stdout", rec.stdout + rep.stdout + human.stdout], [
          "stderr",
          rec.stderr + rep.stderr + human.stderr,
        ], ["data dir (registry files, store)", await allText(dir)]]
      ) {
        assert.ok(!text!.includes(KEY) && !text!.includes("PLANTED"), `the key leaked into ${what}`);
      }
    } finally {
      await fake.close();
    }
  });
});

Deno.test("a replay miss and a reached budget exit 2 with one line naming the fix, and record no run", async () => {
  await withTempDir("sentinel-agents-", async (dir) => {
    const fake = await FakeAnthropic.start({ apiKey: KEY });
    try {
      const env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY };
      const [miss, budget] = await Promise.all([
        backtest(dir, [...DEBATE, "--llm-store", `${dir}/empty.sqlite`], env),
        backtest(
          dir,
          [...DEBATE, "--llm-store", `${dir}/b.sqlite`, "--llm-cache", "record", "--llm-budget", "0.0001"],
          env,
        ),
      ]);
      assert.equal(miss.code, 2, miss.stderr);
      assert.match(errorLine(miss), /^error: replay: .*--llm-cache record/);
      assert.equal(budget.code, 2, budget.stderr);
      const line = budget.stderr.trim().split("\n").at(-1)!;
      assert.match(line, /^error: stopped at the decision of .*--llm-budget/);
      assert.match(budget.stderr, /^estimate: .*\(budget \$0\.0001\); the budget will likely stop the run/m);
      assert.deepEqual(await (await runsOf(dir)).list(), []);
      assert.ok(!(miss.stderr + budget.stderr + budget.stdout + await allText(dir)).includes(KEY));
      const plain = await backtest(dir, ["--strategy", "sma_cross", "--llm-cache", "record"]);
      assert.equal(plain.code, 2);
      assert.match(errorLine(plain), /--llm-cache applies to the agent strategies/);
    } finally {
      await fake.close();
    }
  });
});
