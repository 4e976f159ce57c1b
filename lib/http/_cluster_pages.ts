// HTML pages under /cluster (issue 13): the cluster's sweeps with progress, the BullMQ workers connected to the sweep
// queue, the queue's job counts, and one sweep's workers and failures. Read-only; read through _cluster_api.ts. A lab
// without Redis says how to configure it; an unreachable Redis is a 503 page with lib/cluster's one line.
import { Hono } from "hono";
import type { ClusterSweepState, ClusterSweepStatus } from "../cluster/mod.ts";
import {
  CLUSTER_NOT_CONFIGURED,
  CLUSTER_SWEEPS_LIMIT,
  type ClusterView,
  readCluster,
  readClusterSweep,
  SweepIdSchema,
} from "./_cluster_api.ts";
import { HttpError } from "./_errors.ts";
import { fmtNum, fmtTs, type Html, html, layout } from "./_html.ts";
import { zv } from "./_validate.ts";

/** Failures listed on a sweep's page; the JSON holds them all. */
const FAILURES_CAP = 500;
/** Seconds between reloads of a page that shows a running sweep. */
const REFRESH_SEC = 5;

const PAGE_CSS = html`<style>
td.state-running{color:var(--accent)}
td.state-done{color:var(--good)}
td.state-failed,td.state-cancelled{color:var(--bad)}
td progress{width:9rem;height:.9rem;vertical-align:middle}
</style>`;

function page(title: string, body: Html, refresh: boolean): string {
  const head = refresh ? html`${PAGE_CSS}<meta http-equiv="refresh" content="${String(REFRESH_SEC)}">` : PAGE_CSS;
  return layout({ title, head }, body);
}

function shortId(id: string): string {
  return id.slice(0, 12);
}

function duration(sec: number): string {
  if (!Number.isFinite(sec)) return "—";
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${fmtNum(sec / 3600, 1)} h`;
}

function stateCell(state: ClusterSweepState): Html {
  return html`<td class="state-${state}">${state}</td>`;
}

function progressCell(s: ClusterSweepStatus): Html {
  return html`<td data-v="${String(s.chunks ? s.chunksDone / s.chunks : 0)}"><progress value="${
    String(s.chunksDone)
  }" max="${String(Math.max(s.chunks, 1))}"></progress> ${fmtNum(s.chunksDone, 0)}/${fmtNum(s.chunks, 0)}</td>`;
}

function foldText(fold: number | null): string {
  return fold === null ? "—" : String(fold + 1);
}

function sweepsTable(sweeps: ClusterSweepStatus[]): Html {
  if (sweeps.length === 0) {
    return html`<p class="muted">No cluster sweeps yet: run <code>deno task backtest ... --cluster URL</code>.</p>`;
  }
  return html`
    <table id="cluster-sweeps">
      <thead>
        <tr>
          <th data-sort="txt">sweep</th>
          <th data-sort="txt">state</th>
          <th data-sort="txt">strategy</th>
          <th data-sort="txt">series</th>
          <th data-sort="num" class="num">fold</th>
          <th data-sort="num">chunks</th>
          <th data-sort="num" class="num">combos done</th>
          <th data-sort="num" class="num">bars</th>
          <th data-sort="num" class="num">workers</th>
          <th data-sort="num" class="num">retried</th>
          <th data-sort="num" class="num">failures</th>
          <th data-sort="num">updated</th>
        </tr>
      </thead>
      <tbody>${sweeps.map((s) =>
        html`<tr>
          <td class="mono"><a href="/cluster/sweeps/${s.id}">${shortId(s.id)}</a></td>${stateCell(s.state)}
          <td>${s.strategy}</td><td>${s.label.series}</td><td class="num">${foldText(s.label.fold)}</td>${
          progressCell(s)
        }
          <td class="num" data-v="${String(s.combosDone)}">${fmtNum(s.combosDone, 0)} / ${fmtNum(s.combos, 0)}</td>
          <td class="num" data-v="${String(s.bars)}">${fmtNum(s.bars, 0)}</td>
          <td class="num">${Object.keys(s.workers).length}</td><td class="num">${s.retried}</td>
          <td class="num">${s.failures.length}</td><td data-v="${String(s.updatedAt)}">${fmtTs(s.updatedAt)}</td>
        </tr>`
      )}</tbody>
    </table>
  `;
}

function overview(view: ClusterView): Html {
  const q = view.queue;
  const counts = ["waiting", "active", "completed", "failed", "delayed", "prioritized"]
    .filter((k) => (q[k] ?? 0) > 0 || k === "waiting" || k === "active" || k === "failed");
  return html`
    <h1>Cluster jobs</h1>
    <p class="lead">Sweeps, batches and walk-forwards cut into chunks (parameter block × series × fold) and run by
      BullMQ workers on any number of machines. Redis: <code>${view.redis}</code>.</p>
    <p id="cluster-queue">Chunk queue: ${counts.map((k, i) =>
      html`${i ? " · " : ""}${k} <b>${fmtNum(q[k] ?? 0, 0)}</b>`
    )}</p>
    <h2>Workers</h2>
    ${view.workers.length === 0
      ? html`
        <p class="muted"
          id="cluster-workers">No worker connected: start one with <code>deno task worker --redis ${view
            .redis}</code> on any machine that reaches this Redis.</p>
      `
      : html`
        <table id="cluster-workers">
          <thead>
            <tr>
              <th data-sort="txt">worker</th>
              <th data-sort="txt">address</th>
              <th data-sort="num" class="num">connected for</th>
              <th data-sort="num" class="num">idle</th>
            </tr>
          </thead>
          <tbody>${view.workers.map((w) =>
            html`
              <tr>
                <td class="mono">${w.name}</td>
                <td class="mono">${w.addr}</td>
                <td class="num" data-v="${String(w.ageSec)}">${duration(w.ageSec)}</td>
                <td class="num" data-v="${String(w.idleSec)}">${duration(w.idleSec)}</td>
              </tr>
            `
          )}</tbody>
        </table>
      `}
    <h2>Sweeps</h2>
    ${sweepsTable(view.sweeps)}
    ${view.sweeps.length === CLUSTER_SWEEPS_LIMIT
      ? html`<p class="muted">The ${CLUSTER_SWEEPS_LIMIT} most recent.</p>`
      : ""}
    <p class="muted">JSON: <a href="/api/cluster">/api/cluster</a>.</p>
  `;
}

function sweepPage(s: ClusterSweepStatus): Html {
  const workers = Object.entries(s.workers).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return html`
    <h1>Cluster sweep <span class="mono">${shortId(s.id)}</span></h1>
    <p class="lead">${s.strategy} on ${s.label.series}${s.label.fold === null
      ? ""
      : html`, fold ${s.label.fold + 1}`}${s.label.text
      ? html`
        · ${s.label.text}
      `
      : ""}. <a href="/cluster">All cluster jobs</a></p>
    <table class="kv" id="cluster-sweep">
      <tr><th>id</th><td class="mono">${s.id}</td></tr>
      <tr><th>state</th>${stateCell(s.state)}</tr>
      <tr><th>progress</th>${progressCell(s)}</tr>
      <tr><th>combinations</th><td>${fmtNum(s.combosDone, 0)} of ${fmtNum(s.combos, 0)} done</td></tr>
      <tr><th>bars</th><td>${fmtNum(s.bars, 0)}</td></tr>
      <tr><th>evaluations started</th><td>${fmtNum(s.attempts, 0)} (${s
        .retried} chunks re-run after a lost worker)</td></tr>
      <tr><th>created</th><td>${fmtTs(s.createdAt)}</td></tr>
      <tr><th>updated</th><td>${fmtTs(s.updatedAt)}</td></tr>
      ${s.error === null ? "" : html`
        <tr>
          <th>error</th>
          <td class="neg">${s.error}</td>
        </tr>
      `}
    </table>
    <h2>Workers</h2>
    ${workers.length === 0 ? html`<p class="muted">No chunk stored yet.</p>` : html`
      <table id="cluster-sweep-workers">
        <thead>
          <tr>
            <th data-sort="txt">worker</th>
            <th data-sort="num" class="num">chunks stored</th>
          </tr>
        </thead>
        <tbody>${workers.map(([name, n]) =>
          html`
            <tr>
              <td class="mono">${name}</td>
              <td class="num">${n}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
    <h2>Failures</h2>
    ${s.failures.length === 0 ? html`<p class="muted">None.</p>` : html`
      <table id="cluster-sweep-failures">
        <thead>
          <tr>
            <th data-sort="num" class="num">chunk</th>
            <th>reason</th>
          </tr>
        </thead>
        <tbody>${s.failures.slice(0, FAILURES_CAP).map((f) =>
          html`
            <tr>
              <td class="num">${f.chunk}</td>
              <td>${f.reason}</td>
            </tr>
          `
        )}</tbody>
      </table>
      ${s.failures.length > FAILURES_CAP
        ? html`<p class="muted">The first ${FAILURES_CAP} of ${s.failures.length}; the JSON has them all.</p>`
        : ""}
    `}
    <p class="muted">JSON: <a href="/api/cluster/sweeps/${s.id}">/api/cluster/sweeps/${shortId(s.id)}…</a></p>
  `;
}

function problemPage(e: unknown): { text: string; status: 200 | 503 } {
  if (!(e instanceof HttpError) || e.status !== 503) throw e;
  const configured = e.message !== CLUSTER_NOT_CONFIGURED;
  const body = configured
    ? html`
      <h1>Cluster jobs</h1>
      <div class="errors" id="cluster-problem">
        <p>${e.message}</p>
      </div>
    `
    : html`
      <h1>Cluster jobs</h1>
      <p class="lead">Sweeps, batches and walk-forwards run on BullMQ workers through Redis.</p>
      <div class="warn" id="cluster-problem">
        <p>This lab has no Redis to read cluster jobs from. Start it with
              <code>deno task lab --redis redis://HOST:PORT</code>, or set <code>SENTINEL_REDIS=redis://HOST:PORT</code>:
              the URL the workers (<code>deno task worker --redis URL</code>) and
              <code>deno task backtest ... --cluster URL</code> use.</p>
      </div>
    `;
  // Not configured is a normal state of a lab, not a fault; unreachable is.
  return { text: page("Cluster jobs", body, false), status: configured ? 503 : 200 };
}

/** HTML pages under /cluster. */
export function clusterPages(redisUrl: string | undefined): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    let view: ClusterView;
    try {
      view = await readCluster(redisUrl);
    } catch (e) {
      const p = problemPage(e);
      return c.html(p.text, p.status);
    }
    return c.html(page("Cluster jobs", overview(view), view.sweeps.some((s) => s.state === "running")));
  });
  app.get("/sweeps/:id", zv("param", SweepIdSchema), async (c) => {
    let s: ClusterSweepStatus;
    try {
      s = await readClusterSweep(redisUrl, c.req.valid("param").id);
    } catch (e) {
      const p = problemPage(e);
      return c.html(p.text, p.status);
    }
    return c.html(page(`Cluster sweep ${shortId(s.id)}`, sweepPage(s), s.state === "running"));
  });
  return app;
}
