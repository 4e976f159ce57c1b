// `deno task backtest --risk FILE`: risk limits in a backtest from the command line, as a subprocess.
import assert from "node:assert/strict";
import { DEFAULT_RISK_CONFIG, type RiskConfig, riskConfigHash, type RiskRules } from "../lib/risk/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { type CliRun, errorLine, runCli, withTempDir } from "./_cli.ts";

const GOOG = new URL("../data/samples/GOOG.raw.csv", import.meta.url).pathname;
const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });

/** Every rule off except a Saturday-only trading window: daily bars close at 00:00 of the next day, so only the
 * entries decided on Friday bars (closing Saturday 00:00) pass. */
function saturdayOnly(): RiskConfig {
  const rules = structuredClone(DEFAULT_RISK_CONFIG.rules) as RiskRules;
  for (const k of Object.keys(rules) as (keyof RiskRules)[]) rules[k].enabled = false;
  rules.tradingWindow = { enabled: true, days: ["sat"], start: "00:00", end: "24:00", level: "warning" };
  return { version: 1, flattenOnKill: false, rules, strategies: {} };
}

Deno.test("--risk FILE: denied orders are counted, listed, in the JSON, the manifest and the recorded run", async () => {
  await withTempDir("sentinel-cli-risk-", async (dir) => {
    const file = `${dir}/risk.json`;
    const cfg = saturdayOnly();
    await Deno.writeTextFile(file, JSON.stringify(cfg, null, 2));
    const base = ["--data", GOOG, "--strategy", "sma_cross", "--param", "fast=5", "--param", "slow=20"];
    const plain = JSON.parse((await cli(dir, ...base, "--json")).stdout);
    const r = await cli(dir, ...base, "--risk", file, "--json");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.denied.length > 10, `denied ${j.denied.length}`);
    assert.ok(j.denied.every((d: { code: string; side: string }) => d.code === "trading_window" && d.side === "buy"));
    // Entries decided on Fridays (close time Saturday 00:00 UTC) pass, the others are denied.
    for (const d of j.denied) assert.notEqual(new Date(d.ts).getUTCDay(), 5);
    assert.ok(j.trades > 0 && j.trades < plain.trades, `${j.trades} vs ${plain.trades}`);
    assert.deepEqual(j.manifest.risk, cfg);
    assert.equal(j.manifest.riskConfigHash, await riskConfigHash(cfg));
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const rec = await runs.get(j.run_id);
    assert.ok(rec.files.includes("denied.json"), rec.files.join(", "));
    const saved = JSON.parse(await Deno.readTextFile(runs.path(j.run_id, "denied.json")));
    assert.deepEqual(saved, j.denied);
    assert.equal((rec.detail.risk as { denied_count: number }).denied_count, j.denied.length);

    const human = await cli(dir, ...base, "--risk", file);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`risk: ${j.denied.length} orders denied \\(config [0-9a-f]{12}\\)`));
    assert.match(
      human.stdout,
      /\n {2}bar \d+ \d{4}-\d\d-\d\d\S* buy: trading_window \[warning\] .* outside the trading window/,
    );
    assert.match(human.stdout, /more in denied\.json/);
  });
});

Deno.test("--risk: a bad file names the field (exit 2); sweeps and portfolio strategies are refused", async () => {
  await withTempDir("sentinel-cli-risk-", async (dir) => {
    const file = `${dir}/risk.json`;
    const cfg = saturdayOnly() as unknown as { rules: { orderRate: { perDay: number } } };
    cfg.rules.orderRate.perDay = -1;
    await Deno.writeTextFile(file, JSON.stringify(cfg));
    const base = ["--data", GOOG, "--strategy", "sma_cross"];
    const bad = await cli(dir, ...base, "--risk", file);
    assert.equal(bad.code, 2);
    assert.match(errorLine(bad), /risk\.json.*rules\.orderRate\.perDay/);
    const missing = await cli(dir, ...base, "--risk", `${dir}/nope.json`);
    assert.equal(missing.code, 2);
    assert.match(errorLine(missing), /nope\.json: no such file/);
    const sweep = await cli(dir, ...base, "--risk", file, "--grid", "fast=5,10");
    assert.equal(sweep.code, 2);
    assert.match(errorLine(sweep), /--risk applies to a single backtest, not to --grid/);
    const pf = await cli(dir, "--data", GOOG, "--strategy", "momentum_rotation", "--risk", file);
    assert.equal(pf.code, 2);
    assert.match(errorLine(pf), /--risk is not supported yet for portfolio strategies \(momentum_rotation\)/);
  });
});
