import assert from "node:assert/strict";
import { syntheticCloses } from "./synthetic_closes.ts";

Deno.test("syntheticCloses: 1,000,000 default closes hash to the published SMA-X-990 fixture digest", async () => {
  const c = syntheticCloses(1_000_000);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(c.buffer as ArrayBuffer)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  // Digest given in the SMA-X-990 reference workload spec (little-endian float64 bytes).
  assert.equal(hex, "4c0781a8d16b80e77c453e8e9c9f815bfa8e116c7d94cc3a86771b6d2fb3b538");
});

Deno.test("syntheticCloses: first step worked by hand from splitmix32 / xoshiro128**", () => {
  // Independent re-derivation of the first normal draw with BigInt arithmetic (no imul).
  const M = 0xffffffffn;
  let a = 20240101n;
  const splitmix = (): bigint => {
    a = (a + 0x9e3779b9n) & M;
    let t = a ^ (a >> 16n);
    t = (t * 0x21f0aaadn) & M;
    t ^= t >> 15n;
    t = (t * 0x735a2d97n) & M;
    return t ^ (t >> 15n);
  };
  const s = [splitmix(), splitmix(), splitmix(), splitmix()];
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  let sum = 0;
  for (let k = 0; k < 12; k++) {
    const out = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    sum += Number(out) / 2 ** 32;
  }
  const c = syntheticCloses(2);
  assert.equal(c[1], 100 * (1 + 0.001 * (sum - 6)));
});

Deno.test("syntheticCloses: options and argument checks", () => {
  assert.deepEqual([...syntheticCloses(0)], []);
  assert.equal(syntheticCloses(1, { start: 7 })[0], 7);
  assert.notDeepEqual(syntheticCloses(5, { seed: 1 }), syntheticCloses(5));
  assert.throws(() => syntheticCloses(-1), /n must be an integer >= 0, got -1/);
});
