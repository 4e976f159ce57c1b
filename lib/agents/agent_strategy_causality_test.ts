// The causality property for the agent strategies: computed on a prefix of the data (with a fresh desk, so nothing
// is memoised), the signals equal the first bars of the signals computed on all of it. For the LLM debate the
// prefixes run in replay mode against the store recorded on the full data: a prompt that saw a later bar would be a
// different request, hence a replay miss, hence a failure.
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { prepareStrategy, type Strategy } from "../strategies/mod.ts";
import { assertCausal, FakeAnthropic } from "../testing/mod.ts";
import { type AgentRuntime, createAgentRuntime } from "./mod.ts";

const frame: Frame = (await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url))).frame;

function signalsOn(rt: AgentRuntime, name: string, params: Record<string, unknown>) {
  return async (k: number) => {
    const strategy = rt.strategies.find((s) => s.name === name) as Strategy<Record<string, unknown>>;
    const p = strategy.params.parse(params);
    const prefix = frame.slice(0, k);
    await prepareStrategy(strategy, prefix, p, { symbol: "BTC/USD", timeframe: "1M" });
    const s = strategy.signals(prefix, p);
    if (s.kind !== "signals") throw new Error("agent strategies emit signals");
    return { entries: s.entries, exits: s.exits, shortEntries: s.shortEntries!, shortExits: s.shortExits! };
  };
}

/** assertCausal over async prefixes: computes every prefix first, then checks synchronously. */
async function assertCausalAsync(
  compute: (k: number) => Promise<Record<string, Uint8Array>>,
  n: number,
  prefixes: number[],
  name: string,
): Promise<void> {
  const out = new Map<number, Record<string, Uint8Array>>();
  for (const k of [...prefixes, n]) out.set(k, await compute(k));
  // A strategy that never signals is trivially causal: the full run must trade.
  const full = out.get(n)!;
  if (!Object.values(full).some((a) => a.some((v) => v === 1))) throw new Error(`${name}: no signal on the full data`);
  assertCausal((k) => out.get(k)!, n, { prefixes, name });
}

const PREFIXES = [0, 1, 30, 51, 52, 53, 80, 100, 120, 155];

Deno.test("llm_persona with the rule persona is causal", async () => {
  await assertCausalAsync(
    async (k) => {
      const rt = await createAgentRuntime({ storePath: ":memory:" });
      try {
        return await signalsOn(rt, "llm_persona", { persona: "rule_trend" })(k);
      } finally {
        rt.close();
      }
    },
    frame.length,
    PREFIXES,
    "llm_persona rule_trend",
  );
});

Deno.test("llm_debate with LLM personas is causal (prefixes replayed from the full run's recording)", async () => {
  const dir = await Deno.makeTempDir();
  const storePath = `${dir}/store.sqlite`;
  const fake = await FakeAnthropic.start({ apiKey: "sk-ant-causal" });
  // Learned vote weights too: they read outcomes, which must come from bars before each decision.
  const params = { personas: "trend_follower,risk_officer", rounds: 1, every: 5, weights: "learned", horizon: 3 };
  try {
    const rec = await createAgentRuntime({ cache: "record", storePath, baseURL: fake.url, apiKey: "sk-ant-causal" });
    await signalsOn(rec, "llm_debate", params)(frame.length);
    rec.close();
    await assertCausalAsync(
      async (k) => {
        const rt = await createAgentRuntime({ cache: "replay", storePath });
        try {
          return await signalsOn(rt, "llm_debate", params)(k);
        } finally {
          rt.close();
        }
      },
      frame.length,
      PREFIXES,
      "llm_debate",
    );
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
