import assert from "node:assert/strict";
import { AuthLimiter, checkToken, clientKey, generateToken, safeNext, Sessions } from "./_auth.ts";

Deno.test("AuthLimiter: 3 free failures, then 1 s, 2 s, 4 s … capped; memory bounded by maxClients", () => {
  let now = 0;
  const l = new AuthLimiter({ now: () => now, maxBackoffMs: 8_000, maxClients: 100 });
  for (let i = 0; i < 3; i++) l.fail("a");
  assert.equal(l.retryAfter("a"), 0);
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    l.fail("a");
    waits.push(l.retryAfter("a"));
    now += waits.at(-1)! * 1000;
  }
  assert.deepEqual(waits, [1, 2, 4, 8, 8, 8]);
  assert.throws(() => (l.fail("a"), l.check("a")), (e: Error & { status?: number }) => e.status === 429);
  l.succeed("a");
  assert.equal(l.retryAfter("a"), 0);
  // A flood of addresses evicts the least recently seen, never grows past maxClients.
  for (let i = 0; i < 10_000; i++) for (let k = 0; k < 4; k++) l.fail(`10.0.${i >> 8}.${i & 255}`);
  assert.ok(l.retryAfter("10.0.39.15") > 0, "the most recent client is still remembered");
  assert.equal(l.retryAfter("10.0.0.0"), 0, "the oldest ones were evicted");
});

Deno.test("Sessions: random 64-hex ids, expiry, revoke, bounded", () => {
  let now = 0;
  const s = new Sessions({ now: () => now, sessionTtlMs: 1000, maxSessions: 3 });
  const a = s.create();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.ok(s.valid(a));
  assert.ok(!s.valid("0".repeat(64)));
  assert.ok(!s.valid(undefined));
  now = 1000;
  assert.ok(!s.valid(a), "expired");
  const [b, c, d, e] = [s.create(), s.create(), s.create(), s.create()];
  assert.ok(!s.valid(b), "the oldest went first");
  assert.ok(s.valid(c) && s.valid(d) && s.valid(e));
  s.revoke(d);
  assert.ok(!s.valid(d));
});

Deno.test("safeNext: only same-origin paths", () => {
  const base = "http://lab.example:8000/login";
  assert.equal(safeNext("/runs?x=1#y", base), "/runs?x=1#y");
  for (
    const bad of [
      "/\t/evil.example",
      "/\n/x",
      "//evil.example",
      "/\\evil.example",
      "http://evil.example/",
      "runs",
      "",
      undefined,
    ]
  ) {
    assert.equal(safeNext(bad, base), "/", JSON.stringify(bad));
  }
});

Deno.test("checkToken and generateToken", () => {
  assert.throws(() => checkToken("x".repeat(23)), /23 characters; use at least 24/);
  assert.throws(() => checkToken("x".repeat(30) + "\n"), /control characters/);
  checkToken("x".repeat(24));
  const t = generateToken();
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(t, generateToken());
  checkToken(t);
});

Deno.test("clientKey: IPv4 as is, IPv6 by its /64, IPv4-mapped as IPv4", () => {
  assert.equal(clientKey("10.1.2.3"), "10.1.2.3");
  assert.equal(clientKey("2001:db8:0:1::5"), "2001:db8:0:1::/64");
  assert.equal(clientKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd"), "2001:db8:0:1::/64");
  assert.equal(clientKey("[2001:0db8::1]"), "2001:db8:0:0::/64");
  assert.equal(clientKey("::1"), "0:0:0:0::/64");
  assert.equal(clientKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(clientKey("fe80::1%eth0"), "fe80:0:0:0::/64");
});
