import assert from "node:assert/strict";
import { columnsToCsv } from "./columns_to_csv.ts";

Deno.test("columnsToCsv quotes per RFC 4180 and keeps numbers exact", () => {
  const csv = columnsToCsv({
    s: ['say "hi"', "two\nlines", "plain"],
    x: Float64Array.of(0.1 + 0.2, Infinity, -0),
    t: BigInt64Array.of(1n, 2n, 3n),
  });
  assert.equal(csv, 's,x,t\n"say ""hi""",0.30000000000000004,1\n"two\nlines",Infinity,2\nplain,0,3\n');
  assert.equal(Number(csv.split("\n")[1]!.split(",")[1]), 0.1 + 0.2);
});

Deno.test("columnsToCsv writes ISO times for the named columns and empty fields for NaN", () => {
  const csv = columnsToCsv({ ts: Float64Array.of(Date.UTC(2024, 0, 2), NaN) }, { isoTime: ["ts"] });
  assert.equal(csv, "ts\n2024-01-02T00:00:00.000Z\n\n");
  assert.equal(columnsToCsv({ a: Float64Array.of() }), "a\n");
  assert.throws(() => columnsToCsv({ a: Float64Array.of(1), b: Float64Array.of() }), /a has 1 rows but b has 0/);
});
