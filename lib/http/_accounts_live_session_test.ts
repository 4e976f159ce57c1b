// The lab's live pages and /metrics driven by a real live session: an armed LiveRunner trading the fake exchange
// (real ccxt, signed orders, fills in two parts) on the lab's data dir. The account stream follows the bars, the
// orders and the fills as they happen; /metrics counts the orders by state and shows the equity; an order the log
// does not know, found by the reconciliation after a reconnect, holds the account on the page until the lab's
// acknowledgement lifts it (an operator_ack in the log), after which the runner enters again.
import assert from "node:assert/strict";
import { type AuditEvent, replay } from "../audit/mod.ts";
import { fillBaseFee } from "../types/mod.ts";
import type { LiveFigures } from "./_accounts_live.ts";
import { liveSession, SseClient } from "./_live_test_helpers.ts";

const WAIT_MS = 10_000;

/** The stream's figures and every event it carried, moved forward by reading until a condition holds. */
class Follow {
  figures!: LiveFigures;
  readonly events: (AuditEvent & { summary: string })[] = [];
  constructor(readonly sse: SseClient) {}

  async until(what: string, ok: (f: LiveFigures) => boolean): Promise<LiveFigures> {
    const deadline = Date.now() + WAIT_MS;
    while (this.figures === undefined || !ok(this.figures)) {
      const left = deadline - Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const m = await Promise.race([
        this.sse.next(),
        new Promise<null>((r) => (timer = setTimeout(r, Math.max(0, left), null))),
      ]).finally(() => clearTimeout(timer));
      if (m === null) {
        throw new Error(`the stream did not show ${what} within ${WAIT_MS} ms; last: ${JSON.stringify(this.figures)}`);
      }
      if (m.event !== "snapshot" && m.event !== "update") continue;
      const d = JSON.parse(m.data);
      assert.equal(m.id, String(d.figures.seq), "each message's id is the seq it folded to");
      this.figures = d.figures;
      this.events.push(...d.events);
    }
    return this.figures;
  }
}

/** A sample's value in the Prometheus text (undefined when absent). */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** The figures a fresh replay of the log up to `f.seq` gives must be the stream's. */
function assertMatchesReplay(f: LiveFigures, all: AuditEvent[]): void {
  const r = replay(all.filter((e) => e.seq <= f.seq));
  assert.equal(f.equity, r.equity);
  assert.equal(f.cash, r.cash);
  assert.equal(f.tradingState, r.tradingState);
  assert.deepEqual(f.positions.map(({ mark: _, ...p }) => p), r.positions);
  assert.deepEqual(f.openOrders, r.openOrders);
  assert.deepEqual(f.reconciliationHold?.waiting ?? [], r.unacknowledgedReconciliations);
}

Deno.test("live session on the lab: the stream follows bars, orders and fills; /metrics; a reconnect's mismatch is held until the lab's ack", async () => {
  const s = await liveSession({ account: "live-lab" });
  const account = encodeURIComponent(s.account);
  const sse = await SseClient.open(`${s.base}/api/accounts/${account}/stream`);
  const follow = new Follow(sse);
  const metrics = async (): Promise<string> => await (await fetch(`${s.base}/metrics`)).text();
  const page = async (): Promise<string> => await (await fetch(`${s.base}/accounts/${account}`)).text();
  try {
    // The start reconciliation found nothing: no hold, nothing to acknowledge.
    await follow.until("the clean start reconciliation", () => follow.events.some((e) => e.kind === "reconciliation"));
    const start = follow.events.find((e) => e.kind === "reconciliation")!;
    assert.ok(start.kind === "reconciliation" && start.payload.ok && start.payload.trigger === "start");
    assert.equal(follow.figures.reconciliationHold, null);
    assert.match(await page(), /<div id="reconciliation-hold"[^>]*\shidden>/);

    // Three falling bars: bars and feed lag on the stream, no order.
    const b0 = s.feed.push(100);
    s.feed.push(98);
    const b2 = s.feed.push(96);
    let f = await follow.until("the third bar", (f) => f.lastBars[0]?.ts === b2.ts);
    assert.equal(f.lastBars.length, 1);
    const last = f.lastBars[0]!;
    assert.equal(last.symbol, "BTC/USDT");
    assert.equal(last.close, 96);
    assert.equal(last.lagMs, last.seenAt - (b2.ts + 60_000), "lag: logged minus the bar's close time");
    assert.ok(last.lagMs! > 0, `lag ${last.lagMs}`);
    assert.equal(f.equity, 1_000);
    assert.deepEqual(f.openOrders, []);
    assert.ok(b0.ts < b2.ts);

    // A rise: the runner buys at market; the fake fills half at once, so the order is open, partially filled.
    s.feed.push(99);
    f = await follow.until("the entry half filled", (f) => f.openOrders[0]?.status === "partially_filled");
    const entry = f.openOrders[0]!;
    assert.equal(entry.side, "buy");
    assert.ok(entry.exchangeOrderId, "the exchange's id from its answer");
    assert.ok(entry.filledQty > 0 && entry.filledQty < entry.qty, `filled ${entry.filledQty} of ${entry.qty}`);
    assert.equal(f.positions.length, 1);
    assertMatchesReplay(f, s.events());
    const m1 = await metrics();
    assert.equal(sample(m1, "sentinel_account_open_orders", 'account="live-lab"'), 1);
    assert.ok((sample(m1, "sentinel_account_orders_total", 'account="live-lab",state="submitted"') ?? 0) >= 1);
    assert.ok((sample(m1, "sentinel_account_orders_total", 'account="live-lab",state="partially_filled"') ?? 0) >= 1);

    // The next bar moves the price: the rest fills, the order leaves the open list, the equity follows the mark.
    s.feed.push(103);
    f = await follow.until("the entry filled", (f) => f.openOrders.length === 0 && f.lastBars[0]?.close === 103);
    // The fake took its 0.1% fee out of the BTC bought: the position is the entry less that, as at the exchange.
    let btcFee = 0;
    for (const e of s.events()) {
      const isFill = e.kind === "order_filled" || e.kind === "order_partially_filled";
      if (isFill && e.payload.clientOrderId === entry.clientOrderId) btcFee += fillBaseFee(e.payload);
    }
    assert.ok(btcFee > 0, "the entry's fee was taken in BTC");
    const netQty = entry.qty - btcFee;
    assert.ok(
      Math.abs(f.positions[0]!.qty - netQty) < 1e-9,
      `position ${f.positions[0]?.qty} of ${entry.qty} - ${btcFee}`,
    );
    assert.ok(f.equity > 1_000, `equity ${f.equity} after a rise from 99 to 103`);
    assert.ok(f.orderLatency !== null && f.orderLatency.count >= 1);
    assertMatchesReplay(f, s.events());
    const m2 = await metrics();
    assert.ok((sample(m2, "sentinel_account_orders_total", 'account="live-lab",state="filled"') ?? 0) >= 1);
    assert.equal(sample(m2, "sentinel_account_open_orders", 'account="live-lab"'), 0);

    // A fall: the exit, in two parts as well.
    s.feed.push(101);
    s.feed.push(97);
    // The exit sells what the runner holds, down to the exchange's lot step (1e-5 BTC): what the BTC fee left below
    // a step stays, at the exchange, in the runner's book and in the lab's figures alike.
    const STEP = 1e-5;
    const exited = (f: LiveFigures): boolean => f.positions.every((p) => Math.abs(p.qty) < STEP);
    f = await follow.until(
      "the exit filled",
      (f) => exited(f) && f.openOrders.length === 0 && f.lastBars[0]?.close === 97,
    );
    assert.deepEqual(f.openOrders, []);
    const [labQty, runnerQty] = [f.positions[0]?.qty ?? 0, s.runner.sleeves()[0]!.position];
    assert.ok(Math.abs(labQty - runnerQty) < 1e-12, `the lab holds ${labQty}, the runner ${runnerQty}`); // it rounds
    assertMatchesReplay(f, s.events());
    const m3 = await metrics();
    assert.equal(sample(m3, "sentinel_account_equity", 'account="live-lab"'), replay(s.events()).equity);
    assert.equal(sample(m3, "sentinel_account_trading_state", 'account="live-lab",state="active"'), 1);
    assert.ok((sample(m3, "sentinel_account_orders_total", 'account="live-lab",state="filled"') ?? 0) >= 2);

    // Someone places an order on the same exchange account; the feed reconnects (what live/main.ts does on the
    // stream's `reconnected` problem), and the reconciliation before the next bar finds an order the log does not
    // know: the account is held in reducing.
    const stray = await (await s.otherBroker()).submit({
      clientOrderId: "stray-1",
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      qty: 0.2,
      price: 50,
    });
    assert.equal(stray.status, "sent");
    s.runner.requestReconcile("reconnect");
    s.feed.push(95);
    f = await follow.until("the reconciliation hold", (f) => f.reconciliationHold !== null);
    const hold = f.reconciliationHold!;
    assert.equal(f.tradingState, "reducing");
    assert.equal(hold.trigger, "reconnect");
    assert.equal(hold.unknownOpenOrders, 1);
    assert.deepEqual(hold.waiting, [hold.seq]);
    const strayAt = s.fake.orders.find((o) => o.clientOrderId === "stray-1")!;
    assert.ok(hold.messages.some((m) => m.includes(String(strayAt.orderId))), hold.messages.join(" | "));
    const held = await page();
    assert.match(held, /<div id="reconciliation-hold"[^>]*style="[^"]*"\s*>/, "the panel is shown");
    assert.match(held, new RegExp(`name="reconciliationSeq" value="${hold.seq}"`));
    assert.match(held, /Acknowledge reconciliation/);
    const m4 = await metrics();
    assert.equal(sample(m4, "sentinel_account_trading_state", 'account="live-lab",state="reducing"'), 1);
    assert.equal(sample(m4, "sentinel_account_reconciliations_waiting", 'account="live-lab"'), 1);
    assertMatchesReplay(f, s.events());

    // The operator cancels the stray order and acknowledges through the lab: the hold is lifted on the stream.
    await (await s.otherBroker()).cancel("BTC/USDT", "stray-1");
    const res = await fetch(`${s.base}/api/accounts/${account}/ack`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        reason: "stray-1 was a manual test order; cancelled it at the exchange",
        operator: "ops",
      }),
    });
    assert.equal(res.status, 200);
    const ack = await res.json();
    assert.equal(ack.tradingState, "active");
    f = await follow.until("the hold lifted", (f) => f.reconciliationHold === null && f.tradingState === "active");
    const ackEvent = follow.events.find((e) => e.kind === "operator_ack");
    assert.ok(ackEvent?.kind === "operator_ack");
    assert.deepEqual(ackEvent.payload, {
      reconciliationSeq: hold.seq,
      note: "stray-1 was a manual test order; cancelled it at the exchange",
      operator: "ops",
    });
    assert.equal(ackEvent.seq, ack.seq);
    assert.match(await page(), /<div id="reconciliation-hold"[^>]*\shidden>/);
    const m5 = await metrics();
    assert.equal(sample(m5, "sentinel_account_reconciliations_waiting", 'account="live-lab"'), 0);
    assert.equal(sample(m5, "sentinel_account_trading_state", 'account="live-lab",state="active"'), 1);

    // The runner reads the ack from the log and trades again: the next rise is an entry.
    const deadline = Date.now() + WAIT_MS;
    while (s.runner.risk.tradingState !== "active") {
      assert.ok(Date.now() < deadline, "the runner did not read the ack");
      await new Promise((r) => setTimeout(r, 20));
    }
    s.feed.push(98);
    s.feed.push(102);
    f = await follow.until("a new entry", (f) => !exited(f) && f.openOrders.length === 0);
    assertMatchesReplay(f, s.events());

    // The session ends; the stream has carried every event of the log once, in order, and its figures are replay's.
    s.feed.end();
    const summary = await s.done;
    assert.equal(summary.sent, 3, "entry, exit, entry");
    assert.equal(summary.reconciliations, 2);
    const all = s.events();
    f = await follow.until("the end of the log", (f) => f.seq === all.at(-1)!.seq);
    assertMatchesReplay(f, all);
    assert.ok(f.chain.ok);
    const streamed = follow.events.map((e) => e.seq);
    const firstStreamed = streamed[0]!;
    assert.deepEqual(streamed, all.filter((e) => e.seq >= firstStreamed).map((e) => e.seq));
    const kinds = new Set(follow.events.map((e) => e.kind));
    for (
      const k of [
        "bars",
        "order_intent",
        "risk_verdict",
        "order_submitted",
        "order_partially_filled",
        "order_filled",
        "reconciliation",
        "operator_ack",
      ]
    ) assert.ok(kinds.has(k as AuditEvent["kind"]), `the stream carried ${k}`);
    const ids = s.fake.orders.map((o) => o.clientOrderId);
    assert.equal(new Set(ids).size, ids.length, "no client id reached the exchange twice");
  } finally {
    await sse.close();
    await s.close();
  }
});
