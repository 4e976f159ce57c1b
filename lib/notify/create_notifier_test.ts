import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { createNotifier } from "./create_notifier.ts";
import type { Notification } from "./notification.ts";
import { NotifyConfigSchema } from "./notify_config.ts";
import { scriptedServer } from "./_test_server.ts";

const levels = ["info", "warning", "pause", "kill", "error"] as const;

function at(level: Notification["level"], detail = ""): Notification {
  return { ts: 0, account: "paper-1", level, kind: "risk_verdict", title: level, detail };
}

Deno.test("createNotifier: each sink has its own minimum level", async () => {
  await using pauses = scriptedServer([{ status: 200 }], "/pauses");
  await using all = scriptedServer([{ status: 200 }], "/all");
  const lines: string[] = [];
  const notifier = createNotifier({
    console: { minLevel: "warning" },
    webhooks: [{ url: pauses.url, minLevel: "pause" }, { url: all.url, minLevel: "info", format: "slack" }],
  }, { write: (l) => lines.push(l) });
  for (const level of levels) notifier.notify(at(level));
  await notifier.close({ timeoutMs: 2000 });
  assert.deepEqual(lines.map((l) => l.split(" ")[1]), ["WARNING", "PAUSE", "KILL", "ERROR"]);
  assert.deepEqual(pauses.received.map((r) => JSON.parse(r.body).level), ["pause", "kill", "error"]);
  assert.deepEqual(
    all.received.map((r) => JSON.parse(r.body)),
    levels.map((l) => ({ text: `1970-01-01T00:00:00.000Z ${l.toUpperCase()} paper-1 risk_verdict ${l}: ` })),
  );
  assert.deepEqual(notifier.stats(), { sent: 4 + 3 + 5, failed: 0, dropped: 0, retried: 0 });
});

Deno.test("createNotifier: secrets planted in the URL and a detail never reach console output or errors", async () => {
  await using server = scriptedServer([{ status: 400 }], "/services/T9/B9/xoxb-planted-url-token");
  const lines: string[] = [];
  const errors: string[] = [];
  const notifier = createNotifier(
    { webhooks: [{ url: server.url, minLevel: "info" }] },
    { secrets: ["planted-api-key-42"], write: (l) => lines.push(l), onError: (m) => errors.push(m) },
  );
  notifier.notify(at("kill", `key planted-api-key-42 hook ${server.url}`));
  await notifier.close();
  assert.equal(lines.length, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /HTTP 400/);
  const body = server.received[0]!.body;
  for (const text of [...lines, ...errors, body]) {
    assert.ok(!text.includes("planted-api-key-42") && !text.includes("xoxb-planted-url-token"), text);
  }
  assert.match(lines[0]!, /key \[REDACTED\] hook \[REDACTED\]$/);
});

Deno.test("createNotifier refuses a malformed notify block with a ConfigError naming the field, never the URL", () => {
  const cases: [unknown, RegExp][] = [
    [{ webhooks: [{ url: "http://hooks.example.com/xoxb-secret-1" }] }, /webhooks\.0\.url: must be an https:\/\//],
    [{ webhooks: [{ url: "xoxb-secret-1" }] }, /webhooks\.0\.url: must be an https:\/\//],
    [
      { webhooks: [{ url: "https://h.example/xoxb-secret-1", minLevel: "loud" }] },
      /webhooks\.0\.minLevel: Invalid option/,
    ],
    [{ consol: true }, /Unrecognized key: "consol"/],
    [
      { webhooks: [{ url: "https://h.example/xoxb-secret-1", retry: { attempts: 0 } }] },
      /webhooks\.0\.retry\.attempts:/,
    ],
  ];
  for (const [config, re] of cases) {
    assert.throws(() => createNotifier(config), (e: Error) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, re);
      assert.match(e.message, /fix the account's notify block$/);
      assert.ok(!e.message.includes("xoxb-secret-1"), e.message);
      return true;
    });
  }
});

Deno.test("NotifyConfigSchema defaults: console on, no webhooks, webhooks from warning up with bounded retries", () => {
  assert.deepEqual(NotifyConfigSchema.parse({}), { console: true, webhooks: [] });
  const parsed = NotifyConfigSchema.parse({ webhooks: [{ url: "https://hooks.slack.com/services/T/B/X" }] });
  assert.deepEqual(parsed.webhooks[0], {
    url: "https://hooks.slack.com/services/T/B/X",
    minLevel: "warning",
    format: "json",
    maxQueue: 1000,
    timeoutMs: 10_000,
    retry: { attempts: 5, baseMs: 500, maxMs: 30_000 },
  });
});
