// Security of the web lab: login redirects, the token policy, sessions, the login/Bearer rate limit
// and the request-body limit (issue 7, items 6, 7 and 8).
import assert from "node:assert/strict";
import { createApp } from "../lib/http/mod.ts";
import { openLab, postForm, postJson } from "./_http_fixture.ts";

const TOKEN = "lab-token-0123456789-abcdefghij"; // 31 characters
const SPX = "samples:SPX:1d";
const ENV = (addr: string) => ({ remoteAddr: { hostname: addr, port: 40000, transport: "tcp" } });

Deno.test("login redirect: next must be a same-origin path; tabs, newlines and other origins go to /", async () => {
  const lab = await openLab({ host: "0.0.0.0", token: TOKEN });
  try {
    const { app } = lab;
    for (
      const next of [
        "/\t/evil.example/phish",
        "/\n/evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "/\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
      ]
    ) {
      const res = await postForm(app, "/login", { token: TOKEN, next });
      assert.equal(res.status, 303, `next=${JSON.stringify(next)}`);
      assert.equal(res.headers.get("location"), "/", `next=${JSON.stringify(next)}`);
    }
    const ok = await postForm(app, "/login", { token: TOKEN, next: "/runs?kind=sweep#top" });
    assert.equal(ok.headers.get("location"), "/runs?kind=sweep#top");
    // The login form carries the cleaned value, never the raw one.
    const page = await (await app.request("/login?next=/%09/evil.example/phish")).text();
    assert.match(page, /name="next" value="\/"/);
    const page2 = await app.request("/login?next=/%0A/evil.example/phish");
    assert.equal(page2.status, 200);
    assert.match(await page2.text(), /name="next" value="\/"/);
  } finally {
    await lab.close();
  }
});

Deno.test("token policy: tokens shorter than 24 characters (or with spaces) are refused with a ConfigError", async () => {
  const lab = await openLab();
  try {
    for (const token of [" ", "short", "a".repeat(23), "a".repeat(20) + " " + "b".repeat(10)]) {
      assert.throws(
        () => createApp({ ...lab.deps, host: "0.0.0.0", token }),
        (e: Error) =>
          e.name === "ConfigError" && /24|space/.test(e.message) && (token.length < 3 || !e.message.includes(token)),
        JSON.stringify(token),
      );
    }
    assert.ok(createApp({ ...lab.deps, host: "0.0.0.0", token: "a".repeat(24) }));
  } finally {
    await lab.close();
  }
});

Deno.test("error messages are no token oracle: input holding the token is echoed as sent, never masked", async () => {
  const lab = await openLab({ host: "0.0.0.0", token: TOKEN });
  try {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    // A wrong guess and the right one must produce the same kind of answer: before, the right
    // guess came back as "***", which told the client it had found the token.
    const guess = await postJson(lab.app, "/api/backtests", { series: SPX, strategy: `x ${TOKEN.slice(0, 20)}` }, auth);
    const right = await postJson(lab.app, "/api/backtests", { series: SPX, strategy: TOKEN.slice(0, 40) }, auth);
    assert.equal(guess.status, 400);
    assert.equal(right.status, 400);
    const text = await right.text();
    await guess.body?.cancel();
    assert.doesNotMatch(text, /\*\*\*/);
  } finally {
    await lab.close();
  }
});

Deno.test("sessions: a random nonce per login, never the token; expiry; POST /logout ends the session", async () => {
  let now = Date.UTC(2026, 0, 1);
  const lab = await openLab({ host: "0.0.0.0", token: TOKEN, security: { now: () => now, sessionTtlMs: 60_000 } });
  try {
    const { app } = lab;
    const login = async () => {
      const r = await postForm(app, "/login", { token: TOKEN, next: "/" });
      assert.equal(r.status, 303);
      return (r.headers.get("set-cookie") ?? "").split(";")[0]!;
    };
    const a = await login(), b = await login();
    assert.match(a, /^sentinel_session=[0-9a-f]{64}$/);
    assert.notEqual(a, b, "each login gets its own session id");
    assert.ok(!a.includes(TOKEN));
    const cancel = (cookie: string) =>
      postForm(app, "/api/jobs/job-abc/cancel", {}, { Cookie: cookie }).then(async (r) => {
        await r.body?.cancel();
        return r.status;
      });
    assert.equal(await cancel(a), 404, "a valid session passes the token check (then: unknown job)");
    const out = await postForm(app, "/logout", {}, { Cookie: a });
    assert.equal(out.status, 303);
    assert.match(out.headers.get("set-cookie") ?? "", /sentinel_session=;.*Max-Age=0/i);
    assert.equal(await cancel(a), 401, "logged out");
    assert.equal(await cancel(b), 404, "the other session lives on");
    const crossLogout = await postForm(app, "/logout", {}, { Cookie: b, Origin: "http://evil.example" });
    assert.equal(crossLogout.status, 403, "logout is CSRF-protected");
    await crossLogout.body?.cancel();
    now += 61_000;
    assert.equal(await cancel(b), 401, "expired");
  } finally {
    await lab.close();
  }
});

Deno.test("rate limit: failed logins and Bearer attempts back off per client (429, Retry-After); success does not count", async () => {
  let now = Date.UTC(2026, 0, 1);
  const lab = await openLab({ host: "0.0.0.0", token: TOKEN, security: { now: () => now } });
  try {
    const { app } = lab;
    const tryLogin = async (token: string, addr = "10.0.0.1") => {
      const r = await app.request("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
        body: new URLSearchParams({ token }).toString(),
      }, ENV(addr));
      await r.body?.cancel();
      return r;
    };
    const bearer = async (token: string, addr = "10.0.0.1") => {
      const r = await app.request("/api/jobs/job-abc/cancel", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      }, ENV(addr));
      await r.body?.cancel();
      return r;
    };
    // Successes never count.
    for (let i = 0; i < 20; i++) assert.equal((await tryLogin(TOKEN)).status, 303);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await tryLogin(`guess-${i}`)).status);
    assert.ok(statuses.slice(0, 3).every((s) => s === 401), statuses.join(","));
    assert.ok(statuses.includes(429), `some guesses are refused unchecked: ${statuses.join(",")}`);
    assert.ok(statuses.filter((s) => s === 401).length <= 5, statuses.join(","));
    const blocked = await tryLogin(TOKEN);
    assert.equal(blocked.status, 429, "while blocked even the right token waits");
    const retry = Number(blocked.headers.get("retry-after"));
    assert.ok(retry >= 1, `Retry-After ${retry}`);
    // Bearer attempts share the same budget; other clients are not affected.
    assert.equal((await bearer("nope")).status, 429);
    assert.equal((await bearer(TOKEN, "10.0.0.2")).status, 404);
    assert.equal((await bearer("nope", "10.0.0.2")).status, 401);
    // Backoff grows: after the wait one more failure blocks for longer.
    now += retry * 1000;
    assert.equal((await bearer("nope")).status, 401);
    const again = await bearer("nope");
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get("retry-after")) > retry, "exponential backoff");
    now += 3_600_000;
    assert.equal((await bearer(TOKEN)).status, 404, "the right token passes after the wait");
    assert.equal((await bearer("nope")).status, 401, "and a success resets the count");
  } finally {
    await lab.close();
  }
});

Deno.test("body limit: a 10 MB body is refused with 413 naming the limit, without being read", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const big = await postJson(app, "/api/backtests", JSON.stringify({ label: "x".repeat(10 * 1024 * 1024) }));
    assert.equal(big.status, 413);
    const err = await big.json();
    assert.match(err.error, /4 MiB/);
    // Chunked (no Content-Length): the lab stops reading once past the limit.
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (pulled++ >= 160) ctl.close(); // 10 MiB in all
        else ctl.enqueue(chunk);
      },
    });
    const rss0 = Deno.memoryUsage().rss;
    const chunked = await app.request("/api/sweeps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stream,
    });
    assert.equal(chunked.status, 413);
    await chunked.body?.cancel();
    assert.ok(pulled < 100, `read ${pulled} of 160 chunks`);
    assert.ok(Deno.memoryUsage().rss - rss0 < 64 * 1024 * 1024);
    const form = await app.request("/backtests", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", Accept: "text/html" },
      body: "label=" + "y".repeat(5 * 1024 * 1024),
    });
    assert.equal(form.status, 413);
    assert.match(await form.text(), /4 MiB/);
    // Bodies under the limit pass.
    const small = await postJson(app, "/api/backtests", { series: SPX, strategy: "sma_cross" });
    assert.equal(small.status, 201);
    await small.body?.cancel();
  } finally {
    await lab.close();
  }
});
