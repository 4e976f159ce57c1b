import assert from "node:assert/strict";
import { redact } from "./redact.ts";

Deno.test("redact masks every occurrence at any depth, in values and keys", () => {
  const secrets = ["tok-123456"];
  const input = { a: "x tok-123456 y tok-123456", b: [{ c: "tok-123456" }], "tok-123456": 1, n: 2, t: true, z: null };
  assert.deepEqual(redact(input, secrets), {
    a: "x [REDACTED] y [REDACTED]",
    b: [{ c: "[REDACTED]" }],
    "[REDACTED]": 1,
    n: 2,
    t: true,
    z: null,
  });
  assert.equal(input.a, "x tok-123456 y tok-123456", "the input is not changed");
});

Deno.test("redact masks the longest secret first, so a secret containing another is masked whole", () => {
  assert.equal(redact("https://h/x/abcdef-123", ["abcdef", "https://h/x/abcdef-123"]), "[REDACTED]");
});

Deno.test("redact ignores empty secrets and returns a JSON-shaped copy", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const shared = { k: 1 };
  const out = redact({
    cyclic,
    shared: [shared, shared],
    d: new Date(0),
    big: 12n,
    f: () => 1,
    u: undefined,
    nan: NaN,
    arr: [undefined, () => 1],
  }, [""]);
  assert.deepEqual(out, {
    cyclic: { a: 1, self: "[Circular]" },
    shared: [{ k: 1 }, { k: 1 }],
    d: "1970-01-01T00:00:00.000Z",
    big: "12",
    nan: null,
    arr: [null, null],
  });
  let deep: unknown = "leaf";
  for (let i = 0; i < 20; i++) deep = { d: deep };
  assert.match(JSON.stringify(redact(deep, [])), /"\[Too deep\]"/);
});
