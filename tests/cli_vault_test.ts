// `deno task vault` as a real subprocess with the task's own permissions (read from deno.json): exit codes, one-line
// errors, terminal prompts without echo, and a planted key that must never appear in any output, file or event.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog } from "../lib/audit/audit_log.ts";
import { Vault, vaultPaths } from "../lib/vault/mod.ts";
import { cliPath, type CliRun, errorLine, ROOT, withTempDir } from "./_cli.ts";

const TASK = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks.vault as string;
/** The permission flags of `deno task vault`, so the test runs what users run. */
const PERMS = TASK.split(/\s+/).filter((a) => a.startsWith("--allow"));

const PASS = "cli test passphrase";
const NEW_PASS = "cli test passphrase two";

/** The child's environment: only what Deno needs to find its cache, plus the given variables. */
function childEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const k of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

interface VaultRunOptions {
  dataDir: string;
  pass?: string;
  newPass?: string;
  stdin?: string;
}

const runs: CliRun[] = [];

async function vault(args: string[], o: VaultRunOptions): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, cliPath("vault"), ...args],
    cwd: ROOT,
    clearEnv: true,
    env: childEnv({
      SENTINEL_DATA_DIR: o.dataDir,
      SENTINEL_VAULT_PASSPHRASE: o.pass,
      SENTINEL_VAULT_NEW_PASSPHRASE: o.newPass,
    }),
    stdin: o.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (o.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(o.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  const r = { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  runs.push(r);
  return r;
}

function planted(tag: string): { apiKey: string; secret: string; password: string } {
  const rand = crypto.randomUUID().replaceAll("-", "");
  return { apiKey: `PLANTKEY${tag}${rand}`, secret: `PLANTSECRET${tag}${rand}`, password: `PLANTPW${tag}${rand}` };
}

/** Every file under `dir` as latin1 text. */
function allBytes(dir: string): string {
  let out = "";
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    out += e.isDirectory ? allBytes(p) : e.isFile ? new TextDecoder("latin1").decode(Deno.readFileSync(p)) : "";
  }
  return out;
}

function assertAbsent(haystack: string, needles: string[], where: string): void {
  for (const n of needles) assert.ok(!haystack.includes(n), `${where} holds a planted value (${n.slice(0, 12)}...)`);
}

/** An account whose account.json names the vault key `key`. */
function accountNaming(dataDir: string, account: string, key: string): void {
  const acct = createAccount({ dataDir, name: account, kind: "live", cash: 1_000 });
  Deno.writeTextFileSync(acct.path, JSON.stringify({ ...acct.config, key }, null, 2));
}

Deno.test({
  name: "deno task vault: a planted key never reaches stdout, stderr, the vault file or the audit log",
  fn: () =>
    withTempDir("vault-cli-", async (dataDir) => {
      runs.length = 0;
      accountNaming(dataDir, "live-1", "bn-main");
      const k1 = planted("ONE");
      const k2 = planted("TWO");
      const o = { dataDir, pass: PASS };

      let r = await vault(["add", "bn-main", "--exchange", "binance", "--stdin"], { ...o, stdin: JSON.stringify(k1) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /added key bn-main \(binance: apiKey, secret, password\)/);
      assert.match(r.stdout, /config_change audit event written to account live-1/);
      assert.equal((await Vault.info({ dataDir }))![0]!.generation, 1);
      assert.equal(Deno.statSync(vaultPaths(dataDir).file).mode! & 0o777, 0o600);

      r = await vault(["add", "bn-main", "--exchange", "binance", "--stdin"], { ...o, stdin: JSON.stringify(k2) });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /already holds a key named bn-main: .*vault rotate bn-main/);

      r = await vault(["list"], { dataDir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /bn-main\s+binance\s+apiKey,secret,password\s.*\s1\s+live-1/);
      r = await vault(["list", "--json"], { dataDir });
      const listed = JSON.parse(r.stdout);
      assert.deepEqual(
        listed.map((k: Record<string, unknown>) => [k.name, k.exchange, k.generation, k.accounts, k.rotatedAt]),
        [["bn-main", "binance", 1, ["live-1"], null]],
      );
      assert.equal(typeof listed[0].createdAgeSeconds, "number");

      r = await vault(["check"], o);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /all 1 key decrypt \(scrypt N=131072 r=8 p=1\)/);

      // The wrong passphrase fails before the piped key is even read, and changes nothing.
      const before = Deno.readTextFileSync(vaultPaths(dataDir).file);
      r = await vault(["rotate", "bn-main", "--stdin"], {
        dataDir,
        pass: "not the passphrase",
        stdin: JSON.stringify(k2),
      });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /^error: wrong vault passphrase for .*vault\.json/);
      r = await vault(["check"], { dataDir, pass: "not the passphrase" });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /wrong vault passphrase/);
      assert.equal(Deno.readTextFileSync(vaultPaths(dataDir).file), before);

      // Input mistakes that carry the key: the error says what is wrong, not what was sent.
      r = await vault(["rotate", "bn-main", "--stdin"], {
        ...o,
        stdin: `{"apiKey": "${k2.apiKey}", "secret": "${k2.secret}`,
      });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /not valid JSON/);
      r = await vault(["add", "x", "--exchange", "binance", `--secret=${k2.secret}`], o);
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /--secret is refused: .*shell history.*ps/);
      r = await vault(["add", "x", "--exchange", "binance", "--key", k2.apiKey], o);
      assert.match(errorLine(r), /--key is refused/);
      r = await vault(["rotate", "--passphrase=" + k2.password], o);
      assert.match(errorLine(r), /--passphrase is refused/);
      r = await vault(["add", "x", k2.apiKey, "--exchange", "binance"], o);
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /takes one argument .* got 2; key material is never taken from the command line/);
      r = await vault(["add", k2.secret, "--exchange", "binance", "--stdin"], { ...o, stdin: JSON.stringify(k2) });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /is not a key name/);
      r = await vault(["add", "x", "--exchange", "binance", `--bogus=${k2.secret}`], o);
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /bad options .*--bogus\)/);

      r = await vault(["rotate", "bn-main", "--stdin"], {
        ...o,
        stdin: `${k2.apiKey}\n${k2.secret}\n${k2.password}\n`,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /rotated key bn-main: generation 2/);
      assert.match(r.stdout, /live-1/);

      r = await vault(["remove", "bn-main"], o);
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /named by account live-1: .*--force/);

      r = await vault(["rotate", "--passphrase"], { ...o, newPass: NEW_PASS });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /re-encrypted 1 key .*new salt/);
      r = await vault(["check"], o);
      assert.match(errorLine(r), /wrong vault passphrase/);
      r = await vault(["check"], { dataDir, pass: NEW_PASS });
      assert.equal(r.code, 0, r.stderr);

      using v = await Vault.open({ dataDir, passphrase: NEW_PASS });
      assert.deepEqual({ ...await v.credentials("bn-main") }, k2);

      r = await vault(["remove", "bn-main", "--force"], { dataDir, pass: NEW_PASS });
      assert.equal(r.code, 0, r.stderr);
      r = await vault(["remove", "bn-main"], { dataDir, pass: NEW_PASS });
      assert.equal(r.code, 2);
      assert.match(errorLine(r), /no key named "bn-main": it holds no keys/);

      using log = AuditLog.open({ dataDir, account: "live-1", readOnly: true });
      const events = log.query({ kind: "config_change" });
      const vaultEvents = events.flatMap((e) =>
        e.kind === "config_change" && e.payload.target === "vault_key"
          ? [
            `${(e.payload.after as Record<string, unknown>).action}:${
              (e.payload.after as Record<string, unknown>).generation
            }`,
          ]
          : []
      );
      assert.deepEqual(vaultEvents, ["added:1", "rotated:2", "reencrypted:2", "removed:2"]);
      assert.equal(log.verify().ok, true);

      const needles = [...Object.values(k1), ...Object.values(k2), k1.apiKey.slice(-32), PASS, NEW_PASS];
      for (const [i, run] of runs.entries()) assertAbsent(run.stdout + run.stderr, needles, `run ${i}`);
      assertAbsent(allBytes(dataDir), needles, "the data dir");
      assertAbsent(JSON.stringify(log.query({ limit: 10_000 })), needles, "the audit events");
    }),
});

Deno.test("deno task vault: damaged vault files, a missing key and no passphrase are one line and exit 2", () =>
  withTempDir("vault-cli-", async (dataDir) => {
    {
      using v = await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: { N: 2 ** 10 } });
      await v.add("a", "binance", { apiKey: "key-123456789", secret: "secret-123456789" });
    }
    const path = vaultPaths(dataDir).file;
    const good = Deno.readTextFileSync(path);

    let r = await vault(["check"], { dataDir, pass: PASS });
    assert.equal(r.code, 0, r.stderr);
    r = await vault(["rotate", "nope", "--stdin"], { dataDir, pass: PASS, stdin: "k-123456789\ns-123456789\n" });
    assert.equal(r.code, 2);
    assert.match(errorLine(r), /no key named nope/);

    for (
      const [what, text, re] of [
        ["bad JSON", "{not json", /is not valid JSON/],
        ["truncated", good.slice(0, 200), /is not valid JSON \(truncated or damaged/],
        ["schema", JSON.stringify({ ...JSON.parse(good), cipher: "ROT13" }), /is damaged \(cipher: /],
      ] as const
    ) {
      Deno.writeTextFileSync(path, text);
      for (const args of [["check"], ["list"], ["remove", "a"]]) {
        r = await vault(args, { dataDir, pass: PASS });
        assert.equal(r.code, 2, `${what} ${args}`);
        assert.match(errorLine(r), re, `${what} ${args}`);
      }
    }
    // A bad tag: the last byte of the entry's ciphertext flipped.
    const f = JSON.parse(good);
    const bytes = Uint8Array.from(atob(f.entries.a.data), (c) => c.charCodeAt(0));
    bytes[bytes.length - 1]! ^= 0x55;
    f.entries.a.data = btoa(String.fromCharCode(...bytes));
    Deno.writeTextFileSync(path, JSON.stringify(f));
    r = await vault(["check"], { dataDir, pass: PASS });
    assert.equal(r.code, 2);
    assert.match(errorLine(r), /vault key a in .* does not decrypt/);

    Deno.writeTextFileSync(path, good);
    // No passphrase and no terminal to ask on (setsid: no controlling terminal even when the tests run in one).
    const setsid = await new Deno.Command("setsid", {
      args: ["-w", Deno.execPath(), "run", ...PERMS, cliPath("vault"), "check"],
      cwd: ROOT,
      clearEnv: true,
      env: childEnv({ SENTINEL_DATA_DIR: dataDir }),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output().catch(() => null);
    if (setsid !== null) {
      const run = { code: setsid.code, stdout: "", stderr: new TextDecoder().decode(setsid.stderr) };
      assert.equal(run.code, 2);
      assert.match(errorLine(run), /no vault passphrase: set SENTINEL_VAULT_PASSPHRASE/);
    }
    r = await vault(["add", "b", "--exchange", "binance"], { dataDir, pass: PASS });
    assert.equal(r.code, 2);
    assert.match(errorLine(r), /standard input is not a terminal: pipe the key with .*--stdin/);
  }));

Deno.test("deno task vault: two processes adding at once both land (the OS lock), and an unknown command is not echoed", () =>
  withTempDir("vault-cli-", async (dataDir) => {
    {
      using v = await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: { N: 2 ** 10 } });
      await v.add("seed", "binance", { apiKey: "key-123456789", secret: "secret-123456789" });
    }
    const names = ["p-1", "p-2", "p-3", "p-4"];
    const all = await Promise.all(
      names.map((n) =>
        vault(["add", n, "--exchange", "okx", "--stdin"], {
          dataDir,
          pass: PASS,
          stdin: `key-${n}-1234\nsec-${n}-1234\n`,
        })
      ),
    );
    for (const r of all) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await Vault.info({ dataDir }))!.map((k) => k.name), [...names, "seed"]);
    const r = await vault(["PLANTKEY-as-a-command"], { dataDir });
    assert.equal(r.code, 2);
    assert.equal(errorLine(r), "error: unknown command (21 characters); commands are add, list, rotate, remove, check");
  }));

/** Reads `stream` into `sink` until it closes. */
async function drain(stream: ReadableStream<Uint8Array>, sink: { text: string }): Promise<void> {
  const dec = new TextDecoder();
  for await (const c of stream) sink.text += dec.decode(c, { stream: true });
}

async function waitFor(sink: { text: string }, what: string, from: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const at = sink.text.indexOf(what, from);
    if (at >= 0) return at + what.length;
    if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(what)} on the terminal; saw:\n${sink.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hasScript = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "deno task vault: typed at a terminal (a pty through script), the key is never echoed",
  ignore: !hasScript,
  fn: () =>
    withTempDir("vault-cli-", async (dataDir) => {
      {
        using v = await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: { N: 2 ** 10 } });
        await v.add("seed", "binance", { apiKey: "key-123456789", secret: "secret-123456789" });
      }
      const k = planted("TTY");
      const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
      const cmd = [Deno.execPath(), "run", ...PERMS, cliPath("vault"), "add", "okx-1", "--exchange", "okx"]
        .map(quote).join(" ");
      const child = new Deno.Command("script", {
        args: ["-qfec", cmd, "/dev/null"],
        cwd: ROOT,
        clearEnv: true,
        env: childEnv({ SENTINEL_DATA_DIR: dataDir, SENTINEL_VAULT_PASSPHRASE: PASS, TERM: "dumb" }),
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const screen = { text: "" };
      const reading = drain(child.stdout, screen);
      const errs = { text: "" };
      const readingErr = drain(child.stderr, errs);
      const w = child.stdin.getWriter();
      const type = (s: string): Promise<void> => w.write(new TextEncoder().encode(s));
      let at = 0;
      for (
        const [prompt, answer] of [
          ["API key: ", `${k.apiKey}\r`],
          ["API secret: ", `${k.secret}\r`],
          ["(Enter if the exchange has none): ", `${k.password}\r`],
          ["UID (Enter if none): ", "\r"],
        ]
      ) {
        at = await waitFor(screen, prompt!, at);
        await type(answer!);
      }
      const status = await child.status;
      await w.close().catch(() => {});
      await Promise.all([reading, readingErr]);
      assert.equal(status.code, 0, screen.text + errs.text);
      assert.match(screen.text, /added key okx-1 \(okx: apiKey, secret, password\)/);
      assertAbsent(screen.text + errs.text, Object.values(k), "the terminal");
      using v = await Vault.open({ dataDir, passphrase: PASS });
      assert.deepEqual({ ...await v.credentials("okx-1") }, k);
    }),
});
