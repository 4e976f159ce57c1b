/**
 * The tamper-evident audit log of a paper or live account: append-only, hash-chained, one SQLite database per account
 * at `<data dir>/_accounts/<account>/audit.sqlite` (the store skips `_` folders). The runner writes every bar,
 * signal, decision, risk verdict, order step, pause, resume, kill, config change, promotion, reconciliation and
 * operator acknowledgement here before acting on it; positions, cash and P&L are rebuilt from the events alone
 * ({@link replay}), the trading state by {@link TradingControl}; the lab, alerting and MCP follow an account live
 * ({@link AuditLog.tail}) through read-only handles that never block the writer.
 *
 * **Events.** Each event is zod-typed ({@link AuditEventSchema}): `seq` (1, 2, 3, ... no gaps), `ts` (epoch ms),
 * `account`, `runId`, `kind`, `payload` (a schema per kind, strict, strings length-capped), optional
 * `correlationId` (links a bar to its signal, decision, verdict, orders and fills), `prevHash` and
 * `hash = sha256(prevHash + RFC 8785 canonical JSON of the event without its hash)`; the first `prevHash` is 64
 * zeros ({@link hashEvent}). Unknown kinds and malformed payloads are refused with a `TypeError` naming the field.
 *
 * **Durable when.** `append` and `appendMany` return after the SQLite commit (WAL, `synchronous=FULL`: fsynced).
 * `appendMany` is one transaction (group commit): all events or none. Appends from several processes are safe:
 * each runs in `BEGIN IMMEDIATE` and reads the head inside it, so the chain stays one chain (tested with two
 * writer processes). UPDATE and DELETE of events are aborted by triggers in the database itself.
 *
 * **What verify proves.** {@link AuditLog.verify} recomputes every hash and link and names the first bad seq and why:
 * an edited event (payload, time, kind, run, account or hash), an inserted, deleted or reordered event, and a
 * truncated tail (through the head anchor `audit.head`, a small file outside the events table rewritten after every
 * commit: the chain must reach it and hold its hash; a deleted anchor is reported too). A crash between a commit
 * and its anchor write leaves the anchor one commit behind, which is accepted (no false alarm); so does a power cut
 * before the OS wrote the anchor back (seconds of commits; `anchorSync: true` fsyncs it at every commit instead). What it cannot
 * prove: someone with write access to the folder who rewrites the events from some seq on AND the anchor
 * consistently, or truncates the chain and rewrites the anchor to the new head, is not detected (dropped triggers
 * are then only a warning). Keep a copy of the head elsewhere (`deno task audit verify --json` prints it) and
 * compare: that is the defence. An `hmacKey` kept outside the data dir makes it harder: the anchor is then signed,
 * and a rewritten anchor without the key is refused (an older genuine anchor put back is still accepted). Events committed after the anchor on disk (the instant before a crash, or the
 * writeback window before a power cut without `anchorSync`) can be truncated undetected.
 *
 * **Secrets.** The schemas have no field for credentials and refuse unknown fields; open with `secrets` (the API
 * keys and tokens the process holds) and every payload string is scrubbed before it is stored
 * ({@link redactSecrets}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog, replay } from "./mod.ts";
 *
 * const dataDir = await Deno.makeTempDir();
 * const log = AuditLog.open({ dataDir, account: "paper-1", secrets: ["sk-live-0123456789"] });
 * log.append({ kind: "run_started", runId: "r1", ts: 0, payload: { mode: "paper", startingCash: 10_000 } });
 * const bar = { symbol: "BTC/USDT", timeframe: "1h", ts: 0, open: 100, high: 101, low: 99, close: 100, volume: 5 };
 * const intent = {
 *   clientOrderId: "paper-1-r1-0-BTCUSDT", account: "paper-1", strategy: "sma_cross", symbol: "BTC/USDT",
 *   side: "buy" as const, qty: 2, price: 100, reduceOnly: false, barTs: 0,
 * };
 * // One decision cycle, durable in one group commit before the order goes to the broker.
 * log.appendMany([
 *   { kind: "bar", runId: "r1", ts: 1, correlationId: "c0", payload: { ...bar, dataHash: "ab".repeat(32) } },
 *   { kind: "order_intent", runId: "r1", ts: 1, correlationId: "c0", payload: intent },
 *   {
 *     kind: "risk_verdict", runId: "r1", ts: 1, correlationId: "c0",
 *     payload: { clientOrderId: intent.clientOrderId, ok: true, code: "ok", detail: "" },
 *   },
 * ]);
 * log.append({
 *   kind: "order_filled", runId: "r1", ts: 2, correlationId: "c0",
 *   payload: { clientOrderId: intent.clientOrderId, symbol: "BTC/USDT", side: "buy", qty: 2, price: 100, fee: 0.2, ts: 2 },
 * });
 *
 * assert.equal(log.head().seq, 5);
 * assert.equal(log.verify().ok, true);
 * assert.deepEqual(log.query({ correlationId: "c0" }).map((e) => e.kind), ["bar", "order_intent", "risk_verdict", "order_filled"]);
 * assert.throws(() => log.append({ kind: "teleport" } as never), /kind "teleport" is not a known kind/);
 *
 * const state = replay(log.events());
 * assert.deepEqual(state.positions, [{ symbol: "BTC/USDT", qty: 2, avgPrice: 100 }]);
 * assert.equal(state.cash, 10_000 - 200.2);
 * assert.equal(state.equity, 10_000 - 0.2);
 *
 * const reader = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
 * assert.throws(() => reader.append({ kind: "resume", runId: "r1", payload: { by: "operator", reason: "x" } }), /read-only/);
 * reader.close();
 * log.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./audit_event.ts";
export * from "./audit_log.ts";
export * from "./equity_series.ts";
export * from "./export_audit_parquet.ts";
export * from "./hash_event.ts";
export * from "./list_accounts.ts";
export * from "./redact_secrets.ts";
export * from "./replay.ts";
export * from "./trading_control.ts";
export * from "./bars_of.ts";
export * from "./open_order_of.ts";
