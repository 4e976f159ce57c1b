// `deno task backtest` refuses a warm-up longer than the data with one line and exit code 2; a sweep counts
// such combinations as skipped.
import assert from "node:assert/strict";
import { type CliRun, runCli } from "./_cli.ts";

const GOOG = new URL("../data/samples/GOOG.raw.csv", import.meta.url).pathname;

const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });

Deno.test("deno task backtest: a warm-up longer than the data is one error line naming both, exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sentinel-cli-warmup-" });
  try {
    const r = await cli(
      dir,
      "--data",
      GOOG,
      "--strategy",
      "sma_cross",
      "--param",
      "fast=9999",
      "--param",
      "slow=10000",
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr.trim().split("\n").at(-1)!,
      /^error: sma_cross with fast=9999, slow=10000 needs 10000 bars of warm-up; .* has \d+ bars: use a shorter period or more data$/,
    );
    const sweep = await cli(
      dir,
      ...["--data", GOOG, "--strategy", "sma_cross", "--grid", "fast=10", "--grid", "slow=50,9000", "--json"],
    );
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.equal(JSON.parse(sweep.stdout).skipped.count, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
