import assert from "node:assert/strict";
import { createAccount } from "../accounts/mod.ts";
import { AuditLog } from "../audit/audit_log.ts";
import { allBytes, PASS, TEST_KDF, withDataDir } from "./_test_helpers.ts";
import { Vault, VaultError, type VaultErrorCode, type VaultFile, vaultPaths } from "./mod.ts";

const K1 = { apiKey: "PLANT-api-0001", secret: "PLANT-secret-0001" };
const K2 = { apiKey: "PLANT-api-0002", secret: "PLANT-secret-0002", password: "PLANT-pw-0002", uid: "77" };

function code(c: VaultErrorCode): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof VaultError, `expected a VaultError, got ${e}`);
    assert.equal(e.code, c, e.message);
    for (const v of [...Object.values(K1), ...Object.values(K2)]) {
      if (v.length >= 4) assert.ok(!e.message.includes(v) && !String(e.stack).includes(v), "a secret in the error");
    }
    return true;
  };
}

async function newVault(dataDir: string): Promise<Vault> {
  return await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: TEST_KDF });
}

function readFile(dataDir: string): VaultFile {
  return JSON.parse(Deno.readTextFileSync(vaultPaths(dataDir).file));
}

function writeFile(dataDir: string, f: unknown): void {
  Deno.writeTextFileSync(vaultPaths(dataDir).file, JSON.stringify(f));
}

/** An account whose account.json names `key` (the field `deno task live --key` will set). */
function accountNaming(dataDir: string, account: string, key: string): void {
  const acct = createAccount({ dataDir, name: account, kind: "live", cash: 1_000 });
  Deno.writeTextFileSync(acct.path, JSON.stringify({ ...acct.config, key }, null, 2));
}

Deno.test("Vault: add, then credentials from a fresh open; file 0600 in a 0700 folder; list needs no passphrase", () =>
  withDataDir(async (dataDir) => {
    {
      using v = await newVault(dataDir);
      assert.equal(await Vault.info({ dataDir }), null, "nothing is written before the first add");
      await v.add("bn-main", "binance", K1);
      await v.add("okx-main", "okx", K2);
    }
    const p = vaultPaths(dataDir);
    assert.equal(Deno.statSync(p.file).mode! & 0o777, 0o600);
    assert.equal(Deno.statSync(p.dir).mode! & 0o777, 0o700);
    using v = await Vault.open({ dataDir, passphrase: PASS });
    assert.deepEqual({ ...await v.credentials("bn-main") }, K1);
    assert.deepEqual({ ...await v.credentials("okx-main") }, K2);
    assert.deepEqual(await v.secrets("okx-main"), ["PLANT-api-0002", "PLANT-secret-0002", "PLANT-pw-0002"]);
    const info = await Vault.info({ dataDir });
    assert.deepEqual(info!.map((k) => [k.name, k.exchange, k.generation, k.rotatedAt, k.fields]), [
      ["bn-main", "binance", 1, null, ["apiKey", "secret"]],
      ["okx-main", "okx", 1, null, ["apiKey", "secret", "password", "uid"]],
    ]);
    assert.deepEqual(v.list(), info);
    assert.equal(v.kdf.N, TEST_KDF.N);
    const text = Deno.readTextFileSync(p.file);
    // uid "77" is too short to scan for: base64 ciphertext contains it by chance.
    for (const s of [...Object.values(K1), ...Object.values(K2)]) if (s.length >= 4) assert.ok(!text.includes(s));
  }));

Deno.test("Vault: every seal has a fresh 96-bit IV (same key material twice, and a rotation to the same values)", () =>
  withDataDir(async (dataDir) => {
    using v = await newVault(dataDir);
    await v.add("a", "binance", K1);
    await v.add("b", "binance", K1);
    const f1 = readFile(dataDir);
    assert.notEqual(f1.entries.a!.iv, f1.entries.b!.iv);
    assert.notEqual(f1.entries.a!.data, f1.entries.b!.data);
    assert.equal(atob(f1.entries.a!.iv).length, 12);
    await v.rotate("a", K1);
    const f2 = readFile(dataDir);
    assert.notEqual(f2.entries.a!.iv, f1.entries.a!.iv);
    assert.equal(f2.entries.a!.generation, 2);
    assert.ok(f2.entries.a!.rotatedAt !== null);
  }));

Deno.test("Vault: an entry moved to another name, or its exchange edited, does not decrypt (associated data)", () =>
  withDataDir(async (dataDir) => {
    {
      using v = await newVault(dataDir);
      await v.add("a", "binance", K1);
      await v.add("b", "binance", K2);
    }
    const f = readFile(dataDir);
    writeFile(dataDir, {
      ...f,
      entries: { ...f.entries, b: { ...f.entries.b!, iv: f.entries.a!.iv, data: f.entries.a!.data } },
    });
    using v = await Vault.open({ dataDir, passphrase: PASS });
    await assert.rejects(v.credentials("b"), code("corrupt"));
    assert.deepEqual({ ...await v.credentials("a") }, K1);
    writeFile(dataDir, { ...f, entries: { ...f.entries, a: { ...f.entries.a!, exchange: "kraken" } } });
    await assert.rejects(v.credentials("a"), code("corrupt"));
  }));

Deno.test("Vault: a wrong passphrase fails on the verifier and changes nothing", () =>
  withDataDir(async (dataDir) => {
    {
      using v = await newVault(dataDir);
      await v.add("a", "binance", K1);
    }
    const before = Deno.readFileSync(vaultPaths(dataDir).file);
    await assert.rejects(Vault.open({ dataDir, passphrase: "not the passphrase" }), code("wrong_passphrase"));
    assert.deepEqual(Deno.readFileSync(vaultPaths(dataDir).file), before);
    // The KDF parameters are bound into the verifier: a file edited to a cheaper cost fails the same way.
    const f = readFile(dataDir);
    writeFile(dataDir, { ...f, kdf: { ...f.kdf, N: 2 ** 11 } });
    await assert.rejects(Vault.open({ dataDir, passphrase: PASS }), code("wrong_passphrase"));
  }));

Deno.test("Vault: damaged files are corrupt with the path named: bad JSON, truncated, bad tag, schema, newer version", () =>
  withDataDir(async (dataDir) => {
    {
      using v = await newVault(dataDir);
      await v.add("a", "binance", K1);
    }
    const path = vaultPaths(dataDir).file;
    const good = Deno.readTextFileSync(path);
    const f = JSON.parse(good) as VaultFile;
    const cases: [string, string][] = [
      ["not JSON", "{oops"],
      ["truncated", good.slice(0, Math.floor(good.length / 2))],
      ["empty", ""],
      ["unknown field", JSON.stringify({ ...f, extra: 1 })],
      ["missing kdf", JSON.stringify({ ...f, kdf: undefined })],
      ["bad base64", JSON.stringify({ ...f, verifier: { iv: "!!!!!!!!!!!!!!!!", data: f.verifier.data } })],
    ];
    for (const [what, text] of cases) {
      Deno.writeTextFileSync(path, text);
      await assert.rejects(Vault.open({ dataDir, passphrase: PASS }), (e) => {
        code("corrupt")(e);
        assert.ok((e as Error).message.includes(path), what);
        return true;
      }, what);
      await assert.rejects(Vault.info({ dataDir }), code("corrupt"), what);
    }
    Deno.writeTextFileSync(path, JSON.stringify({ ...f, version: 2 }));
    await assert.rejects(Vault.open({ dataDir, passphrase: PASS }), /version 2, newer than this code reads/);
    // A flipped bit in an entry's ciphertext fails its GCM tag.
    const data = Uint8Array.from(atob(f.entries.a!.data), (c) => c.charCodeAt(0));
    data[data.length - 1]! ^= 1;
    writeFile(dataDir, { ...f, entries: { a: { ...f.entries.a!, data: btoa(String.fromCharCode(...data)) } } });
    using v = await Vault.open({ dataDir, passphrase: PASS });
    await assert.rejects(v.credentials("a"), code("corrupt"));
  }));

Deno.test("Vault: missing vault, missing key, taken name, weak or absent passphrase, bad names are typed errors", () =>
  withDataDir(async (dataDir) => {
    await assert.rejects(Vault.open({ dataDir, passphrase: PASS }), code("no_vault"));
    await assert.rejects(Vault.open({ dataDir, passphrase: "short", create: true }), code("weak_passphrase"));
    const env = Deno.env.get("SENTINEL_VAULT_PASSPHRASE");
    Deno.env.delete("SENTINEL_VAULT_PASSPHRASE");
    try {
      await assert.rejects(Vault.open({ dataDir, create: true }), code("no_passphrase"));
      Deno.env.set("SENTINEL_VAULT_PASSPHRASE", PASS);
      using fromEnv = await Vault.open({ dataDir, create: true, kdf: TEST_KDF });
      await fromEnv.add("a", "binance", K1);
    } finally {
      if (env === undefined) Deno.env.delete("SENTINEL_VAULT_PASSPHRASE");
      else Deno.env.set("SENTINEL_VAULT_PASSPHRASE", env);
    }
    using v = await Vault.open({ dataDir, passphrase: PASS });
    await assert.rejects(v.credentials("b"), code("missing_key"));
    await assert.rejects(v.rotate("b", K1), code("missing_key"));
    await assert.rejects(v.remove("b"), code("missing_key"));
    await assert.rejects(v.add("a", "binance", K2), code("key_exists"));
    await assert.rejects(v.add("PLANT-secret-0002", "binance", K2), code("bad_input"));
    await assert.rejects(v.add("c", "Binance!", K2), code("bad_input"));
    await assert.rejects(v.add("c", "binance", { apiKey: "short", secret: "PLANT-secret-0001" }), code("bad_input"));
    assert.equal(v.has("c"), false);
  }));

Deno.test("Vault: rotate and remove log config_change to each account naming the key, never a value", () =>
  withDataDir(async (dataDir) => {
    accountNaming(dataDir, "live-1", "bn-main");
    accountNaming(dataDir, "live-2", "other");
    using v = await newVault(dataDir);
    assert.deepEqual((await v.add("bn-main", "binance", K1)).accounts, ["live-1"]);
    const r = await v.rotate("bn-main", K2);
    assert.deepEqual(r, { name: "bn-main", generation: 2, accounts: ["live-1"] });
    await assert.rejects(v.remove("bn-main"), code("in_use"));
    assert.equal(v.has("bn-main"), true);
    assert.deepEqual((await v.remove("bn-main", { force: true })).accounts, ["live-1"]);
    assert.equal((await Vault.info({ dataDir }))!.length, 0);

    using log = AuditLog.open({ dataDir, account: "live-1", readOnly: true });
    const events = log.query({ kind: "config_change" }).filter((e) =>
      e.kind === "config_change" && e.payload.target === "vault_key"
    );
    assert.deepEqual(
      events.map((e) => e.kind === "config_change" && e.payload.after),
      [
        {
          key: "bn-main",
          exchange: "binance",
          action: "added",
          generation: 1,
          at: (events[0]!.payload as any).after.at,
        },
        {
          key: "bn-main",
          exchange: "binance",
          action: "rotated",
          generation: 2,
          at: (events[1]!.payload as any).after.at,
        },
        {
          key: "bn-main",
          exchange: "binance",
          action: "removed",
          generation: 2,
          at: (events[2]!.payload as any).after.at,
        },
      ],
    );
    assert.equal(log.verify().ok, true);
    using other = AuditLog.open({ dataDir, account: "live-2", readOnly: true });
    assert.equal(other.query({ kind: "config_change" }).length, 1, "only the account's creation");
    const bytes = allBytes(dataDir);
    for (const s of [...Object.values(K1), ...Object.values(K2)]) {
      if (s.length >= 4) assert.ok(!bytes.includes(s), `a value in the data dir`);
    }
  }));

Deno.test("Vault: changePassphrase re-encrypts under a new salt; the old passphrase and an old handle stop working", () =>
  withDataDir(async (dataDir) => {
    using v = await newVault(dataDir);
    await v.add("a", "binance", K1);
    await v.add("b", "okx", K2);
    using old = await Vault.open({ dataDir, passphrase: PASS });
    const before = readFile(dataDir);
    assert.equal(await v.changePassphrase("a brand new passphrase", { kdf: TEST_KDF }), 2);
    const after = readFile(dataDir);
    assert.notEqual(after.kdf.salt, before.kdf.salt);
    assert.notEqual(after.entries.a!.iv, before.entries.a!.iv);
    assert.deepEqual({ ...await v.credentials("b") }, K2, "the handle that changed it keeps working");
    await assert.rejects(Vault.open({ dataDir, passphrase: PASS }), code("wrong_passphrase"));
    await assert.rejects(old.credentials("a"), code("stale"));
    await assert.rejects(old.add("c", "binance", K1), code("stale"));
    using fresh = await Vault.open({ dataDir, passphrase: "a brand new passphrase" });
    assert.deepEqual({ ...await fresh.credentials("a") }, K1);
    await assert.rejects(v.changePassphrase("short"), code("weak_passphrase"));
  }));

Deno.test("Vault: two writers on one vault both land (lock, re-read under it); a held lock times out as locked", () =>
  withDataDir(async (dataDir) => {
    {
      using v = await newVault(dataDir);
      await v.add("seed", "binance", K1);
    }
    using a = await Vault.open({ dataDir, passphrase: PASS });
    using b = await Vault.open({ dataDir, passphrase: PASS, lockTimeoutMs: 100 });
    await Promise.all([a.add("from-a", "binance", K1), b.add("from-b", "okx", K2), a.rotate("seed", K2)]);
    assert.deepEqual((await Vault.info({ dataDir }))!.map((k) => `${k.name}:${k.generation}`), [
      "from-a:1",
      "from-b:1",
      "seed:2",
    ]);
    const held = await Deno.open(vaultPaths(dataDir).lock, { read: true, write: true });
    await held.lock(true);
    try {
      await assert.rejects(b.add("late", "binance", K1), code("locked"));
    } finally {
      held.close();
    }
    await b.add("late", "binance", K1);
  }));

Deno.test("Vault: a closed vault refuses reads", () =>
  withDataDir(async (dataDir) => {
    const v = await newVault(dataDir);
    await v.add("a", "binance", K1);
    v.close();
    await assert.rejects(v.credentials("a"), code("stale"));
  }));
