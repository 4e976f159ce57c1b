import assert from "node:assert/strict";
import { join } from "node:path";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";

const SCRIPT = new URL("./promote.ts", import.meta.url).pathname;
const GOOG = new URL("../data/samples/GOOG.ohlcv.csv", import.meta.url).pathname;

async function run(dataDir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

Deno.test("deno task promote: exit 2 on bad input, 1 when refused, 0 when promoted, with the checklist", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "promote-cli-" });
  try {
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USD" });
    const usage = await run(dataDir, ["--strategy", "sma_cross"]);
    assert.equal(usage.code, 2, usage.err);
    assert.match(usage.err, /--account is required/);
    const unknown = await run(dataDir, ["--strategy", "nope", "--account", "paper-1"]);
    assert.equal(unknown.code, 2, unknown.err);
    assert.match(unknown.err, /unknown strategy "nope"/);

    const refused = await run(dataDir, [
      "--strategy",
      "sma_cross",
      "--account",
      "paper-1",
      "--market",
      "samples:GOOG:1d",
      "--size",
      "0.2",
    ]);
    assert.equal(refused.code, 1, refused.err);
    assert.match(refused.out, /\[FAIL\] backtest\n\s+no recorded backtest of sma_cross/);
    assert.match(refused.out, /\[PASS\] risk_limits/);
    assert.match(refused.out, /refused: backtest, walk_forward, parity failed/);

    // 18 months of GOOG as a CSV file: the evidence is computed on it, the market is named.
    const lines = (await Deno.readTextFile(GOOG)).trim().split("\n");
    const from = Date.parse("2005-01-01"), to = Date.parse("2006-07-01");
    const rows = lines.slice(1).filter((l) => Number(l.split(",")[0]) >= from && Number(l.split(",")[0]) < to);
    const csv = join(dataDir, "goog.csv");
    await Deno.writeTextFile(csv, [lines[0], ...rows].join("\n") + "\n");
    const args = [
      "--strategy",
      "sma_cross",
      "--param",
      "fast=10",
      "--param",
      "slow=30",
      "--fee",
      "0.001",
      "--size",
      "0.2",
    ];
    const ok = await run(dataDir, [...args, "--account", "paper-1", "--data", csv, "--market", "samples:GOOG:1d"]);
    assert.equal(ok.code, 0, ok.out + ok.err);
    for (const g of ["backtest", "walk_forward", "risk_limits", "parity", "audit_chain"]) {
      assert.match(ok.out, new RegExp(`\\[PASS\\] ${g}\\n\\s+\\S`));
    }
    assert.match(ok.out, /promoted: event 2 in paper-1's audit log/);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const [event] = log.query({ kind: "promotion" });
    assert.equal(event?.kind === "promotion" && event.payload.market, "samples:GOOG:1d");
    assert.equal(event?.kind === "promotion" && event.payload.options?.fee, 0.001);

    const json = await run(dataDir, [...args, "--account", "paper-1", "--data", csv, "--dry-run", "--json"]);
    assert.equal(json.code, 0, json.err);
    const parsed = JSON.parse(json.out);
    assert.equal(parsed.promoted, false);
    assert.equal(parsed.ok, true);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
