import assert from "node:assert/strict";
import { AgentsFileSchema, parseAgentsFile } from "./agents_file.ts";

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
const file = {
  cache: "replay",
  model: "claude-sonnet-4-5",
  masking: { symbol: true },
  budgetUsd: null,
  desk: {
    decisions: 2,
    debates: 0,
    asked: 2,
    abstentions: { parse: 1 },
    repaired: 0,
    calls: 2,
    storeHits: 2,
    usage,
    costUsd: 0.01,
  },
  gateway: { calls: 2, storeHits: 2, apiCalls: 0, usage, costUsd: 0.01, spentUsd: 0, cacheHitRate: 0.5 },
  costPerDecisionUsd: 0.005,
  journal: { events: 2, headHash: "ab".repeat(32) },
  memory: { model: "claude-sonnet-4-5", label: "inside memory", insideMemory: true, cutoff: "2025-01" },
  strategy: "llm_persona",
  params: { persona: "risk_officer" },
  newerField: 1,
};

Deno.test("parseAgentsFile: a backtest's agents.json parses, unknown fields kept", () => {
  const a = parseAgentsFile(structuredClone(file), "r1");
  assert.equal(a.desk.abstentions.parse, 1);
  assert.equal(a.memory?.cutoff, "2025-01");
  assert.equal((a as Record<string, unknown>).newerField, 1);
});

Deno.test("parseAgentsFile: memory without cutoff (older runs) and without memory both parse", () => {
  const { memory: _, ...noMemory } = structuredClone(file);
  assert.equal(parseAgentsFile(noMemory, "r1").memory, undefined);
  const older = { ...structuredClone(file), memory: { label: "unknown model", insideMemory: null } };
  assert.equal(AgentsFileSchema.safeParse(older).success, true);
});

Deno.test("parseAgentsFile: the first bad field and the fix are named", () => {
  const bad = { ...structuredClone(file), gateway: { ...file.gateway, cacheHitRate: "half" } };
  assert.throws(
    () => parseAgentsFile(bad, "r7"),
    (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /^run r7: agents\.json does not match the agent run format at gateway\.cacheHitRate: /);
      assert.match(e.message, /record the run again with this version of deno task backtest$/);
      return true;
    },
  );
  assert.throws(() => parseAgentsFile([], "r7"), /at \(root\): /);
});

Deno.test("agents_file.ts loads without the Anthropic SDK", async () => {
  // Its runtime imports are zod alone (types are erased): the MCP server depends on that.
  const text = await Deno.readTextFile(new URL("./agents_file.ts", import.meta.url));
  const runtime = [...text.matchAll(/^import (?!type )[^;]*from "([^"]+)";/gm)].map((m) => m[1]);
  assert.deepEqual(runtime, ["zod"]);
});
