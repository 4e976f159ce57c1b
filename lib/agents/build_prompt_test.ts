import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { buildPrompt, formatFactValue } from "./build_prompt.ts";
import { builtinPersonas } from "./builtin_personas.ts";
import { computeFacts } from "./compute_facts.ts";
import type { Fact } from "./fact.ts";
import { LookAheadError } from "./look_ahead_error.ts";
import { pseudonymFor } from "./mask.ts";

const persona = builtinPersonas().find((p) => p.name === "mean_reverter")!;
const HOUR = 3_600_000;

function realPrompt(masking: Parameters<typeof buildPrompt>[0]["masking"]) {
  const frame = randomBars({ n: 400, seed: 5, price: 42_000, stepMs: HOUR, start: Date.UTC(2021, 3, 1) });
  const t = 350;
  const facts = computeFacts({ frame, t, timeframe: "1h", sees: persona.sees });
  const decisionTime = frame.ts[t]! + HOUR;
  return {
    frame,
    t,
    facts,
    prompt: buildPrompt({ persona, facts, decisionTime, symbol: "BTC/USDT", timeframe: "1h", masking }),
  };
}

Deno.test("formatFactValue: 6 significant digits, no exponent, no separators", () => {
  assert.equal(formatFactValue(123456.78), "123457");
  assert.equal(formatFactValue(1e21), "1000000000000000000000");
  assert.equal(formatFactValue(0.1 + 0.2), "0.3");
  assert.equal(formatFactValue(-0.000123456789), "-0.000123457");
  assert.equal(formatFactValue(42), "42");
  assert.throws(() => formatFactValue(NaN), /finite/);
});

Deno.test("buildPrompt: a planted future fact throws LookAheadError naming it and both times", () => {
  const { facts, prompt } = realPrompt({});
  const planted: Fact = {
    id: "ret_1",
    label: "next bar's return",
    value: 3,
    unit: "%",
    availableAt: prompt.decisionTime + HOUR,
  };
  assert.throws(
    () =>
      buildPrompt({
        persona,
        facts: [...facts, planted],
        decisionTime: prompt.decisionTime,
        symbol: "X",
        timeframe: "1h",
      }),
    (e: unknown) =>
      e instanceof LookAheadError && e.factId === "ret_1" &&
      e.message.includes(new Date(prompt.decisionTime + HOUR).toISOString()) &&
      e.message.includes(new Date(prompt.decisionTime).toISOString()) && /from the future/.test(e.message),
  );
});

Deno.test("buildPrompt: masked prompts hold no year, no symbol, and prices rebased to 100 at the first close shown", () => {
  const pseudonym = pseudonymFor("BTC/USDT");
  const { frame, t, prompt } = realPrompt({ pseudonym });
  const text = prompt.system + "\n" + prompt.user;
  assert.ok(!/\b(19|20)\d\d\b/.test(text), "a year appears");
  assert.ok(!/BTC|USDT/.test(text), "the symbol appears");
  assert.ok(text.includes(pseudonym));
  assert.equal(prompt.shown.close_lag_10, 100);
  const base = frame.close[t - 10]!;
  assert.equal(prompt.shown.close, Number(formatFactValue(100 * frame.close[t]! / base)));
  assert.ok(Math.abs(prompt.shown.sma_close_20! - 100) < 20);
  assert.ok(prompt.shown.atr_14! > 0 && prompt.shown.atr_14! < 20);
  assert.equal(
    prompt.shown.rsi_close_14,
    Number(formatFactValue(prompt.facts.find((f) => f.id === "rsi_close_14")!.value as number)),
  );
  assert.deepEqual(prompt.masking, { relativeTimes: true, pseudonym, rebased: true });
  // the fixed line format, one per fact
  const lines = prompt.user.split("\n").filter((l) => l.startsWith("- "));
  assert.equal(lines.length, prompt.facts.length);
  for (const l of lines) assert.match(l, /^- [a-z][a-z0-9_]* = \S+( \S+)? \| [^|]+ \| known \d+ bars? ago$/);
  assert.match(prompt.user, /^- close_lag_10 = 100 price \| close 10 bars before the latest \| known 10 bars ago$/m);
  assert.match(prompt.user, /^- ret_5 = -?[\d.]+ % \| return over 5 bars \| known 0 bars ago$/m);
  for (const s of ["Situation analysis", "Signal generation", "Synthesis", "Risk assessment", "Final recommendation"]) {
    assert.ok(prompt.user.includes(s), s);
  }
  assert.ok(prompt.user.includes(persona.template.instructions));
  assert.match(prompt.user, /Answer with the JSON schema/);
  assert.match(prompt.system, /^- stretch: /m);
  assert.equal(prompt.templateVersion, "mean_reverter.v1");
});

Deno.test("buildPrompt: unmasked prompts show the symbol, ISO times and real prices", () => {
  const { frame, t, prompt } = realPrompt({ relativeTimes: false, rebase: false });
  assert.ok(prompt.user.includes("BTC/USDT"));
  assert.ok(prompt.user.includes(`known ${new Date(frame.ts[t - 3]! + HOUR).toISOString()}`));
  assert.equal(prompt.shown.close, Number(formatFactValue(frame.close[t]!)));
  assert.deepEqual(prompt.masking, { relativeTimes: false, pseudonym: null, rebased: false });
});

Deno.test("buildPrompt: basePrice overrides the base; rebasing without a close needs one", () => {
  const facts: Fact[] = [{ id: "sma_close_20", label: "SMA", value: 50, unit: "price", availableAt: 0 }];
  const p = buildPrompt({ persona, facts, decisionTime: 0, symbol: "X", timeframe: "1h", basePrice: 40 });
  assert.equal(p.shown.sma_close_20, 125);
  assert.throws(() => buildPrompt({ persona, facts, decisionTime: 0, symbol: "X", timeframe: "1h" }), /pass basePrice/);
  assert.throws(
    () =>
      buildPrompt({
        persona,
        facts: [...facts, ...facts],
        decisionTime: 0,
        symbol: "X",
        timeframe: "1h",
        basePrice: 1,
      }),
    /given twice/,
  );
});
