import assert from "node:assert/strict";
import { configWith, freshState, intent, MON_NOON } from "./_testing.ts";
import { applyVerdict } from "./apply_verdict.ts";
import { kill } from "./kill.ts";
import { markEquity } from "./mark_equity.ts";
import { pause } from "./pause.ts";
import { recordOrder } from "./record_order.ts";
import { resume } from "./resume.ts";
import { RiskEngine } from "./risk_engine.ts";
import { riskStateToJSON } from "./risk_state_to_json.ts";
import type { Verdict } from "./verdict.ts";

const ok: Verdict = { ok: true, code: "ok", level: "warning", detail: "" };
const warn: Verdict = { ok: false, code: "max_position_share", level: "warning", detail: "x" };
const pauseV: Verdict = { ok: false, code: "daily_loss", level: "pause", detail: "loss 4 %" };
const killV: Verdict = { ok: false, code: "max_drawdown", level: "kill", detail: "dd 25 %" };

Deno.test("applyVerdict: ok and warning keep the state; pause -> reducing; kill -> halted, from every state", () => {
  const active = freshState();
  assert.equal(applyVerdict(active, ok), active);
  assert.equal(applyVerdict(active, warn), active);
  const reducing = applyVerdict(active, pauseV);
  assert.deepEqual([reducing.tradingState, reducing.reason], ["reducing", "daily_loss: loss 4 %"]);
  const halted = applyVerdict(active, killV);
  assert.deepEqual([halted.tradingState, halted.reason], ["halted", "max_drawdown: dd 25 %"]);
  // reducing: a pause keeps it (and its first reason), a kill halts it.
  assert.equal(applyVerdict(reducing, { ...pauseV, code: "consecutive_losses" }), reducing);
  assert.equal(applyVerdict(reducing, killV).tradingState, "halted");
  // halted: nothing but resume leaves it.
  for (const v of [ok, warn, pauseV, killV]) assert.equal(applyVerdict(halted, v), halted);
  // A denial of an entry under reducing (level pause) changes nothing; under halted neither.
  const e = new RiskEngine(configWith({}));
  assert.equal(applyVerdict(reducing, e.check(intent(), reducing, MON_NOON)), reducing);
  assert.equal(applyVerdict(halted, e.check(intent(), halted, MON_NOON)), halted);
});

Deno.test("transitions are pure: the input state is unchanged and the new one shares no mutable part", () => {
  const s = freshState();
  recordOrder(s, intent(), MON_NOON);
  const before = JSON.stringify(riskStateToJSON(s));
  const p = pause(s, "operator");
  assert.equal(JSON.stringify(riskStateToJSON(s)), before);
  assert.equal(s.tradingState, "active");
  recordOrder(p, intent(), MON_NOON + 1);
  markEquity(p, 5, MON_NOON + 1);
  assert.equal(JSON.stringify(riskStateToJSON(s)), before);
  assert.equal(p.orders.total, 2);
  assert.equal(s.orders.total, 1);
});

Deno.test("pause: active -> reducing; never weakens a kill", () => {
  const s = freshState();
  const p = pause(s, "news");
  assert.deepEqual([p.tradingState, p.reason], ["reducing", "news"]);
  assert.equal(pause(p, "again"), p);
  const k = kill(s, "operator");
  assert.equal(pause(k, "later"), k);
});

Deno.test("kill: active and reducing -> halted; a second kill keeps the first reason", () => {
  const s = freshState();
  assert.equal(kill(s, "a").tradingState, "halted");
  const k = kill(pause(s, "p"), "k");
  assert.deepEqual([k.tradingState, k.reason], ["halted", "k"]);
  assert.equal(kill(k, "other"), k);
});

Deno.test("resume: reducing -> active naming the account; an active state is returned as is", () => {
  const s = freshState();
  assert.equal(resume(s, { account: "acct" }), s);
  const r = resume(pause(s, "p"), { account: "acct" });
  assert.deepEqual([r.tradingState, r.reason], ["active", ""]);
});

Deno.test("resume after a kill needs afterKill: true and the account's name; otherwise a clear refusal", () => {
  const k = kill(freshState(), "drawdown breaker");
  assert.throws(
    () => resume(k, { account: "acct" }),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /account "acct" was killed \(drawdown breaker\)/);
      assert.match(e.message, /resume\(state, \{ account: "acct", afterKill: true \}\)/);
      return true;
    },
  );
  assert.throws(() => resume(k, { account: "acct", afterKill: false }), /afterKill: true/);
  assert.throws(
    () => resume(k, { account: "other", afterKill: true }),
    /resume names account "other" but this state is account "acct"/,
  );
  assert.throws(() => resume(pause(freshState(), "p"), { account: "other" }), /name the account/);
  assert.equal(k.tradingState, "halted");
  const r = resume(k, { account: "acct", afterKill: true });
  assert.equal(r.tradingState, "active");
});

Deno.test("a daily-loss pause resumed the same day pauses again at the next entry; the next day it does not", () => {
  const e = new RiskEngine(configWith({ dailyLoss: { limit: 0.03, unit: "fraction" } }));
  let s = freshState(Date.UTC(2026, 0, 5));
  markEquity(s, 9_000, MON_NOON);
  s = applyVerdict(s, e.checkAccount(s, MON_NOON));
  assert.equal(s.tradingState, "reducing");
  s = resume(s, { account: "acct" });
  s = applyVerdict(s, e.check(intent(), s, MON_NOON + 1));
  assert.equal(s.tradingState, "reducing");
  s = resume(s, { account: "acct" });
  const tue = Date.UTC(2026, 0, 6);
  markEquity(s, 9_000, tue);
  assert.equal(e.check(intent(), s, tue).code, "ok");
});
