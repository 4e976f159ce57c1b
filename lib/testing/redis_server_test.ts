import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { startRedisServer } from "./redis_server.ts";

Deno.test("startRedisServer: a real server answers on its own free port, and stop ends it", async () => {
  const a = await startRedisServer();
  const b = await startRedisServer();
  try {
    assert.notEqual(a.port, b.port);
    assert.equal(a.url, `redis://127.0.0.1:${a.port}`);
    const client = new Redis(a.url);
    await client.set("k", "v");
    assert.equal(await client.get("k"), "v");
    assert.deepEqual(await client.config("GET", "save"), ["save", ""]);
    assert.deepEqual(await client.config("GET", "appendonly"), ["appendonly", "no"]);
    await client.quit();
    // The other server is a different instance: it does not see the key.
    const other = new Redis(b.url);
    assert.equal(await other.get("k"), null);
    await other.quit();
  } finally {
    await a.stop();
    await b.stop();
  }
  await a.stop(); // twice is fine
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: a.port }));
});

Deno.test("startRedisServer: kill() crashes the server; another starts on the same port, empty", async () => {
  const first = await startRedisServer();
  const client = new Redis(first.url);
  await client.set("k", "v");
  await client.quit();
  first.kill();
  await first.stop();
  await using second = await startRedisServer({ port: first.port });
  assert.equal(second.port, first.port);
  const again = new Redis(second.url);
  assert.equal(await again.get("k"), null);
  await again.quit();
});

Deno.test("startRedisServer: a port in use is an error quoting the server's log", async () => {
  await using held = await startRedisServer();
  await assert.rejects(
    startRedisServer({ port: held.port }),
    /could not listen on port \d+: it is in use.*\n.*Address already in use/s,
  );
});

Deno.test("startRedisServer: a missing binary names the package to install", async () => {
  await assert.rejects(
    startRedisServer({ binary: "redis-server-not-installed-here" }),
    /redis-server is not installed.*apt-get install -y redis-server/,
  );
});
