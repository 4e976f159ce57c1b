import assert from "node:assert/strict";
import { ConsoleSink } from "./console_sink.ts";
import type { Notification } from "./notification.ts";

const base: Notification = {
  ts: Date.UTC(2026, 11, 6, 10, 0),
  account: "paper-1",
  level: "warning",
  kind: "risk_verdict",
  title: "max orders per hour",
  detail: "12 of 12",
};

Deno.test("ConsoleSink writes one line per notification, with corr and data, secrets masked", async () => {
  const lines: string[] = [];
  const sink = new ConsoleSink({ secrets: ["sk-live-abcdef"], write: (l) => lines.push(l) });
  sink.notify({ ...base, correlationId: "b-9", data: { key: "sk-live-abcdef", limit: 12 } });
  sink.notify({
    ...base,
    level: "kill",
    kind: "kill",
    title: "halted\nFAKE 2nd line",
    detail: "by sk-live-abcdef\r\t.",
  });
  await sink.close();
  assert.deepEqual(lines, [
    '2026-12-06T10:00:00.000Z WARNING paper-1 risk_verdict max orders per hour: 12 of 12 corr=b-9 {"key":"[REDACTED]","limit":12}',
    "2026-12-06T10:00:00.000Z KILL paper-1 kill halted\\nFAKE 2nd line: by [REDACTED]\\r .",
  ]);
  assert.deepEqual(sink.stats(), { sent: 2, failed: 0, dropped: 0, retried: 0 });
});

Deno.test("ConsoleSink: minLevel filters; invalid notifications and a failing writer are counted, never thrown", async () => {
  const lines: string[] = [];
  const sink = new ConsoleSink({ minLevel: "pause", secrets: ["Bad Acc"], write: (l) => lines.push(l) });
  for (const level of ["info", "warning", "pause", "kill", "error"] as const) {
    sink.notify({ ...base, level, title: level });
  }
  assert.deepEqual(lines.map((l) => l.split(" ")[1]), ["PAUSE", "KILL", "ERROR"]);
  sink.notify({ ...base, level: "error", account: "Bad Acc" });
  assert.match(lines[3]!, /ERROR notify notification refused \(account: an account name is/);
  assert.ok(!lines[3]!.includes("Bad Acc"));
  const broken = new ConsoleSink({
    write: () => {
      throw new Error("EPIPE");
    },
  });
  broken.notify(base);
  await sink.close();
  await broken.close();
  sink.notify(base);
  assert.deepEqual(sink.stats(), { sent: 3, failed: 1, dropped: 1, retried: 0 });
  assert.deepEqual(broken.stats(), { sent: 0, failed: 1, dropped: 0, retried: 0 });
});
