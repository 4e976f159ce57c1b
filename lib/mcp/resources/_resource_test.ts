import assert from "node:assert/strict";
import { capLine, defineResource, notFound, numCell, RESOURCE_NOT_FOUND, textCell } from "./_resource.ts";

Deno.test("defineResource: the URI percent-encodes the variable; a template without exactly one slot is refused", () => {
  const def = {
    name: "x",
    title: "X",
    description: "x",
    variable: "series",
    mimeType: "text/plain",
    list: () => Promise.resolve([]),
    read: () => Promise.resolve(""),
  };
  const r = defineResource({ ...def, uriTemplate: "sentinel://x/{series}/y.csv" });
  assert.equal(r.uri("okx:ETH/USDT:4h"), "sentinel://x/okx%3AETH%2FUSDT%3A4h/y.csv");
  assert.equal(decodeURIComponent("okx%3AETH%2FUSDT%3A4h"), "okx:ETH/USDT:4h");
  assert.throws(
    () => defineResource({ ...def, uriTemplate: "sentinel://x/{id}" }),
    /must hold \{series\} exactly once/,
  );
  assert.throws(() => defineResource({ ...def, uriTemplate: "sentinel://{series}/{series}" }), /exactly once/);
});

Deno.test("CSV cells and notes: NaN is empty, text with commas or quotes is quoted, the cap note is a comment line", () => {
  assert.equal(numCell(1.5), "1.5");
  assert.equal(numCell(Number.NaN), "");
  assert.equal(numCell(Infinity), "");
  assert.equal(textCell("BTC/USDT"), "BTC/USDT");
  assert.equal(textCell('a,"b"'), '"a,""b"""');
  assert.equal(capLine("the first 2 of 3"), "# capped: the first 2 of 3\n");
  const e = notFound("sentinel://runs/x", "no run", "list them");
  assert.equal(e.code, RESOURCE_NOT_FOUND);
  assert.match(e.message, /Resource sentinel:\/\/runs\/x not found: no run; list them/);
});
