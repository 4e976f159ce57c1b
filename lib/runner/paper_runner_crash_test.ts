import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { type AuditEvent, AuditLog, replay } from "../audit/mod.ts";
import { canonicalJson } from "../types/mod.ts";
import { FakeAnthropic, mulberry32 } from "../testing/mod.ts";

const CHILD = new URL("./_crash_child.ts", import.meta.url).pathname;
const BARS = 160;
const ROUNDS = 32;

/** Runs the child to its end, or SIGKILLs it once it has reported `killAt` batches (then returns false). */
async function runChild(
  dataDir: string,
  killAt: number | null,
  random: () => number,
  agents?: { baseURL: string; apiKey: string },
): Promise<boolean> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, dataDir, "crash", String(BARS), ...(agents ? ["agents"] : [])],
    ...(agents ? { env: { ANTHROPIC_BASE_URL: agents.baseURL, ANTHROPIC_API_KEY: agents.apiKey } } : {}),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let killed = false;
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of child.stdout) {
    if (killed) continue;
    buf += decoder.decode(chunk);
    const lines = buf.split("\n");
    buf = lines.pop()!;
    const last = lines.at(-1);
    if (killAt !== null && last !== undefined && Number(last.split(" ")[1]) >= killAt) {
      // A random sub-batch delay puts the kill anywhere in the next batch: inside an fsync, between the intent's
      // append and the broker, between the broker and `order_submitted`.
      const delay = Math.floor(random() * 4);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      killed = true;
    }
  }
  const status = await child.status;
  const err = await stderr;
  if (!killed && !status.success) throw new Error(`child failed (${status.code}): ${err}`);
  return !killed || status.success;
}

/**
 * The events that must come out the same: everything but the run_started / run_stopped of each process. A model
 * call's usage (hence its cost and the response's hash) is the API's state, not the answer: a call made again after a
 * kill finds the prompt cache warm. So a decision is compared by what was asked (request hash) and answered.
 */
function trace(events: AuditEvent[]): string[] {
  return events
    .filter((e) => e.kind !== "run_started" && e.kind !== "run_stopped")
    .map((e) => {
      let payload: unknown = e.payload;
      if (e.kind === "decision") {
        const { calls: _c, responseHash: _r, costUsd: _u, ...rest } = e.payload;
        payload = rest;
      }
      return `${e.kind} ${e.ts} ${e.correlationId ?? ""} ${canonicalJson(payload)}`;
    });
}

function readAll(dataDir: string): AuditEvent[] {
  using log = AuditLog.open({ dataDir, account: "crash", readOnly: true });
  const v = log.verify();
  assert.equal(v.ok, true, `audit chain: ${JSON.stringify(v)}`);
  return log.query({ limit: 1_000_000 });
}

/** The crash scenario: `rounds` runs SIGKILLed at random points and restarted, each ending like the uninterrupted run. */
async function crashRounds(rounds: number, seed: number, agents?: { baseURL: string; apiKey: string }): Promise<void> {
  const refDir = await Deno.makeTempDir();
  assert.equal(await runChild(refDir, null, Math.random, agents), true);
  const ref = readAll(refDir);
  const refTrace = trace(ref);
  const refState = replay(ref);
  assert.ok(ref.filter((e) => e.kind === "order_filled").length >= 8, "the scenario trades");
  if (agents) assert.ok(ref.filter((e) => e.kind === "decision").length >= 30, "the debate decides");

  const random = mulberry32(seed);
  let kills = 0;
  const round = async (r: number): Promise<void> => {
    const dir = await Deno.makeTempDir();
    const wanted = 1 + Math.floor(random() * 3);
    let done = false;
    for (let k = 0; k < wanted && !done; k++) {
      done = await runChild(dir, 1 + Math.floor(random() * BARS), random, agents);
      if (!done) kills++;
    }
    while (!done) done = await runChild(dir, null, random, agents);
    const events = readAll(dir);
    assert.deepEqual(trace(events), refTrace, `round ${r}: the log differs from the uninterrupted run`);
    const state = replay(events);
    assert.deepEqual(state.positions, refState.positions);
    assert.equal(state.cash, refState.cash);
    assert.deepEqual(state.openOrders, refState.openOrders);
    // No order twice: one `order_submitted` per id in the log, one row per id at the broker, and every id the
    // broker holds is one the log submitted.
    const submitted = events.filter((e) => e.kind === "order_submitted").map((e) =>
      e.kind === "order_submitted" ? e.payload.clientOrderId : ""
    );
    assert.equal(new Set(submitted).size, submitted.length, `round ${r}: an id submitted twice`);
    const db = new DatabaseSync(join(dir, "_accounts", "crash", "paper_broker.sqlite"), { readOnly: true });
    const rows = db.prepare("SELECT client_order_id FROM orders ORDER BY client_order_id").all().map((x) =>
      String(x.client_order_id)
    );
    db.close();
    assert.deepEqual(rows, [...submitted].sort(), `round ${r}: broker orders differ from the log's`);
    await Deno.remove(dir, { recursive: true });
  };
  // Two rounds at a time (two cores).
  for (let r = 0; r < rounds; r += 2) await Promise.all([round(r), round(r + 1)]);
  assert.ok(kills >= rounds, `at least one kill per round (${kills})`);
  await Deno.remove(refDir, { recursive: true });
}

Deno.test({
  name: `${ROUNDS} replays SIGKILLed at random points and restarted end like the uninterrupted run, no order twice`,
  sanitizeResources: false,
  fn: () => crashRounds(ROUNDS, 20261206),
});

Deno.test({
  name:
    "with an LLM debate sleeve (recording against the fake API), 12 SIGKILLed replays end like the uninterrupted run",
  sanitizeResources: false,
  fn: async () => {
    // A kill between a model answer and its store write, or between the decision events and the orders: the restart
    // asks again (the fake answers the same) or replays from the store, and logs the same decisions and orders.
    const fake = await FakeAnthropic.start({ apiKey: "sk-ant-crash" });
    try {
      await crashRounds(12, 20261207, { baseURL: fake.url, apiKey: "sk-ant-crash" });
    } finally {
      await fake.close();
    }
  },
});
