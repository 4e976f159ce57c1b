import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { LlmStore } from "./llm_store.ts";
import { requestHash } from "./request_hash.ts";
import { fixtureRequest } from "./_gateway_fixtures.ts";

const usage = { inputTokens: 120, outputTokens: 80, cacheReadTokens: 900, cacheWriteTokens: 0 };
const response = (text: string) => ({
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-haiku-4-5",
  content: [{ type: "text", text }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 120, output_tokens: 80, cache_read_input_tokens: 900, cache_creation_input_tokens: 0 },
});

Deno.test("LlmStore: put/get round trip, idempotent put, stats, survives reopen", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "agents", "llm_store.sqlite");
    {
      using store = LlmStore.open({ path, now: () => 1_700_000_000_000 });
      const req = fixtureRequest(1);
      const first = store.put({ request: req, response: response('{"a":1}'), usage, costUsd: 0.0005 });
      assert.equal(first.inserted, true);
      assert.equal(first.entry.requestHash, requestHash(req));
      assert.match(first.entry.responseHash, /^[0-9a-f]{64}$/);
      const again = store.put({ request: req, response: response('{"a":2}'), usage, costUsd: 9 });
      assert.equal(again.inserted, false);
      assert.deepEqual(again.entry, first.entry);
      store.put({ request: fixtureRequest(2), response: response("{}"), usage, costUsd: 0.0005, batch: true });
      const s = store.stats();
      assert.equal(s.entries, 2);
      assert.equal(s.usage.cacheReadTokens, 1800);
      assert.ok(Math.abs(s.costUsd - 0.001) < 1e-12);
      assert.deepEqual(s.models, { "claude-haiku-4-5": 2 });
      assert.equal(store.get("0".repeat(64)), undefined);
    }
    using store = LlmStore.open({ path });
    const e = store.get(requestHash(fixtureRequest(1)))!;
    assert.deepEqual(e.response.content, [{ type: "text", text: '{"a":1}' }]);
    assert.equal(e.createdAt, 1_700_000_000_000);
    assert.equal(e.batch, false);
    assert.equal(JSON.parse(e.requestJson).request.templateVersion, "1");
    assert.equal(store.get(requestHash(fixtureRequest(2)))!.batch, true);
    assert.equal(journalMode(path), "wal");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LlmStore: default path under <dataDir>/agents", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    using store = LlmStore.open({ dataDir });
    assert.equal(store.path, join(dataDir, "agents", "llm_store.sqlite"));
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

function journalMode(path: string): string {
  const db = new DatabaseSync(path);
  try {
    return String((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode);
  } finally {
    db.close();
  }
}

Deno.test("LlmStore: answer is the entry without its request text; has reads the key only", () => {
  using store = LlmStore.open({ path: ":memory:" });
  const request = fixtureRequest();
  const { entry } = store.put({ request, response: response('{"a":1}'), usage, costUsd: 0.25 });
  const { requestJson, ...rest } = entry;
  assert.ok(requestJson.length > 0);
  assert.deepEqual(store.answer(entry.requestHash), rest);
  assert.equal(store.answer("0".repeat(64)), undefined);
  assert.equal(store.has(entry.requestHash), true);
  assert.equal(store.has("0".repeat(64)), false);
});
