import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import { loadRiskConfig } from "./load_risk_config.ts";
import { parseRiskConfig } from "./parse_risk_config.ts";
import { riskConfigHash } from "./risk_config_hash.ts";
import { RiskEngine } from "./risk_engine.ts";
import { writeDefaultRiskConfig } from "./write_default_risk_config.ts";

function edit(f: (c: any) => void): string {
  const c = structuredClone(DEFAULT_RISK_CONFIG) as any;
  f(c);
  return JSON.stringify(c);
}

function refusal(text: string): string {
  try {
    parseRiskConfig(text, { source: "risk.json" });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    return e.message;
  }
  assert.fail("the config was accepted");
}

Deno.test("DEFAULT_RISK_CONFIG parses, is frozen, and every rule is configurable per level", () => {
  assert.deepEqual(parseRiskConfig(JSON.stringify(DEFAULT_RISK_CONFIG)), DEFAULT_RISK_CONFIG);
  assert.ok(Object.isFrozen(DEFAULT_RISK_CONFIG));
  assert.ok(Object.isFrozen(DEFAULT_RISK_CONFIG.rules.maxLeverage));
  assert.throws(() => (DEFAULT_RISK_CONFIG.rules.maxLeverage as { limit: number }).limit = 5, TypeError);
  const r = DEFAULT_RISK_CONFIG.rules;
  assert.deepEqual([r.dailyLoss.level, r.maxDrawdown.level, r.maxPositionShare.level], ["pause", "kill", "warning"]);
});

Deno.test("parseRiskConfig refuses unknown fields with their path, at every level", () => {
  assert.equal(
    refusal(edit((c) => c.extra = 1)),
    'risk.json: (top level): unknown field "extra" (remove it or fix its spelling)',
  );
  assert.match(
    refusal(edit((c) => c.rules.maxLeverge = { enabled: true, limit: 2, level: "warning" })),
    /risk\.json: rules: unknown field "maxLeverge"/,
  );
  assert.match(refusal(edit((c) => c.rules.orderRate.perSecond = 1)), /rules\.orderRate: unknown field "perSecond"/);
  assert.match(
    refusal(edit((c) => c.strategies = { s: { maxLeverage: { limt: 2 } } })),
    /strategies\.s\.maxLeverage: unknown field "limt"/,
  );
});

Deno.test("parseRiskConfig refuses malformed values with the field path and the reason", () => {
  assert.equal(
    refusal(edit((c) => c.rules.maxLeverage.limit = -1)),
    "risk.json: rules.maxLeverage.limit: Too small: expected number to be >0 (got -1)",
  );
  assert.match(refusal(edit((c) => c.rules.orderRate.perMinute = 2.5)), /rules\.orderRate\.perMinute: .*int/i);
  assert.match(refusal(edit((c) => c.rules.dailyLoss.level = "stop")), /rules\.dailyLoss\.level: .*"warning"/);
  assert.match(refusal(edit((c) => c.rules.symbols.allow = "BTC")), /rules\.symbols\.allow: /);
  assert.match(refusal(edit((c) => c.rules.tradingWindow.days = ["monday"])), /rules\.tradingWindow\.days\.0: /);
  assert.match(refusal(edit((c) => c.rules.tradingWindow.start = "9:30")), /rules\.tradingWindow\.start: a UTC time/);
  assert.match(
    refusal(edit((c) => (c.rules.tradingWindow.start = "10:00", c.rules.tradingWindow.end = "10:00"))),
    /rules\.tradingWindow\.end: an empty window .*"00:00" to "24:00"/,
  );
  assert.match(
    refusal(edit((c) => c.strategies = { night: { tradingWindow: { start: "24:00" } } })),
    /strategies\.night\.tradingWindow\.start: start "24:00" is the next day/,
  );
  assert.equal(
    refusal(edit((c) => delete c.rules.staleData)),
    "risk.json: rules.staleData: missing (a required field)",
  );
  assert.match(refusal(edit((c) => c.rules.dailyLoss.level = "stop")), /\(got "stop"\)$/);
  assert.match(refusal(edit((c) => c.version = 2)), /version: /);
  // Several problems are all listed.
  const many = refusal(edit((c) => (c.rules.maxLeverage.limit = 0, c.flattenOnKill = "yes")));
  assert.match(many, /flattenOnKill: .*; rules\.maxLeverage\.limit: |rules\.maxLeverage\.limit: .*; flattenOnKill: /);
  assert.match(refusal("{ not json"), /risk\.json: not valid JSON .*fix the file's syntax/);
});

Deno.test("fractions above 1 are refused (3 meant as 3 %), also when a strategy override makes them", () => {
  assert.equal(
    refusal(edit((c) => c.rules.maxDrawdown.limit = 20)),
    "risk.json: rules.maxDrawdown.limit: a drawdown is a fraction of the peak, at most 1 (0.2 = 20 %) (got 20)",
  );
  assert.match(
    refusal(edit((c) => c.rules.dailyLoss.limit = 3)),
    /rules\.dailyLoss\.limit: a fraction of the day's start equity is at most 1 \(0\.03 = 3 %; or unit "quote"/,
  );
  assert.match(
    refusal(edit((c) => c.strategies = { s: { dailyLoss: { limit: 5 } } })),
    /strategies\.s\.dailyLoss\.limit: a fraction/,
  );
  // An amount in quote currency may be anything positive.
  assert.equal(
    parseRiskConfig(edit((c) => c.rules.dailyLoss = { ...c.rules.dailyLoss, limit: 500, unit: "quote" })).rules
      .dailyLoss.limit,
    500,
  );
  assert.match(
    refusal(
      edit((
        c,
      ) => (c.rules.dailyLoss = { ...c.rules.dailyLoss, limit: 500, unit: "quote" },
        c.strategies = { s: { dailyLoss: { unit: "fraction" } } })
      ),
    ),
    /strategies\.s\.dailyLoss\.limit: a fraction .*\(got 500\)/,
  );
});

Deno.test("RiskEngine refuses a malformed config object with a ConfigError naming the field", () => {
  const bad = structuredClone(DEFAULT_RISK_CONFIG) as any;
  bad.rules.maxDrawdown.limit = 0;
  assert.throws(
    () => new RiskEngine(bad),
    (e: unknown) => e instanceof ConfigError && /rules\.maxDrawdown\.limit/.test(e.message),
  );
});

Deno.test("writeDefaultRiskConfig writes readable JSON atomically; loadRiskConfig reads it back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/risk.json`;
    await writeDefaultRiskConfig(path);
    const text = await Deno.readTextFile(path);
    assert.match(text, /\n {2}"rules": \{\n {4}"maxPositionValue": \{/);
    assert.deepEqual(await loadRiskConfig(path), DEFAULT_RISK_CONFIG);
    // No temp file left behind.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["risk.json"]);
    await assert.rejects(writeDefaultRiskConfig(path), /already exists; edit it, or pass overwrite: true/);
    const tighter = structuredClone(DEFAULT_RISK_CONFIG);
    tighter.rules.maxLeverage.limit = 0.5;
    await writeDefaultRiskConfig(path, { overwrite: true, config: tighter });
    assert.equal((await loadRiskConfig(path)).rules.maxLeverage.limit, 0.5);
    // A bad config is refused before writing: the file keeps its content.
    const before = await Deno.readTextFile(path);
    const bad = structuredClone(tighter) as any;
    bad.rules.maxLeverage.limit = "2";
    await assert.rejects(
      writeDefaultRiskConfig(path, { overwrite: true, config: bad }),
      (e: unknown) => e instanceof ConfigError && /rules\.maxLeverage\.limit: .*\(got "2"\)/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(path), before);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["risk.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeDefaultRiskConfig: of concurrent writers of a new account's file, exactly one wins", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/risk.json`;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => writeDefaultRiskConfig(path)));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) if (r.status === "rejected") assert.ok(r.reason instanceof Deno.errors.AlreadyExists);
    assert.deepEqual(await loadRiskConfig(path), DEFAULT_RISK_CONFIG);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["risk.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRiskConfig: a bad file throws a ConfigError naming the path and field, and leaves the file alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/risk.json`;
    const text = edit((c) => c.rules.maxPositionShare.limit = "a lot");
    await Deno.writeTextFile(path, text);
    await assert.rejects(
      loadRiskConfig(path),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.startsWith(`risk config ${path}: rules.maxPositionShare.limit: `),
    );
    assert.equal(await Deno.readTextFile(path), text);
    await assert.rejects(loadRiskConfig(`${dir}/missing.json`), /missing\.json: no such file; write one/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("riskConfigHash: same limits, same hash whatever the key order; any change, another hash", async () => {
  const h = await riskConfigHash(DEFAULT_RISK_CONFIG);
  // Every object's keys in reverse order, at every level.
  const reverse = (v: unknown): unknown =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)]))
      : v;
  const reversed = reverse(DEFAULT_RISK_CONFIG) as typeof DEFAULT_RISK_CONFIG;
  assert.notEqual(JSON.stringify(reversed), JSON.stringify(DEFAULT_RISK_CONFIG));
  assert.equal(await riskConfigHash(reversed), h);
  const changed = structuredClone(DEFAULT_RISK_CONFIG);
  changed.rules.orderRate.perDay = 201;
  assert.notEqual(await riskConfigHash(changed), h);
  assert.match(h, /^[0-9a-f]{64}$/);
});
