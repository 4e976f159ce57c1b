// `deno task data import --on-conflict`: revised prices are counted and kept, replaced or refused; concurrent
// imports of one file count new rows under the series lock. The real CLI in subprocesses, a temp store.
import assert from "node:assert/strict";
import { Store } from "../lib/store/mod.ts";

const CLI = new URL("../cli/data.ts", import.meta.url).pathname;
const ID = { exchange: "desk", symbol: "REV", timeframe: "1d" };
const SERIES = ["--exchange", "desk", "--symbol", "REV", "--timeframe", "1d"];
const T0 = Date.UTC(2024, 0, 1);
const D = 86_400_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function command(dir: string, args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: { SENTINEL_DATA_DIR: dir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

async function data(dir: string, ...args: string[]): Promise<Run> {
  const out = await command(dir, args).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A daily CSV of `n` bars (weekends included: the calendar is given as 24/7); `close(i)` sets bar i's prices. */
function csv(n: number, close: (i: number) => number = (i) => 100 + i): string {
  const rows = ["timestamp,open,high,low,close,volume"];
  for (let i = 0; i < n; i++) {
    const c = close(i);
    rows.push(`${T0 + i * D},${c},${c + 1},${c - 1},${c},${1000 + i}`);
  }
  return rows.join("\n") + "\n";
}

async function closes(dir: string): Promise<number[]> {
  const store = await Store.open({ dir });
  try {
    return [...(await store.read(ID)).close];
  } finally {
    store.close();
  }
}

Deno.test("data import: revised prices fail by default (nothing stored), or are kept or replaced by --on-conflict", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const v1 = `${dir}/v1.csv`, v2 = `${dir}/v2.csv`;
    await Deno.writeTextFile(v1, csv(10));
    // v2 revises bars 3 and 7 and adds bar 10.
    await Deno.writeTextFile(v2, csv(11, (i) => (i === 3 || i === 7 ? 200 + i : 100 + i)));
    const first = await data(dir, "import", v1, ...SERIES, "--calendar", "24/7");
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /desk:REV:1d: 10 rows from .*v1\.csv: 10 new rows, 0 identical rows, 0 differing rows\n/,
    );

    const refused = await data(dir, "import", v2, ...SERIES, "--calendar", "24/7");
    assert.equal(refused.code, 2, refused.stderr);
    const lines = refused.stderr.trim().split("\n");
    assert.equal(lines.length, 1, refused.stderr);
    assert.match(
      lines[0]!,
      /^error: desk:REV:1d: 2 of 11 incoming bars differ from the stored ones \(first at 2024-01-04T00:00:00Z: stored open 103 high 104 low 102 close 103 volume 1003, incoming open 203 high 204 low 202 close 203 volume 1003\); nothing was written\. .*--on-conflict replace\|keep/,
    );
    assert.deepEqual(await closes(dir), Array.from({ length: 10 }, (_, i) => 100 + i), "nothing stored, not bar 10");

    const kept = await data(dir, "import", v2, ...SERIES, "--on-conflict", "keep");
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(
      kept.stdout,
      /11 rows from .*: 1 new row, 8 identical rows, 2 differing rows \(kept the stored values\)/,
    );
    assert.deepEqual(await closes(dir), Array.from({ length: 11 }, (_, i) => 100 + i));

    const replaced = await data(dir, "import", v2, ...SERIES, "--on-conflict", "replace", "--json");
    assert.equal(replaced.code, 0, replaced.stderr);
    const j = JSON.parse(replaced.stdout);
    assert.deepEqual([j.inserted, j.identical, j.differing, j.conflict], [0, 9, 2, "replaced"]);
    assert.deepEqual(await closes(dir), Array.from({ length: 11 }, (_, i) => (i === 3 || i === 7 ? 200 + i : 100 + i)));

    const bad = await data(dir, "import", v2, ...SERIES, "--on-conflict", "overwrite");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--on-conflict "overwrite" is not valid: use --on-conflict fail, keep or replace/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("data import: two processes importing the same file at once; the second reports 0 new rows", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/big.csv`;
    const n = 20_000;
    await Deno.writeTextFile(file, csv(n));
    const args = ["import", file, ...SERIES, "--calendar", "24/7"];
    const [a, b] = await Promise.all([command(dir, args).output(), command(dir, args).output()]);
    const dec = new TextDecoder();
    const outs = [a, b].map((o) => {
      assert.equal(o.code, 0, dec.decode(o.stderr));
      return dec.decode(o.stdout).split("\n")[0]!;
    });
    const news = outs.map((line) => Number(/: (\d+) new rows?,/.exec(line)?.[1] ?? NaN)).sort((x, y) => x - y);
    assert.deepEqual(news, [0, n], outs.join("\n"));
    assert.ok(
      outs.some((line) => line.includes(`: 0 new rows, ${n} identical rows, 0 differing rows`)),
      outs.join("\n"),
    );
    assert.equal((await closes(dir)).length, n);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
