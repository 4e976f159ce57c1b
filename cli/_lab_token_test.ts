import assert from "node:assert/strict";
import { resolveLabToken } from "./_lab_token.ts";

const GOOD = "0123456789abcdefghijklmnop"; // 26 characters

Deno.test("lab token: a non-loopback lab without one writes a random token to <data dir>/lab.token (0600) and reuses it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dataDir = `${dir}/store`;
    const first = await resolveLabToken({ host: "0.0.0.0", dataDir, warn: () => {} });
    assert.equal(first.source, "generated");
    assert.equal(first.path, `${dataDir}/lab.token`);
    assert.ok(first.token !== undefined && first.token.length >= 32);
    assert.equal((await Deno.stat(first.path!)).mode! & 0o777, 0o600);
    assert.equal((await Deno.readTextFile(first.path!)).trim(), first.token);
    const again = await resolveLabToken({ host: "0.0.0.0", dataDir, warn: () => {} });
    assert.equal(again.token, first.token, "a restart keeps the token");
    assert.deepEqual(await resolveLabToken({ host: "127.0.0.1", dataDir }), { token: undefined, source: "none" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab token: --token-file, SENTINEL_TOKEN and --token (warned); short tokens refused without echoing them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const file = `${dir}/t`;
    await Deno.writeTextFile(file, `${GOOD}\n`, { mode: 0o600 });
    await Deno.chmod(file, 0o600);
    const fromFile = await resolveLabToken({ host: "0.0.0.0", dataDir: dir, tokenFile: file, warn });
    assert.equal(fromFile.token, GOOD);
    assert.deepEqual(warnings, []);
    const fromEnv = await resolveLabToken({ host: "0.0.0.0", dataDir: dir, env: GOOD, warn });
    assert.equal(fromEnv.source, "SENTINEL_TOKEN");
    const fromFlag = await resolveLabToken({ host: "0.0.0.0", dataDir: dir, token: GOOD, warn });
    assert.equal(fromFlag.token, GOOD);
    assert.match(warnings.join("\n"), /shows in `ps`/);
    assert.ok(!warnings.join("\n").includes(GOOD));
    for (const bad of [{ token: " " }, { env: "short-token" }]) {
      await assert.rejects(
        resolveLabToken({ host: "127.0.0.1", dataDir: dir, ...bad, warn }),
        (e: Error) =>
          e.name === "ConfigError" && /at least 24|spaces/.test(e.message) && !e.message.includes("short-token"),
      );
    }
    await assert.rejects(
      resolveLabToken({ host: "0.0.0.0", dataDir: dir, tokenFile: `${dir}/missing`, warn }),
      (e: Error) => e.name === "ConfigError" && /no such file/.test(e.message),
    );
    await assert.rejects(
      resolveLabToken({ host: "0.0.0.0", dataDir: dir, tokenFile: file, token: GOOD, warn }),
      /not both/,
    );
    await Deno.chmod(file, 0o644);
    await resolveLabToken({ host: "0.0.0.0", dataDir: dir, tokenFile: file, warn });
    assert.match(warnings.at(-1)!, /chmod 600/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
