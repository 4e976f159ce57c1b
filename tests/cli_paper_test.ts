// `deno task paper` as a user runs it: a replay of a promoted strategy over a bundled sample, its status, a second
// runner refused, a resume that finds nothing new, and Ctrl-C stopping cleanly with a run_stopped event.
import assert from "node:assert/strict";
import { AuditLog, replay } from "../lib/audit/mod.ts";
import { createAccount } from "../lib/accounts/mod.ts";
import { smaCross, strategyCodeHash } from "../lib/strategies/mod.ts";
import { ROOT, runCli as runCliFile, withTempDir } from "./_cli.ts";

const CSV = `${ROOT}data/samples/BTCUSD.ohlcv.csv`;
const MAIN = `${ROOT}paper/main.ts`;

/** `deno task paper ...` (the entry point lives in paper/, not cli/). */
function runCli(_name: "paper", args: readonly string[], options: { dataDir: string }) {
  return runCliFile("../paper/main", args, options);
}

async function promoted(dataDir: string, name: string): Promise<void> {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000 });
  // The promotion gates have their own tests (lib/promotion); here the event they write is the fixture.
  using log = AuditLog.open({ dataDir, account: name });
  log.append({
    kind: "promotion",
    runId: "test",
    payload: {
      strategy: "sma_cross",
      codeHash: await strategyCodeHash(smaCross),
      params: { fast: 10, slow: 30 },
      market: "bitstamp:BTC/USD:1M",
      symbol: "BTC/USD",
      timeframe: "1M",
      options: { fee: 0.001 },
      evidenceRunIds: [],
    },
  });
}

Deno.test("paper replays a promoted strategy over a CSV, reports status, refuses nothing new twice", async () => {
  await withTempDir("paper-cli-", async (dataDir) => {
    await promoted(dataDir, "p1");
    const run = await runCli("paper", ["--account", "p1", "--feed", "replay", "--data", CSV, "--speed", "max"], {
      dataDir,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /end of data: \d+ batches/);

    const st = await runCli("paper", ["status", "--account", "p1", "--json"], { dataDir });
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout);
    assert.equal(s.runner.state, "stopped");
    assert.equal(s.runner.reason, "end of data");
    assert.equal(s.lastBars[0].symbol, "BTC/USD");
    assert.equal(s.audit.ok, true);
    {
      using log = AuditLog.open({ dataDir, account: "p1", readOnly: true });
      const state = replay(log.events());
      assert.equal(s.equity, state.equity);
      assert.ok(log.query({ kind: "order_intent", limit: 10 }).length > 0, "the strategy decided something");
    }

    // Started again over the same data: recovered from the log, nothing new to do, nothing sent again.
    const again = await runCli("paper", ["--account", "p1", "--feed", "replay", "--data", CSV], { dataDir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /end of data: 0 batches, 0 bars, 0 orders sent/);

    const bad = await runCli("paper", ["--account", "p1", "--feed", "replay"], { dataDir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--feed replay needs --data/);
  });
});

Deno.test("Ctrl-C stops a replay cleanly (run_stopped 'stopped'); a second runner on the account is refused", async () => {
  await withTempDir("paper-cli-", async (dataDir) => {
    await promoted(dataDir, "p2");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--account", "p2", "--feed", "replay", "--data", CSV, "--speed", "2000000"],
      cwd: ROOT,
      env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const stdout = new Response(child.stdout).text();
    // Wait until it runs (its first bar is logged), then try a second runner, then Ctrl-C.
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      using log = AuditLog.open({ dataDir, account: "p2", readOnly: true });
      if (log.query({ kind: "bar", limit: 1 }).length > 0) break;
    }
    const second = await runCli("paper", ["--account", "p2", "--feed", "replay", "--data", CSV], { dataDir });
    assert.equal(second.code, 2);
    assert.match(second.stderr, /^error: account p2 already has a runner \(pid \d+/m);
    child.kill("SIGINT");
    const status = await child.status;
    await stdout;
    assert.equal(status.code, 0, await stderr);
    using log = AuditLog.open({ dataDir, account: "p2", readOnly: true });
    const stops = log.query({ kind: "run_stopped", limit: 10 });
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.kind === "run_stopped" && stops[0]!.payload.reason, "stopped");
    assert.equal(log.verify().ok, true);
  });
});
