import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { serveMetrics } from "./serve_metrics.ts";

Deno.test("serveMetrics: loopback only, GET /metrics with prom-client's content type, 404 and 405 elsewhere", async () => {
  const registry = new Registry();
  assert.throws(
    () => serveMetrics({ registry, port: 0, hostname: "0.0.0.0" }),
    /loopback only; got hostname "0.0.0.0"/,
  );
  assert.throws(() => serveMetrics({ registry, port: 70_000 }), /integer 0-65535, got 70000/);
  const ac = new AbortController();
  const server = serveMetrics({ registry, port: 0, signal: ac.signal });
  const url = `http://127.0.0.1:${server.addr.port}`;
  const ok = await fetch(`${url}/metrics`);
  assert.equal(ok.headers.get("content-type"), registry.contentType);
  await ok.body?.cancel();
  const nf = await fetch(`${url}/`);
  assert.equal(nf.status, 404);
  await nf.body?.cancel();
  const post = await fetch(`${url}/metrics`, { method: "POST" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
  ac.abort();
  await server.finished;
});
