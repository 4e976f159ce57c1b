import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { ConfigError } from "../types/mod.ts";
import { accountsApi } from "./_accounts_api.ts";
import { accountsPages } from "./_accounts_pages.ts";
import { agentsApi } from "./_agents_api.ts";
import { agentsPages } from "./_agents_pages.ts";
import { clientAddress, isLoopback, LabAuth, requireToken, safeNext, SESSION_COOKIE } from "./_auth.ts";
import { backtestsApi, backtestsPages } from "./_backtests.ts";
import { clusterApi } from "./_cluster_api.ts";
import { clusterPages } from "./_cluster_pages.ts";
import { datasetsApi, datasetsPages } from "./_datasets.ts";
import { errorResponse, HttpError } from "./_errors.ts";
import { fmtNum, fmtTs, html, layout, seriesPath } from "./_html.ts";
import { jobsApi, startRecovery } from "./_jobs.ts";
import { Lab, type LabDeps } from "./_lab.ts";
import { mcpRoutes } from "./_mcp.ts";
import { metricsRoutes } from "./_metrics.ts";
import { openApiDocument } from "./_openapi.ts";
import { checklistApi, checklistPages } from "./_promotions_checklist.ts";
import { runsApi } from "./_runs_api.ts";
import { runsPages } from "./_runs_pages.ts";
import { seriesText } from "./_series.ts";
import { strategiesApi, strategiesPages } from "./_strategies.ts";
import { sweepsApi, sweepsPages } from "./_sweeps.ts";
import { taxApi } from "./_tax_api.ts";
import { taxPages } from "./_tax_pages.ts";
import { zv } from "./_validate.ts";

export type { LabDeps } from "./_lab.ts";

/**
 * The web lab: server-rendered pages and a JSON/Arrow API over the store, the strategies, the
 * backtester and the runs registry. One sub-app per resource (`datasets`, `backtests`, `sweeps`,
 * `runs`, `strategies`, plus `jobs`) is mounted under `/` (pages) and `/api` (JSON); long work
 * goes through `deps.jobs`.
 *
 * - Validation: zod on params, queries and bodies; a bad request is a 400 `{ error, issues }`
 *   (an HTML page listing the issues for browser routes), an unknown id a 404.
 * - Errors: one `onError` maps library errors (RangeError, DataError, ParamError, a full job
 *   queue: 429) to statuses, with no stack; answers never echo the Authorization header or a
 *   raw body (and are not scrubbed: a scrub that masks the token tells a guesser it was right).
 * - Security: when `deps.token` is set (at least 24 characters, else a ConfigError), every
 *   POST/PUT/PATCH/DELETE needs it (`Authorization: Bearer`, or the session cookie from `POST
 *   /login`: a random per-login id with a 12 h expiry, ended by `POST /logout`); a non-loopback
 *   `deps.host` without a token is refused with a ConfigError. Failed logins and Bearer
 *   attempts back off per client address (429 with `Retry-After`). HTML form posts also pass a
 *   same-origin check (CSRF); `next` after login must be a same-origin path. Request bodies
 *   over 4 MiB (`deps.security.maxBodyBytes`) get 413 before they are read.
 * - MCP: `/mcp` serves the read-only research server of lib/mcp over Streamable HTTP (stateless, POST only), reading
 *   the store's folder; with a token every `/mcp` request needs `Authorization: Bearer`, and a loopback lab refuses a
 *   Host or Origin that is not this machine (DNS rebinding).
 * - Metrics: `GET /metrics` is the Prometheus exposition of every account, derived read-only from its audit log;
 *   Prometheus sends no cookie, so it is open on a loopback lab and needs `Authorization: Bearer` beyond loopback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Store } from "../store/mod.ts";
 * import { RunRegistry } from "../runs/mod.ts";
 * import { createApp, JobQueue } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await Store.open({ dir });
 * const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
 * const jobs = new JobQueue();
 * const app = createApp({ store, runs, jobs });
 * assert.equal((await app.request("/")).status, 200);
 * const bad = await app.request("/api/datasets/..%2F..%2Fetc%2Fpasswd");
 * assert.equal(bad.status, 400);
 * assert.throws(() => createApp({ store, runs, jobs, host: "0.0.0.0" }), /needs a token/);
 * await jobs.shutdown();
 * await runs.close();
 * store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createApp(deps: LabDeps): Hono {
  const host = deps.host ?? "127.0.0.1";
  if (!isLoopback(host) && !deps.token) {
    throw new ConfigError(
      `listening on ${host} needs a token (24 characters or more): set SENTINEL_TOKEN or pass --token-file PATH (or bind to 127.0.0.1)`,
    );
  }
  const auth = new LabAuth(deps.token, deps.security);
  const lab = new Lab(deps);
  // A durable queue's unfinished jobs of the last lab process run again (see JobQueue.recover).
  startRecovery(lab);
  const secrets = lab.token ? [lab.token] : [];
  const maxBody = deps.security?.maxBodyBytes ?? 4 * 1024 * 1024;
  const app = new Hono();

  app.onError((err, c) => errorResponse(c, err, secrets));
  app.notFound((c) => errorResponse(c, new HttpError(404, `nothing at ${c.req.path}`), secrets));

  app.use(async (c, next) => {
    await next();
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    c.res.headers.set("Referrer-Policy", "no-referrer");
    c.res.headers.set("X-Frame-Options", "DENY");
  });
  // Before anything reads a body: a declared length over the limit is refused unread, a chunked
  // body is counted as it streams and cut off at the limit.
  app.use(bodyLimit({
    maxSize: maxBody,
    onError: (c) =>
      errorResponse(
        c,
        new HttpError(
          413,
          `request body over the ${sizeText(maxBody)} limit; send less (upload big data with deno task data)`,
        ),
        secrets,
      ),
  }));
  // /mcp checks its own token (Bearer only, on every method), Host and Origin, and takes only JSON-RPC in JSON, so
  // the form-post CSRF check has nothing to guard there (and would turn the spec's 405 for DELETE into a 403).
  app.use(requireToken(auth, ["/login", "/logout", "/mcp"]));
  app.route("/mcp", mcpRoutes({ dataDir: lab.store.dir, auth, host }));
  // Prometheus scrapes carry no cookie: open on a loopback lab, the Bearer token beyond it (see _metrics.ts).
  app.route("/metrics", metricsRoutes({ dataDir: lab.store.dir, auth, host }));
  app.use(csrf());

  app.get("/", async (c) => {
    const [datasets, runs] = await Promise.all([lab.store.list(), lab.runs.list({ limit: 8 })]);
    const body = html`
      <h1>Sentinel lab</h1>
      <p
        class="lead">Research and backtests on the stored data: look at a dataset and its quality, run a strategy, sweep its parameters, compare runs.</p>
      <div class="grid2">
        <div>
          <h2>Data</h2>
          <p>${datasets.length} stored series, ${fmtNum(
            datasets.reduce((s, d) => s + d.bars, 0),
            0,
          )} bars. <a href="/datasets">All datasets →</a></p>
          <ul>${datasets.slice(0, 8).map((d) =>
            html`<li><a href="/datasets/${seriesPath(seriesText(d))}">${seriesText(d)}</a> <span class="muted">${
              fmtTs(d.first)
            } – ${fmtTs(d.last)}</span></li>`
          )}</ul>
        </div>
        <div>
          <h2>Research</h2>
          <p><a class="button" href="/backtests/new">New backtest</a> <a class="button" href="/sweeps/new">New sweep</a></p>
          <p>${lab.strategies.list().length} strategies: ${lab.strategies.list().map((s, i) =>
            html`${i ? ", " : ""}<a href="/strategies#${s.name}">${s.name}</a>`
          )}.</p>
          <p class="muted">Job queue: ${lab.jobs.running} running, ${lab.jobs.pending} waiting.</p>
        </div>
      </div>
      <h2>Recent runs</h2>
      ${runs.length === 0 ? html`<p class="muted">No runs yet.</p>` : html`
        <ul>${runs.map((r) =>
          html`<li><a href="/runs/${r.id}">${
            r.created_at.slice(0, 16).replace("T", " ")
          }</a> ${r.kind} · ${r.strategy} on ${r.series.join(", ")} <span class="muted">(${r.source})</span></li>`
        )}</ul>
        <p><a href="/runs">All runs →</a></p>
      `}
    `;
    return c.html(layout({ title: "Overview" }, body));
  });

  app.get("/login", (c) => {
    if (!lab.token) return c.redirect("/", 303);
    const next = safeNext(c.req.query("next"), c.req.url);
    const signedIn = auth.sessions.valid(getCookie(c, SESSION_COOKIE));
    return c.html(layout(
      { title: "Token" },
      html`
        <h1>Lab token</h1>
        <p class="lead">This lab requires its token for changes (backtests, sweeps, cancels).</p>
        <form class="panel" method="post" action="/login"><input type="hidden" name="next" value="${next}">
        <label>token<input type="password" name="token" autocomplete="current-password" required></label>
        <button type="submit">Continue</button></form>
        ${signedIn
          ? html`
            <form method="post" action="/logout">
              <p class="muted">This browser is logged in.
                        <button type="submit" id="logout">Log out</button></p>
            </form>
          `
          : ""}
      `,
    ));
  });

  app.post(
    "/login",
    zv("form", z.object({ token: z.string().max(1000).optional(), next: z.string().max(500).optional() })),
    async (c) => {
      const { token = "", next } = c.req.valid("form");
      if (!lab.token) return c.redirect("/", 303);
      if (!(await auth.verify(clientAddress(c), token))) throw new HttpError(401, "wrong token");
      setCookie(c, SESSION_COOKIE, auth.sessions.create(), {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        maxAge: Math.floor(auth.sessions.ttlMs / 1000),
        secure: new URL(c.req.url).protocol === "https:",
      });
      return c.redirect(safeNext(next, c.req.url), 303);
    },
  );

  // A POST (never a GET a link or an <img> could trigger), behind the same-origin check above.
  app.post("/logout", (c) => {
    auth.sessions.revoke(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/", 303);
  });

  app.route("/datasets", datasetsPages(lab));
  app.route("/backtests", backtestsPages(lab));
  app.route("/sweeps", sweepsPages(lab));
  app.route("/runs", runsPages(lab));
  app.route("/strategies", strategiesPages(lab));
  app.route("/strategies", checklistPages(lab));
  app.route("/accounts", accountsPages(lab));
  app.route("/agents", agentsPages(lab));
  app.route("/tax", taxPages(lab));
  app.route("/cluster", clusterPages(deps.redisUrl));

  app.get("/api", (c) => c.redirect("/api/openapi.json"));
  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));
  app.route("/api/datasets", datasetsApi(lab));
  app.route("/api/backtests", backtestsApi(lab));
  app.route("/api/sweeps", sweepsApi(lab));
  app.route("/api/runs", runsApi(lab));
  app.route("/api/strategies", strategiesApi(lab));
  app.route("/api/strategies", checklistApi(lab));
  app.route("/api/jobs", jobsApi(lab));
  app.route("/api/accounts", accountsApi(lab));
  app.route("/api/agents", agentsApi(lab));
  app.route("/api/tax", taxApi(lab));
  app.route("/api/cluster", clusterApi(deps.redisUrl));
  return app;
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
