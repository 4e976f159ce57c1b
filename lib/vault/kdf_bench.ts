// The passphrase KDF candidates at the costs a 2-core machine derives in about 0.3-1 s. The figures are in mod.ts;
// run: ./denow bench -A lib/vault/kdf_bench.ts
import { scrypt, scryptAsync } from "@noble/hashes/scrypt.js";
import { argon2id } from "@noble/hashes/argon2.js";

const pass = new TextEncoder().encode("correct horse battery staple");
const salt = crypto.getRandomValues(new Uint8Array(16));
const slow = { n: 5, warmup: 1 };

for (const logN of [15, 16, 17]) {
  Deno.bench({
    name: `noble scrypt N=2^${logN} r=8 p=1 (${2 ** logN / 1024} MiB)`,
    group: "kdf",
    ...slow,
    fn: () => void scrypt(pass, salt, { N: 2 ** logN, r: 8, p: 1, dkLen: 32 }),
  });
}
Deno.bench({
  name: "noble scryptAsync N=2^17 r=8 p=1 (128 MiB; the vault's)",
  group: "kdf",
  baseline: true,
  ...slow,
  fn: async () => void await scryptAsync(pass, salt, { N: 2 ** 17, r: 8, p: 1, dkLen: 32 }),
});
Deno.bench({
  name: "noble argon2id m=19 MiB t=2 p=1",
  group: "kdf",
  ...slow,
  fn: () => void argon2id(pass, salt, { m: 19 * 1024, t: 2, p: 1, dkLen: 32 }),
});
Deno.bench({
  name: "noble argon2id m=64 MiB t=3 p=1",
  group: "kdf",
  ...slow,
  fn: () => void argon2id(pass, salt, { m: 64 * 1024, t: 3, p: 1, dkLen: 32 }),
});
