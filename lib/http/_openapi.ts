// The OpenAPI 3.1 document of /api, hand-built; request bodies come from the zod schemas.
import { z } from "zod";
import { AckBodySchema, OperatorBodySchema } from "./_accounts_api.ts";
import { BacktestRequestSchema } from "./_backtests.ts";
import { ARROW_STREAM } from "./_datasets.ts";
import { SweepRequestSchema } from "./_sweeps.ts";

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const j = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete j.$schema;
  return j;
}

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const anyJson = { "application/json": { schema: { type: "object" } } };
const err = (description: string) => ({ description, content: json("Error") });

const seriesId = {
  name: "id",
  in: "path",
  required: true,
  description: "series text exchange:SYMBOL:timeframe, URL-encoded (samples%3AGOOG%3A1d)",
  schema: { type: "string", maxLength: 160 },
};
const runId = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9_-]+$" } };
const jobId = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^job-[0-9a-z]+-[0-9a-f]{8}$" },
};
const q = (name: string, schema: Record<string, unknown>, description = "") => ({
  name,
  in: "query",
  required: false,
  schema,
  ...(description ? { description } : {}),
});
const accountName = {
  name: "name",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" },
};
const bearer = [{ bearer: [] }, { session: [] }];

/** pause, resume and kill share one shape: the account in the path, an OperatorRequest body, one outcome. */
function operatorRoute(summary: string, bad: string): Record<string, unknown> {
  return {
    post: {
      summary,
      security: bearer,
      parameters: [accountName],
      requestBody: { required: true, content: json("OperatorRequest") },
      responses: {
        200: { description: "account, changed, before, tradingState, message, seq", content: anyJson },
        400: err(bad),
        401: err("token required"),
        404: err("unknown account"),
      },
    },
  };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document served at /api/openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Sentinel lab API",
      version: "1.0.0",
      description: "Stored datasets, strategies, backtests, sweeps and recorded runs. Bad requests are 400 with " +
        "zod-style issues; unknown ids are 404. Columns are served as Arrow IPC streams when the client sends " +
        `Accept: ${ARROW_STREAM}. Mutating requests need the lab token when one is configured; failed token ` +
        "attempts back off per client (429 with Retry-After). Request bodies over 4 MiB are refused with 413.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "the lab token, 24 characters or more (SENTINEL_TOKEN, --token-file, or <data dir>/lab.token)",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "sentinel_session",
          description: "a random session id set by POST /login (expires after 12 h; POST /logout ends it)",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "issues"],
          properties: {
            error: { type: "string" },
            issues: {
              type: "array",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: {
                  path: { type: "array", items: { type: ["string", "integer"] } },
                  message: { type: "string" },
                  code: { type: "string" },
                },
              },
            },
          },
        },
        BacktestRequest: schemaOf(BacktestRequestSchema),
        OperatorRequest: schemaOf(OperatorBodySchema),
        AckRequest: schemaOf(AckBodySchema),
        SweepRequest: schemaOf(SweepRequestSchema),
        Job: {
          type: "object",
          properties: {
            id: { type: "string" },
            kind: { type: "string" },
            label: { type: "string" },
            state: { enum: ["queued", "running", "done", "failed", "cancelled"] },
            progress: {
              type: "object",
              properties: { done: { type: "number" }, total: { type: "number" }, pct: { type: "number" } },
            },
            error: { type: ["string", "null"] },
            result: { type: "object" },
          },
        },
      },
    },
    paths: {
      "/api/datasets": {
        get: {
          summary: "Stored series with range, bars and quality summary",
          responses: { 200: { description: "list", content: anyJson } },
        },
      },
      "/api/datasets/{id}": {
        get: {
          summary: "One series",
          parameters: [seriesId],
          responses: {
            200: { description: "info", content: anyJson },
            400: err("malformed id"),
            404: err("not stored"),
          },
        },
      },
      "/api/datasets/{id}/quality": {
        get: {
          summary: "Full quality report",
          parameters: [seriesId],
          responses: {
            200: { description: "report", content: anyJson },
            400: err("malformed id"),
            404: err("not stored"),
          },
        },
      },
      "/api/datasets/{id}/bars": {
        get: {
          summary: "Bars as CSV, Parquet, Arrow IPC stream or JSON",
          parameters: [
            seriesId,
            q(
              "format",
              { enum: ["csv", "parquet", "arrow", "json"] },
              `default: arrow when Accept is ${ARROW_STREAM}, else csv`,
            ),
            q("from", { type: "string" }, "epoch ms or ISO date, inclusive"),
            q("to", { type: "string" }, "epoch ms or ISO date, exclusive"),
          ],
          responses: {
            200: {
              description: "bars",
              content: {
                "text/csv": { schema: { type: "string" } },
                "application/vnd.apache.parquet": { schema: { type: "string", format: "binary" } },
                [ARROW_STREAM]: { schema: { type: "string", format: "binary" } },
                "application/json": { schema: { type: "object" } },
              },
            },
            400: err("bad id or query"),
            404: err("not stored"),
          },
        },
      },
      "/api/strategies": {
        get: {
          summary: "Strategies with their params (paramFields) and JSON Schema",
          responses: { 200: { description: "list", content: anyJson } },
        },
      },
      "/api/strategies/{name}": {
        get: {
          summary: "One strategy",
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
          responses: { 200: { description: "strategy", content: anyJson }, 404: err("unknown") },
        },
      },
      "/api/backtests": {
        post: {
          summary: "Run a backtest (through the job queue) and record it",
          security: bearer,
          parameters: [q("async", { enum: ["0", "1", "true", "false"] }, "1: answer 202 with the job at once")],
          requestBody: { required: true, content: json("BacktestRequest") },
          responses: {
            201: {
              description: "recorded run: run_id, url, final_equity, trades, stats; with risk limits also denied " +
                "(the count of orders the limits denied; the list is the run's detail.risk.denied)",
              content: anyJson,
            },
            202: {
              description:
                "queued (async=1): job_id, status, durable, note. A durable lab (deno task lab) has stored " +
                "the job before this answer and runs it again after a restart, under the same job id",
              content: anyJson,
            },
            400: err("invalid request, unknown strategy, params out of range, risk limits that are not a valid config"),
            401: err("token required"),
            413: err("request body over the limit (4 MiB)"),
            404: err("series not stored"),
            429: err("job queue full, or too many failed token attempts; retry after the Retry-After seconds"),
          },
        },
      },
      "/api/sweeps": {
        post: {
          summary: "Start a parameter sweep; watch it at /api/jobs/{id}/events",
          security: bearer,
          requestBody: { required: true, content: json("SweepRequest") },
          responses: {
            202: {
              description: "queued: job_id, url, events, durable, note (stored before this answer when durable; " +
                "resumed after a restart)",
              content: anyJson,
            },
            400: err(
              "invalid request: unknown metric, a grid the strategy's params refuse, windows the data cannot hold",
            ),
            401: err("token required"),
            413: err("request body over the limit (4 MiB)"),
            404: err("series not stored"),
            429: err("job queue full, or too many failed token attempts; retry after the Retry-After seconds"),
          },
        },
      },
      "/api/jobs": {
        get: { summary: "Jobs of this lab session", responses: { 200: { description: "jobs", content: anyJson } } },
      },
      "/api/jobs/{id}": {
        get: {
          summary: "A job's state, progress and result summary",
          parameters: [jobId],
          responses: { 200: { description: "job", content: json("Job") }, 404: err("unknown job") },
        },
        delete: {
          summary: "Cancel a job",
          security: bearer,
          parameters: [jobId],
          responses: {
            200: { description: "cancelled", content: anyJson },
            401: err("token required"),
            413: err("request body over the limit (4 MiB)"),
            404: err("unknown job"),
          },
        },
      },
      "/api/jobs/{id}/cancel": {
        post: {
          summary: "Cancel a job",
          security: bearer,
          parameters: [jobId],
          responses: {
            200: { description: "cancelled", content: anyJson },
            401: err("token required"),
            413: err("request body over the limit (4 MiB)"),
            404: err("unknown job"),
          },
        },
      },
      "/api/jobs/{id}/events": {
        get: {
          summary: "Server-sent events: progress and state (JSON Job in data), closing after the final state",
          parameters: [jobId],
          responses: {
            200: { description: "event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
            404: err("unknown job"),
          },
        },
      },
      "/api/runs": {
        get: {
          summary: "Recorded runs, newest first",
          parameters: [
            q("strategy", { type: "string" }),
            q("series", { type: "string" }),
            q("kind", { enum: ["single", "sweep", "walk_forward"] }),
            q("source", { enum: ["cli", "web", "job"] }),
            q("limit", { type: "integer", minimum: 1, maximum: 1000 }),
          ],
          responses: { 200: { description: "runs", content: anyJson }, 400: err("bad filter") },
        },
      },
      "/api/runs/compare": {
        get: {
          summary: "Stats of run b against run a",
          parameters: [{ ...q("a", { type: "string" }), required: true }, {
            ...q("b", { type: "string" }),
            required: true,
          }],
          responses: { 200: { description: "rows", content: anyJson }, 400: err("bad ids"), 404: err("unknown run") },
        },
      },
      "/api/runs/{id}": {
        get: {
          summary: "One run record",
          parameters: [runId],
          responses: {
            200: { description: "run", content: anyJson },
            400: err("malformed id"),
            404: err("unknown run"),
          },
        },
      },
      "/api/runs/{id}/equity": {
        get: {
          summary: "Equity curve (ts, equity, drawdown, benchmark): JSON columns M4-decimated to `points` " +
            `(with the total), or the full series as Arrow IPC (format=arrow or Accept: ${ARROW_STREAM}) or Parquet`,
          parameters: [
            runId,
            { name: "from", in: "query", schema: { type: "number" }, description: "first time, epoch ms UTC" },
            { name: "to", in: "query", schema: { type: "number" }, description: "last time, epoch ms UTC" },
            {
              name: "points",
              in: "query",
              schema: { type: "integer", minimum: 4, maximum: 100000, default: 2000 },
              description: "most points in the JSON",
            },
            { name: "format", in: "query", schema: { type: "string", enum: ["json", "arrow", "parquet"] } },
          ],
          responses: {
            200: {
              description: "columns",
              content: {
                "application/json": { schema: { type: "object" } },
                [ARROW_STREAM]: { schema: { type: "string", format: "binary" } },
                "application/vnd.apache.parquet": { schema: { type: "string", format: "binary" } },
              },
            },
            400: err("bad query (format=parquet with a range, points out of range)"),
            404: err("unknown run"),
          },
        },
      },
      "/api/runs/{id}/trades": {
        get: {
          summary: "Trades as JSON",
          parameters: [runId],
          responses: { 200: { description: "trades", content: anyJson }, 404: err("unknown run") },
        },
      },
      "/api/runs/{id}/stats.json": {
        get: {
          summary: "Stats download",
          parameters: [runId],
          responses: { 200: { description: "stats", content: anyJson }, 404: err("unknown run") },
        },
      },
      "/api/runs/{id}/trades.csv": {
        get: {
          summary: "Trades download",
          parameters: [runId],
          responses: {
            200: { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
            404: err("unknown run"),
          },
        },
      },
      "/api/runs/{id}/equity.parquet": {
        get: {
          summary: "Equity download",
          parameters: [runId],
          responses: {
            200: {
              description: "Parquet",
              content: { "application/vnd.apache.parquet": { schema: { type: "string", format: "binary" } } },
            },
            404: err("unknown run"),
          },
        },
      },
      "/api/accounts": {
        get: {
          summary: "Paper and live accounts: name, kind, trading state, equity, cash, audit chain intact (chainOk)",
          responses: { 200: { description: "accounts", content: anyJson } },
        },
      },
      "/api/accounts/{name}": {
        get: {
          summary: "An account's status from its audit log and account.json: trading state, positions, open orders, " +
            "cash, equity, P&L, counters, risk limits with their hash, audit chain (webhook URLs never shown)",
          parameters: [accountName],
          responses: {
            200: { description: "accountStatus", content: anyJson },
            400: err("malformed name"),
            404: err("unknown account (the message names the known ones)"),
          },
        },
      },
      "/api/accounts/{name}/events": {
        get: {
          summary: "The account's audit events, oldest first, paged: nextAfterSeq is the cursor (null at the end)",
          parameters: [
            accountName,
            q("afterSeq", { type: "integer", minimum: 0 }, "events with seq above this"),
            q("limit", { type: "integer", minimum: 1, maximum: 1000 }, "most events (default 100)"),
            q("kind", { type: "string" }, "one event kind (pause, kill, order_filled, ...)"),
          ],
          responses: {
            200: { description: "events, nextAfterSeq", content: anyJson },
            400: err("bad query or name"),
            404: err("unknown account"),
          },
        },
      },
      "/api/accounts/{name}/equity": {
        get: {
          summary: "The account's equity after each batch of bars (equity = cash + positions at the latest closes, " +
            "from the audit log), with cash and drawdown below the running peak; M4-decimated beyond `points`",
          parameters: [
            accountName,
            q("points", { type: "integer", minimum: 16, maximum: 100_000 }, "most points served (default 2000)"),
          ],
          responses: {
            200: { description: "points (full length), decimated, ts, equity, cash, drawdown", content: anyJson },
            400: err("bad query or name"),
            404: err("unknown account"),
          },
        },
      },
      "/api/accounts/{name}/runner": {
        get: {
          summary: "The runner as the audit log shows it: running (a run_started without a later run_stopped), " +
            "stopped or never; mode, run id, start, last stop and its error, last bar per symbol, and stale (no " +
            "event for more than 3 bar intervals while running)",
          parameters: [accountName],
          responses: {
            200: { description: "RunnerState", content: anyJson },
            400: err("malformed name"),
            404: err("unknown account"),
          },
        },
      },
      "/api/accounts/{name}/promotions": {
        get: {
          summary: "The account's promotion events, oldest first: strategy, code hash, params, market, evidence run " +
            "ids, the recorded gates, and the checklist page's url",
          parameters: [accountName],
          responses: {
            200: { description: "promotions", content: anyJson },
            400: err("malformed name"),
            404: err("unknown account"),
          },
        },
      },
      "/api/accounts/{name}/promotions/{seq}": {
        get: {
          summary: "One promotion event (by its audit seq) with the checklist recorded with it",
          parameters: [accountName, {
            name: "seq",
            in: "path",
            required: true,
            schema: { type: "integer", minimum: 1 },
          }],
          responses: {
            200: { description: "promotion", content: anyJson },
            400: err("malformed name or seq"),
            404: err("unknown account, or no promotion at that seq (the message lists them)"),
          },
        },
      },
      "/api/strategies/{name}/checklist": {
        get: {
          summary: "Evaluates the promotion gates of a strategy version for an account WITHOUT promoting: read-only, " +
            "on the runs already recorded (nothing computed or recorded). Query: account, optional market, and " +
            "param.<name>=value per param (defaults for the rest); any other key is a 400",
          parameters: [
            { name: "name", in: "path", required: true, schema: { type: "string" } },
            { name: "account", in: "query", required: true, schema: { type: "string", maxLength: 200 } },
            q("market", { type: "string", maxLength: 200 }, "exchange:SYMBOL:timeframe (default: the evidence's)"),
            {
              name: "param",
              in: "query",
              required: false,
              style: "deepObject",
              description: "param.fast=10&param.slow=30: strategy params as text, coerced as on the command line",
              schema: { type: "object", additionalProperties: { type: "string", maxLength: 200 } },
            },
          ],
          responses: {
            200: {
              description: "PromotionChecklist: strategy, codeHash, params, account, market, gates " +
                "[{ name, ok, evidence, runIds }], ok",
              content: anyJson,
            },
            400: err("bad query (unknown key, bad param or market) or account name"),
            404: err("unknown strategy or account"),
          },
        },
      },
      "/api/accounts/{name}/pause": operatorRoute(
        "Operator pause: reducing (exits only, no new entries); a no-op when already reducing or halted",
        "invalid body or name",
      ),
      "/api/accounts/{name}/resume": operatorRoute(
        "Operator resume to active; after a kill confirmAccount must name the account, else 400 with the message",
        "invalid body or name, or resume refused (confirmAccount missing or not the account)",
      ),
      "/api/accounts/{name}/kill": operatorRoute(
        "Operator kill: halted (no new orders); flatten asks the runner to close every position",
        "invalid body or name",
      ),
      "/api/accounts/{name}/ack": {
        post: {
          summary: "Operator acknowledgement of the account's reconciliation hold (what `deno task risk ack` does): " +
            "appends an operator_ack naming reconciliationSeq (default the latest waiting; earlier ones are covered) " +
            "with the reason as its note; the account returns to the state pause / resume / kill left it in",
          security: bearer,
          parameters: [accountName],
          requestBody: { required: true, content: json("AckRequest") },
          responses: {
            200: { description: "account, changed, before, tradingState, message, seq", content: anyJson },
            400: err("invalid body or name (an empty reason), or a reconciliationSeq that is not waiting"),
            401: err("token required"),
            404: err("unknown account"),
            409: err("no reconciliation is waiting for an acknowledgement"),
          },
        },
      },
      "/api/openapi.json": {
        get: { summary: "This document", responses: { 200: { description: "OpenAPI 3.1", content: anyJson } } },
      },
    },
  };
  return cached;
}
