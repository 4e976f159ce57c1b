// `deno task backtest` over two CSVs where one asset misses a day (issue 7, item 17): with
// next_open fills the order decided on the missing day fills at the asset's next open.
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";

const DAY = 86_400_000;

async function withCsvs(fn: (dir: string, a: string, b: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sentinel-gaps-" });
  try {
    const csv = (closes: (number | null)[]) =>
      "timestamp,open,high,low,close,volume\n" +
      closes.map((c, i) => (c === null ? "" : `${i * DAY},${c},${c},${c},${c},1\n`)).join("");
    await Deno.writeTextFile(`${dir}/a.csv`, csv([10, 10, 10, 10, 10, 10]));
    await Deno.writeTextFile(`${dir}/b.csv`, csv([10, 12, 13, null, 14, 7]));
    await fn(dir, `${dir}/a.csv`, `${dir}/b.csv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function finalEquity(dir: string, ...args: string[]): Promise<number> {
  const r = await runCli("backtest", [...args, "--json"], { dataDir: `${dir}/store` });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).final_equity;
}

Deno.test("deno task backtest: b's day-3 gap; next_open sells b at day 4's open, close fill unchanged", async () => {
  await withCsvs(async (dir, a, b) => {
    const base = ["--data", a, "--data", b, "--strategy", "momentum_rotation"];
    const params = ["--param", "lookback=1", "--param", "k=1", "--param", "every=1", "--finalize", "open"];
    const next = await finalEquity(dir, ...base, ...params);
    assert.equal(Math.round(next * 100) / 100, 10_769.23);
    const close = await finalEquity(dir, ...base, ...params, "--fill", "close");
    assert.equal(Math.round(close * 100) / 100, 11_666.67);
  });
});
