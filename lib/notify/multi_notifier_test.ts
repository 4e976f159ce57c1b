import assert from "node:assert/strict";
import { ConsoleSink } from "./console_sink.ts";
import { MultiNotifier } from "./multi_notifier.ts";
import type { Notification } from "./notification.ts";
import type { Notifier } from "./notifier.ts";
import { scriptedServer } from "./_test_server.ts";
import { WebhookSink } from "./webhook_sink.ts";

const n: Notification = { ts: 0, account: "a", level: "kill", kind: "kill", title: "t", detail: "d" };

Deno.test("MultiNotifier: a sink that throws or hangs never affects another", async () => {
  await using hanging = scriptedServer(["hang"]);
  const lines: string[] = [];
  const throwing: Notifier = {
    notify() {
      throw new Error("broken sink");
    },
    close() {
      return Promise.reject(new Error("broken close"));
    },
    stats() {
      throw new Error("broken stats");
    },
  };
  const slow = new WebhookSink({
    url: hanging.url,
    maxQueue: 10,
    retry: { attempts: 1, baseMs: 1, maxMs: 1 },
    timeoutMs: 60_000,
    onError: () => {},
  });
  const all = new MultiNotifier([throwing, slow, new ConsoleSink({ write: (l) => lines.push(l) })]);
  all.notify(n);
  all.notify(n);
  assert.equal(lines.length, 2);
  await all.close({ timeoutMs: 100 });
  // throwing: 2 notify + 1 close; slow: 1 in flight failed at the deadline, 1 queued dropped.
  assert.deepEqual(all.stats(), { sent: 2, failed: 4, dropped: 1, retried: 0 });
  assert.equal(all.sinks.length, 3);
});
