import assert from "node:assert/strict";
import type { Notification } from "./notification.ts";
import { closedPort, scriptedServer } from "./_test_server.ts";
import { WebhookSink, type WebhookSinkOptions } from "./webhook_sink.ts";

function note(title: string, extra: Partial<Notification> = {}): Notification {
  return { ts: 1_700_000_000_000, account: "paper-1", level: "kill", kind: "kill", title, detail: "d", ...extra };
}

function sink(url: string, extra: Partial<WebhookSinkOptions> = {}): { sink: WebhookSink; errors: string[] } {
  const errors: string[] = [];
  const s = new WebhookSink({
    url,
    maxQueue: 100,
    retry: { attempts: 5, baseMs: 5, maxMs: 2000 },
    timeoutMs: 2000,
    onError: (m) => errors.push(m),
    ...extra,
  });
  return { sink: s, errors };
}

Deno.test("WebhookSink delivers exactly once after a 500, a 429 with Retry-After and a timeout", async () => {
  await using server = scriptedServer([
    { status: 500 },
    { status: 429, headers: { "retry-after": "1" } },
    "hang",
    { status: 200 },
  ]);
  const waits: number[] = [];
  const { sink: s, errors } = sink(server.url, {
    timeoutMs: 150,
    // Records the waits asked for, sleeps a little for real.
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 10)));
    },
  });
  s.notify(note("halted"));
  await s.close({ timeoutMs: 4000 });
  assert.deepEqual(server.received.map((r) => r.status), [500, 429, 0, 200]);
  assert.equal(new Set(server.received.map((r) => r.body)).size, 1, "the same body every attempt");
  const keys = new Set(server.received.map((r) => r.key));
  assert.equal(keys.size, 1, "the same Idempotency-Key every attempt");
  assert.match([...keys][0]!, /^[0-9a-f-]{36}$/);
  assert.equal(server.received.filter((r) => r.status === 200).length, 1);
  assert.deepEqual(JSON.parse(server.received[3]!.body), note("halted"));
  assert.deepEqual(s.stats(), { sent: 1, failed: 0, dropped: 0, retried: 3 });
  assert.equal(waits.length, 3);
  assert.ok(waits[0]! >= 0 && waits[0]! < 5, `first backoff within [0, baseMs): ${waits[0]}`);
  assert.equal(waits[1], 1000, "Retry-After: 1 is waited");
  assert.ok(waits[2]! >= 0 && waits[2]! < 20, `third backoff within [0, baseMs * 4): ${waits[2]}`);
  assert.deepEqual(errors, []);
});

Deno.test("WebhookSink honours Retry-After as an HTTP date, capped at retry.maxMs", async () => {
  const later = new Date(Date.now() + 3_600_000).toUTCString();
  await using server = scriptedServer([{ status: 503, headers: { "retry-after": later } }, { status: 204 }]);
  const waits: number[] = [];
  const { sink: s } = sink(server.url, {
    retry: { attempts: 3, baseMs: 5, maxMs: 250 },
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  s.notify(note("x"));
  await s.close();
  assert.deepEqual(waits, [250]);
  assert.deepEqual(s.stats(), { sent: 1, failed: 0, dropped: 0, retried: 1 });
});

Deno.test("WebhookSink does not retry a 400 and reports it with the URL's origin only", async () => {
  await using server = scriptedServer([{ status: 400 }], "/services/T0/B0/S3CRET-PATH-TOKEN");
  const { sink: s, errors } = sink(server.url);
  s.notify(note("x"));
  await s.close();
  assert.equal(server.received.length, 1);
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 0, retried: 0 });
  const origin = new URL(server.url).origin;
  assert.deepEqual(errors, [`webhook ${origin}: notification not delivered after 1 attempt: HTTP 400`]);
});

Deno.test("WebhookSink does not follow a redirect (the body would go to another host)", async () => {
  await using server = scriptedServer([{ status: 302, headers: { location: "https://elsewhere.example/" } }]);
  const { sink: s, errors } = sink(server.url);
  s.notify(note("x"));
  await s.close();
  assert.equal(server.received.length, 1);
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 0, retried: 0 });
  assert.match(errors[0]!, /HTTP 302 \(redirects are not followed: give the final URL\)$/);
});

Deno.test("WebhookSink: every notification has its own Idempotency-Key", async () => {
  await using server = scriptedServer([{ status: 200 }]);
  const { sink: s } = sink(server.url);
  s.notify(note("a"));
  s.notify(note("b"));
  await s.close();
  assert.equal(new Set(server.received.map((r) => r.key)).size, 2);
});

Deno.test("WebhookSink gives up after retry.attempts on a server that keeps failing", async () => {
  await using server = scriptedServer([{ status: 502 }]);
  const { sink: s, errors } = sink(server.url, { retry: { attempts: 3, baseMs: 1, maxMs: 5 } });
  s.notify(note("x"));
  await s.close();
  assert.equal(server.received.length, 3);
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 0, retried: 2 });
  assert.match(errors[0]!, /after 3 attempts: HTTP 502$/);
});

Deno.test("WebhookSink: a full queue drops the oldest and counts it", async () => {
  await using server = scriptedServer([{ status: 200 }]);
  const { sink: s } = sink(server.url, { maxQueue: 3 });
  for (let i = 0; i < 10; i++) s.notify(note(`n${i}`));
  assert.equal(s.stats().dropped, 7);
  await s.close();
  assert.deepEqual(server.received.map((r) => JSON.parse(r.body).title), ["n7", "n8", "n9"]);
  assert.deepEqual(s.stats(), { sent: 3, failed: 0, dropped: 7, retried: 0 });
});

Deno.test("WebhookSink: notify returns at once while the server hangs; close gives up at its deadline", async () => {
  await using server = scriptedServer(["hang"]);
  const { sink: s, errors } = sink(server.url, { timeoutMs: 60_000 });
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) s.notify(note(`n${i}`));
  const took = performance.now() - t0;
  assert.ok(took < 50, `1000 notify calls took ${took.toFixed(1)} ms`);
  // Let the worker start its POST, which hangs.
  await new Promise((r) => setTimeout(r, 50));
  const t1 = performance.now();
  s.notify(note("late"));
  assert.ok(performance.now() - t1 < 5);
  const c0 = performance.now();
  await s.close({ timeoutMs: 150 });
  const closeMs = performance.now() - c0;
  assert.ok(closeMs >= 140 && closeMs < 1000, `close took ${closeMs.toFixed(0)} ms`);
  // 900 dropped on overflow; the one in flight failed; the 99 left and "late" still queued dropped: 1001 in all.
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 1000, retried: 0 });
  assert.equal(server.received.length, 1);
  assert.ok(errors.some((e) => e.includes("close deadline passed during the POST")));
  assert.ok(errors.some((e) => e.includes("100 queued notification(s) dropped")));
  s.notify(note("after close"));
  assert.equal(s.stats().dropped, 1001);
});

Deno.test("WebhookSink: close drains the queue when the server answers in time", async () => {
  await using server = scriptedServer([{ status: 200, delayMs: 30 }]);
  const { sink: s } = sink(server.url);
  for (let i = 0; i < 5; i++) s.notify(note(`n${i}`));
  await s.close({ timeoutMs: 3000 });
  assert.deepEqual(server.received.map((r) => JSON.parse(r.body).title), ["n0", "n1", "n2", "n3", "n4"]);
  assert.deepEqual(s.stats(), { sent: 5, failed: 0, dropped: 0, retried: 0 });
});

Deno.test("WebhookSink: close gives up during a long Retry-After wait", async () => {
  await using server = scriptedServer([{ status: 503, headers: { "retry-after": "30" } }]);
  const { sink: s, errors } = sink(server.url, { retry: { attempts: 5, baseMs: 5, maxMs: 60_000 } });
  s.notify(note("x"));
  s.notify(note("y"));
  await new Promise((r) => setTimeout(r, 50));
  const c0 = performance.now();
  await s.close({ timeoutMs: 100 });
  assert.ok(performance.now() - c0 < 1000);
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 1, retried: 0 });
  assert.match(errors[0]!, /close deadline passed while waiting to retry \(HTTP 503\)/);
});

Deno.test("WebhookSink never carries a secret: URL token, header value and planted secrets are masked", async () => {
  const port = await closedPort();
  const token = "T0/B0/xoxb-url-token-123";
  const url = `http://127.0.0.1:${port}/services/${token}`;
  // The raw fetch error quotes the URL: this is what must not leak.
  const raw = await fetch(url, { method: "POST" }).then(() => "", (e: Error) => `${e.message} ${e.cause}`);
  assert.ok(raw.includes("xoxb-url-token-123"), `fetch's own error quotes the URL: ${raw}`);
  const { sink: s, errors } = sink(url, {
    retry: { attempts: 2, baseMs: 1, maxMs: 2 },
    secrets: ["exch-api-key-9876"],
  });
  s.notify(note("x", { detail: "key exch-api-key-9876 and url " + url }));
  await s.close();
  assert.deepEqual(s.stats(), { sent: 0, failed: 1, dropped: 0, retried: 1 });
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, new RegExp(`^webhook http://127\\.0\\.0\\.1:${port}: .*network error`));
  for (const e of errors) {
    assert.ok(!e.includes("xoxb-url-token-123") && !e.includes("exch-api-key-9876"), e);
  }

  await using server = scriptedServer([{ status: 200 }], "/services/T1/B1/xoxb-live-token-456");
  const { sink: live } = sink(server.url, {
    headers: { authorization: "Bearer hdr-secret-7777" },
    secrets: ["exch-api-key-9876"],
  });
  live.notify(note("x", {
    detail: `k=exch-api-key-9876 h=hdr-secret-7777 u=${server.url}`,
    data: { nested: ["exch-api-key-9876"], "hdr-secret-7777": 1 },
  }));
  await live.close();
  const body = server.received[0]!.body;
  for (const secret of ["exch-api-key-9876", "hdr-secret-7777", "xoxb-live-token-456"]) {
    assert.ok(!body.includes(secret), `${secret} in ${body}`);
  }
  assert.deepEqual(JSON.parse(body).data, { nested: ["[REDACTED]"], "[REDACTED]": 1 });
});

Deno.test("WebhookSink: minLevel filters, an invalid notification is refused without its values, notify never throws", async () => {
  await using server = scriptedServer([{ status: 200 }]);
  const { sink: s, errors } = sink(server.url, { minLevel: "pause" });
  s.notify(note("info", { level: "info" }));
  s.notify(note("warning", { level: "warning" }));
  s.notify(note("pause", { level: "pause" }));
  s.notify(note("error", { level: "error" }));
  s.notify(note("bad", { account: "Bad Account xoxb-secret" as string }));
  const hostile = {
    get boom(): number {
      throw new Error("getter");
    },
  };
  s.notify(note("hostile", { data: hostile as unknown as Record<string, number> }));
  await s.close();
  assert.deepEqual(server.received.map((r) => JSON.parse(r.body).title), ["pause", "error"]);
  assert.deepEqual(s.stats(), { sent: 2, failed: 2, dropped: 0, retried: 0 });
  // The hostile one fails while copying, in notify; the invalid one when the worker validates it.
  assert.equal(errors.length, 2);
  assert.match(errors[0]!, /notification refused: getter/);
  assert.match(errors[1]!, /notification refused \(account: an account name is/);
  assert.ok(!errors[1]!.includes("xoxb-secret"));
});

Deno.test("WebhookSink refuses a bad URL without quoting it, and bad options with the value", () => {
  assert.throws(
    () => sink("not a url xoxb-123"),
    (e: Error) => e instanceof TypeError && !e.message.includes("xoxb") && /valid URL/.test(e.message),
  );
  assert.throws(
    () => sink("http://hooks.example.com/services/xoxb-456"),
    (e: Error) => /use https:\/\//.test(e.message) && !e.message.includes("xoxb"),
  );
  assert.throws(() => sink("https://example.com/h", { maxQueue: 0 }), /maxQueue must be an integer >= 1, got 0/);
  assert.throws(() => sink("https://example.com/h", { timeoutMs: NaN }), /timeoutMs must be a number > 0, got NaN/);
});
